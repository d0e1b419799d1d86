"""Reading GeoReport v2 parameters: W3C datetimes, comma lists, numbers and
`attribute[code]` fields, each refused with a 400 when malformed."""
from __future__ import annotations

import math
from datetime import datetime

from ..domain.calendar import LOCAL_TZ
from ..services.errors import Rejected
from ..services.open311.filing import Filing
from ..services.open311.requests import MAX_RESULTS, Query

MAX_VALUE = 10_000
TEXT_FIELDS = ("api_key", "service_code", "address_string", "address_id", "email", "phone",
               "first_name", "last_name", "description", "media_url")


def _bad(name: str, what: str) -> Rejected:
    return Rejected({name: what}, 400)


def moment(args, name: str) -> datetime | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise _bad(name, "a W3C datetime such as 2026-11-01T00:00:00+07:00") from None
    if not 1900 <= value.year < 9999:
        raise _bad(name, "a year from 1900 to 9998")
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def number(args, name: str, low: float, high: float) -> float | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise _bad(name, "a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise _bad(name, f"a number from {low:g} to {high:g}")
    return value


def whole(args, name: str, default: int, high: int) -> int:
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text[:12]) <= high:
        raise _bad(name, f"a whole number from 1 to {high}")
    return int(text)


def listed(args, name: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    items = tuple(item.strip() for item in (args.get(name) or "").split(",") if item.strip())
    if allowed is not None and any(item not in allowed for item in items):
        raise _bad(name, f"a comma-separated list of {', '.join(allowed)}")
    return items


def query(args) -> Query:
    return Query(
        service_codes=listed(args, "service_code"), statuses=listed(args, "status", ("open", "closed")),
        start=moment(args, "start_date"), end=moment(args, "end_date"),
        page=whole(args, "page", 1, 100_000), page_size=whole(args, "page_size", MAX_RESULTS, MAX_RESULTS))


def filing(form) -> Filing:
    values = {name: (form.get(name) or "").strip() for name in TEXT_FIELDS}
    for name, value in values.items():
        if len(value) > MAX_VALUE:
            raise _bad(name, f"at most {MAX_VALUE} characters")
    attributes = {key[len("attribute["):-1]: (form.get(key) or "").strip()[:MAX_VALUE]
                  for key in form if key.startswith("attribute[") and key.endswith("]")}
    return Filing(lat=number(form, "lat", -90, 90), long=number(form, "long", -180, 180),
                  attributes=attributes, **values)
