"""The units' scorecards for the administrative-reform emulation scoring:
figures per unit, hotline and channel over a period, read from the
aggregates (models/stats.py), never by counting cases."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...domain.calendar import local_date
from ...extensions import db
from ...models import AnswerDays, AnswerMonths, DailyStat, Hotline, MonthlyStat, Unit
from ...models.types import utcnow

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    start: date
    end: date            # inclusive
    key: str             # as it appears in ?period=, or "" for a custom range
    label: str


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def period(value: str | None, since: str | None = None, until: str | None = None) -> Period:
    """A year (2026), a quarter (2026-Q3), a month (2026-11), a custom range
    (since/until), or by default the last twelve months."""
    value = (value or "").strip()
    if m := _YEAR.match(value):
        year = int(m.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31), value, str(_l("Năm %(y)d", y=year)))
    if m := _QUARTER.match(value):
        year, quarter = int(m.group(1)), int(m.group(2))
        start = date(year, 3 * quarter - 2, 1)
        return Period(start, _month_end(year, 3 * quarter), value,
                      str(_l("Quý %(q)d/%(y)d", q=quarter, y=year)))
    if m := _MONTH.match(value):
        year, month = int(m.group(1)), int(m.group(2))
        return Period(date(year, month, 1), _month_end(year, month), value,
                      str(_l("Tháng %(m)d/%(y)d", m=month, y=year)))
    custom = _range(since, until)
    if custom is not None:
        return custom
    today = local_date(utcnow())
    return Period(today - timedelta(days=364), today, "", str(_l("12 tháng gần nhất")))


def _range(since: str | None, until: str | None) -> Period | None:
    try:
        start, end = date.fromisoformat(since or ""), date.fromisoformat(until or "")
    except ValueError:
        return None
    if end < start or (end - start).days > 3660:
        return None
    return Period(start, end, "", f"{start:%d/%m/%Y} – {end:%d/%m/%Y}")


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    sent_back: int = 0
    reopened: int = 0
    rating_count: int = 0
    rating_sum: int = 0
    median_days: float | None = None

    @property
    def late(self) -> int:
        return self.answered - self.on_time

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None

    @property
    def satisfaction(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


_SUMS = ("received", "answered", "on_time", "sent_back", "reopened", "rating_count", "rating_sum")


def _months_and_days(p: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The period as its whole months (the first days of the first and the last)
    and the days left at either end: a year is twelve months, no day."""
    first = p.start if p.start.day == 1 else _month_end(p.start.year, p.start.month) + timedelta(days=1)
    stop = (p.end + timedelta(days=1)).replace(day=1)     # the first day after the whole months
    if first >= stop:
        return None, [(p.start, p.end)]
    ends = [(p.start, first - timedelta(days=1)), (stop, p.end)]
    return (first, (stop - timedelta(days=1)).replace(day=1)), [(a, b) for a, b in ends if a <= b]


def _over(p: Period, build, daily, monthly) -> list:
    """The rows of `build(model, within)` over the period: on the monthly table
    for its whole months, on the daily table for the days at either end. The
    callers add the rows up, so where they come from does not matter."""
    months, days = _months_and_days(p)
    rows = []
    if months:
        rows += db.session.execute(build(monthly, monthly.month.between(*months))).all()
    for start, end in days:
        rows += db.session.execute(build(daily, daily.day.between(start, end))).all()
    return rows


def _sum_columns(model) -> list:
    return [func.coalesce(func.sum(getattr(model, name)), 0) for name in _SUMS]


def _sums(p: Period, unit_id: int) -> Figures:
    """Sums of one unit's counts in the period."""
    found = Figures()
    for row in _over(p, lambda m, within: select(*_sum_columns(m)).where(within, m.unit_id == unit_id),
                     DailyStat, MonthlyStat):
        _add(found, row)
    return found


def _add(figures: Figures, row) -> None:
    for name, value in zip(_SUMS, row, strict=True):
        setattr(figures, name, getattr(figures, name) + int(value))


def _medians(p: Period) -> dict[int | None, float]:
    """The median working days to answer, per unit and over all units."""
    rows = _over(p, lambda m, within: select(m.unit_id, m.working_days, func.sum(m.count))
                 .where(within).group_by(m.unit_id, m.working_days), AnswerDays, AnswerMonths)
    by_unit: dict[int | None, dict[int, int]] = {}
    for unit_id, days, count in rows:
        for key in (unit_id, None):
            counts = by_unit.setdefault(key, {})
            counts[days] = counts.get(days, 0) + int(count)
    return {key: median(counts) for key, counts in by_unit.items()}


def median(counts: dict[int, int]) -> float | None:
    """The median of a distribution given as {value: how many}."""
    total = sum(counts.values())
    if not total:
        return None

    def nth(k: int) -> int:  # the k-th smallest value, counting from 1
        seen = 0
        for value, count in sorted(counts.items()):
            seen += count
            if seen >= k:
                return value
        raise ValueError(k)

    if total % 2:
        return float(nth(total // 2 + 1))
    return (nth(total // 2) + nth(total // 2 + 1)) / 2


@dataclass
class Scorecard:
    period: Period
    total: Figures
    units: list[tuple[Unit, Figures]]
    hotlines: list[tuple[Hotline | None, Figures]]
    channels: list[tuple[str, Figures]]

    @property
    def wards(self) -> list[tuple[Unit, Figures]]:
        return ranked([(u, f) for u, f in self.units if u.is_ward])

    @property
    def offices(self) -> list[tuple[Unit, Figures]]:
        return ranked([(u, f) for u, f in self.units if not u.is_ward])


def ranked(rows):
    """Best on-time rate first; units with no answer last, by what they received."""
    return sorted(rows, key=lambda r: (r[1].on_time_rate is None, -(r[1].on_time_rate or 0),
                                       -r[1].answered, -r[1].received))


def _folded(p: Period) -> tuple[Figures, dict, dict, dict]:
    """The period's sums, grouped by unit, hotline and channel together (a few
    hundred groups), then folded four ways here: the total, and by unit, by
    hotline and by channel."""
    def build(model, within):
        keys = (model.unit_id, model.hotline_id, model.channel)
        return select(*keys, *_sum_columns(model)).where(within).group_by(*keys)

    total, by_unit, by_hotline, by_channel = Figures(), {}, {}, {}
    for row in _over(p, build, DailyStat, MonthlyStat):
        unit_id, hotline_id, channel, sums = row[0], row[1], row[2], row[3:]
        _add(total, sums)
        for found, key in ((by_unit, unit_id), (by_hotline, hotline_id), (by_channel, channel)):
            _add(found.setdefault(key, Figures()), sums)
    return total, by_unit, by_hotline, by_channel


def scorecard(p: Period) -> Scorecard:
    total, by_unit, hotline_rows, channel_rows = _folded(p)
    medians = _medians(p)
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(list(by_unit))))}
    for unit_id, figures in by_unit.items():
        figures.median_days = medians.get(unit_id)
    total.median_days = medians.get(None)
    hotlines = {h.id: h for h in db.session.scalars(select(Hotline).order_by(Hotline.sort))}
    return Scorecard(
        p, total, [(units[i], f) for i, f in by_unit.items() if i in units],
        [(hotlines.get(i), f) for i, f in sorted(hotline_rows.items())],
        sorted(channel_rows.items()),
    )


def unit_figures(p: Period, unit: Unit) -> Figures:
    found = _sums(p, unit.id)
    found.median_days = _medians(p).get(unit.id)
    return found
