"""How a case changes state: the only code that writes `case.state`.

`act` applies the transition table of domain/lifecycle.py for a staff member
(or the system): it checks the state, the permission, the version the user
saw and what the action needs; does the action's own work (answers, the public
record, messages to the reporter); writes the timeline event and the audit
entry; and commits once. `route` is intake's single entry from "new".

Two people acting on one case at once cannot both win: the case row carries a
version (SQLAlchemy's version_id_col), so the second UPDATE matches nothing
and the loser is told who changed the case and how.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ...domain import lifecycle, states
from ...domain import permissions as perms
from ...domain.calendar import local_date
from ...domain.lifecycle import Transition
from ...domain.text import clean, clean_line
from ...domain.trackcode import normalise
from ...extensions import db
from ...i18n import ACTION_LABELS, STATE_LABELS, local_datetime
from ...models import Case, CaseEvent, LegalKind, Rating, Unit, User
from ...models.types import utcnow
from .. import deadlines, notify, orgdata
from ..intake import routing
from ..errors import CONFLICT, Rejected
from ..public import tally
from . import access, answers, audit
from .access import Actor

MAX_REASON = 2_000
# Steps of the timeline the reporter and the public see (the details stay inside).
PUBLIC_ACTIONS = frozenset({lifecycle.ASSIGN, lifecycle.ACCEPT, lifecycle.RETURN,
                            lifecycle.PROGRESS, lifecycle.PUBLISH, lifecycle.REJECT,
                            lifecycle.MERGE, lifecycle.HANDOVER, lifecycle.CLOSE,
                            lifecycle.REOPEN})


@dataclass
class Given:
    """What the user typed for an action; each action reads what it needs."""

    version: int | None = None
    reason: str = ""
    unit_code: str = ""
    day: date | None = None    # progress: the date promised
    reference: str = ""
    public_text: str = ""
    resolution: str = ""
    summary: str = ""
    words: str = ""            # publish: the reporter's words, as they will be published
    target_code: str = ""
    checked: bool = False      # publish: personal data highlighted in the text was checked


@dataclass
class Step:
    actor: Actor
    case: Case
    action: str
    transition: Transition
    given: Given
    now: datetime
    detail: str | None = None
    tell: str | None = None                       # what to tell the reporter, if anything
    unit: Unit | None = None
    target: Case | None = None
    errors: dict[str, str] = field(default_factory=dict)


def route(case: Case, to_state: str, event: CaseEvent) -> None:
    """Intake's first move: a new case goes to triage or straight to its unit."""
    if case.state != states.NEW or to_state not in (states.TRIAGE, states.ASSIGNED):
        raise ValueError(f"cannot route a case from {case.state} to {to_state}")
    case.events.append(event)
    case.state = to_state


def route_by_words(case: Case, text: str, now: datetime) -> None:
    """A case waiting in triage for want of words (a picture-only MMS) is routed,
    by the system, by the words its sender texts next; no commit (the caller's)."""
    if case.state != states.TRIAGE:
        return
    kind = orgdata.current().kinds[case.kind]
    decision = routing.decide(kind, case.category, case.ward, text, local_date(now))
    if decision.state != states.ASSIGNED:
        return
    old_unit_id = case.unit_id
    case.unit, case.state = orgdata.attach(decision.unit), states.ASSIGNED
    case.category = case.category or orgdata.attach(decision.category)
    case.ward = case.ward or orgdata.attach(decision.ward)
    case.confidential = case.confidential or decision.confidential
    case.add_event(CaseEvent(
        at=now, actor="system", action="routed", from_state=states.TRIAGE, to_state=states.ASSIGNED,
        unit=case.unit, reason=decision.reason, detail=decision.keyword, public=True))
    tally.moved(case, old_unit_id)


def act(actor: Actor, case: Case, action: str, given: Given, notify_reporter: bool = True,
        at: datetime | None = None) -> Case:
    """Apply `action` to `case` for `actor`; commit once; Rejected on refusal.

    `at` backdates the step; only the system may (demo and imported data)."""
    transition = lifecycle.transition(case.state, action)
    if transition is None:
        raise Rejected({"": _l("Không thể “%(action)s” khi phản ánh đang ở trạng thái “%(state)s”.",
                               action=ACTION_LABELS.get(action, action),
                               state=STATE_LABELS[case.state])}, CONFLICT)
    access.require(actor.user, transition.permission, case)
    if given.version is not None and given.version != case.version:
        raise _changed_meanwhile(case)
    if at is not None and actor.user is not None:
        raise ValueError("only the system may backdate a step")
    step = Step(actor, case, action, transition, given, at or utcnow())
    _check(step)
    if step.errors:
        raise Rejected(step.errors)
    try:  # an autoflush inside _apply may be what finds the case changed
        _apply(step, notify_reporter)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise _changed_meanwhile(db.session.get(Case, case.id)) from None
    if notify_reporter:
        notify.dispatch_pending(case)
    return case


def _apply(step: Step, notify_reporter: bool) -> None:
    case, from_state = step.case, step.case.state
    _HANDLERS.get(step.action, _nothing)(step)
    case.state = step.transition.to_state
    case.updated_at = step.now  # always an UPDATE, so the version always moves on
    case.add_event(CaseEvent(
        at=step.now, actor=step.actor.role, user_id=step.actor.user_id,
        action=step.action, from_state=from_state, to_state=case.state,
        unit=case.unit, detail=step.detail, public=step.action in PUBLIC_ACTIONS,
    ))
    if step.actor.user is not None:  # people are audited; the system's steps are in the timeline
        audit.record(step.actor, f"case.{step.action}", case=case,
                     target=step.unit.code if step.unit else (step.target.code if step.target else None))
    if notify_reporter and step.tell:
        notify.tell_reporter(case, step.tell)


def _changed_meanwhile(case: Case) -> Rejected:
    last = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc())
    ).first()
    who = last.actor if last is not None else ""
    if last is not None and last.user_id:
        user = db.session.get(User, last.user_id)
        who = user.name or user.email
    return Rejected({"": _l(
        "Phản ánh vừa được %(who)s cập nhật (%(what)s, lúc %(when)s) trong khi bạn đang xem. "
        "Hãy xem lại trạng thái mới trước khi thao tác.",
        who=who, what=ACTION_LABELS.get(last.action, "") if last else "",
        when=local_datetime(last.at) if last else "")}, CONFLICT)


# Checks: what each action needs ------------------------------------------------

def _check(step: Step) -> None:
    needs, given = step.transition.needs, step.given
    if lifecycle.REASON in needs:
        given.reason = clean(given.reason)
        if not given.reason:
            step.errors["reason"] = _l("Hãy ghi rõ lý do hoặc nội dung.")
        elif len(given.reason) > MAX_REASON:
            step.errors["reason"] = _l("Nội dung dài quá %(n)d ký tự.", n=MAX_REASON)
    if lifecycle.UNIT in needs:
        _check_unit(step)
    if lifecycle.DATE in needs:
        _check_date(step)
    if lifecycle.REFERENCE in needs:
        given.reference = clean_line(given.reference)[:200]
        if not given.reference:
            step.errors["reference"] = _l("Hãy nhập số, ký hiệu hồ sơ hoặc văn bản chuyển.")
    if lifecycle.ANSWER_TEXT in needs:
        answers.check_draft(step)
    if lifecycle.TARGET in needs:
        _check_target(step)
    if step.action == lifecycle.PUBLISH:
        answers.check_publication(step)


def _check_unit(step: Step) -> None:
    code = step.given.unit_code
    unit = db.session.scalars(select(Unit).filter_by(code=code)).first() if code else None
    today = local_date(step.now)
    if unit is None or unit.is_triage or not unit.active_on(today):
        step.errors["unit"] = _l("Hãy chọn đơn vị xử lý.")
    elif unit.id == step.case.unit_id:
        step.errors["unit"] = _l("Phản ánh đang ở chính đơn vị này.")
    step.unit = unit


def _check_date(step: Step) -> None:
    day = step.given.day
    if day is None:
        step.errors["date"] = _l("Hãy chọn ngày hẹn trả lời.")
    elif day < local_date(step.now):
        step.errors["date"] = _l("Ngày hẹn không được trước hôm nay.")


def _check_target(step: Step) -> None:
    code = normalise(step.given.target_code)
    target = None
    if code is not None:
        query = access.cases_visible_to(step.actor.user) if step.actor.user else select(Case)
        target = db.session.scalars(query.where(Case.code == code)).first()
    if target is None or target.id == step.case.id:
        step.errors["target"] = _l("Hãy nhập mã của một phản ánh khác mà bạn xem được.")
    elif not target.is_open or target.confidential != step.case.confidential:
        step.errors["target"] = _l("Chỉ gộp được vào một phản ánh đang xử lý, cùng loại bảo mật.")
    elif not access.can(step.actor.user, perms.MERGE, target):
        step.errors["target"] = _l("Bạn không có quyền với phản ánh %(code)s.", code=code)
    step.target = target


# Handlers: each action's own work -----------------------------------------------

def _nothing(step: Step) -> None:
    step.detail = step.given.reason or None


def _move(step: Step, unit: Unit) -> None:
    old_unit_id, step.case.unit = step.case.unit_id, unit
    tally.moved(step.case, old_unit_id)


def _assign(step: Step) -> None:
    _move(step, step.unit)
    step.detail, step.tell = step.given.reason, "routed"


def _accept(step: Step) -> None:
    """The answer clock of a kind with an acceptance stage starts when the case
    is actually accepted, which can only shorten it."""
    case = step.case
    kind = db.session.scalars(select(LegalKind).filter_by(code=case.kind)).first()
    if kind is not None and kind.accept_days:
        due = deadlines.work_calendar().add_days(local_date(step.now), kind.resolve_days,
                                                 kind.day_basis)
        case.due_on = min(case.due_on, due) if case.due_on else due
    step.tell = "accepted"


def _return(step: Step) -> None:
    _move(step, db.session.scalars(select(Unit).where(Unit.is_triage.is_(True))).one())
    step.detail = step.given.reason


def _progress(step: Step) -> None:
    step.case.committed_on, step.detail, step.tell = step.given.day, step.given.reason, "late"


def _reject(step: Step) -> None:
    step.detail, step.tell = step.given.reason, "rejected"


def _merge(step: Step) -> None:
    case, target = step.case, step.target
    case.merged_into = target
    target.add_event(CaseEvent(
        at=step.now, actor=step.actor.role, user_id=step.actor.user_id,
        action="merged_in", detail=case.code, public=False))


def _handover(step: Step) -> None:
    step.case.handover_ref, step.detail = step.given.reference, step.given.reason


def _reopen(step: Step) -> None:
    step.detail = step.given.reason
    tally.reopened(step.case, step.now)
    _close_ratings(step)


def _close_ratings(step: Step) -> None:
    """A low rating waiting for the city office is dealt with by reopening or
    republishing the case."""
    rating = db.session.scalars(select(Rating).filter_by(case_id=step.case.id)).first()
    if rating is not None and rating.followed_up_at is None:
        rating.followed_up_at = step.now
        rating.followed_up_by_id = step.actor.user_id


_HANDLERS = {
    lifecycle.ASSIGN: _assign, lifecycle.ACCEPT: _accept, lifecycle.RETURN: _return,
    lifecycle.PROGRESS: _progress, lifecycle.ANSWER: answers.draft,
    lifecycle.APPROVE: answers.approve, lifecycle.SEND_BACK: answers.send_back,
    lifecycle.PUBLISH: answers.publish, lifecycle.CLOSE: answers.conclude,
    lifecycle.REJECT: _reject, lifecycle.MERGE: _merge, lifecycle.HANDOVER: _handover,
    lifecycle.REOPEN: _reopen,
}
