"""Attachment checks and storage outside the web root, private to the service's user."""
from __future__ import annotations

import hashlib
import os
import secrets
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...domain import files
from ...domain.text import clean_line
from ...models import Attachment


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


def check(uploads: list[Upload]) -> str | None:
    """An error message for the whole set of files, or None when all are fine.

    A message that names a file is a plain string, never a lazy one: Flask-Babel's
    lazy strings mark themselves safe, and the name is the sender's to choose."""
    limit = current_app.config["MAX_ATTACHMENTS"]
    max_bytes = current_app.config["MAX_ATTACHMENT_BYTES"]
    if len(uploads) > limit:
        return _l("Chỉ gửi được tối đa %(n)d tệp.", n=limit)
    for upload in uploads:
        if len(upload.data) > max_bytes:
            return _("Tệp “%(name)s” lớn hơn %(mb)d MB.",
                     name=upload.filename, mb=max_bytes // (1024 * 1024))
        if not upload.data:
            return _("Tệp “%(name)s” rỗng.", name=upload.filename)
        mime = files.sniff(upload.data)
        if mime is None or not files.matches_name(upload.filename, mime):
            return _("Tệp “%(name)s” không phải JPG, PNG, PDF, DOC hoặc DOCX.",
                     name=upload.filename)
    return None


def store(upload: Upload, now: datetime, audio: bool = False) -> tuple[Attachment, Path]:
    """Write the file under UPLOAD_DIR/YYYY/MM with a random name; return the row and path.
    `audio`: a hotline recording (MP3), which only the voice service stores."""
    mime = files.sniff(upload.data, audio=audio)
    ext = files.extension(upload.filename)
    year, month, name = f"{now:%Y}", f"{now:%m}", f"{secrets.token_hex(16)}.{ext}"
    stored_name = f"{year}/{month}/{name}"
    path = _private_dir(Path(current_app.config["UPLOAD_DIR"]), year, month) / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(upload.data)
    row = Attachment(
        original_name=clean_line(upload.filename)[:255] or f"file.{ext}",
        stored_name=stored_name, content_type=mime, size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
    )
    return row, path


def _private_dir(root: Path, *parts: str) -> Path:
    """root/parts…, each level open to the service's user only: made so (mkdir's
    mode covers the last level alone), or closed if an older version left it open."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    path, levels = root, [root]
    for part in parts:
        path = path / part
        path.mkdir(mode=0o700, exist_ok=True)
        levels.append(path)
    for level in levels:
        if level.stat().st_mode & 0o077:
            with suppress(PermissionError):  # not ours: left as its owner set it
                level.chmod(0o700)
    return path
