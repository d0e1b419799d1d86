from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from feedback.models import LegalKind
from feedback.services import deadlines
from tests.conftest import make_case

# 09:00 on Friday 29 January 2027 in Vietnam, the last Friday before the Tết break.
FRIDAY_BEFORE_TET = datetime(2027, 1, 29, 2, 0, tzinfo=timezone.utc)


def kind(db, code):
    return db.session.scalars(select(LegalKind).filter_by(code=code)).one()


def test_feedback_received_before_tet_is_due_after_the_break(db):
    due = deadlines.compute(kind(db, "phan-anh"), FRIDAY_BEFORE_TET, deadlines.work_calendar())
    assert due.accept_due_on is None
    assert due.due_on == date(2027, 2, 19)  # 10 working days, 4-10 February off


def test_complaint_has_acceptance_then_settlement(db):
    due = deadlines.compute(kind(db, "khieu-nai"), FRIDAY_BEFORE_TET, deadlines.work_calendar())
    assert due.accept_due_on == date(2027, 2, 19)
    assert due.due_on == date(2027, 4, 2)  # 30 working days after acceptance


def test_intake_sets_deadlines_from_the_received_time(db):
    case = make_case(received_at=FRIDAY_BEFORE_TET)
    assert case.received_at == FRIDAY_BEFORE_TET
    assert case.due_on == date(2027, 2, 19)


def test_evening_utc_counts_as_the_next_local_day(db):
    # 18:00 UTC on Friday 27 Nov 2026 is 01:00 on Saturday in Vietnam.
    case = make_case(received_at=datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc))
    assert case.due_on == date(2026, 12, 11)  # counted from Saturday: Mon 30 Nov is day 1


@pytest.mark.org_data
def test_moved_days_in_the_data_file_count(db):
    from feedback.models import CalendarDay

    db.session.add(CalendarDay(day=date(2027, 2, 11), working=False))
    db.session.commit()
    due = deadlines.compute(kind(db, "phan-anh"), FRIDAY_BEFORE_TET, deadlines.work_calendar())
    assert due.due_on == date(2027, 2, 22)
