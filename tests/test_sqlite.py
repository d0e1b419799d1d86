"""SQLite as a serious embedded default: WAL, synchronous=NORMAL and a busy
timeout on every connection, and long jobs that commit in small batches, so
that web submissions never see "database is locked" while `flask demo` writes.

(Before: 79 of 100 concurrent submissions got a 500 while `flask demo` was
writing.) These tests use a SQLite file of their own whatever the suite runs on.
"""
from __future__ import annotations

import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event, text

from feedback import create_app
from feedback.extensions import db
from feedback.services import demo
from tests import gunicorn
from tests.testapp import app_config
from tests.processes import children, still_running
from tests.web.test_submit import FORM

# Before WAL and batches, 79 of 100 failed: 20 at once leave no doubt, in a fifth of the time.
SUBMISSIONS = 20


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


def cases_in(path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]


@pytest.fixture
def installed(tmp_path, set_up):
    """A fresh installation, as `make run` makes it (submissions not limited here)."""
    return gunicorn.installed(tmp_path, set_up, SUBMIT_RATE_LIMIT="10000 per minute")


@pytest.mark.own_sqlite
def test_submissions_go_through_while_flask_demo_writes(installed, tmp_path):
    """20 submissions at once through gunicorn while `flask demo` writes: every
    one is taken (no 500), and the demo goes on (its ids are not the web's)."""
    errors = tmp_path / "demo.err"
    with gunicorn.gunicorn(installed, workers=2) as base, open(errors, "w") as stderr:
        demo = subprocess.Popen(   # once gunicorn is up: its start is not what is tested
            [str(gunicorn.BIN / "flask"), "--app", "app", "demo", "--cases", "50000"],
            cwd=gunicorn.ROOT, env=installed, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            while cases_in(tmp_path / "feedback.db") == 0:  # the demo is writing
                assert demo.poll() is None, errors.read_text()
                time.sleep(0.05)
            with ThreadPoolExecutor(32) as pool:
                statuses = list(pool.map(lambda i: gunicorn.submit(base, FORM).status_code,
                                         range(SUBMISSIONS)))
            assert statuses == [302] * SUBMISSIONS
            assert demo.poll() is None, f"the demo stopped:\n{errors.read_text()[-3000:]}"
            makers = children(demo.pid)
            assert makers, "a demo this large is made in a second process"
        finally:
            demo.terminate()
            demo.wait(30)
    assert not still_running(makers), "the demo's maker outlived a terminated `flask demo`"


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
