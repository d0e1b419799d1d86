"""Deadlines of a case from its legal kind's clock and the working-day calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..domain.calendar import WorkCalendar, local_date
from ..models import LegalKind
from . import orgdata


def work_calendar() -> WorkCalendar:
    """The calendar with the days the organisation file moved (kept per process
    with the rest of the organisation data)."""
    return orgdata.current().calendar


@dataclass(frozen=True)
class Deadlines:
    accept_due_on: date | None
    due_on: date


def compute(kind: LegalKind, received_at: datetime, calendar: WorkCalendar) -> Deadlines:
    """Acceptance (if the kind has one) and answer deadlines, as local dates.

    The answer clock runs from the acceptance deadline when there is one: the
    latest date the law allows, which the workflow shortens once a case is
    actually accepted.
    """
    received = local_date(received_at)
    accept_due = None
    start = received
    if kind.accept_days:
        accept_due = calendar.add_days(received, kind.accept_days, kind.day_basis)
        start = accept_due
    return Deadlines(accept_due, calendar.add_days(start, kind.resolve_days, kind.day_basis))
