"""Scheduled work on several hosts: messages left waiting are claimed with
FOR UPDATE SKIP LOCKED (two hosts never pick the same), and RQ jobs are
retried with backoff and never queued twice."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from feedback.extensions import db
from feedback.models import OutboundMessage
from feedback.models import outbox
from feedback.models.types import utcnow
from feedback.services import outbox_sweep
from tests.factories import add_sending_number, make_case


def left_waiting(count: int) -> list[int]:
    """`count` SMS committed as queued whose sending never happened (a process
    died after its commit), old enough for the scheduled run."""
    add_sending_number()
    for number in range(count):
        make_case(notify=True, phone=f"0912 000 {number:03d}")
    db.session.execute(update(OutboundMessage).values(
        status=outbox.QUEUED, created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    return list(db.session.scalars(select(OutboundMessage.id).order_by(OutboundMessage.id)))


@pytest.mark.org_data
def test_run_due_sends_what_was_left_waiting_once(app, runner, fake_twilio):
    ids = left_waiting(3)
    fake_twilio.sent.clear()
    first = runner.invoke(args=["jobs", "run-due"])
    assert first.exit_code == 0 and "3 waiting messages sent" in first.output, first.output
    again = runner.invoke(args=["jobs", "run-due"])
    assert "0 waiting messages sent" in again.output
    assert len(fake_twilio.sent) == 3
    statuses = db.session.scalars(select(OutboundMessage.status).where(OutboundMessage.id.in_(ids)))
    assert set(statuses) == {outbox.SENT}


@pytest.mark.org_data
def test_a_message_still_on_its_way_is_left_alone(app, fake_twilio):
    left_waiting(1)
    db.session.execute(update(OutboundMessage).values(created_at=utcnow()))
    db.session.commit()
    assert outbox_sweep.send_waiting() == 0


@pytest.mark.org_data
def test_two_hosts_claim_disjoint_rows(app, fake_twilio):
    """Host A claims a batch and has not committed yet when host B claims: on
    PostgreSQL B skips A's locked rows and takes the next ones at once (it
    neither waits nor takes them); on SQLite the claims follow one another."""
    ids = left_waiting(6)
    older_than = utcnow()
    if db.engine.dialect.name != "postgresql":
        first, second = outbox_sweep.claim_waiting(older_than, 3), None
        db.session.commit()
        second = outbox_sweep.claim_waiting(older_than, 3)
        db.session.commit()
    else:
        first, second = _claim_at_once(app, older_than)
    assert len(first) == len(second) == 3
    assert not set(first) & set(second) and sorted(first + second) == ids


def _claim_at_once(app, older_than):
    a_claimed, b_done = threading.Event(), threading.Event()
    found = {}

    def host(name: str, wait_for: threading.Event | None, signal: threading.Event):
        with app.app_context():
            if wait_for is not None:
                assert wait_for.wait(10)
            found[name] = outbox_sweep.claim_waiting(older_than, 3)
            signal.set()
            if name == "a":  # A holds its locks until B has claimed, or gives up
                found["b_did_not_wait"] = b_done.wait(10)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=host, args=("a", None, a_claimed)),
               threading.Thread(target=host, args=("b", a_claimed, b_done))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert found["b_did_not_wait"], "B waited for the rows A had locked"
    return found["a"], found["b"]


def test_a_job_is_queued_once_and_retried_with_backoff(app, redis_url, monkeypatch):
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    from feedback import jobs
    from feedback.services import notify

    jobs.enqueue(notify.send, 41)
    jobs.enqueue(notify.send, 41)  # the same work asked for twice: one job
    queue = Queue(jobs.QUEUE, connection=jobs._queue().connection)
    assert len(queue) == 1
    job_id = queue.job_ids[0]

    def database_away(message_id):
        raise RuntimeError("the database is away")

    monkeypatch.setattr(notify, "_claim", database_away)
    jobs.run_worker(burst=True)
    scheduled = ScheduledJobRegistry(queue=queue)
    assert job_id in scheduled and len(queue) == 0  # to be tried again in 10 s
    assert queue.fetch_job(job_id).retries_left == 2

    jobs.enqueue(notify.send, 41)  # asked for again while it awaits its retry: still one
    assert len(queue) == 0 and scheduled.get_job_ids() == [job_id]
