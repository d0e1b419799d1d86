"""Fixtures: app, client, runner, db, a fake Twilio and a live server.

Tests run on SQLite by default; set TEST_DATABASE_URL (postgresql+psycopg://…)
to run the same suite on PostgreSQL, as .ci/run does.

The app and the database are set up once per test process (`shared_app`,
`org_snapshot`): schema, then the organisation data file. Each test then
starts from the organisation data and nothing else: the `app` fixture empties
every other table before the test (`empty_working_tables`) and, after it, puts
the organisation tables back if the test is marked `org_data` or is seen to
have changed them (`restore_org_data`), and the app's configuration and
extensions as they were (`pristine`).
The helpers are in tests/database.py and tests/testapp.py, the plain factories
in tests/factories.py.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from config.settings import DEFAULT_ORG_FILE
from feedback import create_app
from feedback.extensions import db as _db
from feedback.services import orgdata
from tests.database import (
    OrgSnapshot, database_url, empty_working_tables, read_org_data, redis_test_url, reset_schema,
    restore_org_data,
)
from tests import gunicorn
from tests.fakes import twilio_server as twilio_fake
from tests.testapp import FreshContextClient, app_config, pristine


def _in_a_browser(item) -> bool:
    return "e2e" in item.path.parts


def _heavy(item) -> bool:
    return bool(item.get_closest_marker("heavy") or item.get_closest_marker("own_sqlite")
                or _in_a_browser(item))


def pytest_collection_modifyitems(config, items):
    """The tests that run for seconds go first: pytest-xdist deals them out in
    turn, and the many short ones then fill the gaps, so that no process is
    left with a long test when the others are done.

    A PostgreSQL run leaves two kinds of tests to the SQLite run: those on an
    installation of their own (`own_sqlite`), which do not use the suite's
    database, and those in a browser (tests/e2e), which test what the browser
    does; what their pages ask of the database is tested on both databases by
    the others."""
    items.sort(key=lambda item: not _heavy(item))
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    own = pytest.mark.skip(reason="its own SQLite installation: the SQLite run runs it")
    browser = pytest.mark.skip(reason="in a browser: the SQLite run runs it")
    for item in items:
        if item.get_closest_marker("own_sqlite"):
            item.add_marker(own)
        elif _in_a_browser(item):
            item.add_marker(browser)


@pytest.fixture(scope="session")
def twilio_server():
    state, server = twilio_fake.start()
    yield state
    server.shutdown()


@pytest.fixture
def fake_twilio(twilio_server):
    """The fake Twilio REST API, emptied for each test."""
    twilio_server.sent.clear()
    twilio_server.files.clear()
    twilio_server.failures.clear()
    twilio_server.requests.clear()
    twilio_server.hang_seconds = 3.0
    return twilio_server


@pytest.fixture(scope="session")
def worker() -> str:
    """This process's name under pytest-xdist (gw0, gw1…), else "master"."""
    return os.environ.get("PYTEST_XDIST_WORKER", "master")


@pytest.fixture(scope="session")
def set_up(tmp_path_factory, worker) -> Path:
    """`flask setup` on a fresh SQLite installation, run once for all test
    processes (~3 s); the tests that serve one copy it (`gunicorn.installed`)."""
    root = tmp_path_factory.getbasetemp()
    return gunicorn.set_up_once((root if worker == "master" else root.parent) / "installation")


@pytest.fixture(scope="session")
def db_url(tmp_path_factory, worker) -> str:
    return database_url(tmp_path_factory, worker)


@pytest.fixture(scope="session")
def shared_app(db_url, tmp_path_factory, twilio_server):
    """One app per test process: building one costs ~50 ms (Werkzeug compiles
    each URL rule), and its engine keeps SQLAlchemy's cache of compiled
    statements from one test to the next. Each test gets it back as it was
    made (`app`)."""
    app = create_app(app_config(db_url, str(tmp_path_factory.mktemp("uploads")), twilio_server.base_url))
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture(scope="session")
def org_snapshot(shared_app) -> OrgSnapshot:
    """Create the schema and load the organisation data file, once per session;
    return the organisation rows, to put them back after a test that changes
    them, and their fingerprint, to tell whether one did."""
    with shared_app.app_context():
        reset_schema()
        orgdata.load(DEFAULT_ORG_FILE)
        snapshot = read_org_data()
        _db.session.remove()
    return snapshot


@pytest.fixture
def app(request, shared_app, org_snapshot, tmp_path, fake_twilio):
    """The app with the organisation data and nothing else, its uploads in the
    test's own folder; its configuration and extensions are put back afterwards."""
    with pristine(shared_app, UPLOAD_DIR=str(tmp_path / "uploads")), shared_app.app_context():
        empty_working_tables()
        yield shared_app
        _db.session.remove()
        restore_org_data(request.node, org_snapshot)


@pytest.fixture
def redis_url(app, worker):
    """A real Redis for the queue (TEST_REDIS_URL; CI starts one), emptied."""
    url = redis_test_url(worker)
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide TEST_REDIS_URL (.ci/run starts redis-server)")
        pytest.skip("no TEST_REDIS_URL")
    from redis import Redis

    Redis.from_url(url).flushdb()
    app.config["REDIS_URL"] = url
    return url


@pytest.fixture
def live_server(app):
    """The app served on 127.0.0.1 in a thread, for browsers and HTTP clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db
