"""Rate limits that mean what they say: a limit of N is N across all gunicorn
workers (the counters are in the database without Redis; checked on `make run`
as it is in tests/test_make_run.py), and behind a configured number of reverse
proxies each client has its own bucket.

(Before: "10 per minute" allowed 20 with two workers, since `memory://`
counts per process; behind a proxy every client shared one bucket.)
"""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from config import settings
from feedback import create_app
from feedback.domain import trackcode
from feedback.models import AuditEntry
from tests.testapp import app_config
from tests.staff import make_user, sign_in


@pytest.fixture
def limited(db_url, tmp_path, app):
    """Another app on the test database with the limits on (the `app` fixture
    has emptied the tables, the counters too)."""
    def make(**config):
        return create_app({**app_config(db_url, str(tmp_path)), "RATELIMIT_ENABLED": True,
                           **config})
    return make


def track(client, **headers):
    return client.get(f"/track/{trackcode.generate()}", headers=headers)


def test_a_limit_counts_every_request_and_says_what_is_left(limited):
    client = limited(TRACK_RATE_LIMIT="3 per minute").test_client()
    responses = [track(client) for _ in range(4)]
    assert [r.status_code for r in responses] == [404, 404, 404, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in responses[:3]] == ["2", "1", "0"]
    assert int(responses[3].headers["Retry-After"]) in range(55, 61)


def test_a_limit_holds_when_requests_arrive_at_once(limited):
    """Each hit is one atomic statement: no two requests read the same count."""
    app = limited(TRACK_RATE_LIMIT="10 per minute")

    def fetch(_):
        with app.app_context():
            return track(app.test_client()).status_code
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(fetch, range(30)))
    assert sorted(statuses) == [404] * 10 + [429] * 20


def test_a_window_that_has_ended_starts_again(limited):
    client = limited(TRACK_RATE_LIMIT="2 per 1 second").test_client()
    assert [track(client).status_code for _ in range(3)] == [404, 404, 429]
    time.sleep(1.1)
    assert [track(client).status_code for _ in range(3)] == [404, 404, 429]


def test_without_a_proxy_forwarded_addresses_are_ignored(limited):
    client = limited(TRACK_RATE_LIMIT="2 per minute", PROXY_COUNT=0).test_client()
    statuses = [track(client, **{"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                for i in range(3)]
    assert statuses == [404, 404, 429]  # one client, whatever it claims to be


def test_behind_a_proxy_each_client_has_its_own_bucket(limited):
    client = limited(TRACK_RATE_LIMIT="2 per minute", PROXY_COUNT=1).test_client()
    first = [track(client, **{"X-Forwarded-For": "203.0.113.7"}).status_code for _ in range(3)]
    other = [track(client, **{"X-Forwarded-For": "203.0.113.8"}).status_code for _ in range(3)]
    assert first == other == [404, 404, 429]
    # Only the address the proxy itself appended counts: a client cannot pick a new bucket.
    spoofed = track(client, **{"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    assert spoofed.status_code == 429


def test_behind_a_proxy_the_audit_log_has_the_clients_address(limited, db):
    app = limited(PROXY_COUNT=1)
    make_user("tongdai@vungtau.example")
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
    assert sign_in(client, "tongdai@vungtau.example").status_code == 302
    entry = db.session.scalars(select(AuditEntry).filter_by(action="auth.sign_in")).one()
    assert entry.address == "203.0.113.9"


def test_the_counters_are_in_redis_when_redis_url_is_set_else_in_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert settings.from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("REDIS_URL")
    assert settings.from_environment(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "database://"


