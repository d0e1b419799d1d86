"""Tracking codes: random digits plus a Damm check digit (python-stdnum's).

Digits only, so a phone keypad can enter them. The Damm check digit catches every
single-digit typo and every swap of two neighbouring digits, so a mistyped code is
refused instead of finding somebody else's case. The body is random (not a
sequence), so codes cannot be guessed one after another.

New codes have 11 random digits and the check digit: 10^11 well-formed codes,
so at a million cases a random well-formed guess finds one once in 100,000
tries (with 9 digits it was once in 900). Codes issued before, 9 digits and the
check digit, stay valid wherever a code is typed; the lengths tell them apart.
"""
from __future__ import annotations

import re
import secrets

from stdnum import damm

BODY_LENGTH = 11
LENGTH = BODY_LENGTH + 1
LEGACY_LENGTH = 10          # codes issued before 2026-11: still accepted
LENGTHS = (LENGTH, LEGACY_LENGTH)
_SEPARATORS = re.compile(r"[\s\-.]+")


def check_digit(digits: str) -> str:
    return damm.calc_check_digit(digits)


def generate() -> str:
    """A new random code (a leading 0 is allowed: every digit counts against guessing)."""
    body = "".join(str(secrets.randbelow(10)) for _ in range(BODY_LENGTH))
    return body + check_digit(body)


def normalise(text: str) -> str | None:
    """The canonical code for what was typed, or None if it is not a valid code.

    Spaces, hyphens and dots between digits are accepted.
    """
    digits = _SEPARATORS.sub("", text or "")
    if len(digits) not in LENGTHS or not digits.isascii() or not digits.isdigit():
        return None
    return digits if damm.is_valid(digits) else None


def groups(code: str) -> list[str]:
    """12 digits in three fours, as a card number is read; a legacy code 3-3-4."""
    if len(code) == LENGTH:
        return [code[:4], code[4:8], code[8:]]
    return [code[:3], code[3:6], code[6:]]


def display(code: str) -> str:
    """Grouped for reading aloud or copying: 2417 3095 8826 (legacy 123 456 7890)."""
    return " ".join(groups(code))
