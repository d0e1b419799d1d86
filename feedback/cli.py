"""Flask commands: `flask --app app setup`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from config import settings

from .services import orgdata


@click.command("setup")
@click.option("--org", "org_file", default=None, help="Organisation data file (default FEEDBACK_ORG).")
def setup_command(org_file: str | None) -> None:
    """Create or migrate the schema and load the organisation data (idempotent)."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    if settings.write_secret_key(current_app.instance_path):
        click.echo("Wrote a new secret key to instance/secret_key")
    upgrade()
    path = org_file or current_app.config["FEEDBACK_ORG"]
    try:
        stats = orgdata.load(path)
    except orgdata.OrgDataError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Organisation data loaded from {path}")
    for key in sorted(stats):
        click.echo(f"  {key}: {stats[key]}")


def register(app: Flask) -> None:
    app.cli.add_command(setup_command)
