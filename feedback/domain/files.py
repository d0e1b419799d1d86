"""Attachment types, decided by the bytes of the file and not by its name."""
from __future__ import annotations

import io
import zipfile

# extension -> MIME type we store and accept
ALLOWED = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def sniff(data: bytes) -> str | None:
    """The MIME type of an accepted document, or None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(_OLE2):
        return ALLOWED["doc"]
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return ALLOWED["docx"]
    return None


def extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def matches_name(filename: str, mime: str) -> bool:
    """The name's extension must agree with the content (no 'photo.jpg' that is a PDF)."""
    return ALLOWED.get(extension(filename)) == mime
