"""Personal data in a text that is about to be published: phone numbers,
e-mail addresses, identity numbers (12-digit citizen ID, 9-digit old ID card),
personal tax codes, and the names the case knows. Found, not removed: the
reviewer sees them highlighted and decides. Pure."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import phonenumbers

from . import taxcode

PHONE, EMAIL, ID_NUMBER, TAX_CODE, NAME = "phone", "email", "id_number", "tax_code", "name"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ID = re.compile(r"(?<![\d])(\d{12}|\d{9})(?![\d])")
_TAX = re.compile(r"(?<![\d])(\d{10}(?:-\d{3})?)(?![\d-])")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    kind: str


def _phones(text: str) -> Iterable[Span]:
    """The matcher may take a bracket around the number with it: trim to the digits."""
    for match in phonenumbers.PhoneNumberMatcher(text, "VN"):
        start, end = match.start, match.end
        while start < end and text[start] not in "+0123456789":
            start += 1
        while end > start and not text[end - 1].isdigit():
            end -= 1
        yield Span(start, end, PHONE)


def _names(text: str, names: Iterable[str]) -> Iterable[Span]:
    for name in names:
        name = (name or "").strip()
        if len(name) < 3:
            continue
        for match in re.finditer(re.escape(name), text, re.IGNORECASE):
            yield Span(match.start(), match.end(), NAME)


def find(text: str, names: Iterable[str] = ()) -> list[Span]:
    """The personal data found in `text`, in order, overlaps merged."""
    spans = list(_phones(text)) + list(_names(text, names))
    spans += [Span(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(text)]
    spans += [Span(m.start(), m.end(), ID_NUMBER) for m in _ID.finditer(text)]
    spans += [Span(m.start(), m.end(), TAX_CODE) for m in _TAX.finditer(text)
              if taxcode.normalise(m.group(1))]
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.kind)
        else:
            merged.append(span)
    return merged


def segments(text: str, names: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, kind) where kind is None for ordinary text: what a
    template needs to <mark> the personal data."""
    pieces: list[tuple[str, str | None]] = []
    position = 0
    for span in find(text, names):
        if span.start > position:
            pieces.append((text[position:span.start], None))
        pieces.append((text[span.start:span.end], span.kind))
        position = span.end
    if position < len(text):
        pieces.append((text[position:], None))
    return pieces
