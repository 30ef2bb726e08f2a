"""`flask hotline ...`: the commands an administrator runs."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hotline.extensions import db

group = AppGroup("hotline", help="hotline administration.")


@group.command("seed-demo")
def seed_demo() -> None:
    """Load the fictional demo city (江川市) and its demo users. Safe to run again."""
    from hotline.services.seed import DEMO_PASSWORD, DemoRefused
    from hotline.services.seed import seed_demo as run

    try:
        counts = run(db.session, production=current_app.config["HOTLINE_ENV"] == "production")
    except DemoRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo("Demo city: {areas} areas, {departments} departments, {categories} categories; "
               "{users} new users; {rules} new dispatch-catalogue rules; {articles} new knowledge-base articles; "
               "{boundaries} new boundaries and {places} new named places."
               .format(**counts))
    click.echo(f"Demo logins (password '{DEMO_PASSWORD}'): admin, supervisor, dispatcher, operator, "
               "and <department code>-staff or -head, e.g. cgw-staff, dh-cgj-head.")


@group.command("create-user")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(["operator", "dispatcher", "staff", "head",
                                                             "supervisor", "admin"]))
@click.option("--name", "display_name", required=True, help="The name colleagues see.")
@click.option("--department", "department_code", help="Department code (required for staff and head).")
@click.password_option()
def create_user(username, role, display_name, department_code, password) -> None:
    """Create a user account."""
    from sqlalchemy import select

    from hotline.models import Department, User

    department = None
    if department_code:
        department = db.session.scalar(select(Department).where(Department.code == department_code))
        if department is None:
            raise click.ClickException(f"no department with code {department_code!r}")
    if role in ("staff", "head") and department is None:
        raise click.ClickException("--department is required for staff and head")
    if db.session.scalar(select(User).where(User.username == username)):
        raise click.ClickException(f"user {username!r} exists already")
    if len(password) < 10:
        raise click.ClickException("the password must have at least 10 characters")
    user = User(username=username, display_name=display_name, role=role, department=department)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {username} ({role})")


@group.command("verify-audit")
def verify_audit() -> None:
    """Check every case's hash-chained history; name each case whose history was altered."""
    from hotline.services.audit import broken_chains

    broken = 0
    for number, problem in broken_chains(db.session):
        broken += 1
        click.echo(f"ALTERED {number}: {problem}")
    if broken:
        raise click.ClickException(f"{broken} case(s) with an altered history")
    click.echo("every case history verifies")


@group.command("relay")
@click.option("--once", is_flag=True, help="Push what is due and stop.")
def relay(once: bool) -> None:
    """Push committed outbox jobs to Redis (what `python -m workers clock` runs in a loop)."""
    from workers.clock import run_clock

    run_clock(current_app._get_current_object(), once=once)


@group.command("retrain-classifier")
@click.option("--queue", "queue_it", is_flag=True, help="Leave it to a worker (through the outbox) instead.")
def retrain_classifier(queue_it: bool) -> None:
    """Train the category suggester on the seed texts, the catalogue and every closed case, now."""
    from hotline.clock import now
    from hotline.services import suggest

    if queue_it:
        job, created = suggest.request_retrain(db.session)
        click.echo(f"queued as outbox job {job.id}" if created else f"already queued as outbox job {job.id}")
        return
    click.echo("training the category suggester ...")
    try:
        model = suggest.retrain(db.session, now())
    except suggest.NothingToLearn as exc:
        raise click.ClickException(f"nothing to learn from: {exc}") from None
    measured = (f"top-1 {model.accuracy_top1:.1%}, top-3 {model.accuracy_top3:.1%} on {model.test_count} held-out "
                f"texts (always guessing the 3 commonest: {model.baseline_top3:.1%})" if model.test_count else
                "too few texts to hold any out for measuring")
    click.echo(f"version {model.version}: {model.sample_count} samples ({model.case_count} closed cases), "
               f"{model.category_count} sub-categories; {measured}")


@group.command("sweep")
def sweep() -> None:
    """Record the warnings and breaches due now (what the worker runs every minute)."""
    from hotline.clock import now
    from hotline.services import sweep as sweeping

    tally = sweeping.sweep(db.session, now())
    click.echo(f"{tally.warnings} warning(s), {tally.breaches} breach(es) recorded")


@group.command("sms-receive")
@click.option("--from", "sender", required=True, help="the sender's number, e.g. +8613812345678")
@click.option("--sid", default="", help="Twilio's MessageSid (default: a new one); the same sid twice is one text")
@click.argument("body")
def sms_receive(sender: str, sid: str, body: str) -> None:
    """Play Twilio in development and training: post a text, signed with the configured auth token, to this app's
    /twilio/sms, exactly as Twilio would, and print the answer it sends back."""
    import secrets

    from twilio.request_validator import RequestValidator

    token = current_app.config["HOTLINE_TWILIO_AUTH_TOKEN"]
    if not token:
        raise click.ClickException("HOTLINE_TWILIO_AUTH_TOKEN is not set: nothing can be signed")
    base = current_app.config["HOTLINE_PUBLIC_URL"] or "http://localhost"
    form = {"MessageSid": sid or "SM" + secrets.token_hex(16), "From": sender,
            "To": current_app.config["HOTLINE_SMS_SENDER"], "Body": body}
    signature = RequestValidator(token).compute_signature(base + "/twilio/sms", form)
    response = current_app.test_client().post("/twilio/sms", data=form, base_url=base,
                                              headers={"X-Twilio-Signature": signature})
    click.echo(f"{response.status_code} {response.get_data(as_text=True)}")


def register(app: Flask) -> None:
    from hotline import (
        cli_api_keys,  # noqa: F401  (adds api-key create|list|revoke to the group)
        cli_figures,  # noqa: F401  (adds roll-up to the group)
        cli_geo,  # noqa: F401  (adds geo-import and gazetteer-import to the group)
        cli_history,  # noqa: F401  (adds seed-history to the group)
        cli_petitions,  # noqa: F401  (adds seed-petitions to the group)
    )
    app.cli.add_command(group)
