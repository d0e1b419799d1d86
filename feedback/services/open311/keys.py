"""API keys of the Open311 clients: made, listed, revoked, checked.

A key is 32 random bytes shown once; only its SHA-256 is kept, so it is looked
up by hash (a key has far too much entropy for a slow hash to matter)."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from ...domain.text import clean_line
from ...extensions import db
from ...models import ApiClient
from ...models.types import utcnow
from ..errors import Rejected

MAX_NAME = 100
MAX_KEY = 200


def digest(key: str) -> str:
    """How a key is stored and looked up."""
    return hashlib.sha256(key.encode()).hexdigest()


def create(name: str) -> tuple[ApiClient, str]:
    """A new client and its key (the only time the key exists in clear)."""
    name = clean_line(name)
    if not name or len(name) > MAX_NAME:
        raise Rejected({"name": f"a name of 1 to {MAX_NAME} characters"})
    if db.session.scalar(select(ApiClient.id).where(ApiClient.name == name)) is not None:
        raise Rejected({"name": f"a client named {name!r} exists already"})
    key = secrets.token_urlsafe(32)
    client = ApiClient(name=name, key_hash=digest(key))
    db.session.add(client)
    db.session.commit()
    return client, key


def clients() -> list[ApiClient]:
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.name)))


def revoke(name: str) -> ApiClient:
    client = db.session.scalars(select(ApiClient).where(ApiClient.name == clean_line(name))).first()
    if client is None:
        raise Rejected({"name": f"no client named {name!r}"}, 404)
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        db.session.commit()
    return client


def client_of(key: str | None) -> ApiClient | None:
    """The active client holding `key`, or None. Marks when it was last used
    (in the caller's transaction)."""
    if not key or len(key) > MAX_KEY:
        return None
    client = db.session.scalars(select(ApiClient).where(ApiClient.key_hash == digest(key))).first()
    if client is None or not client.active:
        return None
    client.last_used_at = utcnow()
    return client
