"""Flask commands: `flask --app app setup`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from config import settings

from . import jobs
from .domain.permissions import ROLES
from .services import demo, notify, orgdata, outbox_sweep
from .services.public import tally
from .services.workflow import accounts, escalation
from .services.errors import Rejected


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


users_group = AppGroup("users", help="Staff accounts.")


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--unit", "unit_code", default=None, help="Unit code (officers, unit heads).")
@click.option("--name", default="", help="Display name.")
def create_user(email: str, role: str, unit_code: str | None, name: str) -> None:
    """Create or update a staff account; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user, created = accounts.save_user(email, password, role, unit_code, name)
    except Rejected as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"{'Created' if created else 'Updated'} {user.email} ({user.role})")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--no-schedule", is_flag=True, help="Do not run `jobs run-due` every minute.")
def worker_command(burst: bool, no_schedule: bool) -> None:
    """Run background jobs from the Redis queue (REDIS_URL), and the deadline
    reminders every minute."""
    if not current_app.config["REDIS_URL"]:
        raise click.ClickException("REDIS_URL is not set: jobs run inline, no worker is needed")
    waiting = notify.requeue_waiting()
    if waiting:
        click.echo(f"Re-queued {waiting} waiting messages")
    if not (burst or no_schedule):
        jobs.every(60, escalation.run_due)
        jobs.every(60, outbox_sweep.send_waiting)
    jobs.run_worker(burst=burst)


jobs_group = AppGroup("jobs", help="Scheduled work.")


@jobs_group.command("run-due")
def run_due_command() -> None:
    """Send deadline reminders and escalate overdue cases, and the messages left
    waiting in the outbox. Idempotent: safe from cron every minute, and on two
    hosts at once."""
    stats = escalation.run_due()
    click.echo(f"{stats['alerts']} new deadline alerts, {stats['emails']} e-mails queued")
    click.echo(f"{outbox_sweep.send_waiting()} waiting messages sent or re-queued")


@click.command("demo")
@click.option("--cases", "count", type=click.IntRange(1, 2_000_000), default=500, show_default=True)
@click.option("--seed", type=int, default=2021, show_default=True)
def demo_command(count: int, seed: int) -> None:
    """Add realistic Vietnamese demo cases across units, channels and states."""
    with click.progressbar(length=count, label="Demo cases") as bar:
        demo.generate(count, seed=seed, on_batch=bar.update,
                      on_inserted=lambda: click.echo("\nBuilding the search index and the scorecards…"))
    click.echo(f"Added {count} demo cases")


stats_group = AppGroup("stats", help="The scorecards' aggregates.")


@stats_group.command("rebuild")
def stats_rebuild_command() -> None:
    """Recompute the scorecards' daily aggregates from the cases (after loading
    data in bulk, or to check them)."""
    found = tally.rebuild()
    click.echo(f"Scorecards rebuilt: {found['rows']} daily rows")


def register(app: Flask) -> None:
    app.cli.add_command(setup_command)
    app.cli.add_command(users_group)
    app.cli.add_command(worker_command)
    app.cli.add_command(jobs_group)
    app.cli.add_command(stats_group)
    app.cli.add_command(demo_command)
