"""What backups and exports share: private files, the uploads folder, the
libpq address of a PostgreSQL database, and whether a database already holds a city.

Backups hold every reporter's name and number: they are written readable by
the service's user only, as the database and the uploads are.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL

from ..extensions import db

# A city's own records: a database holding any of these is not overwritten
# without --force (organisation data alone is what `flask setup` loads).
CITY_TABLES = ("cases", "users", "audit_log", "inbound_messages", "calls", "outbound_messages")
UPLOADS = "uploads"


class BackupError(Exception):
    """A backup, restore, export or import that cannot be done, and why."""


def private_file(path: Path):
    """Open `path` for writing in binary, created 0600 in folders made 0700
    (refusing to reuse a file that exists)."""
    missing = [parent for parent in path.parents if not parent.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def upload_files() -> Iterator[tuple[Path, str]]:
    """Every file under UPLOAD_DIR, with its name relative to it (POSIX slashes)."""
    root = upload_dir()
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, path.relative_to(root).as_posix()


def safe_upload_target(name: str) -> Path:
    """Where an archived upload `uploads/<name>` goes; refuses names leaving UPLOAD_DIR."""
    root = upload_dir().resolve()
    target = (root / name).resolve()
    if root not in target.parents:
        raise BackupError(f"refused a file outside the uploads folder: {name}")
    return target


def write_upload(name: str, source) -> bool:
    """Copy a file object to UPLOAD_DIR/name, private; False if it is there already
    (an upload is never overwritten: its stored name is unique)."""
    target = safe_upload_target(name)
    if target.exists():
        return False
    with private_file(target) as out:
        shutil.copyfileobj(source, out)
    return True


def holds_a_city() -> bool:
    """True when the database has any of the city's own records."""
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        for name in CITY_TABLES:
            if name in existing and conn.execute(
                    select(func.count()).select_from(db.metadata.tables[name])).scalar():
                return True
    return False


def libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The database address for pg_dump/pg_restore, and their environment: the
    password goes in PGPASSWORD, never on a command line that `ps` shows."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return address, env


def tool(name: str) -> str:
    """The path of pg_dump or pg_restore: $PG_DUMP/$PG_RESTORE, else on PATH."""
    given = os.environ.get(name.upper().replace("-", "_"))
    found = shutil.which(given or name)
    if not found:
        raise BackupError(f"{name} not found: install PostgreSQL's client programs "
                          f"or set {name.upper()} to its path")
    return found
