"""Attachment types, decided by the bytes of the file and not by its name.

Audio (MP3) is accepted only for the hotline's own recordings, copied from
Twilio by the service (`sniff(data, audio=True)`): the public form and the
MMS media take documents and pictures only."""
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
MP3 = "audio/mpeg"


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_mp3(data: bytes) -> bool:
    """An ID3 tag, or an MPEG audio frame header of layer III."""
    if data.startswith(b"ID3"):
        return True
    return (len(data) >= 4 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0
            and (data[1] >> 1) & 0b11 == 0b01 and (data[1] >> 3) & 0b11 != 0b01)


def sniff(data: bytes, audio: bool = False) -> str | None:
    """The MIME type of an accepted document, or None for anything else;
    `audio` also accepts MP3 (the hotline's recordings, never an upload)."""
    if audio and _is_mp3(data):
        return MP3
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
