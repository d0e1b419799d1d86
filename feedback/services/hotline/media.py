"""MMS media: fetched after the webhook has been answered, kept with the case."""
from __future__ import annotations

import hashlib
import json

from flask import current_app
from sqlalchemy import select

from ... import jobs
from ...domain import files
from ...extensions import db
from ...models import Attachment, CaseEvent, InboundMessage
from ...senders import twilio
from ..intake.attachments import Upload, store

_EXTENSIONS = {mime: ext for ext, mime in files.ALLOWED.items() if ext != "jpeg"}


@jobs.job
def fetch_inbound(inbound_id: int) -> None:
    """Download an inbound message's media into its case. Safe to run again:
    a file already kept (same content) is not stored twice."""
    message = db.session.get(InboundMessage, inbound_id)
    if message is None or message.case_id is None:
        return
    known = set(db.session.scalars(
        select(Attachment.sha256).where(Attachment.case_id == message.case_id)
    ))
    for index, item in enumerate(json.loads(message.media)):
        try:
            _, data = twilio.fetch(item["url"])
        except Exception as exc:  # network or provider trouble: noted, the case stays
            current_app.logger.warning("media %s of message %s: %s", index, inbound_id, exc)
            _note(message, "media_failed", item.get("content_type"))
            continue
        mime = files.sniff(data)
        if mime is None or len(data) > current_app.config["MAX_ATTACHMENT_BYTES"]:
            _note(message, "media_refused", item.get("content_type"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            continue
        known.add(digest)
        upload = Upload(f"mms-{message.external_id}-{index}.{_EXTENSIONS[mime]}", data)
        row, _ = store(upload, message.received_at)
        row.case_id = message.case_id
        db.session.add(row)
    db.session.commit()


def _note(message: InboundMessage, action: str, detail: str | None) -> None:
    db.session.add(CaseEvent(case_id=message.case_id, actor="system", action=action,
                             detail=detail, public=False))
