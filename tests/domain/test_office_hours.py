from datetime import date, datetime, time, timezone

import pytest

from feedback.domain.calendar import LOCAL_TZ, WorkCalendar
from feedback.domain.office_hours import OfficeHours, is_open

HOURS = OfficeHours(time(7, 30), time(17, 0))
WORKING = WorkCalendar().is_working_day


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("moment, expected", [
    (local(2024, 3, 12, 7, 29), False),
    (local(2024, 3, 12, 7, 30), True),
    (local(2024, 3, 12, 16, 59), True),
    (local(2024, 3, 12, 17, 0), False),
    (local(2024, 3, 16, 10, 0), False),          # Saturday
    (local(2025, 1, 29, 10, 0), False),          # Tết, a Wednesday
    (local(2025, 9, 2, 10, 0), False),           # National Day
])
def test_open_on_working_days_between_opening_and_closing(moment, expected):
    assert is_open(moment, HOURS, WORKING) is expected


def test_the_local_time_counts_not_utc():
    # 01:00 UTC is 08:00 in Vung Tau; 11:00 UTC is 18:00.
    assert is_open(datetime(2024, 3, 12, 1, 0, tzinfo=timezone.utc), HOURS, WORKING)
    assert not is_open(datetime(2024, 3, 12, 11, 0, tzinfo=timezone.utc), HOURS, WORKING)
    assert is_open(datetime(2024, 3, 12, 1, 0), HOURS, WORKING)  # naive is UTC, as stored


def test_a_moved_working_day_is_open():
    saturday = date(2024, 3, 16)
    calendar = WorkCalendar(extra_working_days=frozenset({saturday}))
    assert is_open(local(2024, 3, 16, 9, 0), HOURS, calendar.is_working_day)


def test_settings_are_read_and_bad_ones_fall_back_to_the_default():
    assert OfficeHours.from_setting({"open": "08:00", "close": "16:30"}) == OfficeHours(time(8), time(16, 30))
    assert OfficeHours.from_setting({"open": "8h", "close": None}) == OfficeHours()
    assert OfficeHours.from_setting(None) == OfficeHours(time(7, 30), time(17, 0))
