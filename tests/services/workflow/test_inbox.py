"""The inbox's lists: one state at a time by deadline, merged into keyset pages,
counted up to a cap."""
from datetime import date, timedelta

import pytest
from sqlalchemy import text, update

from feedback.domain import states
from feedback.extensions import db
from feedback.models import Case
from feedback.services.workflow import inbox
from tests import factories as f
from tests.database import statements


def _due(case: Case, day: date) -> Case:
    db.session.execute(update(Case).where(Case.id == case.id).values(due_on=day))
    db.session.commit()
    return case


@pytest.fixture
def spread(app):
    """Open cases of one unit in four states with deadlines interleaved across
    the states, and closed ones due before all of them."""
    start = date(2026, 12, 1)
    wanted = [states.ASSIGNED, states.IN_PROGRESS, states.ANSWERED, states.APPROVED] * 3
    open_ = [_due(f.case_in(state), start + timedelta(days=i // 2)) for i, state in enumerate(wanted)]
    for day in range(3):
        _due(f.case_in(states.PUBLISHED), start - timedelta(days=30 + day))
    return open_


def _every_page(user, tab, filters=None):
    seen, after = [], None
    while True:
        page = inbox.page(user, tab, filters or inbox.Filters(), after)
        seen.append(page)
        if page.next_after is None:
            return seen
        after = page.next_after


def test_pages_merge_the_states_by_deadline_without_gaps_or_repeats(spread, monkeypatch):
    monkeypatch.setattr(inbox, "PAGE_SIZE", 5)
    pages = _every_page(f.staff("unit_head"), inbox.TABS["open"])
    listed = [case.id for page in pages for case in page.cases]
    expected = sorted(spread, key=lambda case: (case.due_on, case.id))
    assert listed == [case.id for case in expected]
    assert [len(page.cases) for page in pages] == [5, 5, 2]
    assert {page.total for page in pages} == {12}


def test_a_state_filter_lists_that_state_only(spread):
    page = inbox.page(f.staff("unit_head"), inbox.TABS["open"], inbox.Filters(state=states.ANSWERED))
    assert [case.state for case in page.cases] == [states.ANSWERED] * 3
    assert page.total == 3


def test_the_done_tab_lists_the_closed_cases_latest_deadline_first(spread, monkeypatch):
    """Page 1 of what is finished is what was finished lately, not the oldest case."""
    done = [_due(f.case_in(states.CLOSED), date(2026, 10, day)) for day in (5, 20, 20, 1)]
    monkeypatch.setattr(inbox, "PAGE_SIZE", 2)
    pages = _every_page(f.staff("officer"), inbox.TABS["done"])
    listed = [case for page in pages for case in page.cases]
    assert [(case.due_on, case.id) for case in listed] == sorted(
        ((case.due_on, case.id) for case in listed), reverse=True)
    assert {case.id for case in listed} >= {case.id for case in done}
    assert len(listed) == 7 and listed[-1].due_on == date(2026, 10, 1)   # the oldest, last
    assert [len(page.cases) for page in pages] == [2, 2, 2, 1]


def test_the_count_stops_at_its_cap(spread, monkeypatch, client):
    monkeypatch.setattr(inbox, "COUNT_CAP", 10)
    page = inbox.page(f.staff("officer"), inbox.TABS["open"], inbox.Filters())
    assert page.total == 11 and page.total_capped
    f.sign_in_as(client, f.staff("officer"))
    assert "Hơn 10 phản ánh" in client.get("/staff/").get_data(as_text=True)


INBOX_INDEXES = {
    ("officer", "open"): "ix_cases_unit_inbox",
    ("city_office", "all"): "ix_cases_inbox",
    ("supervisor", "sealed"): "ix_cases_inbox",
    ("officer", "done"): "ix_cases_unit_inbox",      # walked backwards: latest deadline first
    ("city_office", "done"): "ix_cases_inbox",
}


def test_each_state_is_read_from_an_inbox_index(app, spread):
    """Each state's first rows come from a walk of an inbox index, never from
    a scan of the cases (SQLite's plan, as it runs without table statistics)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    plans = {}
    for role, tab in INBOX_INDEXES:
        with statements() as run:
            inbox.page(f.staff(role), inbox.TABS[tab], inbox.Filters())
        listing = next(sql for sql in run if "UNION ALL" in sql)
        plans[role, tab] = " | ".join(row[3] for row in db.session.execute(
            text("EXPLAIN QUERY PLAN " + listing.replace("?", ":p")), {"p": None}))
    assert {key: f"USING COVERING INDEX {index} (" in plans[key] and "SCAN cases" not in plans[key]
            for key, index in INBOX_INDEXES.items()} == dict.fromkeys(INBOX_INDEXES, True), plans


def test_counts_by_unit_give_open_and_overdue_cases_of_each_unit(spread):
    today = date(2026, 12, 2)
    late = sum(case.due_on < today for case in spread)
    _due(f.case_in(states.ASSIGNED, category_code="ho-tich"), date(2000, 1, 1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(inbox, "local_date", lambda _now: today)
        counts = {unit.code: (count, overdue)
                  for unit, count, overdue in inbox.counts_by_unit(f.staff("city_office"))}
    assert counts == {f.UNIT: (12, late), f.OTHER_UNIT: (1, 1)}
