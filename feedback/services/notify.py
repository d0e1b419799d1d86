"""Telling people about cases, through the outbox: the reporter by SMS and
e-mail, staff by e-mail.

A message is written to the outbox in the same transaction as the change it
reports, then sent by a job after the commit (in a web request, once the
response has gone out): nothing is sent for a change that was rolled back,
and nothing queued is forgotten if the sender is down or the process dies
(the row stays `queued` until `requeue_waiting`). The delivery state lives on
the outbox row, apart from the case.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from .. import jobs, senders
from ..channels.receipts import first_delivery
from ..extensions import db, run
from ..models import Case, OutboundMessage, SmsOptOut, User
from ..models import outbox
from . import orgdata
from .texts import email_text, sms_text

# Channels whose reporter already heard back on the same channel at intake.
ACKNOWLEDGED_ON_CHANNEL = ("sms",)
_QUEUED = "notify.queued"     # session.info: the rows this transaction queued, to send


def _hotline_id(case: Case) -> int | None:
    return case.hotline_id or (case.hotline.id if case.hotline is not None else None)


_OPTED_OUT = select(SmsOptOut.phone).where(SmsOptOut.phone == bindparam("phone"))


def opted_out(phone: str) -> bool:
    """Whether the number said STOP (as committed: what is pending is flushed once, at the commit)."""
    return run(_OPTED_OUT, {"phone": phone}).first() is not None


def queue(case: Case, purpose: str) -> OutboundMessage | None:
    """Add an outbox row for `case` (no commit: the caller's transaction decides)."""
    phone = case.reporter.phone if case.reporter else None
    if not phone:
        return None
    message = OutboundMessage(
        case=case, purpose=purpose, to_number=phone, body=sms_text(purpose, case),
        from_number=orgdata.current().sending_number(_hotline_id(case)),
        sender=senders.default_name(),
        status=outbox.BLOCKED if opted_out(phone) else outbox.QUEUED,
    )
    return _add(message)


def queue_email(case: Case, purpose: str) -> OutboundMessage | None:
    """An e-mail to the reporter, when they gave an address."""
    address = case.reporter.email if case.reporter else None
    if not address:
        return None
    subject, body = email_text(purpose, case)
    return _add_email(address, subject, body, purpose, case=case)


def tell_reporter(case: Case, purpose: str) -> None:
    """Both ways the reporter asked to hear from us (no commit)."""
    queue(case, purpose)
    queue_email(case, purpose)


def queue_received(case: Case) -> None:
    if case.channel not in ACKNOWLEDGED_ON_CHANNEL:
        queue(case, "received")
    queue_email(case, "received")


def queue_staff_email(user: User, purpose: str, subject: str, body: str) -> OutboundMessage:
    """An e-mail to a staff member (deadline reminders and escalations)."""
    return _add_email(user.email, subject, body, purpose, user_id=user.id)


def _add_email(address: str, subject: str, body: str, purpose: str, **links) -> OutboundMessage:
    message = OutboundMessage(
        channel=outbox.EMAIL, purpose=purpose, to_email=address, subject=subject[:200],
        body=body, sender=senders.default_name(outbox.EMAIL), status=outbox.QUEUED, **links,
    )
    return _add(message)


def _add(message: OutboundMessage) -> OutboundMessage:
    db.session.add(message)
    if message.status == outbox.QUEUED:
        db.session.info.setdefault(_QUEUED, []).append(message)
    return message


@event.listens_for(Session, "after_rollback")
def _forget_queued(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def dispatch_pending(case: Case | None = None) -> None:
    """After the commit: send what this transaction queued (`case` is kept for
    the callers' sake; every row the commit wrote is sent). Their ids are known
    without a read: a committed row keeps its identity."""
    held = db.session.info.pop(_QUEUED, [])
    dispatch([state.identity[0] for state in map(inspect, held)
              if state.has_identity and not state.was_deleted])


def dispatch(message_ids) -> None:
    """After the commit: send these outbox rows, once the response has gone out."""
    for message_id in message_ids:
        jobs.after_response(send, message_id)


def requeue_waiting(older_than: datetime | None = None) -> int:
    """Enqueue every row still queued (its job may have been lost with Redis or a
    worker, or its process died before sending; `older_than` leaves alone the
    rows whose send is still on its way). A row is claimed atomically, so a
    duplicate job sends nothing."""
    query = select(OutboundMessage.id).where(OutboundMessage.status == outbox.QUEUED)
    if older_than is not None:
        query = query.where(OutboundMessage.created_at < older_than)
    ids = db.session.scalars(query.order_by(OutboundMessage.id)).all()
    for message_id in ids:
        jobs.enqueue(send, message_id)
    return len(ids)


# A sent row's statements, built once (extensions.run); updated_at follows each UPDATE.
_ROWS = OutboundMessage.__table__
_CLAIM = (update(_ROWS).where(_ROWS.c.id == bindparam("message_id"), _ROWS.c.status == outbox.QUEUED)
          .values(status=outbox.SENDING, attempts=_ROWS.c.attempts + 1))
_TO_SEND = select(_ROWS.c.channel, _ROWS.c.sender, _ROWS.c.to_number, _ROWS.c.to_email,
                  _ROWS.c.subject, _ROWS.c.from_number, _ROWS.c.body).where(_ROWS.c.id == bindparam("message_id"))
_BLOCKED = update(_ROWS).where(_ROWS.c.id == bindparam("message_id")).values(status=outbox.BLOCKED)
_OUTCOME = update(_ROWS).where(_ROWS.c.id == bindparam("message_id")).values(
    status=bindparam("outcome"), provider_sid=bindparam("sid"),
    error_code=bindparam("code"), error_message=bindparam("text"))


def _claim(message_id: int) -> bool:
    """queued -> sending, atomically: two workers never send the same row."""
    claimed = run(_CLAIM, {"message_id": message_id}).rowcount == 1
    db.session.commit()
    return claimed


def _status_callback_url() -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    # Built from the URL map, so it works in a worker too (no request there).
    return base + current_app.url_map.bind("").build("hotline_sms.status_callback")


@jobs.job
def send(message_id: int) -> None:
    """Send one outbox row. Safe to run twice: only a queued row is sent."""
    if _claim(message_id):
        deliver(message_id)


def deliver(message_id: int) -> None:
    """Send a row this process has claimed (`sending`; services/outbox_sweep.py
    claims them in batches), and record the outcome."""
    message = run(_TO_SEND, {"message_id": message_id}).one()
    if message.channel == outbox.EMAIL:
        result = senders.get(message.sender, outbox.EMAIL).send(
            message.to_email, message.subject or "", message.body)
    elif opted_out(message.to_number):
        run(_BLOCKED, {"message_id": message_id})
        db.session.commit()
        return
    else:
        result = senders.get(message.sender).send(
            message.to_number, message.body, message.from_number,
            _status_callback_url() if message.sender == "twilio" else None,
        )
    run(_OUTCOME, {"message_id": message_id, "outcome": result.status, "sid": result.sid,
                   "code": result.error_code, "text": result.error_message})
    db.session.commit()
    if result.status != outbox.SENT:
        current_app.logger.warning("%s message %s: %s %s", message.channel, message_id,
                                   result.status, result.error_code)


def delivery_status(sid: str, status: str, error_code: str | None) -> None:
    """A provider's status callback, taken once per (sid, status); states never
    move backwards when callbacks arrive out of order. Commits once."""
    if not first_delivery("sms-status", f"{sid}:{status}"):
        return
    message = db.session.scalars(
        select(OutboundMessage).where(OutboundMessage.provider_sid == sid)
    ).first()
    if message is not None and outbox.RANK.get(status, 0) >= outbox.RANK.get(message.status, 0):
        message.status = status
        if error_code:
            message.error_code = error_code
    db.session.commit()
