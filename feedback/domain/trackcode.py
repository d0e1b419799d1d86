"""Tracking codes: random digits plus a Damm check digit.

Digits only, so a phone keypad can enter them. The Damm check digit catches every
single-digit typo and every swap of two neighbouring digits, so a mistyped code is
refused instead of finding somebody else's case. The body is random (not a
sequence), so codes cannot be guessed one after another.
"""
from __future__ import annotations

import re
import secrets

BODY_LENGTH = 9
LENGTH = BODY_LENGTH + 1

# The Damm quasigroup of order 10 (a weakly totally anti-symmetric table).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_SEPARATORS = re.compile(r"[\s\-.]+")


def check_digit(digits: str) -> str:
    interim = 0
    for ch in digits:
        interim = _DAMM[interim][int(ch)]
    return str(interim)


def generate() -> str:
    """A new random code; the first digit is never 0, so it reads as a number."""
    body = str(secrets.randbelow(9) + 1) + "".join(
        str(secrets.randbelow(10)) for _ in range(BODY_LENGTH - 1)
    )
    return body + check_digit(body)


def normalise(text: str) -> str | None:
    """The canonical code for what was typed, or None if it is not a valid code.

    Spaces, hyphens and dots between digits are accepted.
    """
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return None
    return digits if check_digit(digits) == "0" else None


def display(code: str) -> str:
    """Grouped for reading aloud or copying: 123 456 7890."""
    return f"{code[:3]} {code[3:6]} {code[6:]}"
