"""Keeping the scorecards' aggregates (models/stats.py) up to date.

Each function adds to the counts in the caller's transaction, with one
INSERT … ON CONFLICT DO UPDATE, so the figures move with the change they
count or not at all. Sealed cases are never counted. `rebuild` recomputes
everything from the cases with grouped queries, for bulk-loaded data or to
check the counts.
"""
from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Date, and_, cast, delete, func, literal_column, select
from sqlalchemy import case as when
from sqlalchemy.dialects import postgresql, sqlite

from ...domain.calendar import local_date
from ...extensions import db, run
from ...models import AnswerDays, AnswerMonths, Case, CaseEvent, DailyStat, MonthlyStat, PublicRecord, Rating

DAILY, MONTHLY = DailyStat.__table__, MonthlyStat.__table__
DAYS, MONTHS = AnswerDays.__table__, AnswerMonths.__table__
TABLES = {table.name: table for table in (DAILY, MONTHLY, DAYS, MONTHS)}
# Asia/Ho_Chi_Minh has kept UTC+7 without summer time since 1975, so the local
# day of a stored UTC time is a fixed shift.


@lru_cache(maxsize=32)
def _statement(dialect_name: str, table_name: str, keys: tuple, counts: tuple):
    """INSERT … ON CONFLICT DO UPDATE adding the counts, built once: building
    it costs more than running it."""
    table = TABLES[table_name]
    statement = (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys), set_={name: table.c[name] + statement.excluded[name] for name in counts})


def _upsert(table, keys: dict, counts: dict) -> None:
    statement = _statement(db.session.get_bind().dialect.name, table.name, tuple(keys), tuple(counts))
    run(statement, {**keys, **counts})


def _unit_id(case: Case) -> int:
    return case.unit_id or case.unit.id  # a case not yet flushed has only its unit


def _hotline_id(case: Case) -> int:
    return case.hotline_id or (case.hotline.id if case.hotline is not None else 0)


def _bump(case: Case, moment: datetime, unit_id: int | None = None, **counts: int) -> None:
    if case.confidential:
        return
    day = local_date(moment)
    keys = {"unit_id": unit_id or _unit_id(case), "channel": case.channel, "hotline_id": _hotline_id(case)}
    _upsert(DAILY, {"day": day, **keys}, counts)
    _upsert(MONTHLY, {"month": day.replace(day=1), **keys}, counts)


def received(case: Case) -> None:
    _bump(case, case.received_at, received=1)


def moved(case: Case, old_unit_id: int) -> None:
    """The case now belongs to another unit: its receipt counts there."""
    _bump(case, case.received_at, unit_id=old_unit_id, received=-1)
    _bump(case, case.received_at, received=1)


def answered(case: Case, at: datetime, working_days: int, on_time: bool) -> None:
    if case.confidential:
        return
    _bump(case, at, answered=1, on_time=int(on_time))
    day = local_date(at)
    keys = {"unit_id": _unit_id(case), "working_days": working_days}
    _upsert(DAYS, {"day": day, **keys}, {"count": 1})
    _upsert(MONTHS, {"month": day.replace(day=1), **keys}, {"count": 1})


def sent_back(case: Case, at: datetime) -> None:
    _bump(case, at, sent_back=1)


def reopened(case: Case, at: datetime) -> None:
    _bump(case, at, reopened=1)


def rated(case: Case, score: int, at: datetime) -> None:
    _bump(case, at, rating_count=1, rating_sum=score)


# Rebuilding from the cases --------------------------------------------------------

def _local_day(column):
    """The local calendar day of a stored UTC time, in SQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column.op("+")(literal_column("interval '7 hours'")), Date)
    return func.date(column, "+7 hours")


def _day(value) -> date:
    return datetime.fromisoformat(value).date() if isinstance(value, str) else value


def _add_groups(found: dict, query, counts: tuple[str, ...]) -> None:
    """Add each row of a grouped query, (day, unit, channel, hotline, *counts), to `found`."""
    for row in db.session.execute(query):
        key = (_day(row[0]), row[1], row[2], row[3] or 0)
        totals = found.setdefault(key, dict.fromkeys(_COUNTS, 0))
        for name, value in zip(counts, row[4:], strict=True):
            totals[name] += int(value or 0)


def _count_if(condition):
    return func.sum(when((condition, 1), else_=0))


def _grouped(day_column, *values, join=None, where=()):
    day = _local_day(day_column)
    query = select(day, Case.unit_id, Case.channel, Case.hotline_id, *values)
    if join is not None:
        query = query.select_from(join[0]).join(Case, join[1])
    return query.where(Case.confidential.is_(False), Case.unit_id.is_not(None), *where).group_by(
        day, Case.unit_id, Case.channel, Case.hotline_id)


_COUNTS = ("received", "answered", "on_time", "sent_back", "reopened", "rating_count", "rating_sum")


def rebuild() -> dict[str, int]:
    """Recompute every aggregate from the cases with grouped queries, summed in
    memory (a few rows per unit and day, then per month) and inserted at once;
    commits once."""
    for model in (DailyStat, MonthlyStat, AnswerDays, AnswerMonths):
        db.session.execute(delete(model))
    found: dict = {}
    _add_groups(found, _grouped(Case.received_at, func.count()), ("received",))
    answered_at = (PublicRecord, PublicRecord.case_id == Case.id)
    _add_groups(found, _grouped(PublicRecord.published_at, func.count(),
                                func.sum(cast(PublicRecord.on_time, db.Integer)), join=answered_at),
                ("answered", "on_time"))
    back_from_review = and_(CaseEvent.action == "send-back", CaseEvent.from_state == "approved")
    _add_groups(found, _grouped(CaseEvent.at, _count_if(back_from_review), _count_if(CaseEvent.action == "reopen"),
                                join=(CaseEvent, CaseEvent.case_id == Case.id),
                                where=[CaseEvent.action.in_(("send-back", "reopen"))]),
                ("sent_back", "reopened"))   # the events read once for both
    _add_groups(found, _grouped(Rating.at, func.count(), func.sum(Rating.score),
                                join=(Rating, Rating.case_id == Case.id)), ("rating_count", "rating_sum"))
    rows = _insert_by_day_and_month(DAILY, MONTHLY, ("unit_id", "channel", "hotline_id"), found)
    day = _local_day(PublicRecord.published_at)
    answers = {(_day(row[0]), row[1], row[2]): {"count": row[3]} for row in db.session.execute(
        select(day, PublicRecord.unit_id, PublicRecord.working_days, func.count())
        .where(PublicRecord.conclusion_only.is_(False))
        .group_by(day, PublicRecord.unit_id, PublicRecord.working_days))}
    _insert_by_day_and_month(DAYS, MONTHS, ("unit_id", "working_days"), answers)
    db.session.commit()
    return {"rows": rows}


def _insert_by_day_and_month(daily, monthly, keys: tuple[str, ...], found: dict) -> int:
    """Insert `found`, {(day, *keys): counts}, into the daily table, and its sums
    by month into the monthly one; return the number of daily rows."""
    months: dict = {}
    for (day, *rest), counts in found.items():
        totals = months.setdefault((day.replace(day=1), *rest), dict.fromkeys(counts, 0))
        for name, value in counts.items():
            totals[name] += value
    for table, period, rows in ((daily, "day", found), (monthly, "month", months)):
        if rows:
            db.session.execute(table.insert(), [dict(zip((period, *keys), key, strict=True), **counts)
                                                for key, counts in rows.items()])
    return len(found)
