"""A department's inbox: tabs 待签收 / 办理中 / 即将超期 / 已超期 / 已答复, each with its count."""
from flask import render_template, request
from flask_login import current_user

from hotline.domain.lifecycle import State
from hotline.domain.roles import DEPARTMENT_ROLES
from hotline.extensions import db
from hotline.services import cases
from hotline.web.access import roles_required
from hotline.web.cases import listing, present
from hotline.web.staff import bp


@bp.route("/inbox")
@roles_required(*DEPARTMENT_ROLES)
def inbox():
    tab = request.args.get("tab", "")
    tab = tab if tab in cases.TABS else ""
    flt = listing.filter_from_request(tab=tab)
    rows, has_next, moment = listing.search(flt)
    mine = present.own_assignments(db.session, current_user.department_id, [c.id for c in rows])
    counts = cases.counts(db.session, current_user.actor, cases.TABS, moment, kind="tab")
    return render_template(
        "staff/inbox.html", rows=rows, flt=flt, has_next=has_next, now=moment, tab=tab, tabs=cases.TABS,
        counts=counts, department=current_user.department, sorts=cases.SORTS, mine=mine,
        states=[State.DISPATCHED, State.IN_PROGRESS, State.REPLIED, State.CLOSED],
        deadline_of=lambda c: present.current_deadline(c, moment, mine.get(c.id)),
    )
