"""What `make run` gives, checked on one fresh installation served as it
serves it (SQLite, no outside service, `gunicorn -c gunicorn.conf.py` with two
workers): the `log` senders' lines on gunicorn's output (recipients masked),
files private to the service's user, access lines with the request id, a rate
limit shared by the workers, submissions taken while `flask demo` writes, a
crashed worker replaced; and the README's commands.

One test checks all of these on one served installation, in turn: each
start loads the app in three processes. (Before WAL and batches, 79 of 100
submissions failed while `flask demo` wrote; before the counters were in the
database, "10 per minute" allowed 20 with two workers.)
"""
from __future__ import annotations

import os
import re
import shlex
import signal
import sqlite3
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from itertools import takewhile
from pathlib import Path
from typing import NamedTuple

import pytest
import requests

from config import settings
from feedback.domain import trackcode
from tests import gunicorn
from tests.processes import children, running, still_running
from tests.web.test_submit import FORM

# 20 submissions at once leave no doubt: before WAL, 79 of 100 failed.
SUBMISSIONS = 20
ACCESS_LINE = re.compile(r'<(\d+)> "(\w+) (\S+) HTTP/1.1" (\d+) .* request_id=(\S+)')


class Installation(NamedTuple):
    folder: Path
    log: Path
    env: dict
    served: gunicorn.Served

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture
def installation(tmp_path, set_up):
    """A fresh installation served by gunicorn as `make run` starts it; the
    limit on /track low enough to reach, the one on submissions out of the way."""
    env = gunicorn.installed(tmp_path, set_up, TRACK_RATE_LIMIT="10 per minute",
                             SUBMIT_RATE_LIMIT="10000 per minute")
    log = tmp_path / "gunicorn.log"
    with gunicorn.gunicorn(env, workers=2, log_path=log) as served:
        yield Installation(tmp_path, log, env, served)


def _wait_for(pattern: str, installation: Installation, seconds: float = 10) -> re.Match:
    """The line of gunicorn's output that matches, once written (a message is
    sent after the response)."""
    deadline = time.monotonic() + seconds
    while (found := re.search(pattern, installation.output())) is None:
        assert time.monotonic() < deadline, f"not in gunicorn's output: {pattern}"
        time.sleep(0.05)
    return found


@pytest.mark.own_sqlite
def test_make_run_as_it_is(installation):
    """Each check names what failed; the crash comes last, as the others want
    both workers as they started."""
    messages_are_logged_masked_and_the_files_are_private(installation)
    the_access_line_carries_the_request_id_and_the_worker(installation)
    a_limit_holds_across_the_workers(installation)
    submissions_go_through_while_flask_demo_writes(installation)
    a_crashed_worker_leaves_its_stacks_and_another_takes_its_place(installation)
    for private in ("0912345678", "+84912345678", "0912 345 678", "an.nguyen@"):
        assert private not in installation.output()   # in none of the lines of all that


def messages_are_logged_masked_and_the_files_are_private(installation: Installation) -> None:
    """The `log` senders write each message where `make run` shows it, without
    the recipient (checked once all is done); the database is its service
    user's alone."""
    response = gunicorn.submit(installation.served.base, {**FORM, "email": "an.nguyen@example.vn"})
    assert response.status_code == 302
    _wait_for(r"INFO in log: SMS to \+849…678 \(not sent, log sender\): \S", installation)
    _wait_for(r"INFO in email: E-mail to a…@example\.vn \(not sent, log sender\)", installation)
    for path in installation.folder.glob("feedback.db*"):  # with -wal and -shm while open
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def the_access_line_carries_the_request_id_and_the_worker(installation: Installation) -> None:
    response = requests.get(f"{installation.served.base}/healthz", timeout=30)
    assert response.json() == {"status": "ok", "database": "ok", "queue": "off"}
    request_id = response.headers["X-Request-ID"]
    line = _wait_for(rf'<\d+> "GET /healthz HTTP/1.1" 200 .* request_id={request_id}', installation)
    assert int(ACCESS_LINE.search(line.group(0)).group(1)) in children(installation.served.process.pid)


def a_limit_holds_across_the_workers(installation: Installation) -> None:
    """10 per minute is 10 in all. Requests go on until both workers have
    answered (the kernel may hand a burst to one): a worker counting alone
    would allow more."""
    base = installation.served.base

    def fetch(_):  # a new connection each time, as many browsers would
        return requests.get(f"{base}/track/{trackcode.generate()}", timeout=30).status_code

    statuses, workers = [], set()
    with ThreadPoolExecutor(16) as pool:
        while len(workers) < 2 and len(statuses) < 800:
            statuses += pool.map(fetch, range(16))
            workers = {pid for pid, method, path, *_ in ACCESS_LINE.findall(installation.output())
                       if path.startswith("/track/")}
    assert len(workers) == 2
    assert statuses.count(404) == 10 and statuses.count(429) == len(statuses) - 10


def cases_in(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]


def submissions_go_through_while_flask_demo_writes(installation: Installation) -> None:
    """20 submissions at once while `flask demo` writes: every one is taken
    (no 500), and the demo goes on (its ids are not the web's)."""
    database, errors = installation.folder / "feedback.db", installation.folder / "demo.err"
    before = cases_in(database)
    with open(errors, "w") as stderr:
        demo = subprocess.Popen(
            [str(gunicorn.BIN / "flask"), "--app", "app", "demo", "--cases", "50000"],
            cwd=gunicorn.ROOT, env=installation.env, stdout=subprocess.DEVNULL, stderr=stderr)
        try:
            while cases_in(database) == before:  # the demo is writing
                assert demo.poll() is None, errors.read_text()
                time.sleep(0.05)
            with ThreadPoolExecutor(32) as pool:
                statuses = list(pool.map(
                    lambda _: gunicorn.submit(installation.served.base, FORM).status_code,
                    range(SUBMISSIONS)))
            assert statuses == [302] * SUBMISSIONS
            assert demo.poll() is None, f"the demo stopped:\n{errors.read_text()[-3000:]}"
            makers = children(demo.pid)
            assert makers, "a demo this large is made in a second process"
        finally:
            demo.terminate()
            demo.wait(30)
    assert not still_running(makers), "the demo's maker outlived a terminated `flask demo`"


def a_crashed_worker_leaves_its_stacks_and_another_takes_its_place(installation: Installation) -> None:
    """A worker that crashes in C code (a segmentation fault) writes its
    threads' stacks to the log first; gunicorn starts another."""
    master = installation.served.process.pid
    worker = children(master)[0]
    os.kill(worker, signal.SIGSEGV)
    assert not still_running([worker])
    deadline = time.monotonic() + 30
    while len([pid for pid in children(master) if pid != worker and running(pid)]) < 2:
        assert time.monotonic() < deadline, "no worker took the crashed one's place"
        time.sleep(0.1)
    assert requests.get(f"{installation.served.base}/healthz", timeout=30).status_code == 200
    output = installation.output()
    assert "Fatal Python error: Segmentation fault" in output and "Current thread" in output


def test_the_secret_key_file_is_private(tmp_path):
    assert settings.write_secret_key(str(tmp_path / "instance"))
    assert stat.S_IMODE((tmp_path / "instance" / "secret_key").stat().st_mode) == 0o600


def readme_commands() -> list[list[str]]:
    """Every `.venv/bin/flask --app app …` command the README shows."""
    text = (settings.ROOT / "README.md").read_text()
    found = re.findall(r"\.venv/bin/flask --app app ([^#`\n|]+)", text)
    return sorted({tuple(shlex.split(command.replace("…", "").strip())) for command in found})


def test_the_readme_commands_are_the_apps(runner):
    commands = readme_commands()
    assert {words[0] for words in commands if words} >= {"setup", "users", "worker", "jobs", "demo"}
    assert (settings.ROOT / ".venv" / "bin" / "flask").exists()
    for words in commands:
        names = list(takewhile(lambda word: re.fullmatch(r"[a-z][a-z-]*", word), words))
        result = runner.invoke(args=[*names, "--help"])
        assert result.exit_code == 0, (words, result.output)
