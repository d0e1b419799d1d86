"""A number that sends hundreds of messages: throttled, kept, shown to the operators.

A machine gone wrong, a prank or an angry person can text the hotline
hundreds of times. Acting on each message would text hundreds of replies
back (paid for, and a storm on the sender's phone) and open a case per
message. So past SMS_FLOOD_LIMIT messages in an hour, a message is only
recorded (outcome "throttled", linked to the sender's latest SMS case):
nothing it said is lost, and the operators see the number's messages grouped
on one page of the console, to read and act on. The sender gets one reply
saying so per hour. STOP/START are always honoured.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from ...extensions import db, run
from ...models import Case, InboundMessage
from ...models.types import utcnow
from ..texts import sms_text

WINDOW = timedelta(hours=1)
SHOWN_FOR = timedelta(days=7)
MESSAGES_PER_NUMBER = 50


_SENT = select(func.count(InboundMessage.id)).where(
    InboundMessage.from_number == bindparam("phone"), InboundMessage.received_at >= bindparam("since"))
_SENT_WITH_OUTCOME = _SENT.where(InboundMessage.outcome == bindparam("outcome"))


def _sent_since(phone: str, since: datetime, outcome: str | None = None) -> int:
    """The number's messages before this one (not yet written)."""
    if outcome is None:
        return run(_SENT, {"phone": phone, "since": since}).scalar() or 0
    return run(_SENT_WITH_OUTCOME, {"phone": phone, "since": since, "outcome": outcome}).scalar() or 0


def _latest_sms_case(phone: str) -> Case | None:
    return db.session.scalars(
        select(Case).join(InboundMessage, InboundMessage.case_id == Case.id)
        .where(InboundMessage.from_number == phone, InboundMessage.outcome == "new_case")
        .order_by(InboundMessage.id.desc())
    ).first()


def throttle(row: InboundMessage, phone: str, now: datetime) -> bool:
    """Throttle `row` if its sender is over the limit; True if it was."""
    since = now - WINDOW
    if _sent_since(phone, since) < current_app.config["SMS_FLOOD_LIMIT"]:
        return False
    row.outcome, row.case = "throttled", _latest_sms_case(phone)
    told = _sent_since(phone, since, "throttled") > 0
    row.reply = "" if told else sms_text("reply_throttled")
    return True


@dataclass
class Flood:
    phone: str
    count: int
    first_at: datetime
    last_at: datetime
    messages: list[InboundMessage]


def recent_floods(now: datetime | None = None) -> list[Flood]:
    """Numbers throttled in the last week, the latest first, each with its
    latest messages (the rest stay in the database)."""
    since = (now or utcnow()) - SHOWN_FOR
    rows = db.session.execute(
        select(InboundMessage.from_number, func.count(InboundMessage.id),
               func.min(InboundMessage.received_at), func.max(InboundMessage.received_at))
        .where(InboundMessage.outcome == "throttled", InboundMessage.received_at >= since)
        .group_by(InboundMessage.from_number)
        .order_by(func.max(InboundMessage.received_at).desc())
    ).all()
    return [Flood(phone, count, first, last, _messages(phone, since))
            for phone, count, first, last in rows]


def _messages(phone: str, since: datetime) -> list[InboundMessage]:
    return list(db.session.scalars(
        select(InboundMessage).options(joinedload(InboundMessage.case))
        .where(InboundMessage.from_number == phone, InboundMessage.outcome == "throttled",
               InboundMessage.received_at >= since)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .limit(MESSAGES_PER_NUMBER)
    ))


def flooding_count(now: datetime | None = None) -> int:
    """How many numbers were throttled in the last week (for the console's tab)."""
    since = (now or utcnow()) - SHOWN_FOR
    return db.session.scalar(
        select(func.count(func.distinct(InboundMessage.from_number)))
        .where(InboundMessage.outcome == "throttled", InboundMessage.received_at >= since)
    ) or 0
