"""flask demo: data the lifecycle could have produced, in bulk."""
import pickle
import subprocess
import sys
from collections import Counter

import pytest

from sqlalchemy import func, select, text

from config.settings import ROOT

from feedback.domain import lifecycle, states
from feedback.models import Answer, Case, CaseEvent, OutboundMessage, PublicRecord, Rating
from feedback.models.types import utcnow
from feedback.services import deadlines, demo
from feedback.services.demo import load
from feedback.services.demo.values import Plan
from feedback.services.public import results, search, stats
from tests.processes import still_running


def test_demo_makes_every_state_channel_and_kind_merges_into_earlier_cases_and_texts_nobody(runner, db):
    result = runner.invoke(args=["demo", "--cases", "3000"])
    assert result.exit_code == 0, result.output
    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 3000
    found = Counter(c.state for c in cases)
    for state in (states.TRIAGE, states.ASSIGNED, states.IN_PROGRESS, states.PUBLISHED, states.CLOSED,
                  states.REJECTED, states.MERGED, states.HANDED_OVER):
        assert found[state] > 0, state
    assert {c.channel for c in cases} == set(states.CHANNELS) - {"dialogue"} | {"dialogue"}
    assert {c.kind for c in cases} == set(states.KINDS)
    assert len({c.unit_id for c in cases}) >= 20
    assert all(c.due_on and c.unit_id for c in cases)
    assert any(c.committed_on for c in cases)
    assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 0
    by_id = {c.id: c for c in cases}
    for case in (c for c in cases if c.state == states.MERGED):   # into an earlier case of its field
        target = by_id[case.merged_into_id]
        assert target.id < case.id and target.category_id == case.category_id and not target.confidential


def test_every_step_is_one_the_transition_table_allows(runner, db):
    runner.invoke(args=["demo", "--cases", "600"])
    for event in db.session.scalars(select(CaseEvent).where(CaseEvent.action.not_in(("received", "routed")))):
        step = lifecycle.transition(event.from_state, event.action)
        assert step is not None and step.to_state == event.to_state, (event.action, event.from_state)


def test_published_cases_have_their_public_record_and_the_scorecards_match(runner, db):
    runner.invoke(args=["demo", "--cases", "800"])
    published = db.session.scalars(select(Case).where(Case.state.in_((states.PUBLISHED, states.CLOSED)),
                                                      Case.confidential.is_(False))).all()
    records = {r.case_id: r for r in db.session.scalars(select(PublicRecord))}
    assert {c.id for c in published} <= set(records)
    assert all(records[c.id].answer == c.answer for c in published)
    for record in list(records.values())[:50]:  # searchable exactly as if published by hand
        assert record.search_text == search.search_text(record.summary, record.answer, record.description)
    some = next(iter(records.values()))
    found = results.page(results.ResultFilters(q=" ".join(some.summary.split()[:3])), size=100)
    assert found.total > 0    # the search index holds the demo's records (rebuilt once at the end)
    assert _search_index_kept_up(db)  # and is kept up again for what is published next
    assert any(not r.on_time for r in records.values()) and any(r.on_time for r in records.values())
    assert db.session.scalar(select(func.count()).select_from(Rating)) > 0
    assert db.session.scalar(select(func.count()).select_from(Answer)) >= len(published)
    card = stats.scorecard(stats.period(None, "2024-01-01", "2027-12-31"))
    ordinary = db.session.scalar(select(func.count()).select_from(Case).where(Case.confidential.is_(False)))
    assert card.total.received == ordinary
    assert card.total.answered == len(records)


def test_demo_is_reproducible(runner, db):
    runner.invoke(args=["demo", "--cases", "5", "--seed", "7"])
    runner.invoke(args=["demo", "--cases", "5", "--seed", "7"])
    descriptions = [c.description for c in db.session.scalars(select(Case).order_by(Case.id))]
    assert descriptions[:5] == descriptions[5:]
    assert len(set(descriptions[:5])) == 5


def _made(db) -> list[tuple]:
    return db.session.execute(select(
        Case.description, Case.state, Case.due_on, Case.merged_into_id.is_not(None),
        func.count(CaseEvent.id)).join(CaseEvent).group_by(Case.id).order_by(Case.id)).all()


@pytest.mark.heavy
def test_cases_made_in_a_second_process_are_the_ones_made_here(app, db):
    """A large demo is made by a child process while this one inserts: the same
    seed gives the same cases either way."""
    assert demo.generate(400, seed=11, batch=150, elsewhere=True) == 400
    demo.generate(400, seed=11, batch=150, elsewhere=False)
    made = _made(db)
    there, here = made[:400], made[400:]
    assert there == here
    assert len(here) == 400 and any(merged for *_, merged, _ in here)


def test_demo_times_are_stored_as_the_app_stores_them(runner, db, app):
    """Times go in through the driver, not the ORM: they must read back as aware
    UTC, and on SQLite be the same text SQLAlchemy writes (compared as text)."""
    runner.invoke(args=["demo", "--cases", "50"])
    case = db.session.scalars(select(Case).order_by(Case.id)).first()
    assert case.received_at.utcoffset().total_seconds() == 0
    assert case.received_at < case.updated_at or case.received_at == case.updated_at
    if db.engine.dialect.name == "sqlite":
        stored = {len(text) for (text,) in db.session.execute(
            select(func.distinct(func.cast(CaseEvent.at, db.String))))}
        assert stored == {len("2026-01-02 03:04:05.000006")}


KILLED_AT_THE_END = """
import multiprocessing, os, pickle, sys, time
from feedback.services.demo import load
batches = load._made_elsewhere(pickle.loads(open(sys.argv[1], "rb").read()))
for _ in range(27):
    next(batches)
time.sleep(1)        # the maker has made the last three batches and waits to hand them over
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
os._exit(1)          # killed before reading them
"""


@pytest.mark.heavy
def test_the_maker_ends_with_a_demo_killed_after_it_made_everything(app, tmp_path):
    plan = Plan(300, 1, load._org(), deadlines.work_calendar(), utcnow(), set(), batch=10)
    (tmp_path / "plan").write_bytes(pickle.dumps(plan))
    done = subprocess.run([sys.executable, "-c", KILLED_AT_THE_END, str(tmp_path / "plan")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    makers = [int(pid) for pid in done.stdout.split()]
    assert makers, done.stderr
    assert not still_running(makers, seconds=10)


def _search_index_kept_up(db) -> bool:
    """SQLite's insert trigger of the FTS5 index, or PostgreSQL's GIN index."""
    if db.engine.dialect.name == "sqlite":
        found = "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'public_records_fts_insert'"
    else:
        found = "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_public_records_search'"
    return db.session.scalar(text(found)) == 1
