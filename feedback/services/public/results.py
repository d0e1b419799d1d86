"""The published results, as the public finds them: filters that can be
shared as links, accent-insensitive search, keyset pages newest first.
Reads only `public_records` (and the public steps of a published case)."""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select

from ...domain.calendar import LOCAL_TZ
from ...domain.trackcode import normalise
from ...extensions import db
from ...models import CaseEvent, Category, Hotline, PublicRecord, Unit
from . import search

PAGE_SIZE = 20
MAX_PAGE = 100
COUNT_CAP = 10_000
# A search with more matches than this lists them by walking the date index
# (search.matches): a page then reads about size × records / matches entries.
MANY = 1_000


def _day(text: str | None) -> date | None:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    # Year 1 or 9999 would overflow at the day's edges in UTC (tests/test_fuzz.py).
    return day if 1900 <= day.year < 9999 else None


@dataclass
class ResultFilters:
    q: str = ""
    unit: str = ""
    ward: str = ""
    category: str = ""
    kind: str = ""
    hotline: str = ""
    channel: str = ""
    since: str = ""       # YYYY-MM-DD, published on or after
    until: str = ""       # YYYY-MM-DD, published on or before
    on_time: str = ""     # "1" on time, "0" late

    @classmethod
    def from_args(cls, args) -> "ResultFilters":
        values = {f.name: (args.get(f.name) or "").strip()[:200 if f.name == "q" else 40]
                  for f in fields(cls)}
        for name in ("since", "until"):
            values[name] = values[name] if _day(values[name]) else ""
        values["on_time"] = values["on_time"] if values["on_time"] in ("0", "1") else ""
        return cls(**values)

    def as_args(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass
class ResultPage:
    records: list[PublicRecord]
    total: int                    # exact up to COUNT_CAP; past it, COUNT_CAP + 1
    next_after: int | None
    filters: ResultFilters = field(default_factory=ResultFilters)

    @property
    def total_capped(self) -> bool:
        """More results than were counted: the page says "more than 10,000"."""
        return self.total > COUNT_CAP


def _id_of(model, code: str):
    return select(model.id).where(model.code == code).scalar_subquery()


def _local_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


_BY_ID = (("unit", PublicRecord.unit_id, Unit), ("ward", PublicRecord.ward_id, Unit),
          ("category", PublicRecord.category_id, Category), ("hotline", PublicRecord.hotline_id, Hotline))


def conditions(f: ResultFilters, many: bool = False, counting: bool = False) -> list:
    """`counting`: for whether records match, not their order. A search that
    checks the category, unit and ward itself (on PostgreSQL, words of the
    record's vector) then goes without their own conditions, whose indexes
    only help a listing walk by date (~10 ms of 70 at a million records)."""
    within = {name: _id_of(model, getattr(f, name)) for name, _, model in _BY_ID if getattr(f, name)}
    match = search.matches(f.q, many, within) if f.q else None
    checked = search.checked_within() if counting and match is not None else ()
    found = [column == within[name] for name, column, _ in _BY_ID if name in within and name not in checked]
    if f.kind:
        found.append(PublicRecord.kind == f.kind)
    if f.channel:
        found.append(PublicRecord.channel == f.channel)
    if f.since:
        found.append(PublicRecord.published_at >= _local_start(_day(f.since)))
    if f.until:
        found.append(PublicRecord.published_at < _local_start(_day(f.until) + timedelta(days=1)))
    if f.on_time:
        found.append(PublicRecord.on_time.is_(f.on_time == "1"))
    if match is not None:
        found.append(match)
    return found


def query(f: ResultFilters, many: bool = False) -> Select:
    """The matching records, newest first, with what a card shows loaded
    (`many`: a search known to match many, see search.matches)."""
    return (select(PublicRecord).where(*conditions(f, many))
            .options(joinedload(PublicRecord.unit), joinedload(PublicRecord.ward),
                     joinedload(PublicRecord.category), joinedload(PublicRecord.hotline))
            .order_by(PublicRecord.published_at.desc(), PublicRecord.id.desc()))


def older_than(record: PublicRecord):
    """The records after this one in the listing's order, newest first (a keyset).
    A row-value comparison, which the date indexes answer as a range: written as
    `published_at < t OR (published_at = t AND id < i)`, PostgreSQL walked and
    filtered every newer record first (43 ms against 0.1 at page 500 of a million)."""
    return tuple_(PublicRecord.published_at, PublicRecord.id) < (record.published_at, record.id)


def _after(record_id: int | None):
    """Records after the one with this id in the page order (a keyset)."""
    last = db.session.get(PublicRecord, record_id) if record_id and 0 < record_id < 2**31 else None
    return older_than(last) if last is not None else None


def _count(f: ResultFilters) -> int:
    """The matching records, counted up to COUNT_CAP + 1: a count that stops
    there costs the same at a million results as at ten thousand."""
    if f.as_args().keys() == {"q"} and search.words(f.q):
        return search.count(f.q, COUNT_CAP)
    matching = select(PublicRecord.id).where(*conditions(f, counting=True)).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(matching)) or 0


def page(f: ResultFilters, after: int | None = None, size: int = PAGE_SIZE) -> ResultPage:
    size = max(1, min(size, MAX_PAGE))
    total = _count(f)
    if not total:   # nothing to list: a search would look its words up again for nothing
        return ResultPage([], 0, None, f)
    many = total > MANY
    listing = query(f, many)
    if (keyset := _after(after)) is not None:
        listing = listing.where(keyset)
    with search.planned(many) if f.q else nullcontext():
        rows = list(db.session.scalars(listing.limit(size + 1)).unique())
    more = len(rows) > size
    rows = rows[:size]
    return ResultPage(rows, total, rows[-1].id if more else None, f)


def record(code: str) -> PublicRecord | None:
    canonical = normalise(code)
    if canonical is None or canonical != code:
        return None
    return db.session.scalars(query(ResultFilters()).where(PublicRecord.code == canonical)).first()


def timeline(record: PublicRecord) -> list[CaseEvent]:
    """The public steps of a published case: labels and units, no details."""
    return list(db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == record.case_id, CaseEvent.public.is_(True))
        .options(joinedload(CaseEvent.unit)).order_by(CaseEvent.at, CaseEvent.id)))
