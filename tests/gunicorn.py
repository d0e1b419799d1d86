"""The service as `make run` serves it: the database `flask setup` makes, a
copy of its own for each test (`installed`), then gunicorn with several
workers on 127.0.0.1, as child processes.

For the tests that only hold across processes: rate limits shared by the
workers, SQLite under concurrent writers, what gunicorn's output shows.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from config.settings import ROOT

BIN = Path(sys.executable).parent


def environment(tmp_path: Path, database_url: str | None = None, **overrides: str) -> dict:
    """The environment of a fresh installation in tmp_path (SQLite by default)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TWILIO_", "SMTP_", "REDIS_", "DATABASE_", "SECRET_"))
           and key not in ("BIND", "ACCESS_LOG", "LOG_FORMAT")}
    env.update({
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'feedback.db'}",
        "SECRET_KEY": "live-server-tests", "UPLOAD_DIR": str(tmp_path / "uploads"),
        "SMS_SENDER": "log", "PYTHONUNBUFFERED": "1",
    })
    env.update(overrides)
    return env


def flask(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run `flask --app app ARGS` as the README says; fail with its output."""
    done = subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


def set_up_once(folder: Path) -> Path:
    """The database `flask setup` makes on a fresh installation, made once in
    `folder` for every test process that asks (they wait for the first)."""
    database = folder / "feedback.db"
    with open(f"{folder}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            making = folder.with_name(f"{folder.name}.making")
            shutil.rmtree(making, ignore_errors=True)
            making.mkdir(parents=True)
            flask(environment(making), "setup")
            making.rename(folder)
    return database


def installed(tmp_path: Path, set_up: Path, **overrides: str) -> dict:
    """The environment of a fresh installation in tmp_path: a copy of the
    database `flask setup` made (`set_up_once`), as each `make run` starts."""
    shutil.copy2(set_up, tmp_path / "feedback.db")
    return environment(tmp_path, **overrides)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    base: str                   # http://127.0.0.1:PORT
    process: subprocess.Popen   # gunicorn's master


@contextmanager
def gunicorn(env: dict, workers: int = 2, log_path: Path | None = None):
    """Serve the app as `make run` does (`gunicorn -c gunicorn.conf.py`) on a
    free port. Its output (access and error log) goes to `log_path`; each
    access line names the pid of the worker that answered."""
    port = free_port()
    log = open(log_path or os.devnull, "w")
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "app:app"],
        cwd=ROOT, env={**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers)},
        stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield Served(base, process)
    finally:
        process.terminate()
        process.wait(30)
        log.close()


def _wait_until_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer in time")


CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def submit(base: str, form: dict, headers: dict | None = None) -> requests.Response:
    """Send the public form as a browser does: GET it (cookie, CSRF token), POST it."""
    with requests.Session() as browser:
        browser.headers.update(headers or {})
        page = browser.get(f"{base}/submit", timeout=60)
        token = CSRF.search(page.text).group(1)
        return browser.post(f"{base}/submit", data={**form, "csrf_token": token},
                            allow_redirects=False, timeout=60)
