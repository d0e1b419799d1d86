"""gunicorn's settings for this service: `gunicorn -c gunicorn.conf.py app:app`
(gunicorn reads this file by itself when started from the repository).

Everything an operator may change comes from the environment:

  PORT             the port to listen on, on 127.0.0.1 (5000)
  BIND             or the whole address (BIND=0.0.0.0:8000 behind a load balancer)
  WEB_CONCURRENCY  worker processes (default 2 × CPUs + 1, at most 8; WORKERS also read)
  THREADS          threads per worker (4: a request waiting on the database or
                   on Twilio does not hold a whole process)
  GUNICORN_TIMEOUT seconds before a stuck worker is killed and replaced (10)
  LOG_FORMAT       json: access lines as JSON objects, like the app's (feedback/request_log.py)
  ACCESS_LOG       where the access log goes ("-": standard output; empty: none)
  MAX_REQUESTS     replace a worker after about so many requests (0: never)

Twilio gives up on a webhook after 15 s and retries it; a request still running
by then is wasted work, so a stuck worker is killed well before (10 s), and the
slow work (notifications, media) runs in jobs, not in the request.
"""
import faulthandler
import json
import os

from gunicorn.glogging import Logger


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("BIND", "").strip() or f"127.0.0.1:{_int('PORT', 5000)}"
workers = _int("WEB_CONCURRENCY", _int("WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8)))
worker_class = "gthread"
threads = _int("THREADS", 4)

timeout = _int("GUNICORN_TIMEOUT", 10)     # well under Twilio's 15 s
graceful_timeout = 20                      # a restart lets requests in flight finish
keepalive = 5                              # behind a load balancer that reuses connections
# MAX_REQUESTS: replace a worker after about so many requests (jittered, so
# not all at once), to bound what a slow leak could take; 0 (default): never.
max_requests = _int("MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10

# The access log on standard output, the app's and gunicorn's own log on
# standard error; both carry the request id (the X-Request-ID response header).
# ACCESS_LOG=: no access log (a load balancer that logs each request already).
accesslog = os.environ.get("ACCESS_LOG", "-") or None
errorlog = "-"
# The worker's pid (<1234>) ties a request to that worker's lines, a crash's too.
access_log_format = '%(h)s %(p)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'


def post_worker_init(worker):
    """A worker that crashes in C code (a segmentation fault) first writes each
    of its threads' Python stack to the error log, for the report."""
    faulthandler.enable()


# Several gunicorns on one host (tests, a blue/green switch) would share the
# default control socket path; nothing here uses `gunicornc`.
control_socket_disable = True


class JsonAccessLogger(Logger):
    """Access lines as JSON objects, one a line, for a log collector."""

    FIELDS = {"remote": "h", "request": "r", "method": "m", "path": "U", "status": "s",
              "bytes": "B", "duration_ms": "M", "user_agent": "a",
              "request_id": "{x-request-id}o"}

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {name: atoms.get(atom, "-") for name, atom in self.FIELDS.items()}
        entry["pid"] = os.getpid()   # the worker's
        self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))


if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logger_class = JsonAccessLogger
