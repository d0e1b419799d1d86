"""The maker's dice and clock: weighted draws, working days by bisection,
local dates, and the search words of its pieces of text (each folded once)."""
from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate

from ...domain.calendar import WorkCalendar
from ..public.search import search_text
from . import words


class WorkingDays:
    """The working-day calendar over the demo's dates, as a sorted list: adding
    working days is a bisection, not a loop, a million times over."""

    def __init__(self, calendar: WorkCalendar, first: date, last: date):
        self.calendar = calendar
        self.working = [first + timedelta(days=n) for n in range((last - first).days + 1)
                        if calendar.is_working_day(first + timedelta(days=n))]

    def add(self, day: date, count: int, basis: str = "working") -> date:
        """The `count`-th working day after `day` (as deadlines count)."""
        if basis == "calendar":
            return self.calendar.add_days(day, count, basis)
        if count <= 0:
            return day
        index = bisect_right(self.working, day) + count - 1
        return self.working[min(index, len(self.working) - 1)]

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`."""
        return max(0, bisect_right(self.working, end) - bisect_right(self.working, start))


@lru_cache(maxsize=8192)
def folded(text: str) -> str:
    """Search words of a piece of demo text: the same pieces recur all the time."""
    return search_text(text)


class Weighted:
    """A weighted draw, its cumulative weights summed once."""

    def __init__(self, weights: dict):
        self.choices, self.cumulative = list(weights), list(accumulate(weights.values()))

    def __call__(self, rng: random.Random):
        return rng.choices(self.choices, cum_weights=self.cumulative)[0]


KIND = Weighted(words.KIND_WEIGHTS)
CHANNEL = Weighted(words.CHANNEL_WEIGHTS)
SCORE = Weighted(words.SCORE_WEIGHTS)


# Times are naive UTC throughout, as they are stored; Vietnam has kept UTC+7
# without summer time since 1975, so a local day is a fixed shift away.
LOCAL_SHIFT = timedelta(hours=7)


def local_date(moment: datetime) -> date:
    return (moment + LOCAL_SHIFT).date()


def local_time(day: date, hour: float) -> datetime:
    """The UTC time of `hour` o'clock, local time, on `day`."""
    return datetime(day.year, day.month, day.day) + timedelta(hours=hour) - LOCAL_SHIFT

