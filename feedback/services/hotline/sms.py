"""An inbound SMS from any provider (Twilio, a local gateway): one use case.

The sender's messages are handled one at a time (a lock per number), so two
messages sent together cannot both open "the" thread, and a copy of a message
delivered before gets the reply the first delivery gave. Each message is then
decided, reading only, and its rows are written at the end with its claim,
keyed by the provider's id under a unique constraint (channels/receipts.py):
only the delivery that wins the claim takes effect. On SQLite the writes, not
the decision, take the database's one writer's turn.

What the message says decides what happens: opt-out or opt-in, a status
question with a tracking code, a rating, "MOI …" (always a new case), an
addition to the sender's open SMS case while no unit has accepted it yet, a
new case, or a helpful reply. A number sending more than SMS_FLOOD_LIMIT an
hour is throttled (floods.py): its messages are kept, not acted on.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from ... import jobs
from ...channels.receipts import insert_once, one_at_a_time
from ...domain import states, trackcode
from ...domain.contact import phone_e164
from ...domain.text import clean, fold
from ...extensions import db, run
from ...models import Case, CaseEvent, Hotline, InboundMessage, SmsOptOut
from ...models.types import utcnow
from .. import intake, notify
from ..public import status as public_status
from ..errors import Rejected
from ..workflow import lifecycle, satisfaction
from . import floods, media
from ..texts import sms_text

THREAD_WINDOW = timedelta(hours=24)
# A later message joins the thread only while no unit has accepted the case.
JOINABLE_STATES = frozenset({states.TRIAGE, states.ASSIGNED})
OPT_OUT_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "huy", "tu choi"}
OPT_IN_WORDS = {"start", "unstop", "yes", "bat", "dang ky lai"}
HELP_WORDS = {"help", "info", "hd", "huong dan", "tro giup", "alo", "test"}
NEW_CASE_WORD = "moi"
_STATUS = re.compile(r"^(?:tra\s*cuu|tracuu|tra|tc|ma)?\s*[:#\-]?\s*([0-9][0-9\s.\-]{8,24}[0-9])$")
_SCORE = re.compile(r"^[1-5]$")
_FIRST_WORD = re.compile(r"^\s*(\w+)[\s:.,;\-]*")
_KIND_WORDS = (("khieu nai", "khieu-nai"), ("kien nghi", "kien-nghi"))


@dataclass
class InboundSms:
    provider: str
    external_id: str
    from_number: str
    to_number: str
    body: str = ""
    hotline: Hotline | None = None
    media: list[dict] = field(default_factory=list)   # [{"url", "content_type"}]
    received_at: datetime | None = None


def _status_reply(typed: str) -> str:
    code = trackcode.normalise(typed)
    if code is None:
        return sms_text("reply_bad_code", typed=typed)
    found = public_status.of(code)  # what the code's holder may know, never the case itself
    if found is None:
        return sms_text("reply_unknown_code", typed=trackcode.display(code))
    return sms_text("reply_status", found)


def _set_opt_out(phone: str, out: bool) -> None:
    existing = db.session.get(SmsOptOut, phone)
    if out and existing is None:
        db.session.add(SmsOptOut(phone=phone))
    elif not out and existing is not None:
        db.session.delete(existing)


_LATEST_OPENED = (
    select(InboundMessage.case_id)
    .where(InboundMessage.from_number == bindparam("phone"),
           InboundMessage.received_at >= bindparam("since"),
           InboundMessage.outcome == "new_case")
    .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc()).limit(1))


def _open_thread(phone: str, now: datetime) -> Case | None:
    """The case the sender's last 24 hours of SMS opened most recently, if no
    unit has accepted it yet: once a unit works on it, a new matter is a new case."""
    case_id = run(_LATEST_OPENED, {"phone": phone, "since": now - THREAD_WINDOW}).scalar()
    latest = db.session.get(Case, case_id) if case_id is not None else None
    return latest if latest is not None and latest.state in JOINABLE_STATES else None


def _rate(phone: str, score: int, now: datetime) -> Case | None:
    """A bare 1-5 answers the rating invitation of the last answer texted here."""
    case = satisfaction.case_to_rate_by_sms(phone, now)
    if case is None or not satisfaction.can_rate(case, now):
        return None
    satisfaction.rate(case, score, "sms", now)
    return case


def _kind(folded: str) -> str:
    return next((kind for words, kind in _KIND_WORDS if words in folded), "phan-anh")


def _after_new_case_word(text: str) -> str | None:
    """The text after a leading "MOI" (Mới, moi:, …), or None without one."""
    match = _FIRST_WORD.match(text)
    if match is None or fold(match.group(1)) != NEW_CASE_WORD:
        return None
    return text[match.end():]


def _new_case(msg: InboundSms, text: str, phone: str, now: datetime) -> Case:
    return intake.build(intake.Submission(
        kind=_kind(fold(text)), channel="sms", description=text, phone=phone,
        reporter_type=msg.hotline.audience if msg.hotline else "citizen",
        hotline_code=msg.hotline.code if msg.hotline else None,
        media_count=len(msg.media), received_at=now,
    ))


def _add_to(case: Case, text: str, now: datetime) -> None:
    """A later SMS joins the open case as a private timeline entry."""
    case.add_event(CaseEvent(
        at=now, actor="citizen", action="sms_added", detail=text or None, public=False,
    ))


def _is_content(msg: InboundSms, text: str) -> bool:
    folded = fold(text)
    return bool(msg.media) or (folded not in HELP_WORDS and len(text) >= intake.MIN_DESCRIPTION
                               and re.search(r"[a-z]{2}", folded) is not None)


def _open_case(msg: InboundSms, row: InboundMessage, text: str, phone: str, now: datetime) -> None:
    try:
        case = _new_case(msg, text, phone, now)
    except Rejected:
        row.outcome, row.reply = "help", sms_text("reply_help")
        return
    row.outcome, row.case = "new_case", case
    row.reply = sms_text("reply_new", case)   # its code, unit and deadline are known unflushed


def _content(msg: InboundSms, row: InboundMessage, text: str, phone: str, now: datetime) -> None:
    """A message with something to say: a new case on "MOI …", else the open thread."""
    fresh = _after_new_case_word(text)
    body = clean(fresh) if fresh is not None else text
    if not _is_content(msg, body):
        row.outcome, row.reply = "help", sms_text("reply_help")
    elif fresh is None and (thread := _open_thread(phone, now)) is not None:
        _add_to(thread, text, now)
        lifecycle.route_by_words(thread, text, now)
        row.outcome, row.case = "added", thread
        row.reply = sms_text("reply_added", thread)
    else:
        _open_case(msg, row, body, phone, now)


def _decide(msg: InboundSms, row: InboundMessage, phone: str, now: datetime) -> None:
    """Fill row.outcome, row.case and row.reply from what the message says."""
    text = clean(msg.body)
    folded = fold(text)
    status = _STATUS.match(folded)
    if folded in OPT_OUT_WORDS:
        _set_opt_out(phone, True)
        row.outcome, row.reply = "opt_out", sms_text("reply_opt_out")
    elif folded in OPT_IN_WORDS:
        _set_opt_out(phone, False)
        row.outcome, row.reply = "opt_in", sms_text("reply_opt_in")
    elif floods.throttle(row, phone, now):
        return
    elif status and not msg.media:
        row.outcome, row.reply = "status", _status_reply(status.group(1))
    elif _SCORE.match(folded) and not msg.media and (rated := _rate(phone, int(folded), now)):
        row.outcome, row.case = "rating", rated
        row.reply = sms_text("reply_rated", rated, score=int(folded))
    else:
        _content(msg, row, text, phone, now)


def _claim(row: InboundMessage) -> int | None:
    """Write what was decided, the message last; its id, or None if another
    delivery of it holds the claim (then nothing is kept)."""
    db.session.flush()      # the case, its events, the opt-out: the writes begin here
    values = {column.key: getattr(row, column.key) for column in InboundMessage.__table__.columns
              if column.key != "id"}
    values["case_id"] = row.case.id if row.case is not None else None
    return insert_once(InboundMessage, values, ["provider", "external_id"])


def _act(msg: InboundSms, phone: str, now: datetime) -> tuple[str, int | None, bool]:
    """Decide and write; (reply, the message's id or None if another delivery
    won, whether its pictures are to be fetched). Commits once."""
    row = InboundMessage(
        provider=msg.provider, external_id=msg.external_id, from_number=phone,
        to_number=msg.to_number, hotline_id=msg.hotline.id if msg.hotline else None,
        body=clean(msg.body), media=json.dumps(msg.media), received_at=now,
        outcome="help", reply="",
    )
    with db.session.no_autoflush:    # read and decide first: nothing is written yet
        opted_out = notify.opted_out(phone)
        _decide(msg, row, phone, now)
    if opted_out and row.outcome not in ("opt_out", "opt_in"):
        row.reply = ""  # opted out: the message is acted on, but we do not text back
    fetch_media = bool(msg.media) and row.case is not None and row.outcome != "throttled"
    row_id = _claim(row)
    if row_id is None:   # twice at once, past the sender's lock: the other delivery won
        db.session.rollback()
        return _stored_reply(msg) or "", None, False
    db.session.commit()
    return row.reply, row_id, fetch_media


def receive(msg: InboundSms) -> str:
    """Record and act on one inbound SMS; return the reply text. Commits once.

    A redelivery is found under the sender's lock, before anything is
    decided; it gets the first delivery's reply."""
    now = msg.received_at or utcnow()
    phone = phone_e164(msg.from_number) or msg.from_number
    with one_at_a_time(f"sms-sender:{phone}"):
        stored = _stored_reply(msg)
        if stored is not None:
            db.session.rollback()
            return stored
        reply, row_id, fetch_media = _act(msg, phone, now)
    if fetch_media:   # the pictures are fetched after the answer, not during it
        jobs.after_response(media.fetch_inbound, row_id)
    return reply


_STORED_REPLY = select(InboundMessage.reply).where(
    InboundMessage.provider == bindparam("provider"),
    InboundMessage.external_id == bindparam("external_id"))


def _stored_reply(msg: InboundSms) -> str | None:
    return run(_STORED_REPLY, {"provider": msg.provider, "external_id": msg.external_id}).scalar()
