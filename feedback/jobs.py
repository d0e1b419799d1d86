"""Background jobs: on RQ when REDIS_URL is set, otherwise run right away.

Callers enqueue after their commit, passing ids, never objects, so a job reads
the committed state and can run again safely (each job is idempotent). In a
web request, `after_response` holds them until the response has gone out:
the reporter's SMS or a picture's download never delays the answer (nor,
inline, a Twilio webhook's 15 seconds). Tests (TESTING) run them at once,
unless JOBS_AFTER_RESPONSE says otherwise, so that they stay deterministic.
"""
from __future__ import annotations

import hashlib
import threading
from functools import wraps

from flask import after_this_request, current_app, g, has_request_context
from redis import Redis
from rq import Queue, Retry, SimpleWorker
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job, JobStatus

from .extensions import db

QUEUE = "feedback"


def _queue() -> Queue:
    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(function, *args) -> None:
    if current_app.config["REDIS_URL"]:
        _enqueue_once(_queue(), f"{function.__module__}.{function.__qualname__}", args)
    else:
        function(*args)


# A job that raises (the database or Twilio away) is tried again after 10 s, 1 and 5 min.
RETRY = Retry(max=3, interval=[10, 60, 300])
_WAITING = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def _enqueue_once(queue: Queue, name: str, args: tuple) -> None:
    """One job per (function, arguments) at a time: its id is made from them and
    RQ refuses a second while the first waits, runs or awaits a retry. A finished
    job leaves nothing behind (result_ttl=0) and a failed one is replaced, so the
    same work may be asked for again later."""
    job_id = "feedback-" + hashlib.sha256(repr((name, args)).encode()).hexdigest()[:40]
    for _ in range(3):
        try:
            queue.enqueue(name, *args, job_id=job_id, unique=True, job_timeout=120,
                          retry=RETRY, result_ttl=0)
            return
        except DuplicateJobError:
            try:
                earlier = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue  # it ended meanwhile: enqueue again
            if earlier.get_status() in _WAITING:
                return
            earlier.delete()


def after_response(function, *args) -> None:
    """Enqueue `function(*args)` once this request's response is sent (by the
    server closing it); outside a request, now. Whatever it sends is already
    committed as queued, so a process dying meanwhile loses nothing."""
    if not (has_request_context()
            and current_app.config.get("JOBS_AFTER_RESPONSE", not current_app.testing)):
        enqueue(function, *args)
        return
    if "after_response_jobs" not in g:
        g.after_response_jobs = held = []
        app = current_app._get_current_object()

        @after_this_request
        def _when_sent(response):
            response.call_on_close(lambda: _run_held(app, held))
            return response
    g.after_response_jobs.append((function, args))


def _run_held(app, held: list) -> None:
    with app.app_context():
        for function, args in held:
            try:
                enqueue(function, *args)
            except Exception:  # one failed job must not keep the others back
                app.logger.exception("job %s after the response failed", function.__name__)


def run_worker(burst: bool = False) -> None:
    """Work the queue in this process, inside the app context (flask --app app worker).

    A SimpleWorker runs jobs without forking, so they share the app and its
    database engine; a job killed half-way leaves its row in a visible state
    (an SMS stays `sending`, never sent twice).
    """
    queue = _queue()
    # The scheduler puts retried jobs back on the queue when their interval ends.
    SimpleWorker([queue], connection=queue.connection).work(burst=burst, with_scheduler=True)


def job(function):
    """Mark a job function: it leaves no session behind, in a worker or inline."""

    @wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            if current_app.config["REDIS_URL"]:
                db.session.remove()

    return wrapper


def every(seconds: float, function) -> threading.Event:
    """Run `function()` every `seconds` in a daemon thread with its own app
    context, beside the worker. Each run is idempotent, so several workers on
    several hosts may all do it; a failed run is logged and tried again.
    Set the returned event to stop."""
    app = current_app._get_current_object()
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            with app.app_context():
                try:
                    function()
                except Exception:  # keep the schedule alive; the next run retries
                    app.logger.exception("scheduled %s failed", function.__name__)
                finally:
                    db.session.remove()

    threading.Thread(target=loop, name=f"every-{function.__name__}", daemon=True).start()
    return stop
