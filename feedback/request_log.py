"""The app's log: one line per event, each carrying the id of its request.

Each request gets an id: the `X-Request-ID` a trusted proxy set (only when
PROXY_COUNT trusts one, since a client could otherwise choose the id that ties
its lines to someone else's), else a new one. It is sent back in the response's
`X-Request-ID`, which gunicorn's access log prints (gunicorn.conf.py), and is on
every line the app logs while serving the request, so that one request can be
followed from the load balancer to the database error. Lines are plain text,
or JSON objects one a line when LOG_FORMAT=json (for a log collector).
"""
from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import datetime, timezone

from flask import Flask, current_app, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream

HEADER = "X-Request-ID"
# What a proxy's id may look like: a UUID, a hex string, a trace id…, nothing longer.
_VALID_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
PLAIN_FORMAT = "[%(asctime)s] [%(request_id)s] %(levelname)s in %(module)s: %(message)s"
NO_REQUEST = "-"


def current_request_id() -> str:
    """The id of the request being served, or "-" outside one (jobs, commands).
    Made on first use, so that a request refused before any view (a 400 from
    the input guard, a 429) has one too."""
    if not has_request_context():
        return NO_REQUEST
    if "request_id" not in g:
        g.request_id = _incoming_id() or uuid.uuid4().hex
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record the handler sees."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, module, request id, message."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "module": record.module,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class AppLogHandler(logging.StreamHandler):
    """Writes where Flask's default handler does (gunicorn's error log)."""


def handler(log_format: str) -> logging.Handler:
    made = AppLogHandler(wsgi_errors_stream)
    made.addFilter(RequestIdFilter())
    made.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(PLAIN_FORMAT))
    return made


def _incoming_id() -> str | None:
    """The proxy's id, if a proxy is trusted and the id is well formed."""
    if not current_app.config["PROXY_COUNT"]:
        return None
    given = request.headers.get(HEADER, "")
    return given if _VALID_ID.fullmatch(given) else None


def init_app(app: Flask) -> None:
    """Replace Flask's default handler by ours and give each request its id.
    The logger is shared by every app of the process (tests make many): the
    handler an earlier app added is replaced, not doubled."""
    for previous in [h for h in app.logger.handlers if isinstance(h, AppLogHandler)]:
        app.logger.removeHandler(previous)
    app.logger.removeHandler(default_handler)
    app.logger.addHandler(handler(app.config["LOG_FORMAT"]))

    @app.before_request
    def assign_request_id() -> None:
        current_request_id()

    @app.after_request
    def send_request_id(response):
        response.headers[HEADER] = current_request_id()
        return response
