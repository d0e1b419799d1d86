from datetime import date, datetime, timezone

from feedback.domain.calendar import WorkCalendar, local_date

CAL = WorkCalendar()


def test_weekends_are_not_working_days():
    assert CAL.is_working_day(date(2026, 11, 27))       # Friday
    assert not CAL.is_working_day(date(2026, 11, 28))   # Saturday
    assert not CAL.is_working_day(date(2026, 11, 29))   # Sunday
    assert CAL.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_tet_break_is_skipped():
    # Tết 2027: 4-10 February are holidays (with the weekend of 6-7).
    for day in range(4, 11):
        assert not CAL.is_working_day(date(2027, 2, day))
    friday_before_tet = date(2027, 1, 29)
    assert CAL.add_working_days(friday_before_tet, 3) == date(2027, 2, 3)
    assert CAL.add_working_days(friday_before_tet, 4) == date(2027, 2, 11)
    assert CAL.add_working_days(friday_before_tet, 10) == date(2027, 2, 19)


def test_received_on_a_holiday_starts_counting_after_it():
    # National Day 2026: 1-2 September (Tue, Wed).
    assert CAL.add_working_days(date(2026, 9, 1), 1) == date(2026, 9, 3)


def test_moved_days_from_the_organisation_file():
    cal = WorkCalendar(extra_days_off=frozenset({date(2026, 11, 30)}),
                       extra_working_days=frozenset({date(2026, 11, 28)}))
    assert not cal.is_working_day(date(2026, 11, 30))
    assert cal.is_working_day(date(2026, 11, 28))
    assert cal.add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)


def test_calendar_days_end_on_a_working_day():
    # 30 calendar days from 2027-01-06 is Friday 5 Feb 2027, inside Tết: moves to 11 Feb.
    assert CAL.add_days(date(2027, 1, 6), 30, "calendar") == date(2027, 2, 11)
    assert CAL.add_days(date(2026, 11, 2), 3, "calendar") == date(2026, 11, 5)


def test_local_date_is_ho_chi_minh_time():
    late_utc = datetime(2026, 11, 27, 18, 30, tzinfo=timezone.utc)  # 01:30 on the 28th in Vietnam
    assert local_date(late_utc) == date(2026, 11, 28)
