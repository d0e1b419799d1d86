"""The published results' pages: newest first, keyset pages that run through
records published at the same moment, each later page read from the date index."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import text, update

from feedback.domain import states
from feedback.extensions import db
from feedback.models import PublicRecord
from feedback.services.public import results
from feedback.services.public.results import ResultFilters
from tests import factories as f
from tests.database import statements

SAME_MOMENT = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def records(app):
    """Five published records, four of them published at the same moment."""
    cases = [f.case_in(states.PUBLISHED) for _ in range(5)]
    ids = [db.session.scalar(db.select(PublicRecord.id).where(PublicRecord.case_id == case.id))
           for case in cases]
    db.session.execute(update(PublicRecord).where(PublicRecord.id.in_(ids[1:]))
                       .values(published_at=SAME_MOMENT))
    db.session.execute(update(PublicRecord).where(PublicRecord.id == ids[0])
                       .values(published_at=datetime(2026, 11, 1, tzinfo=timezone.utc)))
    db.session.commit()
    return ids


def listed(size: int) -> list[int]:
    ids, after = [], None
    while True:
        page = results.page(ResultFilters(), after, size=size)
        ids += [record.id for record in page.records]
        if page.next_after is None:
            return ids
        after = page.next_after


def test_pages_run_through_records_published_at_the_same_moment(records):
    """In pages of 1, 2 and 3: each record once, newest first, ties by id."""
    expected = sorted(records[1:], reverse=True) + [records[0]]
    assert {size: listed(size) for size in (1, 2, 3)} == dict.fromkeys((1, 2, 3), expected)


def test_a_later_page_is_read_from_the_date_index_as_a_range(records):
    """The keyset bounds the walk of the date index; it is not a filter over
    every newer record (PostgreSQL took 0.6 s for page 500 of a million so)."""
    last = db.session.get(PublicRecord, records[2])
    listing = results.query(ResultFilters()).where(results.older_than(last)).limit(21)
    compiled = listing.compile(db.engine)
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))   # as on a large table
        plan = " | ".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))
        assert "Index Cond: (ROW(published_at, id) < ROW(" in plan, plan
    else:
        params = compiled.construct_params()
        processors = compiled._bind_processors
        values = tuple(processors[key](params[key]) if key in processors else params[key]
                       for key in compiled.positiontup)
        plan = " | ".join(row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values))
        assert "SEARCH public_records USING INDEX ix_public_records_published (published_at<?)" in plan, plan


def test_a_page_that_counts_no_match_lists_nothing_more(records):
    """The count says there is nothing: no listing query follows it (a search
    would look its words up a second time for nothing)."""
    for filters in ({"q": "xyzzy"}, {"q": "giay chung nhan", "ward": "p-1"}, {"category": "giao-duc"}):
        with statements() as seen:
            page = results.page(ResultFilters(**filters))
        assert (page.records, page.total, len(seen)) == ([], 0, 1), (filters, seen)
