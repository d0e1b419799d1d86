"""Voice evidence kept: a call's recording copied into its case's files.

Twilio keeps recordings only as long as the account's retention allows; the
case must outlive that. So, as with MMS media (media.py), a job fetches the
MP3 after the webhook has been answered and stores it as an attachment of the
case. It runs when a feedback recording makes a case, again when Twilio says
the recording is complete, and when an operator logs a call that left a
voicemail, and is safe to run any number of times, at once too: the copy is
claimed by the recording's id in the same transaction that adds the file.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ... import jobs
from ...channels.receipts import first_delivery
from ...domain import files
from ...extensions import db
from ...models import Call, Recording, WebhookReceipt
from ...senders import twilio
from ..intake.attachments import Upload, store

COPY = "recording-copy"
MAX_BYTES = 20 * 1024 * 1024   # 180 s of Twilio's MP3 is well under 2 MB


def _case_id(recording: Recording) -> int | None:
    """A feedback recording's case, or the case its call was logged as."""
    if recording.case_id is not None:
        return recording.case_id
    return db.session.scalar(select(Call.case_id).where(Call.id == recording.call_id))


def _copied(recording: Recording) -> bool:
    return db.session.scalar(select(WebhookReceipt.id).filter_by(
        kind=COPY, key=recording.recording_sid)) is not None


def _download(sid: str, url: str) -> bytes | None:
    try:
        _, data = twilio.fetch(url + ".mp3")
    except Exception as exc:  # not ready yet, or Twilio down: a later run copies it
        current_app.logger.warning("recording %s not copied: %s", sid, exc)
        return None
    if files.sniff(data, audio=True) != files.MP3 or len(data) > MAX_BYTES:
        current_app.logger.warning("recording %s is not an MP3 we keep", sid)
        return None
    return data


@jobs.job
def keep(recording_id: int) -> None:
    """Copy one recording into its case's files, once."""
    recording = db.session.get(Recording, recording_id)
    case_id = _case_id(recording) if recording is not None else None
    if case_id is None or _copied(recording):
        return
    sid, url, created_at = recording.recording_sid, recording.url, recording.created_at
    db.session.rollback()  # no transaction held open while Twilio answers
    data = _download(sid, url)
    if data is None:
        return
    row, path = store(Upload(f"ghi-am-{sid}.mp3", data), created_at, audio=True)
    if not first_delivery(COPY, sid):  # another run copied it meanwhile
        db.session.rollback()
        path.unlink(missing_ok=True)
        return
    row.case_id = case_id
    db.session.add(row)
    db.session.commit()


def keep_all_of_call(call_id: int) -> None:
    """After a call was logged as a case: copy its recordings there."""
    for recording_id in db.session.scalars(select(Recording.id).filter_by(call_id=call_id)).all():
        jobs.enqueue(keep, recording_id)
