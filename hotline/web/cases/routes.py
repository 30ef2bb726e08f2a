"""The centre's case list, the dispatcher's queue and the case page."""
from flask import render_template, request
from flask_login import current_user, login_required

from hotline.domain.lifecycle import State
from hotline.domain.roles import CENTRE_ROLES
from hotline.extensions import db
from hotline.services import cases
from hotline.web.access import roles_required
from hotline.web.cases import bp, listing, present, routing_view
from hotline.web.cases.page import render_case


@bp.route("/")
@roles_required(*CENTRE_ROLES)
def index():
    queue = request.args.get("queue", "")
    flt = listing.filter_from_request(queue=queue if queue in cases.QUEUES else "")
    rows, has_next, moment = listing.search(flt)
    return render_template("cases/index.html", rows=rows, flt=flt, has_next=has_next, now=moment,
                           deadline_of=lambda c: present.current_deadline(c, moment), states=list(State),
                           sorts=cases.SORTS, department_choices=present.department_choices(db.session))


@bp.route("/queue")
@roles_required(*CENTRE_ROLES)
def dispatch_queue():
    """派单队列: new cases and returned ones, the returned ones with who returned them and why, and the rule
    of the dispatch catalogue behind each (so rules that send cases to the wrong place are found)."""
    flt = listing.filter_from_request(queue="dispatch")
    rows, has_next, moment = listing.search(flt)
    returned = present.last_returns(db.session, [c.id for c in rows if c.state == State.RETURNED])
    counts = cases.counts(db.session, current_user.actor, ("dispatch", "returns"), moment, kind="queue")
    return render_template("cases/queue.html", rows=rows, flt=flt, has_next=has_next, now=moment,
                           returned=returned, counts=counts, sorts=cases.SORTS,
                           routed=routing_view.for_cases(db.session, [c.id for c in rows]),
                           routing_outcome=routing_view.outcome_label,
                           deadline_of=lambda c: present.current_deadline(c, moment))


@bp.route("/<number>")
@login_required
def detail(number: str):
    return render_case(number)
