"""The electronic supervision flags of a month (hotline.domain.flags): each rule, the departments it flags with
their counts, the first cases of each and a link to all of them."""
from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from hotline.clock import now
from hotline.domain import flags as rules
from hotline.extensions import db
from hotline.models import Case, Department
from hotline.services import assessment as service
from hotline.services import flags as service_flags
from hotline.web.access import roles_required
from hotline.web.supervise import assessment_labels as words
from hotline.web.supervise import bp
from hotline.web.supervise.assessment import ASSESSORS
from hotline.web.supervise.assessment_view import around, month_or_none, parse_month, people, timezone

FIRST_CASES = 5


@bp.route("/assessment/flags")
@roles_required(*ASSESSORS)
def assessment_flags():
    month, problem = parse_month(request.args.get("month"))
    tz = timezone()
    raised = service_flags.raised(db.session, month, tz)
    ids = {f.department_id for found in raised.values() for f in found}
    departments = {d.id: d for d in db.session.scalars(select(Department).where(Department.id.in_(ids)))}
    first = {(f.kind, f.department_id): list(db.session.scalars(
        service_flags.cases_behind(db.session, f.kind, month, tz, f.department_id)
        .with_only_columns(Case.number).limit(FIRST_CASES)))
        for found in raised.values() for f in found}
    return render_template("supervise/assessment_flags.html", raised=raised, departments=departments, first=first,
                           month=month, problem=problem, words=words, kinds=rules.KINDS, around=around(month),
                           now=now()), 422 if problem else 200


@bp.route("/assessment/flags/<kind>/<int:department_id>")
@roles_required(*ASSESSORS)
def assessment_flag_cases(kind: str, department_id: int):
    month = month_or_none(request.args.get("month"))
    department = db.session.get(Department, department_id)
    if kind not in rules.KINDS or month is None or department is None:
        abort(404)
    query = service_flags.cases_behind(db.session, kind, month, timezone(), department_id)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, has_next = service.page_of(db.session, query, page)
    return render_template(
        "supervise/assessment_cases.html", rows=rows, has_next=has_next, page=page, now=now(), month=month,
        total=service.count(db.session, query), shown=people(rows), department=department,
        title=str(words.FLAG[kind]), explained=words.flag_rule(kind), per_dispatch=False, tab="flags",
        words=words)
