"""Vietnamese text: NFC normalisation and accent-insensitive folding."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Combining marks do not cover đ/Đ (a letter of its own), so fold them explicitly.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def clean(text: str | None) -> str:
    """NFC, no control characters, runs of spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def clean_line(text: str | None) -> str:
    """Like clean(), for one-line fields: newlines become spaces."""
    return _SPACES.sub(" ", clean(text).replace("\n", " "))


def fold(text: str | None) -> str:
    """Lower case without accents: 'Đăng ký' and 'dang ky' fold to the same text."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
