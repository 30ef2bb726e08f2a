"""`flask hotline roll-up`: bring the published monthly figures up to date now (what a worker does every ten
minutes), or count every month again."""
from __future__ import annotations

import click
from flask import current_app

from hotline.cli import group
from hotline.extensions import db


@group.command("roll-up")
@click.option("--all", "everything", is_flag=True,
              help="Count every month again, not only those whose cases changed (after loading old cases).")
def roll_up(everything: bool) -> None:
    """Count again the monthly figures of the months whose cases changed since the last run."""
    from hotline.clock import now
    from hotline.services import rollup

    months = rollup.run(db.session, now(), current_app.config["HOTLINE_TIMEZONE"], everything=everything)
    click.echo(f"{months} month(s) counted again")
