"""Attachment checks and storage outside the web root."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from ...domain import files
from ...domain.text import clean_line
from ...models import Attachment


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check(uploads: list[Upload]) -> str | None:
    """An error message for the whole set of files, or None when all are fine."""
    limit = current_app.config["MAX_ATTACHMENTS"]
    max_bytes = current_app.config["MAX_ATTACHMENT_BYTES"]
    if len(uploads) > limit:
        return _l("Chỉ gửi được tối đa %(n)d tệp.", n=limit)
    for upload in uploads:
        if len(upload.data) > max_bytes:
            return _l("Tệp “%(name)s” lớn hơn %(mb)d MB.",
                      name=upload.filename, mb=max_bytes // (1024 * 1024))
        if not upload.data:
            return _l("Tệp “%(name)s” rỗng.", name=upload.filename)
        mime = files.sniff(upload.data)
        if mime is None or not files.matches_name(upload.filename, mime):
            return _l("Tệp “%(name)s” không phải JPG, PNG, PDF, DOC hoặc DOCX.",
                      name=upload.filename)
    return None


def store(upload: Upload, now: datetime) -> tuple[Attachment, Path]:
    """Write the file under UPLOAD_DIR/YYYY/MM with a random name; return the row and path."""
    mime = files.sniff(upload.data)
    ext = files.extension(upload.filename)
    stored_name = f"{now:%Y/%m}/{secrets.token_hex(16)}.{ext}"
    path = Path(current_app.config["UPLOAD_DIR"]) / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(upload.data)
    row = Attachment(
        original_name=clean_line(upload.filename)[:255] or f"file.{ext}",
        stored_name=stored_name, content_type=mime, size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )
    return row, path
