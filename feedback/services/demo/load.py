"""Putting demo cases in the database: `generate`.

The cases are made by `maker.batches` and inserted here, one batch per short
transaction, so the web keeps answering meanwhile (SQLite included). Past a
few thousand cases they are made in a second process while this one inserts:
making and inserting each take about half the time.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import queue
import traceback
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy import select, text

from ...extensions import db
from ...models import Case
from ...models.public import POSTGRESQL_INDEX, SQLITE_FTS
from ...models.types import utcnow
from .. import deadlines, orgdata
from ..public import tally
from . import maker
from .values import Batch, Kind, Org, Plan, Ward
from .values import Category as Field

ELSEWHERE_FROM = 20_000    # cases: fewer are made faster than a process starts
SQLITE_CACHE_KIB = 256 * 1024


def generate(count: int, seed: int = 2021, on_batch: Callable[[int], None] | None = None,
             batch: int = 2000, elsewhere: bool | None = None,
             on_inserted: Callable[[], None] | None = None) -> int:
    """Make `count` demo cases in batches of `batch`, in a second process if
    `elsewhere` (by default for large counts); return how many were made.
    `on_batch` hears of each batch inserted, `on_inserted` of the last."""
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:   # the indexes of a million cases are written faster from memory
        db.session.execute(text(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}"))
    plan = Plan(count, seed, _org(), deadlines.work_calendar(), utcnow(),
                set(db.session.scalars(select(Case.code))), batch, text_times=sqlite)
    db.session.commit()
    if elsewhere is None:
        elsewhere = count >= ELSEWHERE_FROM
    batches = _made_elsewhere(plan) if elsewhere else maker.batches(plan)
    with _search_index_rebuilt_after(sqlite):
        for made in batches:
            _insert(made, sqlite)
            if on_batch:
                on_batch(made.cases)
        if on_inserted:
            on_inserted()
    tally.rebuild()
    return count


def _org() -> Org:
    """What the demo needs, from the organisation data the process already holds."""
    org = orgdata.current()
    units = list(org.units.values())
    procedures: dict[int, list] = {}
    for p in sorted(org.procedures.values(), key=lambda p: (p.sort, p.id)):
        if p.active:
            procedures.setdefault(p.category_id, []).append((p.id, p.name_vi))
    return Org(
        kinds={k.code: Kind(k.code, k.default_unit_id, k.day_basis, k.accept_days, k.resolve_days)
               for k in org.kinds.values()},
        categories=tuple(Field(c.id, c.name_vi, c.default_unit_id, c.ward_first, tuple(procedures.get(c.id, ())))
                         for c in org.categories.values() if c.active and not c.confidential),
        wards=tuple(Ward(u.id, u.name_vi) for u in units if u.is_ward and u.retired_on is None),
        hotline_ids={h.audience: h.id for h in org.hotlines.values()},
        triage_id=org.unit_where("is_triage").id,
        conduct_id=org.unit_where("handles_conduct").id)


def _insert(made: Batch, sqlite: bool) -> None:
    """One batch in one transaction. The database numbers the cases (web
    submissions may be inserting at the same time); the other rows then point
    at those numbers, found by the cases' unique codes."""
    names, cases = made.tables[Case.__tablename__]
    code, merged = names.index("code"), names.index("merged_into_id")
    if made.merges:
        into = _ids([target for _, target in made.merges])
        for place, target in made.merges:
            cases[place][merged] = into[target]
    _insert_many(Case.__tablename__, names, cases, sqlite)
    ids = _ids([case[code] for case in cases])
    case_ids = [ids[case[code]] for case in cases]
    for table, (names, rows) in made.tables.items():
        if table != Case.__tablename__:
            for row in rows:
                row[0] = case_ids[row[0]]
            _insert_many(table, names, rows, sqlite)
    db.session.commit()


def _ids(codes: list[str]) -> dict[str, int]:
    return dict(db.session.execute(select(Case.code, Case.id).where(Case.code.in_(codes))).all())


def _insert_many(table: str, names: tuple[str, ...], rows: list[list], sqlite: bool) -> None:
    """Straight to the driver's cursor, in the session's transaction: SQLAlchemy's
    per-value processing cost more than the insert itself at a million cases.
    On PostgreSQL with COPY (several times faster than one INSERT a row)."""
    cursor = db.session.connection().connection.cursor()
    try:
        if sqlite:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['?'] * len(names))})", rows)
        else:
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    finally:
        cursor.close()


# Making in a second process ----------------------------------------------------

def _made_elsewhere(plan: Plan) -> Iterator[Batch]:
    """The plan's batches, made by a child process a few batches ahead."""
    context = multiprocessing.get_context("spawn")   # a fresh interpreter: no open connection is shared
    made = context.Queue(maxsize=4)
    child = context.Process(target=_make, args=(plan, made), daemon=True, name="flask-demo-maker")
    child.start()
    try:
        while (batch := _next(made, child)) is not None:
            yield batch
    finally:
        child.terminate()
        child.join()


def _next(made, child) -> Batch | None:
    while True:
        try:
            batch = made.get(timeout=1)
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(f"the demo's maker stopped (exit code {child.exitcode})") from None
            continue
        if isinstance(batch, str):
            raise RuntimeError(f"the demo's maker failed:\n{batch}")
        return batch


def _make(plan: Plan, made) -> None:
    """In the child: put each batch on the queue, then None, then wait for the
    parent to end this process once it has read them all. A parent killed
    meanwhile ends it too: a terminated `flask demo` leaves nothing behind."""
    parent = multiprocessing.parent_process()
    made.cancel_join_thread()   # at exit, never wait to hand what is buffered to a reader that is gone
    try:
        for batch in maker.batches(plan):
            _put(made, batch, parent)
        _put(made, None, parent)
    except Exception:   # shown by the parent
        _put(made, traceback.format_exc(), parent)
    multiprocessing.connection.wait([parent.sentinel])


def _put(made, item, parent) -> None:
    while True:
        try:
            made.put(item, timeout=1)
            return
        except queue.Full:
            if not parent.is_alive():
                raise SystemExit(1) from None


@contextmanager
def _search_index_rebuilt_after(sqlite: bool):
    """The search index is built once at the end instead of row by row (on
    SQLite by its trigger: a fifth of a million cases' time; on PostgreSQL its
    GIN index: most of it). Results published meanwhile are found once it ends."""
    if sqlite:
        db.session.execute(text("DROP TRIGGER IF EXISTS public_records_fts_insert"))
    else:
        db.session.execute(text("DROP INDEX IF EXISTS ix_public_records_search"))
    db.session.commit()
    try:
        yield
    finally:
        db.session.rollback()
        # SQLite: the trigger again, and the index rebuilt; PostgreSQL: the index
        for statement in SQLITE_FTS if sqlite else POSTGRESQL_INDEX:
            db.session.execute(text(statement))
        db.session.commit()
