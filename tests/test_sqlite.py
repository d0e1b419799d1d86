"""SQLite as a serious embedded default: WAL, synchronous=NORMAL and a busy
timeout on every connection, and long jobs that commit in small batches, so
that web submissions never see "database is locked" while `flask demo` writes
(tested on `make run` as it is, in tests/test_make_run.py). These tests use a
SQLite file of their own whatever the suite runs on.
"""
from __future__ import annotations


import pytest
from sqlalchemy import event, text

from feedback import create_app
from feedback.extensions import db
from feedback.services import demo
from tests.testapp import app_config

@pytest.mark.own_sqlite
def test_every_sqlite_connection_uses_wal_normal_sync_and_waits_when_busy(tmp_path):
    app = create_app({**app_config(f"sqlite:///{tmp_path / 'x.db'}", str(tmp_path)),
                      "SQLITE_BUSY_TIMEOUT": 12.5})
    with app.app_context():
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 12500
        db.engine.dispose()


def test_flask_demo_commits_in_small_batches(app):
    """Long jobs commit in batches, each its own short transaction (the demo
    used to hold SQLite's write lock for seconds at a time)."""
    cases_at_commit = []

    def count_cases(conn):
        cases_at_commit.append(conn.exec_driver_sql("SELECT count(*) FROM cases").scalar())

    event.listen(db.engine, "commit", count_cases)
    try:
        assert demo.generate(45, seed=7, batch=10) == 45
    finally:
        event.remove(db.engine, "commit", count_cases)
    per_transaction = [b - a for a, b in zip([0, *cases_at_commit], cases_at_commit, strict=False)]
    assert sum(per_transaction) == 45
    assert max(per_transaction) <= 10 and len([n for n in per_transaction if n]) >= 5
