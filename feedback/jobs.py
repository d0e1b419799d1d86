"""Background jobs: on RQ when REDIS_URL is set, otherwise run right away.

Callers enqueue after their commit, passing ids, never objects, so a job reads
the committed state and can run again safely (each job is idempotent).
"""
from __future__ import annotations

import threading
from functools import wraps

from flask import current_app
from redis import Redis
from rq import Queue, SimpleWorker

from .extensions import db

QUEUE = "feedback"


def _queue() -> Queue:
    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


def enqueue(function, *args) -> None:
    if current_app.config["REDIS_URL"]:
        _queue().enqueue(f"{function.__module__}.{function.__qualname__}", *args,
                         job_timeout=120, retry=None)
    else:
        function(*args)


def run_worker(burst: bool = False) -> None:
    """Work the queue in this process, inside the app context (flask --app app worker).

    A SimpleWorker runs jobs without forking, so they share the app and its
    database engine; a job killed half-way leaves its row in a visible state
    (an SMS stays `sending`, never sent twice).
    """
    queue = _queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)


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
