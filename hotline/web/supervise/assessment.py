"""The centre's assessment of departments (效能考核), for supervisors only: the month's measures per department
with the definitions beside them, every number a link to the cases behind it, the red and black lists, and the
table as CSV. The department reports, the formula and the supervision flags have modules of their own."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain import kpis
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import Department
from hotline.services import assessment as service
from hotline.services import audit
from hotline.services.measures import DENOMINATOR, DISPATCH_COUNTS
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.supervise import assessment_labels as words
from hotline.web.supervise import bp
from hotline.web.supervise.assessment_view import around, csv_response, month_or_none, parse_month, people, timezone

ASSESSORS = (Role.SUPERVISOR,)


@bp.route("/assessment")
@roles_required(*ASSESSORS)
def assessment():
    month, problem = parse_month(request.args.get("month"))
    moment = now()
    report = service.month_report(db.session, month, timezone(), moment, service.in_force(db.session))
    return render_template("supervise/assessment.html", report=report, month=month, problem=problem, now=moment,
                           around=around(month), words=words, rates=kpis.RATES,
                           counts=kpis.COUNTS), 422 if problem else 200


def _department_or_404(department_id: int | None) -> Department | None:
    if department_id is None:
        return None
    department = db.session.get(Department, department_id)
    if department is None:
        abort(404)
    return department


@bp.route("/assessment/cases")
@roles_required(*ASSESSORS)
def assessment_cases():
    month = month_or_none(request.args.get("month"))
    measure, missed = request.args.get("measure", ""), request.args.get("missed") == "1"
    if month is None or not service.can_list(measure, missed):
        abort(404)
    department = _department_or_404(request.args.get("department", type=int))
    policy = service.in_force(db.session).policy
    moment = now()
    query = service.cases_behind(measure, month, timezone(), moment, policy, department.id if department else None,
                                 missed=missed)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, has_next = service.page_of(db.session, query, page)
    if missed:
        title = f"{words.MEASURE[DENOMINATOR[measure]]} · {words.MISSED[measure]}"
        explained = _("Counted in “%(whole)s” but not in “%(part)s”.", whole=words.MEASURE[DENOMINATOR[measure]],
                      part=words.MEASURE[measure])
    else:
        title, explained = str(words.MEASURE[measure]), str(words.DEFINITION[measure])
    return render_template(
        "supervise/assessment_cases.html", rows=rows, has_next=has_next, page=page, now=moment, month=month,
        total=service.count(db.session, query), shown=people(rows), department=department, title=title,
        explained=explained, per_dispatch=measure in DISPATCH_COUNTS, tab="figures", words=words)


def _percent_number(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


CSV_COUNTS = ("received", "closed", "sign_due", "signed_on_time", "completion_due", "completed_on_time", "overdue",
              "replied", "responded", "rated", "satisfied", "basically", "dissatisfied", "resolved", "redone")


def csv_head() -> list[str]:
    return ([_("Department code"), _("Department")] + [str(words.MEASURE[m]) for m in CSV_COUNTS]
            + [_("%(rate)s (%%)", rate=words.RATE[r]) for r in kpis.RATES]
            + [_("Average handling time (hours)"), _("Score"), _("Rank"), _("List")])


def csv_row(line: service.Line) -> list:
    d = line.department
    code, name = (d.code, labels.name(d)) if d else ("", _("Whole city"))
    values = [line.dissatisfied if m == "dissatisfied" else getattr(line.counts, m) for m in CSV_COUNTS]
    return ([code, name] + values + [_percent_number(line.rates[r]) for r in kpis.RATES]
            + [_number(line.average_hours), _number(line.score), line.rank or "",
               str(words.LIST_NAME[line.listed]) if line.listed else ""])


@bp.route("/assessment/export.csv")
@roles_required(*ASSESSORS)
def assessment_csv():
    month = month_or_none(request.args.get("month"))
    if month is None:
        abort(404)
    current = service.in_force(db.session)
    report = service.month_report(db.session, month, timezone(), now(), current)
    audit.log_access(db.session, current_user, "assessment_export", at=now(), ip=client_ip(),
                     detail=f"{month:%Y-%m} departments, policy v{current.version}")
    db.session.commit()
    rows = [csv_head()] + [csv_row(x) for x in report.lines] + [csv_row(report.city)]
    return csv_response(rows, f"assessment-{month:%Y-%m}.csv")


from hotline.web.supervise import assessment_flags, assessment_formula, assessment_report  # noqa: E402,F401
