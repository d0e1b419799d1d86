"""Rate limits that mean what they say: counters every worker shares, and the
client address as the configured proxies report it.

`memory://` counts in each process, so with two gunicorn workers "10 per
minute" allowed 20. With REDIS_URL the counters are in Redis; without it they
are in the app's own database (`database://`, the `rate_limits` table), which
every worker on the host (and every host, on PostgreSQL) shares.

Each hit is one atomic statement (INSERT … ON CONFLICT DO UPDATE … RETURNING,
on SQLite and PostgreSQL) in its own short transaction, apart from the
request's. The strategy is Flask-Limiter's default fixed window, as the
`limits` memory and Redis storages keep it: a window opens at a key's first hit
and lasts the limit's period.
"""
from __future__ import annotations

import hashlib
import time
from functools import lru_cache

from flask import Flask
from limits.storage import Storage
from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import db
from .models import RateLimitCounter

# Expired counters are deleted every this many hits (per process).
PURGE_EVERY = 500
_KEY_LENGTH = RateLimitCounter.__table__.c.key.type.length


def _key(key: str) -> str:
    """The key as stored: a long one (an IPv6 address and a long endpoint) by its digest."""
    if len(key) <= _KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


@lru_cache(maxsize=2)
def _hit(dialect_name: str):
    """The upsert of one hit, built once: its values come with each execution."""
    table = RateLimitCounter.__table__
    insert = (postgresql if dialect_name == "postgresql" else sqlite).insert(table)
    ended = table.c.expires_at <= bindparam("now")
    return insert.on_conflict_do_update(index_elements=[table.c.key], set_={
        "count": case((ended, insert.excluded["count"]), else_=table.c.count + insert.excluded["count"]),
        "expires_at": case((ended, insert.excluded.expires_at), else_=table.c.expires_at),
    }).returning(table.c.count)


class DatabaseStorage(Storage):
    """A `limits` storage in the app's database (needs an app context, as
    every rate-limited request has)."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._hits = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count `amount` hits; a window that has ended starts again. Returns the count."""
        now = time.time()
        with db.engine.begin() as conn:
            count = conn.execute(_hit(db.engine.dialect.name), {
                "key": _key(key), "count": amount, "expires_at": now + expiry, "now": now,
            }).scalar_one()
        self._purge_now_and_then(now)
        return count

    def _purge_now_and_then(self, now: float) -> None:
        self._hits += 1
        if self._hits % PURGE_EVERY == 0:
            with db.engine.begin() as conn:
                conn.execute(delete(RateLimitCounter).where(RateLimitCounter.expires_at <= now))

    def _current(self, column, key: str):
        with db.engine.connect() as conn:
            return conn.execute(select(column).where(
                RateLimitCounter.key == _key(key), RateLimitCounter.expires_at > time.time())
            ).scalar_one_or_none()

    def get(self, key: str) -> int:
        return self._current(RateLimitCounter.count, key) or 0

    def get_expiry(self, key: str) -> float:
        return self._current(RateLimitCounter.expires_at, key) or time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            count = conn.execute(select(func.count()).select_from(RateLimitCounter)).scalar_one()
            conn.execute(delete(RateLimitCounter))
        return count

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(RateLimitCounter).where(RateLimitCounter.key == _key(key)))


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT reverse proxies, take the client's address (and the
    scheme) from the X-Forwarded-* headers they add, so that the limits, the
    audit log and the sign-in see each client apart. With 0 (the default)
    those headers are ignored: a client cannot choose its own address."""
    count = app.config["PROXY_COUNT"]
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
