from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from feedback.models import LegalKind
from feedback.services import deadlines
from tests.factories import make_case

# 09:00 on Friday 29 January 2027 in Vietnam, the last Friday before the Tết break.
FRIDAY_BEFORE_TET = datetime(2027, 1, 29, 2, 0, tzinfo=timezone.utc)


def kind(db, code):
    return db.session.scalars(select(LegalKind).filter_by(code=code)).one()


def test_feedback_received_before_tet_is_due_after_the_break(db):
    due = deadlines.compute(kind(db, "phan-anh"), FRIDAY_BEFORE_TET, deadlines.work_calendar())
    assert due.accept_due_on is None
    assert due.due_on == date(2027, 2, 19)  # 10 working days, 4-10 February off


def test_complaint_counts_calendar_days_moved_off_days_off(db):
    # Luật Khiếu nại 2011, Điều 27-28: accept within 10 days, settle within 30
    # days of acceptance; "ngày", calendar days.
    due = deadlines.compute(kind(db, "khieu-nai"), FRIDAY_BEFORE_TET, deadlines.work_calendar())
    # Fri 29 Jan + 10 days = Mon 8 Feb, inside the Tết break (4-10 February):
    # the limit moves to the next working day, Thu 11 Feb.
    assert due.accept_due_on == date(2027, 2, 11)
    # Thu 11 Feb + 30 days = Sat 13 Mar: moved to Mon 15 Mar.
    assert due.due_on == date(2027, 3, 15)


def test_denunciation_is_settled_within_30_calendar_days(db):
    # Luật Tố cáo 2018, Điều 30: "không quá 30 ngày kể từ ngày thụ lý" - not 30
    # working days (which would end on Wed 19 May). 09:00 on Thu 1 April 2027.
    received = datetime(2027, 4, 1, 2, 0, tzinfo=timezone.utc)
    due = deadlines.compute(kind(db, "to-cao"), received, deadlines.work_calendar())
    assert due.accept_due_on == date(2027, 4, 8)    # + 7 days, a Thursday: not moved
    assert due.due_on == date(2027, 5, 10)          # Thu 8 Apr + 30 = Sat 8 May -> Mon 10 May


def test_each_legal_kind_counts_the_days_its_law_counts(db):
    bases = {k.code: k.day_basis for k in db.session.scalars(select(LegalKind))}
    assert bases == {"phan-anh": "working", "kien-nghi": "working",
                     "khieu-nai": "calendar", "to-cao": "calendar"}


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
