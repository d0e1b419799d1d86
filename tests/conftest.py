"""Fixtures: app, client, runner, db, and plain make_* factories.

Tests run on SQLite by default; set TEST_DATABASE_URL (postgresql+psycopg://…)
to run the same suite on PostgreSQL, as .ci/run does.
"""
from __future__ import annotations

import os

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from config.settings import DEFAULT_ORG_FILE
from feedback import create_app
from feedback.extensions import db as _db
from feedback.services import intake, orgdata
from tests.fakes import twilio_server as twilio_fake
from tests.fakes import webhooks


def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


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
def db_url(tmp_path_factory) -> str:
    return database_url(tmp_path_factory)


def drop_everything(db=_db) -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def reset_schema() -> None:
    """Empty database with the current schema (faster than migrations per test)."""
    drop_everything()
    _db.create_all()


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and session),
    as in production, even though the test holds one open for its own queries."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(db_url, tmp_path, fake_twilio):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "FEEDBACK_ORG": str(DEFAULT_ORG_FILE),
        "PUBLIC_BASE_URL": webhooks.PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": twilio_fake.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": twilio_fake.AUTH_TOKEN,
        "TWILIO_API_BASE": fake_twilio.base_url,
        "TWILIO_TIMEOUT": 1.0,
        "SMS_GATEWAY_SECRET": "gateway-secret-for-tests",
        "REDIS_URL": "",
    })
    app.test_client_class = FreshContextClient
    with app.app_context():
        reset_schema()
        orgdata.load(DEFAULT_ORG_FILE)
        yield app
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    return _db


def make_submission(**overrides) -> intake.Submission:
    values = dict(
        kind="phan-anh", channel="web", reporter_type="citizen",
        description="Hồ sơ đăng ký khai sinh của con tôi bị trễ hẹn hai tuần.",
        name="Nguyễn Văn An", phone="0912 345 678",
    )
    values.update(overrides)
    return intake.Submission(**values)


def make_case(**overrides):
    return intake.submit(make_submission(**overrides))


SENDING_NUMBER = "+15005550006"


def add_sending_number(hotline_code: str = "hl-citizen") -> str:
    """Give a hotline the Twilio number its SMS go out from."""
    from feedback.models import Hotline, HotlineNumber

    hotline = _db.session.scalars(_db.select(Hotline).filter_by(code=hotline_code)).one()
    _db.session.add(HotlineNumber(hotline=hotline, e164=SENDING_NUMBER, sends=True))
    _db.session.commit()
    return SENDING_NUMBER
