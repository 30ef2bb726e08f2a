"""`flask hotline seed-petitions`: about forty demo petitions lived through the real services
(hotline/seed/petitions.py)."""
from __future__ import annotations

import time

import click
from flask import current_app

from hotline.cli import group
from hotline.extensions import db


@group.command("seed-petitions")
def seed_petitions() -> None:
    """File and handle the demo petitions (needs the demo city). Does nothing when they are there."""
    from hotline.clock import now
    from hotline.seed import petitions

    if current_app.config["HOTLINE_ENV"] == "production":
        raise click.ClickException("the demo petitions are refused when HOTLINE_ENV=production")
    started = time.monotonic()
    try:
        tally = petitions.seed_petitions(db.session, now(), current_app.config["HOTLINE_TIMEZONE"])
    except petitions.SeedRefused as exc:
        raise click.ClickException(str(exc)) from None
    if tally.already:
        click.echo("The demo petitions are there already: nothing to do.")
        return
    states = ", ".join(f"{state} {count}" for state, count in sorted(tally.states.items()))
    took = time.monotonic() - started
    click.echo(f"{tally.petitions} demo petitions, {tally.steps} steps in {took:.0f} s ({states}).")
