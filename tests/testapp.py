"""The app as the tests build it: its configuration, a test client that gives
each request its own app context, and the app put back as it was after a test."""
from __future__ import annotations

from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient

from config.settings import DEFAULT_ORG_FILE
from feedback.extensions import limiter

from tests.fakes import twilio_server as twilio_fake
from tests.fakes import webhooks


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and session),
    as in production, even though the test holds one open for its own queries."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def app_config(db_url: str, upload_dir: str, twilio_base_url: str = "") -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "UPLOAD_DIR": upload_dir,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "FEEDBACK_ORG": str(DEFAULT_ORG_FILE),
        "PUBLIC_BASE_URL": webhooks.PUBLIC_BASE_URL,
        "TWILIO_ACCOUNT_SID": twilio_fake.ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": twilio_fake.AUTH_TOKEN,
        "TWILIO_API_BASE": twilio_base_url,
        "TWILIO_TIMEOUT": 1.0,
        "SMS_GATEWAY_SECRET": "gateway-secret-for-tests",
        "REDIS_URL": "",
        # scrypt at 1/32 of its cost: a test signs in often (tests/test_sessions.py
        # checks that the service's own default is the full cost).
        "PASSWORD_METHOD": "scrypt:1024:8:1",
    }


@contextmanager
def pristine(app: Flask, **config):
    """The app with `config` for one test; afterwards its configuration and
    extensions are as they were, whatever the test changed. The rate limiter is
    one object for every app in the process: another test's app may have
    switched it on, so it is bound to this app's settings again."""
    saved, extensions = dict(app.config), set(app.extensions)
    app.config.update(config)
    limiter.init_app(app)
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(saved)
        for name in set(app.extensions) - extensions:
            del app.extensions[name]
