"""Each role's lists of cases: by deadline (the open ones soonest first, the
finished ones latest first), filtered, keyset-paged, always inside
`cases_visible_to(user)`.

A list ("tab") is a named set of states and conditions; which tabs a role has
follows from its permissions, never from its name.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, tuple_, union_all
from sqlalchemy.orm import joinedload

from ...domain import permissions as perms
from ...domain import states, trackcode
from ...domain.calendar import local_date
from ...domain.contact import phone_e164
from ...extensions import db
from ...i18n import CHANNEL_LABELS, KIND_LABELS, STATE_LABELS
from ...models import Case, Category, Hotline, Reporter, Unit, User
from ...models.types import utcnow
from . import access, audit
from .access import Actor

PAGE_SIZE = 50
COUNT_CAP = 10_000        # a tab's count stops here ("more than 10,000")
EXPORT_LIMIT = 50_000
DUE_SOON_DAYS = 2


@dataclass(frozen=True)
class Tab:
    name: str
    label: object
    states: frozenset[str]
    sealed: bool | None = None      # True: the sealed track only; False: never
    own_unit: bool = False
    latest_first: bool = False      # finished cases: the latest deadlines first

    def order(self) -> tuple:
        if self.latest_first:
            return Case.due_on.desc(), Case.id.desc()
        return Case.due_on, Case.id

    def after(self, position: tuple[date, int]):
        """The cases after `position` in this tab's order (the keyset)."""
        key = tuple_(Case.due_on, Case.id)
        return key < position if self.latest_first else key > position


TABS = {
    "open": Tab("open", _l("Đang xử lý"), states.OPEN_STATES - {states.NEW}, own_unit=True),
    "approval": Tab("approval", _l("Chờ lãnh đạo duyệt"), frozenset({states.ANSWERED}),
                    own_unit=True),
    "triage": Tab("triage", _l("Chờ phân loại"), frozenset({states.TRIAGE}), sealed=False),
    "review": Tab("review", _l("Chờ công bố"), frozenset({states.APPROVED}), sealed=False),
    "all": Tab("all", _l("Tất cả đang mở"), states.OPEN_STATES - {states.NEW}, sealed=False),
    "sealed": Tab("sealed", _l("Đường dây kín"), states.OPEN_STATES - {states.NEW}, sealed=True),
    "done": Tab("done", _l("Đã xong"), states.CLOSED_STATES, latest_first=True),
}


def tabs_for(user: User) -> list[Tab]:
    """The lists this user works from, first the one their home shows."""
    role, chosen = user.role, []
    own = perms.allows(role, perms.WORK, perms.Relation.OWN) and user.unit_id is not None
    if perms.allows_global(role, perms.SEALED_TRACK):
        chosen.append("sealed")
    if perms.allows_global(role, perms.TRIAGE_QUEUE):
        chosen.append("triage")
    if perms.allows_global(role, perms.REVIEW_QUEUE):
        chosen.append("review")
    if own:
        chosen.append("open")
    if own and perms.allows(role, perms.APPROVE, perms.Relation.OWN):
        chosen.append("approval")
    if perms.allows(role, perms.VIEW, perms.Relation.OTHER):
        chosen.append("all")
    if perms.visible_relations(role):
        chosen.append("done")
    return [TABS[name] for name in chosen]


@dataclass
class Filters:
    state: str = ""
    kind: str = ""
    category: str = ""
    ward: str = ""
    unit: str = ""
    channel: str = ""
    hotline: str = ""
    overdue: str = ""       # "1": overdue only; "soon": due within DUE_SOON_DAYS
    q: str = ""

    def as_args(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


@dataclass
class Page:
    tab: Tab
    cases: list[Case]
    total: int
    next_after: str | None
    notice: object | None = None
    today: date = field(default_factory=lambda: local_date(utcnow()))

    @property
    def total_capped(self) -> bool:
        """More cases than were counted (COUNT_CAP + 1)."""
        return self.total > COUNT_CAP


def _search(user: User, q: str):
    """A tracking code, or a phone number where the user may see contacts."""
    q = q.strip()
    code = trackcode.normalise(q)
    if code is not None:
        return Case.code == code, None
    phone = phone_e164(q)
    if phone is not None:
        return and_(access.scope(user, perms.CONTACT),
                    Case.id.in_(select(Reporter.case_id).where(Reporter.phone == phone))), None
    return Case.id.is_(None), _l("Tìm theo mã tra cứu (12 chữ số, mã cũ 10) hoặc số điện thoại người phản ánh.")


def _conditions(user: User, tab: Tab, f: Filters, today: date):
    conditions = [Case.state.in_(tab.states)]
    if tab.sealed is not None:
        conditions.append(Case.confidential.is_(tab.sealed))
    if tab.own_unit:
        conditions.append(Case.unit_id == user.unit_id)
    if f.state in tab.states:
        conditions.append(Case.state == f.state)
    if f.kind:
        conditions.append(Case.kind == f.kind)
    if f.channel:
        conditions.append(Case.channel == f.channel)
    for column, model, code in ((Case.category_id, Category, f.category),
                                (Case.ward_id, Unit, f.ward), (Case.unit_id, Unit, f.unit),
                                (Case.hotline_id, Hotline, f.hotline)):
        if code:
            conditions.append(column == select(model.id).where(model.code == code).scalar_subquery())
    if f.overdue == "1":
        conditions.append(Case.due_on < today)
    elif f.overdue == "soon":
        conditions.append(Case.due_on.between(today, date.fromordinal(today.toordinal() + DUE_SOON_DAYS)))
    return conditions


def _query(user: User, tab: Tab, f: Filters, today: date):
    notice = None
    query = access.cases_visible_to(user).where(*_conditions(user, tab, f, today))
    if f.q.strip():
        condition, notice = _search(user, f.q)
        query = query.where(condition)
    return query, notice


def _after(text: str | None) -> tuple[date, int] | None:
    """The keyset position 'YYYY-MM-DD:id' of the last row of the page before."""
    try:
        day, _, ident = (text or "").partition(":")
        return date.fromisoformat(day), int(ident)
    except ValueError:
        return None


def _first_of_each_state(query, tab: Tab, wanted: list[str], limit: int):
    """The ids of the first `limit` cases of `query` in the tab's order, in each state.

    Each state is one walk of an inbox index (unit or track, state, deadline)
    that stops after `limit` rows; walking one index by deadline for several
    states would read every closed case due earlier first (at a million cases,
    ~100 ms for one office's page against ~4 ms this way)."""
    firsts = [select(query.where(Case.state == state).with_only_columns(Case.id, Case.due_on)
                     .order_by(*tab.order()).limit(limit).subquery())
              for state in wanted]
    return select(union_all(*firsts).subquery().c.id)


def page(user: User, tab: Tab, f: Filters, after: str | None = None) -> Page:
    """One page of the tab in its order (a keyset: page 500 costs what page 1 does)."""
    today = local_date(utcnow())
    query, notice = _query(user, tab, f, today)
    counted = query.with_only_columns(Case.id).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted))
    position = _after(after)
    if position is not None:
        query = query.where(tab.after(position))
    if not f.q.strip():  # a search finds a code or a phone by its own index
        wanted = [f.state] if f.state in tab.states else sorted(tab.states)
        query = select(Case).where(Case.id.in_(_first_of_each_state(query, tab, wanted, PAGE_SIZE + 1)))
    rows = list(db.session.scalars(
        query.options(joinedload(Case.unit), joinedload(Case.category), joinedload(Case.ward))
        .order_by(*tab.order()).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    next_after = f"{rows[-1].due_on.isoformat()}:{rows[-1].id}" if more else None
    return Page(tab, rows, total, next_after, notice, today)


def counts_by_unit(user: User) -> list[tuple[Unit, int, int]]:
    """Open ordinary cases per unit, and how many are overdue: one query, whose
    counts per unit read the unit's inbox index alone (a join grouped by unit
    would fetch every open case's row: ~270 ms against ~20 at a million cases)."""
    today = local_date(utcnow())
    open_here = (Case.unit_id == Unit.id, access.scope(user), Case.confidential.is_(False),
                 Case.state.in_(states.OPEN_STATES - {states.NEW}))
    count = select(func.count()).select_from(Case).where(*open_here).scalar_subquery()
    late = select(func.count()).select_from(Case).where(*open_here, Case.due_on < today).scalar_subquery()
    rows = db.session.execute(select(Unit, count, late).order_by(Unit.sort)).all()
    return [(unit, count, late) for unit, count, late in rows if count]


EXPORT_COLUMNS = ("code", "kind", "state", "received", "due", "committed", "unit", "category",
                  "ward", "channel", "overdue")


def export_csv(actor: Actor, tab: Tab, f: Filters) -> Iterator[str]:
    """The tab as CSV, without any reporter detail. Audited (committed at once)."""
    today = local_date(utcnow())
    query, _ = _query(actor.user, tab, f, today)
    audit.record_now(actor, "export.cases", target=tab.name, detail=str(f.as_args()))
    query = query.options(joinedload(Case.unit), joinedload(Case.category), joinedload(Case.ward)
                          ).order_by(*tab.order()).limit(EXPORT_LIMIT)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for case in db.session.scalars(query).yield_per(500):
        writer.writerow([
            case.code, KIND_LABELS.get(case.kind, case.kind), STATE_LABELS[case.state],
            local_date(case.received_at).isoformat(), case.due_on or "", case.committed_on or "",
            case.unit.name_vi if case.unit else "", case.category.name_vi if case.category else "",
            case.ward.name_vi if case.ward else "", CHANNEL_LABELS.get(case.channel, case.channel),
            "1" if case.is_open and case.due_on < today else "0",
        ])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
    yield buffer.getvalue()
