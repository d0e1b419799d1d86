"""Jobs on a real Redis with RQ: nothing is sent until a worker runs, then once."""

import pytest
from sqlalchemy import select

from feedback.models import OutboundMessage
from feedback.models import outbox
from tests.factories import add_sending_number, make_case


@pytest.mark.org_data
def test_outbox_waits_for_the_worker_then_sends_once(app, db, runner, fake_twilio, redis_url):
    add_sending_number()
    code = make_case(notify=True).code
    message = db.session.scalars(select(OutboundMessage)).one()
    message_id = message.id
    assert message.status == outbox.QUEUED and fake_twilio.sent == []

    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    # The worker ends each job by removing the session: read afresh.
    assert db.session.get(OutboundMessage, message_id).status == outbox.SENT
    assert len(fake_twilio.sent) == 1 and code in fake_twilio.sent[0]["Body"].replace(" ", "")

    # The same job delivered again (a worker killed after sending) sends nothing new.
    from feedback import jobs
    from feedback.services import notify

    jobs.enqueue(notify.send, message_id)
    runner.invoke(args=["worker", "--burst"])
    assert len(fake_twilio.sent) == 1


def test_worker_refuses_to_start_without_redis(runner):
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


@pytest.mark.org_data
def test_a_lost_job_is_picked_up_when_a_worker_starts(app, db, runner, fake_twilio, redis_url):
    from redis import Redis

    add_sending_number()
    make_case(notify=True)
    Redis.from_url(redis_url).flushdb()  # the queue lost its job; the outbox row did not
    result = runner.invoke(args=["worker", "--burst"])
    assert "Re-queued 1" in result.output
    assert len(fake_twilio.sent) == 1


def test_every_runs_a_schedule_in_its_own_app_context_and_survives_errors(app):
    import threading

    from flask import current_app

    from feedback import jobs

    runs = []
    twice = threading.Event()

    def tick():
        runs.append(current_app.name)
        if len(runs) == 1:
            raise RuntimeError("a failed run is logged, the next one still comes")
        twice.set()

    stop = jobs.every(0.02, tick)
    try:
        assert twice.wait(5)
    finally:
        stop.set()
    assert runs[:2] == [app.name, app.name]
