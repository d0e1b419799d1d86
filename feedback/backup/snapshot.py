"""`flask --app app backup` and `restore`: the database as its engine copies
itself, and the uploads, in one tar archive.

SQLite is copied with its online backup API (`sqlite3.Connection.backup`),
which gives a consistent copy while the service keeps writing; PostgreSQL with
`pg_dump -Fc` (a consistent snapshot too) and back with `pg_restore`, in one
transaction. A backup comes back to the same kind of database only; to move a
city from SQLite to PostgreSQL, use export-all/import-all (portable.py).
"""
from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app

from ..extensions import db
from .files import BackupError, holds_a_city, libpq, private_file, tool, upload_files, write_upload

MANIFEST = "manifest.json"
FORMAT = "feedback-backup"
DATABASE_FILE = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}


@dataclass(frozen=True)
class Done:
    path: Path
    dialect: str
    files: int


def _dialect() -> str:
    name = db.engine.dialect.name
    if name not in DATABASE_FILE:
        raise BackupError(f"no backup for {name} databases")
    return name


def default_path() -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return Path(current_app.instance_path) / "backups" / f"feedback-{stamp}.tar"


def _tar_mode(path: Path, reading: bool) -> str:
    """Compressed when the name says so (.tar.gz, .tgz); a pg_dump is compressed already."""
    gz = path.name.endswith((".gz", ".tgz"))
    return ("r:gz" if gz else "r:") if reading else ("w:gz" if gz else "w")


def _dump_database(dialect: str, target: Path) -> None:
    if dialect == "sqlite":
        source = sqlite3.connect(db.engine.url.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # page by page, beside the running service
        finally:
            copy.close()
            source.close()
        return
    address, env = libpq(db.engine.url)
    _run([tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(target), address], env)


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def backup(path: str | None = None) -> Done:
    """Write the database and the uploads to a new archive at `path` (a
    directory: a dated archive in it); nothing is ever overwritten."""
    dialect = _dialect()
    target = Path(path) if path else default_path()
    if target.is_dir():
        target = target / default_path().name
    manifest = {"format": FORMAT, "version": 1, "dialect": dialect,
                "created_at": datetime.now(timezone.utc).isoformat(), "files": 0}
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE_FILE[dialect]
        _dump_database(dialect, dump)
        try:
            out = private_file(target)
        except FileExistsError as exc:
            raise BackupError(f"{target} exists already") from exc
        try:
            with out, tarfile.open(fileobj=out, mode=_tar_mode(target, reading=False)) as archive:
                archive.add(dump, arcname=DATABASE_FILE[dialect])
                for file, name in upload_files():
                    archive.add(file, arcname=f"uploads/{name}")
                    manifest["files"] += 1
                _add_json(archive, MANIFEST, manifest)  # last: an archive without it is unfinished
        except BaseException:
            target.unlink(missing_ok=True)  # no half-written backup left to be trusted
            raise
    return Done(target, dialect, manifest["files"])


def _add_json(archive: tarfile.TarFile, name: str, value: dict) -> None:
    data = json.dumps(value, indent=2).encode()
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(datetime.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def _manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError) as exc:
        raise BackupError("not a backup of this service (no manifest)") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError("not a backup of this service")
    return manifest


def restore(path: str, force: bool = False) -> Done:
    """Put the archive's database in place of this one, then its uploads back
    (files already there are kept). Refuses a database holding a city unless `force`."""
    dialect = _dialect()
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with tarfile.open(source, mode=_tar_mode(source, reading=True)) as archive:
        manifest = _manifest(archive)
        if manifest["dialect"] != dialect:
            raise BackupError(f"a {manifest['dialect']} backup cannot be restored into {dialect}: "
                              "use export-all and import-all to move between databases")
        if not force and holds_a_city():
            raise BackupError("the database holds cases or accounts already: "
                              "restore with --force to replace them")
        db.session.remove()
        db.engine.dispose()  # no pooled connection keeps the old database open
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DATABASE_FILE[dialect]
            with archive.extractfile(DATABASE_FILE[dialect]) as stored, open(dump, "wb") as out:
                shutil.copyfileobj(stored, out)
            _load_database(dialect, dump)
        files = _restore_uploads(archive)
    db.engine.dispose()
    return Done(source, dialect, files)


def _load_database(dialect: str, dump: Path) -> None:
    if dialect == "sqlite":
        path = Path(db.engine.url.database)
        if not path.exists():
            private_file(path).close()
        copy, live = sqlite3.connect(dump), sqlite3.connect(path)
        try:
            copy.backup(live)  # replaces every page, schema included, in one step
        finally:
            live.close()
            copy.close()
        return
    address, env = libpq(db.engine.url)
    _run([tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", "-d", address, str(dump)], env)


def _restore_uploads(archive: tarfile.TarFile) -> int:
    written = 0
    for member in archive.getmembers():
        if not member.name.startswith("uploads/"):
            continue
        if not member.isfile():
            raise BackupError(f"refused {member.name}: not a regular file")
        with archive.extractfile(member) as data:
            written += write_upload(member.name.removeprefix("uploads/"), data)
    return written
