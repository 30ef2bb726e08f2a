"""`flask hotline seed-history`: months of demo cases lived through the real services (hotline/seed/history.py)."""
from __future__ import annotations

import time

import click
from flask import current_app

from hotline.cli import group
from hotline.extensions import db


@group.command("seed-history")
@click.option("--days", default=183, show_default=True, type=click.IntRange(1, 3660),
              help="How many days of history, ending today.")
@click.option("--per-day", default=25, show_default=True, type=click.IntRange(1, 5000),
              help="Cases on an ordinary weekday (Mondays more, weekends fewer).")
@click.option("--seed", default=12345, show_default=True, help="The same seed plans the same cases.")
def seed_history(days: int, per_day: int, seed: int) -> None:
    """File and handle months of demo cases (needs the demo city). Does nothing when the history is there."""
    from hotline.clock import now
    from hotline.seed import history

    if current_app.config["HOTLINE_ENV"] == "production":
        raise click.ClickException("the demo history is refused when HOTLINE_ENV=production")
    if history.present(db.session):
        click.echo("The demo history is there already: nothing to do.")
        return
    options = history.Options(days=days, per_day=per_day, seed=seed)
    _quick_sqlite_commits()
    started = time.monotonic()
    with click.progressbar(length=days, label=f"Demo history: {days} days, about {per_day} cases a day",
                           show_pos=True, show_eta=True) as bar:
        try:
            tally = history.seed_history(db.session, options, now(), current_app.config["HOTLINE_TIMEZONE"],
                                         progress=bar.update)
        except history.HistoryRefused as exc:
            raise click.ClickException(str(exc)) from None
    states = ", ".join(f"{state} {count}" for state, count in sorted(tally.states.items()))
    click.echo(f"{tally.cases} cases, {tally.steps} handling steps in {time.monotonic() - started:.0f} s ({states}); "
               f"figures of {tally.months} months counted.")
    for problem in tally.refused[:20]:
        click.echo(f"refused: {problem}", err=True)


def _quick_sqlite_commits() -> None:
    """The history is tens of thousands of small transactions, and on SQLite each one waits for the disk by default.
    For this command only, SQLite syncs at checkpoints instead (synchronous=NORMAL: in WAL mode a power cut may lose
    the last transactions, never the database's consistency): no wait for the disk at every step."""
    from sqlalchemy import event

    engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def sync_at_checkpoints(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    engine.dispose()  # a connection made before (to ask whether there is history) is made again, with it
