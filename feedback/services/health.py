"""Is this app server able to serve? `/healthz`, for the load balancer.

Cheap on purpose (a load balancer asks every few seconds, on every server):
one `SELECT 1`, and a Redis PING when a queue is configured, each bounded by
a short timeout so that a hung dependency reports "down" instead of hanging the
check. Nothing is written and no row is read.
"""
from __future__ import annotations

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

OK, DOWN, OFF = "ok", "down", "off"
REDIS_TIMEOUT = 1.0  # seconds


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("healthz: the database does not answer", exc_info=True)
        db.session.rollback()
        return DOWN
    return OK


def _redis() -> Redis:
    """One client per app (and its connection pool), made on first use."""
    client = current_app.extensions.get("healthz_redis")
    if client is None:
        client = Redis.from_url(current_app.config["REDIS_URL"], socket_timeout=REDIS_TIMEOUT,
                                socket_connect_timeout=REDIS_TIMEOUT)
        current_app.extensions["healthz_redis"] = client
    return client


def _queue() -> str:
    if not current_app.config["REDIS_URL"]:
        return OFF
    try:
        _redis().ping()
    except (RedisError, OSError):
        current_app.logger.warning("healthz: Redis does not answer", exc_info=True)
        return DOWN
    return OK


def check() -> tuple[dict[str, str], bool]:
    """The state of each dependency, and whether the server is healthy."""
    found = {"database": _database(), "queue": _queue()}
    healthy = DOWN not in found.values()
    return {"status": OK if healthy else DOWN, **found}, healthy
