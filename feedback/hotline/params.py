"""Webhook fields checked at the edge.

A provider's request is trusted only after its signature is; its values are
then still bounded here, so that a value out of range or of the wrong shape is
a clear 400 (the field named) instead of a 500 deeper down, an integer
overflowing a column, or an id cut to fit one. The limits are the README's.
"""
from __future__ import annotations

import re

MAX_ID = 64                 # a Twilio SID is 34 characters
MAX_GATEWAY_ID = 200        # the gateway's own message ids
MAX_TEXT = 10_000           # an SMS body or a spoken summary (intake.MAX_DESCRIPTION)
MAX_PHONE = 32
MAX_URL = 500
MAX_MEDIA = 10              # Twilio sends at most 10 media per message
MAX_SECONDS = 24 * 3600     # a call or a recording lasts less than a day
MAX_DIGITS = 40
_ID = re.compile(r"[A-Za-z0-9]+")
_WORD = re.compile(r"[a-z][a-z-]{0,19}")
_NUMBER = re.compile(r"[0-9]{1,9}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadField(ValueError):
    """A webhook value that cannot be taken; each blueprint answers it with 400."""

    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name, self.problem = name, problem


def text(value, name: str, limit: int = MAX_TEXT, *, line: bool = False) -> str:
    """A string of valid Unicode, at most `limit` characters; a one-line value
    (`line`) has no control characters at all."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadField(name, "must be a string")
    if len(value) > limit:
        raise BadField(name, f"longer than {limit} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadField(name, "is not valid Unicode (a lone surrogate)") from None
    if (_CONTROL if line else _CONTROL_IN_TEXT).search(value):
        raise BadField(name, "contains control characters")
    return value


def provider_id(value, name: str, *, required: bool = True, limit: int = MAX_ID) -> str:
    """A Twilio SID: letters and digits only, at most `limit` of them."""
    value = text(value, name, limit, line=True)
    if not value:
        if required:
            raise BadField(name, "is required")
        return ""
    if not _ID.fullmatch(value):
        raise BadField(name, "must be letters and digits")
    return value


def word(value, name: str) -> str:
    """A status word such as 'completed' or 'no-answer' ('' when missing)."""
    value = text(value, name, 20, line=True)
    if value and not _WORD.fullmatch(value):
        raise BadField(name, "is not a status word")
    return value


def number(value, name: str, high: int) -> int | None:
    """A whole number from 0 to `high` written in ASCII digits, or None when missing."""
    value = text(value, name, 20, line=True)
    if not value:
        return None
    if not _NUMBER.fullmatch(value) or int(value) > high:
        raise BadField(name, f"must be a whole number from 0 to {high}")
    return int(value)


def phone(value, name: str) -> str:
    return text(value, name, MAX_PHONE, line=True)


def url(value, name: str) -> str:
    return text(value, name, MAX_URL, line=True)


def digits(value, name: str = "Digits") -> str:
    """Keys pressed on the phone: kept as typed (the services check them)."""
    return text(value, name, MAX_DIGITS, line=True)
