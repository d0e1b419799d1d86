"""The benchmark's databases: one per size of the page scenarios, built once
with `flask setup` and `flask demo --cases N` and kept under the cache
directory (SQLite files, or PostgreSQL databases named after DATABASE_URL's
with the size appended), and a fresh one for the write scenarios each run.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

ROOT = Path(__file__).resolve().parent.parent
FLASK = str(Path(sys.executable).parent / "flask")
OFFICER = ("officer@bench.example", "bench officer passphrase", "p-tn-mt")


def flask(env: dict, *args: str, stdin: str | None = None) -> None:
    done = subprocess.run([FLASK, "--app", "app", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def database_url(cache: Path, name: str) -> str:
    """SQLite under the cache, or a database of the PostgreSQL server in DATABASE_URL."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        return f"sqlite:///{cache / (name + '.db')}"
    url = make_url(server)
    return url.set(database=f"{url.database}_{name}").render_as_string(hide_password=False)


def _drop(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def build(env: dict, url: str, cases: int) -> None:
    """A database with the organisation data, `cases` demo cases and an officer."""
    _drop(url)
    env = {**env, "DATABASE_URL": url}
    flask(env, "setup")
    if cases:
        print(f"  flask demo --cases {cases} ...", file=sys.stderr, flush=True)
        flask(env, "demo", "--cases", str(cases))
    email, password, unit = OFFICER
    flask(env, "users", "create", email, "--role", "officer", "--unit", unit, stdin=password + "\n")


def sized(env: dict, cache: Path, cases: int) -> str:
    """The database with `cases` demo cases, built the first time it is asked for
    and migrated to the current schema the next times."""
    url = database_url(cache, f"cases_{cases}")
    marker = cache / f"{make_url(url).database.replace('/', '_')}.built"
    if marker.exists():
        flask({**env, "DATABASE_URL": url}, "setup")
    else:
        build(env, url, cases)
        marker.write_text(str(cases))
    return url


def facts(url: str) -> dict:
    """What the page scenarios ask for: tracking codes, the key of page 500, a year."""
    engine = create_engine(url)
    with engine.connect() as connection:
        codes = connection.execute(text("SELECT code FROM cases ORDER BY id LIMIT 2000")).scalars().all()
        published = connection.execute(text("SELECT count(*) FROM public_records")).scalar()
        page = min(500, max(1, (published - 1) // 20))     # page 500, or the last full page
        after = connection.execute(text(
            "SELECT id FROM public_records ORDER BY published_at DESC, id DESC "
            "LIMIT 1 OFFSET :n"), {"n": (page - 1) * 20 - 1}).scalar() if page > 1 else None
        year = connection.execute(text("SELECT max(received_at) FROM cases")).scalar()
    engine.dispose()
    return {"codes": codes, "page": page, "after": after, "published": published,
            "year": str(year)[:4]}
