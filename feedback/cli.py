"""Flask commands: `flask --app app setup`."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from .services import orgdata


@click.command("setup")
@click.option("--org", "org_file", default=None, help="Organisation data file (default FEEDBACK_ORG).")
def setup_command(org_file: str | None) -> None:
    """Create or migrate the schema and load the organisation data (idempotent)."""
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
