"""The annual report (信访工作条例 Art. 41): the organs complained about most — the petitions each was responsible
for and those accusing it, and how it dealt with them — the twenty most with a bar, the totals, the petitions
received month by month; the same as CSV. For the office's dispatchers and supervisors."""
from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from hotline.clock import now
from hotline.extensions import db
from hotline.services import audit, petition_report
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.petitions import bp
from hotline.web.petitions.registry import REPORTERS, csv_response, timezone, today

FIRST_YEAR = 2000
# the report's columns after the organ: (count, heading)
COLUMNS = ("forwarded", "accused", "accepted", "not_accepted", "on_time", "late", "extended", "reviewed", "changed",
           "re_reviewed")


def headings() -> dict[str, str]:
    return {"forwarded": _("Forwarded to it"), "accused": _("Accusing it"), "accepted": _("Accepted"),
            "not_accepted": _("Not accepted"), "on_time": _("Decided on time"), "late": _("Decided late"),
            "extended": _("Extended"), "reviewed": _("Review asked"), "changed": _("Changed or revoked on review"),
            "re_reviewed": _("Re-review asked")}


def kind_names() -> dict[str, str]:
    """The three kinds of petition (Art. 16), short enough for a column's head."""
    return {"petition_suggestion": _("Suggestions"), "accusation": _("Accusations"), "grievance": _("Grievances")}


def _year() -> int:
    asked = request.args.get("year")
    if not asked:
        return today().year
    if not asked.isdigit() or not FIRST_YEAR <= int(asked) <= today().year + 1:
        abort(404)
    return int(asked)


def _report(year: int) -> petition_report.Report:
    return petition_report.annual(db.session, current_user.actor, year, timezone())


@bp.route("/report")
@roles_required(*REPORTERS)
def report():
    year = _year()
    r = _report(year)
    return render_template("petitions/report.html", r=r, year=year, columns=COLUMNS, headings=headings(),
                           kind_names=kind_names(),
                           kinds=petition_report.PETITION_KINDS, chart=month_chart(r), now=now(),
                           this_year=today().year, first_year=FIRST_YEAR)


@bp.route("/report.csv")
@roles_required(*REPORTERS)
def report_csv():
    year = _year()
    r = _report(year)
    audit.log_access(db.session, current_user, "petition_report_export", at=now(), ip=client_ip(), detail=str(year))
    db.session.commit()
    words = headings()
    kinds = petition_report.PETITION_KINDS
    rows = [[_("Petitions: annual report %(year)d", year=year)],
            [_("Organ"), _("Complaints"), *(words[c] for c in COLUMNS[:1]),
             *(labels.of(labels.KIND, k) for k in kinds), *(words[c] for c in COLUMNS[1:])]]
    for line in [*r.lines, r.totals]:
        rows.append([labels.name(line.department) if line.department else _("All organs"), line.total,
                     line["forwarded"], *(line.kinds[k] for k in kinds), *(line[c] for c in COLUMNS[1:])])
    rows += [[], [_("Month"), _("Petitions received"), *(labels.of(labels.KIND, k) for k in kinds)]]
    for n, month in enumerate(r.months, start=1):
        rows.append([f"{year}-{n:02d}", sum(month.values()), *(month[k] for k in kinds)])
    rows.append([_("Total"), r.received, *(r.kinds[k] for k in kinds)])
    return csv_response(rows, f"petition-report-{year}.csv")


WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 480, 180, 28, 22, 14


def month_chart(r: petition_report.Report) -> Markup:
    """Petitions received each month, as columns drawn on the server (no script; the stylesheet colours them)."""
    values = [sum(m.values()) for m in r.months]
    top = max(max(values), 1)
    slot = (WIDTH - LEFT) / 12
    plot = HEIGHT - BOTTOM - TOP
    title = _("Petitions received each month, %(year)d", year=r.year)
    parts = [f'<svg class="xf-months" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<line class="axis" x1="{LEFT}" x2="{WIDTH}" y1="{TOP + plot}" y2="{TOP + plot}"/>',
             f'<text class="tick" x="{LEFT - 4}" y="{TOP + 4}" text-anchor="end">{top}</text>',
             f'<text class="tick" x="{LEFT - 4}" y="{TOP + plot}" text-anchor="end">0</text>']
    for n, value in enumerate(values):
        height = plot * value / top
        x = LEFT + slot * n + slot * 0.15
        label = format_date(date(r.year, n + 1, 1), "MMM")
        parts.append(f'<rect x="{x:.1f}" y="{TOP + plot - height:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}">'
                     f'<title>{escape(label)}: {value}</title></rect>')
        if value:
            parts.append(f'<text class="value" x="{x + slot * 0.35:.1f}" y="{TOP + plot - height - 3:.1f}" '
                         f'text-anchor="middle">{value}</text>')
        parts.append(f'<text class="tick" x="{x + slot * 0.35:.1f}" y="{HEIGHT - 6}" text-anchor="middle">'
                     f'{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 -- every word in it is escaped above
