"""Deadline reminders and escalations: `flask --app app jobs run-due`.

Three clocks run per case, from the legal kind's clock in the organisation
file, in working days: forwarding out of triage, acceptance, and the answer
(the legal date, and again any later date the unit committed to). A deadline
within REMIND_WORKING_DAYS gets a reminder to the unit; a passed one is
escalated to the unit head and the city office (sealed cases: only to the
supervisors and the inspectorate).

Each alert is claimed by inserting its unique key (case, stage, level, due
date) with ON CONFLICT DO NOTHING: only the run that inserted it sends it, so
running twice, from cron every minute or on two hosts at once, sends one.
Alerts are gathered into one e-mail per recipient per run.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import and_, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from ...domain import permissions, states
from ...domain.calendar import WorkCalendar, local_date
from ...extensions import db
from ...models import Case, CaseEvent, DeadlineAlert, LegalKind, User
from ...models.types import utcnow
from .. import deadlines, notify

FORWARD, ACCEPT, RESOLVE = "forward", "accept", "resolve"
SOON, OVERDUE = "soon", "overdue"


@dataclass(frozen=True)
class Alert:
    case: Case
    stage: str
    level: str
    due_on: date


def _not_alerted(stage: str, level: str, due_column):
    return ~exists().where(and_(DeadlineAlert.case_id == Case.id, DeadlineAlert.stage == stage,
                                DeadlineAlert.level == level, DeadlineAlert.due_on == due_column))


def _dated(stage: str, column, state_set, today: date, soon: date) -> list[Alert]:
    """Cases in `state_set` whose `column` deadline is near or passed, not yet alerted."""
    found = []
    for level, condition in ((OVERDUE, column < today), (SOON, and_(column >= today, column <= soon))):
        query = select(Case).where(Case.state.in_(state_set), column.is_not(None), condition,
                                   _not_alerted(stage, level, column))
        for case in db.session.scalars(query.options(joinedload(Case.unit))):
            found.append(Alert(case, stage, level, getattr(case, column.key)))
    return found


def _forwarding(calendar: WorkCalendar, today: date, soon: date) -> list[Alert]:
    """Triage must forward a case within its kind's forwarding days of receipt
    (kinds without a forwarding clock in the organisation file have none)."""
    kinds = {k.code: k for k in db.session.scalars(select(LegalKind)) if k.forward_days}
    found = []
    for case in db.session.scalars(select(Case).where(Case.state == states.TRIAGE,
                                                      Case.kind.in_(list(kinds)))):
        kind = kinds[case.kind]
        due = calendar.add_days(local_date(case.received_at), kind.forward_days, kind.day_basis)
        level = OVERDUE if due < today else SOON if due <= soon else None
        if level is not None:
            found.append(Alert(case, FORWARD, level, due))
    return found


def due_alerts(now: datetime) -> list[Alert]:
    calendar = deadlines.work_calendar()
    today = local_date(now)
    soon = calendar.add_working_days(today, current_app.config["REMIND_WORKING_DAYS"])
    answering = states.OPEN_STATES - {states.NEW}
    return (_forwarding(calendar, today, soon)
            + _dated(ACCEPT, Case.accept_due_on, {states.ASSIGNED}, today, soon)
            + _dated(RESOLVE, Case.due_on, answering, today, soon)
            + _dated(RESOLVE, Case.committed_on, answering, today, soon))


def _claim(alert: Alert, now: datetime) -> bool:
    """Insert the alert's key; True only for the run that inserted it."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DeadlineAlert).values(
        case_id=alert.case.id, stage=alert.stage, level=alert.level, due_on=alert.due_on,
        created_at=now,
    ).on_conflict_do_nothing().returning(DeadlineAlert.id)
    return db.session.execute(statement).first() is not None


class _Staff:
    """The active staff, loaded once a run, and who hears of which alert."""

    def __init__(self):
        self.users = list(db.session.scalars(select(User).where(User.active.is_(True))))

    def for_alert(self, alert: Alert) -> list[User]:
        if alert.case.confidential:
            return [u for u in self.users if permissions.allows_global(u.role, permissions.SEALED_TRACK)]
        unit_roles = ("officer", "unit_head") if alert.level == SOON else ("unit_head",)
        chosen = [u for u in self.users if u.role in unit_roles and u.unit_id == alert.case.unit_id]
        if alert.level == OVERDUE:
            chosen += [u for u in self.users if permissions.allows_global(u.role, permissions.OVERDUE_ALERTS)]
        return chosen


def _digest(user: User, alerts: list[Alert]):
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    overdue = sum(a.level == OVERDUE for a in alerts)
    with force_locale("vi"):
        body = render_template("email/staff_digest.txt", user=user, base=base,
                               alerts=sorted(alerts, key=lambda a: (a.level != OVERDUE, a.due_on)))
    subject = (f"Quá hạn: {overdue} phản ánh; sắp đến hạn: {len(alerts) - overdue} "
               f"/ Overdue: {overdue}; due soon: {len(alerts) - overdue}")
    return notify.queue_staff_email(user, "deadline_digest", subject, body)


def run_due(now: datetime | None = None) -> dict[str, int]:
    """Claim every new alert, note escalations on the cases, queue one e-mail
    per recipient; commit once, then send."""
    now = now or utcnow()
    staff, by_user = _Staff(), defaultdict(list)
    claimed = [alert for alert in due_alerts(now) if _claim(alert, now)]
    for alert in claimed:
        if alert.level == OVERDUE:
            db.session.add(CaseEvent(case_id=alert.case.id, at=now, actor="system",
                                     action="escalated", detail=alert.stage, public=False))
        for user in staff.for_alert(alert):
            by_user[user.id].append((user, alert))
    messages = [_digest(entries[0][0], [alert for _, alert in entries])
                for entries in by_user.values()]
    db.session.commit()
    notify.dispatch([message.id for message in messages])
    return {"alerts": len(claimed), "emails": len(messages)}
