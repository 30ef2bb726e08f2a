"""`flask hotline api-key create|list|revoke`: Open311 API keys from the command line, for a first key before
anyone signs in and for scripts. `create` prints the key, once, as the only line on stdout (so a script can
capture it: KEY=$(flask --app wsgi hotline api-key create "市民通 app")); everything else goes to stderr. The
service writes each creation and revocation to the access log (with no user: the command line)."""
from __future__ import annotations

import click
from flask import current_app

from hotline.cli import group
from hotline.domain import api_keys as rules
from hotline.extensions import db


@group.group("api-key")
def api_key() -> None:
    """Open311 API keys: create (shown once), list, revoke."""


@api_key.command("create")
@click.argument("name")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(rules.SCOPES),
              help=f"What the key may do; repeat for several (default: {rules.CREATE}).")
@click.option("--rate", default="", help='Its own rate limit, e.g. "60 per minute" or "100 per minute; 5000 per day" '
                                         "(default: HOTLINE_RATE_API_KEY).")
@click.option("--note", default="", help="Who runs the system and whom to call about it (at most 200 characters).")
def create(name: str, scopes: tuple[str, ...], rate: str, note: str) -> None:
    """Create a key for the system NAME and print it: it is shown this once and never again."""
    from hotline.clock import now
    from hotline.services import api_keys

    if len(note) > 200:
        raise click.ClickException("--note: at most 200 characters")
    if len(name.strip()) > rules.NAME_MAX:
        raise click.ClickException(f"the name: at most {rules.NAME_MAX} characters")
    try:
        key, raw = api_keys.create(db.session, name, list(scopes or (rules.CREATE,)), by=None, at=now(),
                                   rate_limit=rate, note=note.strip())
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    limit = key.rate_limit or f"{current_app.config['HOTLINE_RATE_API_KEY']} (the default)"
    click.echo(f"API key {key.id} for {key.name!r} created; it may {', '.join(key.scopes)}; rate limit {limit}.",
               err=True)
    click.echo("It is shown below this once and cannot be shown again: keep it safe.", err=True)
    click.echo(raw)


@api_key.command("list")
@click.option("--all", "everything", is_flag=True, help="Also the revoked keys.")
def list_keys(everything: bool) -> None:
    """The keys in force (with --all, the revoked ones too): id, prefix, status, scopes, rate limit, created, last
    used, name. Tab-separated."""
    from hotline.services import api_keys

    keys = [k for k in api_keys.in_force(db.session) if everything or k.active]
    if not keys:
        click.echo("no API keys" + ("" if everything else " in force"), err=True)
        return
    for k in keys:
        click.echo("\t".join((
            str(k.id), k.prefix, "active" if k.active else f"revoked {k.revoked_at:%Y-%m-%d %H:%M}Z",
            ",".join(k.scopes), k.rate_limit or "default", f"{k.created_at:%Y-%m-%d %H:%M}Z",
            f"{k.last_used_at:%Y-%m-%d %H:%M}Z" if k.last_used_at else "never", k.name)))


@api_key.command("revoke")
@click.argument("key")
def revoke(key: str) -> None:
    """Revoke the key KEY: its id, its prefix as `list` shows it (h311_…), or the whole key. Requests made
    with it are refused from now on."""
    from hotline.clock import now
    from hotline.services import api_keys

    try:
        found = api_keys.find(db.session, key)
    except api_keys.Ambiguous as exc:
        raise click.ClickException(f"{key!r} could be any of these keys (id prefix): {exc}; give the id") from None
    if found is None:
        raise click.ClickException(f"no API key {key!r}: give its id or its prefix, as `api-key list --all` shows")
    if not found.active:
        click.echo(f"API key {found.id} {found.prefix} ({found.name}) was revoked already, "
                   f"at {found.revoked_at:%Y-%m-%d %H:%M}Z.", err=True)
        return
    api_keys.revoke(db.session, found.id, by=None, at=now())
    click.echo(f"revoked API key {found.id} {found.prefix} ({found.name})")
