"""Idempotency by unique constraint: a delivery takes effect once, whoever races."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import WebhookReceipt


def first_delivery(kind: str, key: str) -> bool:
    """Record (kind, key) inside the current transaction; False if it was seen before.

    A savepoint keeps the surrounding transaction usable after a duplicate.
    """
    try:
        with db.session.begin_nested():
            db.session.add(WebhookReceipt(kind=kind, key=key[:120]))
    except IntegrityError:
        return False
    return True
