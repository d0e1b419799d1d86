"""The flood bench's database: made afresh before, read after (bench/flood.py)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.settings import DEFAULT_ORG_FILE  # noqa: E402
from feedback import create_app  # noqa: E402
from feedback.extensions import db  # noqa: E402
from feedback.models import Case, CaseEvent, InboundMessage, Reporter  # noqa: E402
from feedback.services import orgdata  # noqa: E402


def _app(database: str, upload_dir: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": database, "UPLOAD_DIR": upload_dir,
                       "SECRET_KEY": "flood", "REDIS_URL": "", "RATELIMIT_ENABLED": False})


def prepare(database: str, upload_dir: str) -> None:
    """The schema and the organisation data, and nothing else."""
    app = _app(database, upload_dir)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        orgdata.load(DEFAULT_ORG_FILE)
        db.session.remove()
        db.engine.dispose()


def check(database: str, upload_dir: str, sent: list, per_number: int) -> dict:
    """What the database holds against what was sent: lost, doubled, threads."""
    app = _app(database, upload_dir)
    with app.app_context():
        rows = db.session.execute(select(InboundMessage.external_id, InboundMessage.outcome)).all()
        stored = Counter(external_id for external_id, _ in rows)
        outcomes = Counter(outcome for _, outcome in rows)
        cases_per_number = Counter(db.session.scalars(
            select(Reporter.phone).join(Case, Case.id == Reporter.case_id)
            .where(Case.channel == "sms")))
        added = db.session.scalar(select(func.count(CaseEvent.id)).where(
            CaseEvent.action == "sms_added")) or 0
        db.engine.dispose()
    distinct = {m.sid for m in sent}
    numbers = {m.number for m in sent}
    return {
        "distinct": len(distinct),
        "stored": sum(stored.values()),
        "lost": len(distinct - set(stored)),
        "doubled": sum(1 for count in stored.values() if count > 1),
        "cases": sum(cases_per_number.values()),
        "one_case_per_number": all(cases_per_number.get(n) == 1 for n in numbers),
        "added": added,
        "expected_added": len(distinct) - len(numbers),
        "outcomes": dict(outcomes),
        "per_number": per_number,
    }
