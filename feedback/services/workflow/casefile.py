"""Everything the case page shows, gathered for one user in a fixed number of
queries, each part checked against what the user may see: the timeline, the
SMS thread and calls, attachments, notes, the reporter's contact, the answers,
similar open cases, and the actions the user may take now.

Opening a sealed case is written to the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from ...domain import permissions as perms
from ...domain import redaction, states
from ...extensions import db
from ...models import (
    Answer, Attachment, Call, Case, CaseEvent, InboundMessage, OutboundMessage, Rating,
    Recording, Reporter, Unit, User,
)
from ..errors import Rejected
from . import access, audit
from .access import Actor
from .answers import current_answer, reporter_names

SIMILAR_WINDOW = timedelta(days=7)
SIMILAR_LIMIT = 10


@dataclass(frozen=True)
class ThreadMessage:
    """One SMS or e-mail of the case's thread, in or out."""

    at: object
    inbound: bool
    body: str
    channel: str = "sms"
    status: str | None = None
    purpose: str | None = None


@dataclass
class CaseFile:
    case: Case
    permissions: frozenset[str]
    actions: list[str]
    events: list[CaseEvent]
    users: dict[int, User]
    thread: list[ThreadMessage] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    contact: Reporter | None = None
    answers: list[Answer] = field(default_factory=list)
    current_answer: Answer | None = None
    rating: Rating | None = None
    similar: list[Case] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)

    @property
    def latest_answer(self) -> Answer | None:
        """The answer to start a new draft from: the one under review, or the
        last one sent back."""
        return self.current_answer or (self.answers[-1] if self.answers else None)

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    def marked(self, text: str | None) -> list[tuple[str, str | None]]:
        """`text` with the personal data it holds marked, for the reviewer."""
        return redaction.segments(text or "", reporter_names(self.case))


def open_case(actor: Actor, case: Case) -> CaseFile:
    """The case page's content for `actor`, who may see `case` (access.visible_case)."""
    granted = access.permissions_on(actor.user, case)
    events = list(db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id)
        .options(joinedload(CaseEvent.unit)).order_by(CaseEvent.at, CaseEvent.id)))
    answers = list(db.session.scalars(select(Answer).where(Answer.case_id == case.id)
                                      .order_by(Answer.id)))
    user_ids = {e.user_id for e in events} | {uid for a in answers for uid in
                                              (a.author_id, a.approved_by_id, a.reviewed_by_id)}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids - {None})))}
    file = CaseFile(case, granted, access.allowed_actions(actor.user, case), events, users,
                    answers=answers, current_answer=current_answer(case))
    _fill(file, actor)
    if case.confidential:
        audit.record_now(actor, "case.view_sealed", case=case)
    return file


def _fill(file: CaseFile, actor: Actor) -> None:
    case = file.case
    file.thread = _thread(case)
    file.rating = db.session.scalars(select(Rating).filter_by(case_id=case.id)).first()
    if file.may(perms.FILES):
        file.calls = list(db.session.scalars(
            select(Call).where(Call.case_id == case.id).options(selectinload(Call.recordings))
            .order_by(Call.started_at)))
        file.attachments = list(case.attachments)
    if file.may(perms.CONTACT):
        file.contact = case.reporter
    if file.may(perms.MERGE) and case.is_open:
        file.similar = similar_cases(actor, case, with_phone=file.may(perms.CONTACT))
    if "assign" in file.actions:
        file.units = list(db.session.scalars(
            select(Unit).where(Unit.is_triage.is_(False), Unit.retired_on.is_(None))
            .order_by(Unit.sort)))


def _thread(case: Case) -> list[ThreadMessage]:
    inbound = db.session.scalars(select(InboundMessage).where(InboundMessage.case_id == case.id))
    outbound = db.session.scalars(select(OutboundMessage).where(OutboundMessage.case_id == case.id))
    return sorted(chain(
        (ThreadMessage(m.received_at, True, m.body) for m in inbound),
        (ThreadMessage(m.created_at, False, m.body, m.channel, m.status, m.purpose)
         for m in outbound),
    ), key=lambda m: m.at)


def similar_cases(actor: Actor, case: Case, with_phone: bool) -> list[Case]:
    """Open cases the user may see that look like the same matter: the same
    phone number, or the same ward and field within a week."""
    conditions = []
    phone = case.reporter.phone if case.reporter else None
    if with_phone and phone:
        conditions.append(Case.id.in_(select(Reporter.case_id).where(Reporter.phone == phone)))
    if case.ward_id and case.category_id:
        conditions.append((Case.ward_id == case.ward_id) & (Case.category_id == case.category_id)
                          & Case.received_at.between(case.received_at - SIMILAR_WINDOW,
                                                     case.received_at + SIMILAR_WINDOW))
    if not conditions:
        return []
    query = (access.cases_visible_to(actor.user)
             .where(Case.id != case.id, Case.state.in_(states.OPEN_STATES),
                    Case.confidential == case.confidential, or_(*conditions))
             .options(joinedload(Case.unit)).order_by(Case.received_at.desc()).limit(SIMILAR_LIMIT))
    return list(db.session.scalars(query))


def attachment(actor: Actor, case: Case, attachment_id: int) -> Attachment:
    """An attachment of `case`, whose files the user may open; 404 otherwise."""
    access.require(actor.user, perms.FILES, case)
    found = db.session.get(Attachment, attachment_id) if 0 < attachment_id < 2**63 else None
    if found is None or found.case_id != case.id:
        raise Rejected({"": "not found"}, access.NOT_FOUND)
    if case.confidential:
        audit.record_now(actor, "case.file_sealed", case=case, target=found.original_name)
    return found


def recording(actor: Actor, case: Case, recording_id: int) -> Recording:
    """A recording of a call of `case`; 404 otherwise."""
    access.require(actor.user, perms.FILES, case)
    found = db.session.get(Recording, recording_id) if 0 < recording_id < 2**63 else None
    if found is None or (found.case_id != case.id and found.call.case_id != case.id):
        raise Rejected({"": "not found"}, access.NOT_FOUND)
    if case.confidential:
        audit.record_now(actor, "case.recording_sealed", case=case, target=found.recording_sid)
    return found
