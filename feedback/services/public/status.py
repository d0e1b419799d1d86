"""What the holder of a tracking code may know of a case, published or not:
the tracking page, the SMS status reply and the voice status read this, never
the case itself. The fields are a whitelist: no reporter, no description, no
internal note."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import states
from ...domain.trackcode import normalise
from ...extensions import db
from ...models import Case, CaseEvent, Category, Procedure, Unit


@dataclass(frozen=True)
class Step:
    at: datetime
    action: str
    unit: Unit | None
    reason: str | None           # the routing reason code (shown as a label)
    detail: str | None           # only a rejection's reason, addressed to the reporter


@dataclass(frozen=True)
class CaseStatus:
    id: int
    code: str
    kind: str
    state: str
    channel: str
    received_at: datetime
    unit: Unit | None
    category: Category | None
    procedure: Procedure | None
    accept_due_on: date | None
    due_on: date | None
    committed_on: date | None
    answer: str | None           # only once it may be shown
    answered_at: datetime | None
    merged_into_code: str | None

    @property
    def is_open(self) -> bool:
        return self.state in states.OPEN_STATES

    @property
    def answer_visible(self) -> bool:
        return self.answer is not None


def _of(case: Case) -> CaseStatus:
    visible = case.answer_visible
    return CaseStatus(
        id=case.id, code=case.code, kind=case.kind, state=case.state, channel=case.channel,
        received_at=case.received_at, unit=case.unit, category=case.category,
        procedure=case.procedure, accept_due_on=case.accept_due_on, due_on=case.due_on,
        committed_on=case.committed_on, answer=case.answer if visible else None,
        answered_at=case.answered_at if visible else None,
        merged_into_code=case.merged_into.code if case.merged_into else None)


def of(code: str | None) -> CaseStatus | None:
    """The status for an exact canonical code, or None."""
    if not code or normalise(code) != code:
        return None
    case = db.session.scalars(select(Case).where(Case.code == code).options(
        joinedload(Case.unit), joinedload(Case.category), joinedload(Case.procedure),
        joinedload(Case.merged_into))).first()
    return _of(case) if case is not None else None


def steps(status: CaseStatus) -> list[Step]:
    """The public steps of the case's timeline."""
    events = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == status.id, CaseEvent.public.is_(True))
        .options(joinedload(CaseEvent.unit)).order_by(CaseEvent.at, CaseEvent.id))
    return [Step(e.at, e.action, e.unit, e.reason,
                 e.detail if e.action in ("reject", "received") else None) for e in events]


def states_and_fields(codes: list[str]) -> dict[str, tuple[str, Category | None]]:
    """For each of these codes that is a case: its state and its field, and
    nothing else (what Open311 may say of a case not published). One query."""
    rows = db.session.execute(
        select(Case.code, Case.state, Category).outerjoin(Category, Category.id == Case.category_id)
        .where(Case.code.in_(codes)))
    return {code: (state, category) for code, state, category in rows}
