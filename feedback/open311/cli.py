"""flask --app app open311 keys create|list|revoke"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..i18n import local_datetime
from ..services.errors import Rejected
from ..services.open311 import keys

open311_group = AppGroup("open311", help="The Open311 API.")
keys_group = AppGroup("keys", help="API keys of the clients that file requests.")
open311_group.add_command(keys_group)


@keys_group.command("create")
@click.argument("name")
def create_command(name: str) -> None:
    """Make a key for the client NAME and print it (the only time it is shown)."""
    try:
        client, key = keys.create(name)
    except Rejected as refused:
        raise click.ClickException(refused.message) from None
    click.echo(f"API key for {client.name} (shown once, keep it secret):")
    click.echo(key)


@keys_group.command("list")
def list_command() -> None:
    """The clients, when each was made and last used, and whether revoked."""
    for client in keys.clients():
        state = f"revoked {local_datetime(client.revoked_at)}" if client.revoked_at else "active"
        used = local_datetime(client.last_used_at) if client.last_used_at else "never"
        click.echo(f"{client.name}\t{state}\tcreated {local_datetime(client.created_at)}\tlast used {used}")


@keys_group.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke the key of the client NAME: its requests are refused from now on."""
    try:
        client = keys.revoke(name)
    except Rejected as refused:
        raise click.ClickException(refused.message) from None
    click.echo(f"Revoked the key of {client.name}")
