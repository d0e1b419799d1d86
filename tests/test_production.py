"""Production settings: /healthz, request ids on responses and log lines,
SECRET_KEY required with PRODUCTION=1, secure cookies behind https, and
gunicorn.conf.py as `make run` uses it."""
from __future__ import annotations

import io
import json
import logging
import os
import re
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config import settings
from feedback import create_app
from tests import gunicorn
from tests.database import redis_test_url
from tests.testapp import app_config

UNSIGNED_SMS = {"From": "+84912345678", "To": "+84888801247", "Body": "xin chao", "MessageSid": "SM1"}


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "off"}


def test_healthz_is_503_when_redis_does_not_answer(app, client):
    app.config["REDIS_URL"] = f"redis://127.0.0.1:{gunicorn.free_port()}/0"  # nothing listens
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "ok", "queue": "down"}


def test_healthz_pings_a_live_redis(app, client, worker):
    url = redis_test_url(worker)
    if not url:
        pytest.skip("no TEST_REDIS_URL")
    app.config["REDIS_URL"] = url
    assert client.get("/healthz").get_json()["queue"] == "ok"


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    missing = tmp_path / "no-such-folder" / "feedback.db"  # SQLite cannot create it
    broken = create_app(app_config(f"sqlite:///{missing}", str(tmp_path / "uploads")))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "down", "database": "down", "queue": "off"}


def _logged_request(client, path="/hotline/sms", **kwargs):
    """POST an unsigned webhook (the app logs a warning); the response and the log."""
    stream = io.StringIO()
    response = client.post(path, data=UNSIGNED_SMS, environ_overrides={"wsgi.errors": stream},
                           **kwargs)
    return response, stream.getvalue()


def test_each_request_has_an_id_on_its_response_and_its_log_lines(client):
    first, log = _logged_request(client)
    second, _ = _logged_request(client)
    assert first.status_code == 403
    request_id = first.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id) and second.headers["X-Request-ID"] != request_id
    assert f"[{request_id}] WARNING in twilio_auth: refused unsigned Twilio webhook" in log


def test_a_request_id_is_taken_from_a_trusted_proxy_only(app, client):
    chosen = {"X-Request-ID": "lb-7f3a-0001"}
    assert client.get("/healthz", headers=chosen).headers["X-Request-ID"] != "lb-7f3a-0001"
    app.config["PROXY_COUNT"] = 1
    assert client.get("/healthz", headers=chosen).headers["X-Request-ID"] == "lb-7f3a-0001"
    forged = client.get("/healthz", headers={"X-Request-ID": "a b\"c" + "x" * 200})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])


def test_log_format_json_writes_one_object_a_line(app, tmp_path):
    json_app = create_app({**app_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path)),
                           "LOG_FORMAT": "json"})
    response, log = _logged_request(json_app.test_client())
    lines = [json.loads(line) for line in log.splitlines()]
    assert lines and all(line["request_id"] == response.headers["X-Request-ID"] for line in lines)
    assert lines[0]["level"] == "WARNING" and "refused unsigned" in lines[0]["message"]


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    (tmp_path / settings.SECRET_KEY_FILE).write_text("a key written by make run")
    assert settings.from_environment(str(tmp_path))["SECRET_KEY"]  # development: the file
    monkeypatch.setenv("PRODUCTION", "1")
    with pytest.raises(settings.ConfigurationError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "too-short")
    with pytest.raises(settings.ConfigurationError, match="at least 32"):
        settings.from_environment(str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    assert settings.from_environment(str(tmp_path))["SECRET_KEY"] == "k" * 64


def test_cookies_are_secure_behind_https(monkeypatch, app, tmp_path):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://phananh.vungtau.example")
    secure = create_app({**app_config(app.config["SQLALCHEMY_DATABASE_URI"], str(tmp_path)),
                         "WTF_CSRF_ENABLED": True})  # the form puts its token in the session
    assert secure.config["SESSION_COOKIE_SECURE"] and secure.config["REMEMBER_COOKIE_SECURE"]
    cookies = secure.test_client().get("/submit").headers.getlist("Set-Cookie")
    session = [cookie for cookie in cookies if cookie.startswith("session=")]
    assert session and "Secure" in session[0] and "HttpOnly" in session[0]
    assert not app.config["SESSION_COOKIE_SECURE"]  # http: make run on 127.0.0.1


def test_gunicorn_conf_reads_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    conf = runpy.run_path(str(settings.ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == "127.0.0.1:8123" and conf["workers"] == 3
    assert conf["timeout"] < 15 and conf["graceful_timeout"] > 0  # Twilio waits 15 s
    assert conf["accesslog"] == "-" and "x-request-id" in conf["access_log_format"]
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    monkeypatch.delenv("WEB_CONCURRENCY")
    conf = runpy.run_path(str(settings.ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == "0.0.0.0:9000" and 1 <= conf["workers"] <= 8


def test_json_access_lines_carry_the_request_id_and_the_worker(monkeypatch):
    """LOG_FORMAT=json: gunicorn's access line is one JSON object, with the
    request id the response gave and the pid of the worker that answered."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    logger = runpy.run_path(str(settings.ROOT / "gunicorn.conf.py"))["logger_class"](_access_config())
    lines = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(lines)]
    response = SimpleNamespace(status="200 OK", headers=[("X-Request-ID", "r-42")], sent=46,
                               response_length=46)
    request = SimpleNamespace(headers=[], method="GET", path="/healthz", query="", uri="/healthz",
                              version=(1, 1))
    environ = {"REMOTE_ADDR": "127.0.0.1", "REQUEST_METHOD": "GET", "RAW_URI": "/healthz",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/healthz", "QUERY_STRING": ""}
    logger.access(response, request, environ, timedelta(milliseconds=4))
    entry = json.loads(lines.getvalue())
    assert entry["request"] == "GET /healthz HTTP/1.1" and entry["status"] == "200"
    assert entry["request_id"] == "r-42" and entry["pid"] == os.getpid()


def _access_config() -> Config:
    config = Config()
    config.set("accesslog", "-")
    return config
