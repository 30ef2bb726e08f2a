"""Each department's monthly assessment report: a page made to be printed (or saved as PDF from the browser's
print dialog) and the same figures as CSV — the month beside the month before and the city, the score and rank,
the flags raised, and the numbers of the cases that missed."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain import kpis
from hotline.extensions import db
from hotline.models import Department
from hotline.services import assessment as service
from hotline.services import audit
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.supervise import assessment_labels as words
from hotline.web.supervise import bp
from hotline.web.supervise.assessment import ASSESSORS
from hotline.web.supervise.assessment_view import csv_response, month_or_none, timezone

# the rows of the report: (measure or rate, how a line gives its value)
COUNT_ROWS = ("received", "closed", "overdue", "replied", "rated", "satisfied", "basically", "dissatisfied",
              "resolved", "redone")


def _report(department_id: int):
    month = month_or_none(request.args.get("month"))
    department = db.session.get(Department, department_id)
    if month is None or department is None:
        abort(404)
    return service.department_report(db.session, department, month, timezone(), now(), service.in_force(db.session))


def count_of(line: service.Line, measure: str) -> int:
    return line.dissatisfied if measure == "dissatisfied" else getattr(line.counts, measure)


@bp.route("/assessment/departments/<int:department_id>")
@roles_required(*ASSESSORS)
def assessment_report(department_id: int):
    report = _report(department_id)
    return render_template("supervise/assessment_report.html", r=report, month=report.month, words=words,
                           rates=kpis.RATES, count_rows=COUNT_ROWS, count_of=count_of, now=now(),
                           missed_rows=service.MISSED_IN_REPORT)


@bp.route("/assessment/departments/<int:department_id>.csv")
@roles_required(*ASSESSORS)
def assessment_report_csv(department_id: int):
    r = _report(department_id)
    audit.log_access(db.session, current_user, "assessment_export", at=now(), ip=client_ip(),
                     detail=f"{r.month:%Y-%m} report of {r.department.code}, policy v{r.in_force.version}")
    db.session.commit()
    rows = [[_("Monthly assessment report"), labels.name(r.department), f"{r.month:%Y-%m}"],
            [_("Measure"), _("This month"), _("Month before"), _("Whole city")]]
    for measure in COUNT_ROWS:
        rows.append([str(words.MEASURE[measure])] + [count_of(x, measure) for x in (r.line, r.previous, r.city)])
    for rate in kpis.RATES:
        rows.append([_("%(rate)s (%%)", rate=words.RATE[rate])]
                    + [_pct(x.rates[rate]) for x in (r.line, r.previous, r.city)])
    rows.append([_("Average handling time (hours)")] + [_num(x.average_hours) for x in (r.line, r.previous, r.city)])
    rows.append([_("Score")] + [_num(x.score) for x in (r.line, r.previous, r.city)])
    rows.append([_("Rank"), r.line.rank or "", "", r.ranked])
    for flag in r.flags:
        rows.append([_("Flag"), str(words.FLAG[flag.kind]), flag.count, flag.out_of or ""])
    for measure in service.MISSED_IN_REPORT:
        rows.append([str(words.MISSED_TITLE[measure]), r.missed_total[measure], " ".join(r.missed[measure])])
    return csv_response(rows, f"assessment-{r.department.code}-{r.month:%Y-%m}.csv")


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
