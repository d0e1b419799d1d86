"""Phone numbers and e-mail addresses, normalised for storage."""
from __future__ import annotations

from functools import lru_cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email


@lru_cache(maxsize=4096)
def phone_e164(text: str, region: str = "VN") -> str | None:
    """E.164 form of a Vietnamese (or international) number, or None if invalid.
    Kept per process: a message's number is checked at the edge, by its use
    case and by intake, and the hotlines' own numbers come with every message."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str | None) -> str:
    """A number as people read it (0912 345 678); what was given if it is not a
    number at all (an anonymous or SIP caller)."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def email_normalised(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None
