"""The statutory calendar: what falls due in a week, by step — forwarding, acceptance, the window to object, the
written decision, the petitioner's window to ask for review, the review, the window for re-review, the
re-review (信访工作条例 Arts. 22–36) — a column a day, with the duties overdue from before the week first.
A department sees only its own organ's clocks."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template, request
from flask_login import current_user
from sqlalchemy import select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import Department
from hotline.services import petition_queries as queries
from hotline.services import sla
from hotline.web.access import roles_required
from hotline.web.petitions import bp
from hotline.web.petitions.registry import EVERYONE, timezone, today


@bp.route("/calendar")
@roles_required(*EVERYONE)
def calendar():
    asked = request.args.get("week")
    monday = queries.parse_week(asked) if asked else queries.monday_of(today())
    if monday is None:
        abort(404)
    if not current_user.in_centre and current_user.department_id is None:
        abort(403)
    moment = now()
    week = queries.week(db.session, current_user.actor, monday, timezone(), moment)
    organ_ids = {item.organ_id for cells in week.cells.values() for items in cells.values() for item in items}
    organs = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(organ_ids - {None})))}
    working = sla.calendar(db.session)
    return render_template(
        "petitions/calendar.html", week=week, organs=organs, now=moment, today=today(),
        clocks=queries.PETITION_CLOCKS, name=queries.week_name(monday),
        previous=queries.week_name(monday - timedelta(days=7)), following=queries.week_name(monday + timedelta(days=7)),
        current=queries.week_name(queries.monday_of(today())),
        off={d for d in week.days if not working.is_working_day(d)},
        organ=None if current_user.in_centre else current_user.department)
