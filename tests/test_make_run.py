"""What `make run` gives, checked on a fresh installation served by gunicorn:
the `log` senders' lines on gunicorn's output (recipients masked), files
private to the service's user, and the README's commands.
"""
from __future__ import annotations

import re
import shlex
import stat
from itertools import takewhile

import pytest

from config import settings
from tests import gunicorn
from tests.web.test_submit import FORM


@pytest.fixture
def served(tmp_path, set_up):
    """One fresh installation, one submission with a phone and an e-mail
    through gunicorn; its directory and gunicorn's output."""
    env = gunicorn.installed(tmp_path, set_up)
    log = tmp_path / "gunicorn.log"
    with gunicorn.gunicorn(env, workers=2, log_path=log) as base:
        response = gunicorn.submit(base, {**FORM, "email": "an.nguyen@example.vn"})
        assert response.status_code == 302
    return tmp_path, log.read_text()


@pytest.mark.own_sqlite
def test_messages_are_logged_masked_and_the_files_are_private(served):
    """One installation for both (test processes would each make their own):
    the `log` senders write each message where `make run` shows it, without
    the recipient; the database is its service user's alone."""
    tmp_path, output = served
    assert re.search(r"INFO in log: SMS to \+849…678 \(not sent, log sender\): \S", output)
    assert "INFO in email: E-mail to a…@example.vn (not sent, log sender)" in output
    for private in ("0912345678", "+84912345678", "0912 345 678", "an.nguyen@"):
        assert private not in output
    for path in tmp_path.glob("feedback.db*"):  # with -wal and -shm while open
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


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
