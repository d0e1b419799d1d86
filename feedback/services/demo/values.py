"""What the demo's maker works from and hands back, as plain values: a `Plan`
can be sent to another process (`load.py` does), so the organisation travels as
tuples, and each `Batch` comes back as lists of values ready for the driver."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Date

from ...domain.calendar import WorkCalendar
from ...models.types import UTCDateTime


class Kind(NamedTuple):
    code: str
    default_unit_id: int | None
    day_basis: str
    accept_days: int
    resolve_days: int


class Category(NamedTuple):
    id: int
    name_vi: str
    default_unit_id: int
    ward_first: bool
    procedures: tuple[tuple[int, str], ...]   # (id, name) of the active ones


class Ward(NamedTuple):
    id: int
    name_vi: str


@dataclass(frozen=True)
class Org:
    """What the demo needs of the organisation, as plain values."""

    kinds: dict[str, Kind]
    categories: tuple[Category, ...]      # active, not on the sealed track
    wards: tuple[Ward, ...]               # in service
    hotline_ids: dict[str, int]           # audience -> id
    triage_id: int
    conduct_id: int


@dataclass(frozen=True)
class Batch:
    """The rows of some cases, table by table: (columns, rows). The rows of every
    table but `cases` start with the position of their case in this batch;
    `merges` are (position, code of the earlier case it was merged into)."""

    cases: int
    tables: dict[str, tuple[tuple[str, ...], list[list]]]
    merges: list[tuple[int, str]]


@dataclass
class Plan:
    """What to make: `count` cases from `seed`, as of `now`, `batch` at a time."""

    count: int
    seed: int
    org: Org
    calendar: WorkCalendar
    now: datetime
    taken: set[str] = field(default_factory=set)   # codes already in the database
    batch: int = 2000
    text_times: bool = False    # SQLite: times as the text it stores them as


class StoredRows:
    """Rows as the driver takes them; for SQLite, with times and dates already
    the text it stores (as SQLAlchemy writes them)."""

    def __init__(self, text_times: bool):
        self.text_times = text_times

    def lists(self, table, rows: list[dict]) -> tuple[tuple[str, ...], list[list]]:
        names = tuple(rows[0])
        if not self.text_times:
            return names, [list(row.values()) for row in rows]
        texts = [(n, _time_text if isinstance(table.c[name].type, UTCDateTime) else date.isoformat)
                 for n, name in enumerate(names) if isinstance(table.c[name].type, (UTCDateTime, Date))]
        made = []
        for row in rows:
            values = list(row.values())
            for n, as_text in texts:
                if values[n] is not None:
                    values[n] = as_text(values[n])
            made.append(values)
        return names, made


def _time_text(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")
