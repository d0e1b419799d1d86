"""Working days in Vietnam: weekends and public holidays (Tết included) are off.

The `holidays` package knows the statutory days, Tết among them. Each year the
government also moves days (a Saturday worked to bridge a holiday); the
organisation data can list such extra days off and extra working days.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@lru_cache(maxsize=64)
def _statutory(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@dataclass(frozen=True)
class WorkCalendar:
    extra_days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off or day.weekday() >= 5:
            return False
        return day not in _statutory(day.year)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the day of receipt is day 0)."""
        day = start
        remaining = days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def add_days(self, start: date, days: int, basis: str) -> date:
        if basis == "calendar":
            return self.last_working_day_from(start + timedelta(days=days))
        return self.add_working_days(start, days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 the same day):
        how long an answer took, counted as its deadline is."""
        days, day = 0, start
        while day < end:
            day += timedelta(days=1)
            days += self.is_working_day(day)
        return days

    def last_working_day_from(self, day: date) -> date:
        """A calendar-day limit that ends on a day off moves to the next working day."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def local_time(moment: datetime) -> datetime:
    """The moment as the city's clocks show it (a naive time is UTC, as stored)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(LOCAL_TZ)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()
