from sqlalchemy import func, select

from feedback.domain import states
from feedback.models import Case, OutboundMessage


def test_demo_makes_varied_routed_cases_and_texts_nobody(runner, db):
    result = runner.invoke(args=["demo", "--cases", "120"])
    assert result.exit_code == 0, result.output
    cases = db.session.scalars(select(Case)).all()
    assert len(cases) == 120
    assert len({c.channel for c in cases}) >= 3
    assert len({c.unit_id for c in cases}) >= 8
    assert {states.PUBLISHED, states.ASSIGNED} <= {c.state for c in cases}
    assert all(c.due_on and c.unit_id for c in cases)
    assert all(c.answer for c in cases if c.state == states.PUBLISHED)
    assert db.session.scalar(select(func.count()).select_from(OutboundMessage)) == 0


def test_demo_is_reproducible(runner, db):
    runner.invoke(args=["demo", "--cases", "5", "--seed", "7"])
    runner.invoke(args=["demo", "--cases", "5", "--seed", "7"])
    descriptions = [c.description for c in db.session.scalars(select(Case).order_by(Case.id))]
    assert descriptions[:5] == descriptions[5:]
    assert len(set(descriptions[:5])) == 5
