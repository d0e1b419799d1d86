"""Messages left waiting in the outbox, sent by the scheduled run
(`flask --app app jobs run-due`, from cron or the worker, on any number of hosts).

A message is normally sent right after its commit (notify.dispatch). If the
process died before, or its job was lost with Redis, the row stays `queued`;
the scheduled run picks up those older than a minute.

Without a queue the run sends them itself, in batches claimed with one
statement: `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`.
On PostgreSQL a second host running at the same moment skips the rows the
first has locked and takes the next ones, so two hosts never pick the same
message (and never wait for each other); SQLite has one writer at a time, so
the statement is atomic there anyway. With Redis the run only enqueues them:
RQ keeps one job per message, and the job's own claim (queued → sending, one
row, atomic) means a message is sent once whatever happens.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from ..extensions import db
from ..models import OutboundMessage
from ..models import outbox
from ..models.types import utcnow
from . import notify

# Younger rows are still on their way (sent after the response, or queued in RQ).
GRACE = timedelta(minutes=1)
BATCH = 100


def claim_waiting(older_than: datetime, limit: int = BATCH) -> list[int]:
    """queued → sending for up to `limit` rows no other transaction holds;
    their ids. No commit: the caller's commit makes the claim visible."""
    picked = (select(OutboundMessage.id)
              .where(OutboundMessage.status == outbox.QUEUED, OutboundMessage.created_at < older_than)
              .order_by(OutboundMessage.id).limit(limit)
              .with_for_update(skip_locked=True))
    claimed = db.session.execute(
        update(OutboundMessage).where(OutboundMessage.id.in_(picked.scalar_subquery()))
        .values(status=outbox.SENDING, attempts=OutboundMessage.attempts + 1, updated_at=utcnow())
        .returning(OutboundMessage.id)
        .execution_options(synchronize_session=False)
    ).scalars().all()
    return sorted(claimed)


def send_waiting(now: datetime | None = None) -> int:
    """Send (or, with Redis, enqueue) the messages left waiting; how many."""
    older_than = (now or utcnow()) - GRACE
    if current_app.config["REDIS_URL"]:
        return notify.requeue_waiting(older_than=older_than)
    total = 0
    while ids := claim_waiting(older_than):
        db.session.commit()
        for message_id in ids:
            notify.deliver(message_id)
        total += len(ids)
    return total
