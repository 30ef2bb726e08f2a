"""The working calendar: a year at a glance, entering a year's State Council notice, reloading the
chinese-calendar package, and recomputing the deadlines of open cases afterwards.

Administrators keep the calendar (they also keep the SLA policies: both are system settings, DOMAIN.md §4);
supervisors read it — their deadlines depend on it, and they see the warning of a missing year — but do not
change it. Everyone else is refused (403)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from hotline.clock import local, now
from hotline.domain import calendar_notice
from hotline.domain.errors import Forbidden, InvalidFields
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import CalendarYear
from hotline.services import calendars, recompute, sla
from hotline.web.access import roles_required
from hotline.web.admin import bp
from hotline.web.admin.deadline_forms import (
    JOB_STATUS,
    KIND_OF_DAY,
    SOURCE,
    NoticeForm,
    RecomputeForm,
    day_message,
    field_message,
    line_message,
)
from hotline.web.admin.forms import PostForm

KEEPERS = (Role.ADMIN,)
READERS = (Role.ADMIN, Role.SUPERVISOR)


def _today() -> date:
    return local(now(), current_app.config["HOTLINE_TIMEZONE"]).date()


@bp.app_context_processor
def deadline_calendar_globals():
    """For base.html's warning: a function, so that the query runs only where the warning is drawn."""
    return {"calendar_gaps": _calendar_gaps, "day_kinds": KIND_OF_DAY, "calendar_sources": SOURCE}


def _calendar_gaps() -> list[int]:
    """This year and next when their notice is not entered, for administrators and supervisors; else []."""
    if not current_user.is_authenticated or current_user.role not in READERS:
        return []
    if "calendar_gaps" not in g:
        try:
            g.calendar_gaps = sla.uncovered_years(db.session, _today())
        except SQLAlchemyError:  # a warning must never break the page it sits on (the error page included)
            db.session.rollback()
            g.calendar_gaps = []
    return g.calendar_gaps


@bp.route("/calendar", endpoint="calendar_index")
@roles_required(*READERS)
def calendar_index():
    text = request.args.get("year", "")
    year = int(text) if text.isdigit() and calendars.FIRST_YEAR <= int(text) <= calendars.LAST_YEAR else _today().year
    return redirect(url_for("admin.calendar", year=year))


def _recompute_form(year: int) -> RecomputeForm:
    return RecomputeForm(formdata=None, year=str(year))


@bp.route("/calendar/<int:year>", endpoint="calendar")
@roles_required(*READERS)
def calendar_page(year: int, recompute_form: RecomputeForm | None = None, status: int = 200):
    if not calendars.FIRST_YEAR <= year <= calendars.LAST_YEAR:
        abort(404)
    keeper = current_user.role in KEEPERS
    return render_template(
        "admin/calendar.html", view=calendars.year_view(db.session, year, _today()), today=_today(),
        gaps=sla.uncovered_years(db.session, _today()),
        keeper=keeper, post=PostForm(), weekdays=_weekdays(), spans=_spans(calendars.entered_years(db.session)),
        recompute_form=recompute_form or _recompute_form(year),
        provisional=recompute.provisional_open(db.session) if keeper else 0,
        jobs=recompute.recent_jobs(db.session) if keeper else [], history=calendars.history(db.session),
        job_status=JOB_STATUS, first_year=calendars.FIRST_YEAR, last_year=calendars.LAST_YEAR), status


def _weekdays() -> list[str]:
    monday = date(2024, 1, 1)
    return [format_date(monday + timedelta(days=n), "EEEEEE") for n in range(7)]


def _spans(years: dict[int, str]) -> list[tuple[int, int, str]]:
    """Runs of consecutive years from one source: [(2004, 2026, "chinese-calendar"), (2027, 2027, "admin")]."""
    spans: list[tuple[int, int, str]] = []
    for year, source in sorted(years.items()):
        if spans and spans[-1][2] == source and spans[-1][1] == year - 1:
            spans[-1] = (spans[-1][0], year, source)
        else:
            spans.append((year, year, source))
    return spans


def _enter_page(form: NoticeForm, year: int, status: int = 200, problem: str = "", lines=(), days=()):
    row = db.session.get(CalendarYear, year)
    return render_template("admin/calendar_enter.html", form=form, year=year, row=row, problem=problem,
                           line_errors=lines, day_errors=days), status


@bp.route("/calendar/<int:year>/enter", methods=["GET", "POST"], endpoint="calendar_enter")
@roles_required(*KEEPERS)
def calendar_enter(year: int):
    if not calendars.FIRST_YEAR <= year <= calendars.LAST_YEAR:
        abort(404)
    form = NoticeForm()
    if request.method == "GET":
        days = calendars.days_of(db.session, year)
        if days:  # replacing: start from what the calendar has, so only the change needs typing
            form.holidays.data = calendar_notice.format_days((d.day, d.name) for d in days if d.kind == "holiday")
            form.working_days.data = calendar_notice.format_days((d.day, d.name) for d in days
                                                                 if d.kind == "working_day")
            row = db.session.get(CalendarYear, year)
            form.notice.data = row.notice if row else ""
        return _enter_page(form, year)
    if not form.validate_on_submit():
        return _enter_page(form, year, 400, _("The form had expired. Nothing was saved; send it again."))
    parsed = calendar_notice.parse(year, form.holidays.data or "", form.working_days.data or "")
    refused = calendars.problems(db.session, year, parsed.holidays, parsed.working_days, form.notice.data or "",
                                 replace=bool(form.replace.data))
    if not parsed.problems and refused is None:
        try:
            calendars.enter_year(db.session, year, parsed.holidays, parsed.working_days, form.notice.data or "",
                                 current_user, now(), replace=bool(form.replace.data))
        except calendars.Refused as exc:
            refused = exc
        else:
            flash(_("The %(year)d calendar is entered: deadlines stamped from now on count its holidays and "
                    "make-up days. Deadlines already stamped stay as they are until they are recomputed.",
                    year=year), "success")
            return redirect(url_for("admin.calendar", year=year, _anchor="recompute"))
    return _refused(form, year, parsed, refused)


def _refused(form: NoticeForm, year: int, parsed: calendar_notice.ParsedNotice, refused: calendars.Refused | None):
    """Every problem at once, next to the box it is in; what was typed stays."""
    lines: dict[str, list[str]] = {}
    for p in parsed.problems:
        lines.setdefault(p.section, []).append(line_message(p))
    days: dict[str, list[str]] = {}
    detail = refused.detail if refused else {}
    for where, p in (refused.problems if refused else []):
        days.setdefault(where, []).append(day_message(p, year))
    for name in ("notice", "year"):
        if name in detail:
            target = form.notice if name == "notice" else form.replace
            target.errors = [*target.errors, field_message(name, detail[name])]
    for name in ("holidays", "working_days"):
        getattr(form, name).errors = lines.get(name, []) + days.get(name, [])
    return _enter_page(form, year, 422, _("Nothing was saved. Correct what is marked below."))


@bp.route("/calendar/import", methods=["POST"], endpoint="calendar_import")
@roles_required(*KEEPERS)
def calendar_import():
    if not PostForm().validate_on_submit():
        abort(400)
    result = calendars.import_package(db.session, now(), current_user)
    if result.loaded:
        flash(_("Loaded %(n)d years from the chinese-calendar package (%(years)s). Years an administrator "
                "entered were kept.", n=len(result.loaded), years=", ".join(map(str, result.loaded))), "success")
    else:
        flash(_("The calendar already holds everything the installed chinese-calendar package knows."), "success")
    back = request.form.get("year", "")
    return redirect(url_for("admin.calendar", year=int(back)) if back.isdigit() else url_for("admin.calendar_index"))


@bp.route("/calendar/recompute", methods=["POST"], endpoint="calendar_recompute")
@roles_required(*KEEPERS)
def calendar_recompute():
    form = RecomputeForm()
    year = int(form.year.data) if (form.year.data or "").isdigit() else _today().year
    if not form.validate_on_submit():
        abort(400)
    try:
        job = recompute.request_bulk(db.session, current_user, form.scope.data or "", form.note.data or "", now(),
                                     year=year)
    except Forbidden:
        abort(403)
    except InvalidFields as exc:
        for name, code in exc.detail.items():
            target = getattr(form, name, None) or form.scope
            target.errors = [*target.errors, field_message(name, code)]
        return calendar_page(year, recompute_form=form, status=422)
    flash(_("Recompute queued (job %(id)d): a worker recomputes each case and records it in the case’s history.",
            id=job.id), "success")
    return redirect(url_for("admin.calendar", year=year, _anchor="recompute"))
