"""The organisation data, read once per process and kept until it changes.

Every case needs the legal kinds, hotlines, units, categories, keyword rules
and calendar; reading ~1,000 rows per request made them most of its cost. A
process keeps one `Snapshot` per database, valid while the database's stamp
(the org setting `stamp`) holds the value it was read under. The stamp is a
new random token whenever organisation data is written through the ORM (`flask
setup`, an admin change, a test): a flush that touches an organisation row
writes it in the same transaction, so every worker, on every host, sees the
new data with the stamp, and never the stamp without the data. Each
transaction reads the stamp once (one primary-key read); a miss rebuilds the
snapshot on the caller's own connection, so what is cached under a stamp is
exactly what that stamp was committed with.

A write that bypasses the ORM (a Core UPDATE of an org table, a migration)
must call `changed()` in its transaction.

The snapshot's objects are detached and shared by the threads of a worker:
read them freely, never change them. To link one to a case, `attach()` it
(Session.merge with load=False: no SQL).
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from threading import Lock
from typing import Any, Callable, TypeVar

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from ...domain.calendar import WorkCalendar
from ...domain.contact import phone_e164
from ...extensions import db, run
from ...models import (
    CalendarDay, Category, Hotline, HotlineNumber, KeywordRule, LegalKind, OrgSetting,
    Procedure, Unit,
)

STAMP_KEY = "stamp"
ORG_MODELS = (CalendarDay, Category, Hotline, HotlineNumber, KeywordRule, LegalKind, OrgSetting,
              Procedure, Unit)
_MEMO = "orgdata.snapshot"      # session.info: the snapshot this transaction uses
_TOUCHED = "orgdata.touched"    # session.info: this flush writes organisation rows
T = TypeVar("T")


@dataclass
class Snapshot:
    """The organisation data of one stamp, by code, ready to use."""

    stamp: str | None
    units: dict[str, Unit]
    kinds: dict[str, LegalKind]
    categories: dict[str, Category]          # inactive ones too: old cases point at them
    procedures: dict[str, Procedure]
    hotlines: dict[str, Hotline]
    numbers: list[HotlineNumber]             # in id order
    keyword_rules: list[KeywordRule]
    calendar: WorkCalendar
    settings: dict[str, Any]                 # key -> its JSON value
    _derived: dict[str, Any] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def derived(self, name: str, build: Callable[["Snapshot"], T]) -> T:
        """What `build` makes of this snapshot (compiled routing rules…), made once."""
        if name not in self._derived:
            with self._lock:
                if name not in self._derived:
                    self._derived[name] = build(self)
        return self._derived[name]

    def unit_where(self, flag: str) -> Unit:
        """The one unit with `flag` set (is_triage, handles_conduct)."""
        return next(u for u in self.units.values() if getattr(u, flag))

    def hotline_for(self, *numbers: str | None) -> Hotline | None:
        """The hotline of the first number that is one of ours (To, Called, ForwardedFrom…)."""
        by_number = {n.e164: n.hotline_id for n in self.numbers}
        by_id = {h.id: h for h in self.hotlines.values()}
        for number in numbers:
            e164 = phone_e164(number) if number else None
            if e164 in by_number:
                return by_id[by_number[e164]]
        return None

    def sending_number(self, hotline_id: int | None) -> str | None:
        """The number SMS go out from for this hotline (any hotline's, without one)."""
        return next((n.e164 for n in self.numbers
                     if n.sends and (hotline_id is None or n.hotline_id == hotline_id)), None)


def _read(session: Session) -> Snapshot:
    """Every organisation row, detached with the relationships intake follows."""
    units = session.scalars(select(Unit)).all()
    kinds = session.scalars(select(LegalKind)).all()
    categories = session.scalars(select(Category)).all()
    procedures = session.scalars(select(Procedure)).all()
    for obj in (*kinds, *categories, *procedures):   # from the identity map: no SQL
        getattr(obj, "category" if isinstance(obj, Procedure) else "default_unit")
    days = session.scalars(select(CalendarDay)).all()
    settings = session.execute(select(OrgSetting.key, OrgSetting.value)).all()
    snapshot = Snapshot(
        stamp=next((value for key, value in settings if key == STAMP_KEY), None),
        units={u.code: u for u in units}, kinds={k.code: k for k in kinds},
        categories={c.code: c for c in categories}, procedures={p.code: p for p in procedures},
        hotlines={h.code: h for h in session.scalars(select(Hotline))},
        numbers=list(session.scalars(select(HotlineNumber).order_by(HotlineNumber.id))),
        keyword_rules=list(session.scalars(select(KeywordRule))),
        calendar=WorkCalendar(
            extra_days_off=frozenset(d.day for d in days if not d.working),
            extra_working_days=frozenset(d.day for d in days if d.working)),
        settings={key: json.loads(value) for key, value in settings if key != STAMP_KEY},
    )
    session.expunge_all()
    return snapshot


_cache: dict[str, Snapshot] = {}     # database URL -> the newest snapshot read
_cache_lock = Lock()


_STAMP = select(OrgSetting.value).where(OrgSetting.key == STAMP_KEY)


def _stamp() -> str | None:
    return run(_STAMP).scalar()


def current() -> Snapshot:
    """The organisation data as this transaction sees it: one read of the stamp
    per transaction, the rows only when the stamp is new to this process."""
    memo = db.session.info.get(_MEMO)
    if memo is not None:
        return memo
    stamp = _stamp()
    url = str(db.session.get_bind().url)
    snapshot = _cache.get(url)
    if snapshot is None or stamp is None or snapshot.stamp != stamp:
        with Session(bind=db.session.connection()) as reader:   # sees this transaction's writes
            snapshot = _read(reader)
        if stamp is not None:
            with _cache_lock:
                _cache[url] = snapshot
    db.session.info[_MEMO] = snapshot
    return snapshot


def attach(obj: T | None) -> T | None:
    """The session's copy of a snapshot object, to link to a row (no SQL)."""
    return None if obj is None else db.session.merge(obj, load=False)


def changed(session: Session | None = None) -> None:
    """Give the organisation data a new stamp, in the current transaction."""
    session = session or db.session()
    token = secrets.token_hex(8)
    connection = session.connection()
    table = OrgSetting.__table__
    if not connection.execute(update(table).where(table.c.key == STAMP_KEY)
                              .values(value=token)).rowcount:
        connection.execute(insert(table).values(key=STAMP_KEY, value=token))
    session.info.pop(_MEMO, None)


def ensure_stamp() -> None:
    """A stamp for a database whose organisation data predates it."""
    if _stamp() is None:
        changed()


@event.listens_for(Session, "before_flush")
def _note_org_writes(session: Session, _context, _instances) -> None:
    dirty = (obj for obj in session.dirty if session.is_modified(obj))
    if any(isinstance(obj, ORG_MODELS) for obj in (*session.new, *session.deleted, *dirty)):
        session.info[_TOUCHED] = True


@event.listens_for(Session, "after_flush")
def _stamp_org_writes(session: Session, _context) -> None:
    if session.info.pop(_TOUCHED, False):
        changed(session)


@event.listens_for(Session, "do_orm_execute")
def _stamp_bulk_writes(state) -> None:
    """update(Unit)…, delete(KeywordRule)… through the session count too."""
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None \
            and state.bind_mapper.class_ in ORG_MODELS:
        changed(state.session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """The next transaction reads the stamp again."""
    if transaction.parent is None:
        session.info.pop(_MEMO, None)
