"""Idempotency by unique constraint: a delivery takes effect once, whoever races.

Every webhook claims its provider id with an INSERT … ON CONFLICT DO NOTHING
that cannot raise into the request, and keeps its work only if it won. The
claim and the work share one transaction, so the unique key is what serialises
the copies: on PostgreSQL a second INSERT of the same key waits for the first
transaction and then does nothing; on SQLite writers take turns. Most webhooks
claim first; an inbound SMS decides first, under its sender's lock
(`one_at_a_time`), and claims with its writes at the end. A winner that dies
(a worker killed mid-request) rolls back its claim with its work, and the
provider's next retry is processed afresh: nothing is lost.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from .. import sqlite_writers
from ..extensions import db, run
from ..models import WebhookReceipt

_INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def dialect() -> str:
    return db.session.get_bind().dialect.name


@lru_cache(maxsize=32)
def _insert_once(dialect_name: str, model, unique: tuple[str, ...]):
    """Built once: the values come with each execution."""
    return (_INSERTS[dialect_name](model.__table__)
            .on_conflict_do_nothing(index_elements=list(unique)).returning(model.__table__.c.id))


def insert_once(model, values: dict, unique: list[str]) -> int | None:
    """INSERT a row unless one with the same `unique` columns exists; the new
    row's id, or None when another delivery holds the key (after that
    delivery's transaction ended, on PostgreSQL)."""
    return run(_insert_once(dialect(), model, tuple(unique)), values).scalar()


def first_delivery(kind: str, key: str) -> bool:
    """Claim (kind, key) inside the current transaction; False if it was seen before.

    The caller bounds `key` (webhook ids are checked at the edge): it is never
    cut, so two different deliveries can never share a receipt.
    """
    return insert_once(WebhookReceipt, {"kind": kind, "key": key}, ["kind", "key"]) is not None


@contextmanager
def one_at_a_time(name: str) -> Iterator[None]:
    """Serialise the work on one thing that has no row to lock (one sender's
    SMS thread); its transaction must end inside the block. PostgreSQL takes
    an advisory lock until the transaction ends; on SQLite the host's lock
    for the name is held (sqlite_writers.py), so that the work can read and
    decide outside the writers' turn, which it takes only for its writes."""
    if dialect() == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
        yield
        return
    turn = sqlite_writers.turn_of(db.session.get_bind())
    if turn is None:
        yield
        return
    with turn.one_at_a_time(name):
        yield
