"""When an operator answers the hotlines: working days, between opening and closing.

Pure: the moment and the working-day rule are given, so the decision can be
tested at any hour without a clock or a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Callable

from .calendar import local_time

DEFAULT_OPEN = time(7, 30)
DEFAULT_CLOSE = time(17, 0)


@dataclass(frozen=True)
class OfficeHours:
    open: time = DEFAULT_OPEN
    close: time = DEFAULT_CLOSE

    @classmethod
    def from_setting(cls, value: dict | None) -> "OfficeHours":
        """From the organisation file's {"open": "07:30", "close": "17:00"}; a
        missing or malformed value falls back to the default, never an error,
        because a call must always get an answer."""
        value = value or {}
        return cls(_time(value.get("open"), DEFAULT_OPEN), _time(value.get("close"), DEFAULT_CLOSE))


def _time(text: object, default: time) -> time:
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        return default


def is_open(moment: datetime, hours: OfficeHours, is_working_day: Callable[[date], bool]) -> bool:
    """True if `moment` (aware; naive is taken as UTC, as stored) falls on a local
    working day within [open, close)."""
    local = local_time(moment)
    return is_working_day(local.date()) and hours.open <= local.time() < hours.close
