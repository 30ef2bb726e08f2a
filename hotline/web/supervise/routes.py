"""The centre's oversight pages: the supervisors' board, extension requests, returns, replies to review,
callbacks, overdue cases. Departments never see them (403)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import now
from hotline.domain.lifecycle import State
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.services import board as board_service
from hotline.services import cases
from hotline.web.access import client_ip, roles_required
from hotline.web.cases import listing, present
from hotline.web.supervise import bp

OVERSIGHT = (Role.SUPERVISOR, Role.DISPATCHER)
# Who may open each page: those who act on it (operators make the callbacks).
PAGES: dict[str, frozenset[Role]] = {
    "extensions": frozenset(OVERSIGHT),
    "returns": frozenset(OVERSIGHT),
    "review": frozenset(OVERSIGHT),
    "callback": frozenset({*OVERSIGHT, Role.OPERATOR}),
    "overdue": frozenset({*OVERSIGHT, Role.OPERATOR}),
}
STATES = {"overdue": [State.DISPATCHED, State.IN_PROGRESS, State.REPLIED]}


def pages_for(role: str) -> list[str]:
    return [name for name, roles in PAGES.items() if Role(role) in roles]


@bp.route("/")
@roles_required(*OVERSIGHT, Role.OPERATOR)
def index():
    if Role(current_user.role) in OVERSIGHT:  # the board first: what is late, where, and what failed
        return redirect(url_for("supervise.board"))
    return redirect(url_for("supervise.queue", name=pages_for(current_user.role)[0]))


@bp.route("/board")
@roles_required(*OVERSIGHT)
def board():
    moment = now()
    loads = board_service.by_department(db.session, moment)
    supervised, supervised_total = board_service.supervised(db.session, viewer=current_user)
    jobs, jobs_total = board_service.failed_jobs(db.session)
    sms, sms_total = board_service.failed_sms(db.session, viewer=current_user)
    visible = pages_for(current_user.role)
    return render_template(
        "supervise/board.html", now=moment, loads=loads, totals=board_service.totals(loads),
        supervised=supervised, supervised_total=supervised_total, jobs=jobs, jobs_total=jobs_total,
        sms=sms, sms_total=sms_total, pages=visible,
        counts=cases.counts(db.session, current_user.actor, visible, moment, kind="queue"),
    )


@bp.route("/board/jobs/<int:job_id>/retry", methods=["POST"])
@roles_required(*OVERSIGHT)
def retry_job(job_id: int):
    row = board_service.retry_job(db.session, job_id, current_user, now(), client_ip())
    if row is None:
        flash(_("That job is no longer waiting for a retry."), "error")
    else:
        flash(_("Job %(id)d will be run again.", id=row.id), "success")
    return redirect(url_for("supervise.board") + "#failed-jobs")


@bp.route("/<name>")
@roles_required(*OVERSIGHT, Role.OPERATOR)
def queue(name: str):
    if name not in PAGES:
        abort(404)
    if Role(current_user.role) not in PAGES[name]:
        abort(403)
    flt = listing.filter_from_request(queue=name)
    rows, has_next, moment = listing.search(flt)
    visible = pages_for(current_user.role)
    counts = cases.counts(db.session, current_user.actor, visible, moment, kind="queue")
    returned = present.last_returns(db.session, [c.id for c in rows]) if name == "returns" else {}
    return render_template(
        "supervise/queue.html", name=name, pages=visible, counts=counts, rows=rows, flt=flt, has_next=has_next,
        now=moment, returned=returned, sorts=cases.SORTS, states=STATES.get(name, []),
        department_choices=present.department_choices(db.session),
        deadline_of=lambda c: present.current_deadline(c, moment),
    )
