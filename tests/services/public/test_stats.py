"""Scorecard arithmetic against a hand-counted fixture, with answers that
straddle Tết 2026 (16-20 February off): received Thursday 12 February, a
phản ánh is due ten working days later, on Thursday 5 March."""
from datetime import date, datetime, timezone

import pytest

from sqlalchemy import func, select

from feedback.domain.calendar import LOCAL_TZ
from feedback.extensions import db
from feedback.models import AnswerDays, AnswerMonths, DailyStat, MonthlyStat
from feedback.services.public import stats, tally
from feedback.services.workflow.access import SYSTEM
from feedback.services.workflow.lifecycle import Given, act
from feedback.services.workflow.satisfaction import rate
from tests import factories as f
from tests.factories import make_case

pytestmark = pytest.mark.usefixtures("app")
Q1 = stats.period("2026-Q1")


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def answered(case, day, month=3, send_back=False):
    """Accepted, drafted, approved (sent back by the city office and done again)
    and published, all on that day."""
    draft = [("answer", Given(public_text=f.ANSWER, summary=f.SUMMARY)), ("approve", Given())]
    steps = [("accept", Given())] + draft
    if send_back:
        steps += [("send-back", Given(reason="Bổ sung"))] + draft
    for action, given in steps + [("publish", Given(checked=True))]:
        act(SYSTEM, case, action, given, notify_reporter=False, at=at(day, month))
    return case


@pytest.fixture
def fixture(db):
    received = at(12, 2)
    land = [make_case(category_code="dat-dai", received_at=received) for _ in range(4)]
    answered(land[0], 2)                      # 7 working days: on time
    answered(land[1], 6)                      # 11 working days: late
    answered(land[3], 5, send_back=True)      # 10 working days, exactly due; sent back once
    rate(land[3], 2, "web", now=at(6))
    ward = make_case(category_code="ho-tich", ward_code="w-1", channel="sms", name="",
                     hotline_code="hl-citizen", received_at=received)
    answered(ward, 13, 2)                     # the next working day
    rate(ward, 5, "sms", now=at(14, 2))
    f.sealed_case(received_at=received)       # never counted
    db.session.commit()
    return land, ward


def by_code(card, code):
    return next(figures for unit, figures in card.units if unit.code == code)


def check(card):
    land = by_code(card, "p-tn-mt")
    assert (land.received, land.answered, land.on_time, land.late) == (4, 3, 2, 1)
    assert land.on_time_rate == pytest.approx(2 / 3)
    assert (land.median_days, land.sent_back, land.reopened, land.satisfaction) == (10, 1, 0, 2.0)
    ward = by_code(card, "w-1")
    assert (ward.received, ward.answered, ward.on_time, ward.median_days, ward.satisfaction) == (1, 1, 1, 1, 5.0)
    total = card.total
    assert (total.received, total.answered, total.on_time, total.median_days) == (5, 4, 3, 8.5)
    assert {unit.code for unit, _ in card.units} == {"p-tn-mt", "w-1"}
    assert {h.code if h else None: fig.received for h, fig in card.hotlines} == {None: 4, "hl-citizen": 1}
    assert dict((c, fig.received) for c, fig in card.channels) == {"web": 4, "sms": 1}
    assert [u.code for u, _ in card.wards] == ["w-1"] and [u.code for u, _ in card.offices] == ["p-tn-mt"]


def test_the_scorecard_counts_what_happened(fixture):
    check(stats.scorecard(Q1))


def test_rebuilding_from_the_cases_gives_the_same_figures(fixture):
    tally.rebuild()
    check(stats.scorecard(Q1))
    assert months_are_the_sums_of_their_days()


def _by_month(period, *columns) -> dict:
    """{(first day of the month, *keys): summed counts} of a table's rows; the
    last column is summed, the others are keys."""
    summed: dict = {}
    for day, *keys, count in db.session.execute(select(period, *columns)):
        key = (day.replace(day=1), *keys)
        summed[key] = summed.get(key, 0) + count
    return summed


def months_are_the_sums_of_their_days() -> bool:
    """The monthly rows hold exactly the daily rows summed by month, count by count."""
    same = True
    for name in stats._SUMS:
        keys = ("unit_id", "channel", "hotline_id", name)
        same &= _by_month(DailyStat.day, *[getattr(DailyStat, k) for k in keys]) == \
            _by_month(MonthlyStat.month, *[getattr(MonthlyStat, k) for k in keys])
    keys = ("unit_id", "working_days", "count")
    answers = _by_month(AnswerDays.day, *[getattr(AnswerDays, k) for k in keys])
    months = _by_month(AnswerMonths.month, *[getattr(AnswerMonths, k) for k in keys])
    return same and bool(answers) and answers == months


def test_every_change_counts_in_its_day_and_in_its_month(fixture):
    assert months_are_the_sums_of_their_days()


@pytest.mark.parametrize("since,until,months,days", [
    ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
    ("2026-02-01", "2026-02-28", ("2026-02-01", "2026-02-01"), []),
    ("2026-01-15", "2026-03-10", ("2026-02-01", "2026-02-01"),
     [("2026-01-15", "2026-01-31"), ("2026-03-01", "2026-03-10")]),
    ("2026-01-03", "2026-01-20", None, [("2026-01-03", "2026-01-20")]),
    ("2025-12-31", "2026-01-01", None, [("2025-12-31", "2026-01-01")]),
    ("2025-12-31", "2026-02-28", ("2026-01-01", "2026-02-01"), [("2025-12-31", "2025-12-31")]),
])
def test_a_period_is_read_as_whole_months_and_the_days_at_its_ends(since, until, months, days):
    found = stats._months_and_days(stats.period(None, since, until))
    iso = date.fromisoformat
    assert found == (months and (iso(months[0]), iso(months[1])), [(iso(a), iso(b)) for a, b in days])


PERIODS = [("2026-02-12", "2026-03-05"), ("2026-02-13", "2026-03-31"), ("2026-01-01", "2026-02-12"),
           ("2026-02-01", "2026-03-06"), ("2026-03-06", "2026-03-31")]


def test_a_period_across_months_counts_as_its_days_do(fixture):
    """Read as months and days, or as days alone: the same figures."""
    read, summed = {}, {}
    for since, until in PERIODS:
        p = stats.period(None, since, until)
        read[since, until] = [getattr(stats.scorecard(p).total, name) for name in stats._SUMS]
        summed[since, until] = list(db.session.execute(
            select(*[func.coalesce(func.sum(getattr(DailyStat, name)), 0) for name in stats._SUMS])
            .where(DailyStat.day.between(p.start, p.end))).one())
    assert read == summed


def test_a_period_outside_counts_nothing(fixture):
    card = stats.scorecard(stats.period("2025"))
    assert card.units == [] and card.total.received == 0 and card.total.median_days is None


def test_answers_count_in_the_month_they_were_given(fixture):
    february = stats.scorecard(stats.period("2026-02"))
    assert (february.total.received, february.total.answered) == (5, 1)
    march = stats.scorecard(stats.period("2026-03"))
    assert (march.total.received, march.total.answered) == (0, 3)


@pytest.mark.parametrize("key,start,end", [
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
])
def test_periods(key, start, end):
    found = stats.period(key)
    assert (found.start, found.end, found.key) == (start, end, key)


def test_a_custom_range_and_nonsense():
    assert stats.period(None, "2026-03-01", "2026-03-31").start == date(2026, 3, 1)
    assert stats.period("2026-13").key == "" and stats.period(None, "2026-03-31", "2026-03-01").key == ""


@pytest.mark.parametrize("counts,expected", [
    ({}, None), ({4: 1}, 4), ({1: 1, 3: 1}, 2), ({2: 3, 9: 1}, 2), ({1: 2, 4: 2}, 2.5), ({0: 1, 5: 5}, 5),
])
def test_median(counts, expected):
    assert stats.median(counts) == expected


def test_the_command_rebuilds(runner, fixture):
    result = runner.invoke(args=["stats", "rebuild"])
    assert result.exit_code == 0 and "daily rows" in result.output
    check(stats.scorecard(Q1))
