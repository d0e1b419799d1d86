"""The audit log: every transition, assignment, view of sealed data, export,
sign-in (and failed sign-in) and account change, with who, when and from where.

`record` adds the entry to the caller's transaction, so an action and its
entry are committed together or not at all. Sign-in failures and views commit
their own entry (`record_now`), since nothing else is written with them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.calendar import LOCAL_TZ
from ...extensions import db
from ...models import AuditEntry, Case
from .access import Actor

PAGE_SIZE = 100


def record(actor: Actor, action: str, case: Case | None = None, target: str | None = None,
           detail: str | None = None) -> AuditEntry:
    entry = AuditEntry(
        user_id=actor.user_id, actor=actor.label[:254],
        role=actor.role, action=action, case=case, target=(target or None) and target[:200],
        address=actor.address, detail=detail,
    )
    db.session.add(entry)
    return entry


def record_now(actor: Actor, action: str, **fields) -> None:
    record(actor, action, **fields)
    db.session.commit()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""          # part of an e-mail
    case_code: str = ""
    day_from: datetime | None = None
    day_to: datetime | None = None


def _filtered(query, f: AuditFilter):
    """Entries matching every given criterion; day_to counts its whole day."""
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.actor:
        query = query.where(AuditEntry.actor.contains(f.actor.lower(), autoescape=True))
    if f.case_code:
        query = query.join(Case, Case.id == AuditEntry.case_id).where(Case.code == f.case_code)
    if f.day_from:
        query = query.where(AuditEntry.at >= f.day_from)
    if f.day_to:
        query = query.where(AuditEntry.at < f.day_to + timedelta(days=1))
    return query


def entries(f: AuditFilter, before: int | None = None) -> tuple[list[AuditEntry], int | None]:
    """One keyset page of entries, newest first, and the id to continue before."""
    query = _filtered(select(AuditEntry), f).order_by(AuditEntry.id.desc()).limit(PAGE_SIZE + 1)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    rows = list(db.session.scalars(query.options(joinedload(AuditEntry.case))))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].id if more else None)


def local_midnight(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
