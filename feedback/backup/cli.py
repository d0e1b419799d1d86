"""Flask commands: backup, restore, export-all, import-all (registered by create_app)."""
from __future__ import annotations

import tarfile
import zipfile

import click
from flask import Flask

from . import portable, snapshot
from .files import BackupError

# What a command reports as a clear message, not a traceback: a path that
# cannot be written or read, a file that is not an archive.
REFUSED = (BackupError, OSError, tarfile.TarError, zipfile.BadZipFile)


@click.command("backup")
@click.argument("path", required=False)
def backup_command(path: str | None) -> None:
    """Back up the database (SQLite's online backup, or pg_dump) and the uploads
    to one archive (default instance/backups/feedback-<time>.tar; .tar.gz compresses)."""
    try:
        done = snapshot.backup(path)
    except REFUSED as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup of the {done.dialect} database and {done.files} files written to {done.path}")


@click.command("restore")
@click.argument("path")
@click.option("--force", is_flag=True, help="Replace a database that holds cases or accounts.")
def restore_command(path: str, force: bool) -> None:
    """Restore a backup made by `backup` into this (same kind of) database, and its files."""
    try:
        done = snapshot.restore(path, force=force)
    except REFUSED as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the {done.dialect} database from {done.path}; {done.files} files put back")


@click.command("export-all")
@click.argument("path")
def export_command(path: str) -> None:
    """Write every row (JSON lines) and every upload to a new zip, to move the
    city to another database with import-all."""
    try:
        counts = portable.export_all(path)
    except REFUSED as exc:
        raise click.ClickException(str(exc)) from exc
    _summary(f"Exported to {path}", counts)


@click.command("import-all")
@click.argument("path")
def import_command(path: str) -> None:
    """Load an export-all zip into this database (made by setup, holding no
    city yet), with the same ids, and its uploads."""
    try:
        counts = portable.import_all(path)
    except REFUSED as exc:
        raise click.ClickException(str(exc)) from exc
    _summary(f"Imported from {path}", counts)


def _summary(title: str, counts: dict[str, int]) -> None:
    click.echo(title)
    for name in sorted(counts):
        if counts[name]:
            click.echo(f"  {name}: {counts[name]}")


def register(app: Flask) -> None:
    for command in (backup_command, restore_command, export_command, import_command):
        app.cli.add_command(command)
