"""The filters every case list shares: search box, status, department (centre), sort, page."""
from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

from hotline.clock import now
from hotline.domain.access import sees_all_cases
from hotline.domain.lifecycle import State
from hotline.extensions import db
from hotline.services import cases


def filter_from_request(*, queue: str = "", tab: str = "") -> cases.CaseFilter:
    args = request.args
    state = args.get("state", "")
    sort = args.get("sort", "newest")
    department_id = args.get("department", type=int) if sees_all_cases(current_user.actor) else None
    return cases.CaseFilter(
        q=args.get("q", "")[:100], state=state if state in set(State) else "",
        track=args.get("track", ""), department_id=department_id, queue=queue, tab=tab,
        sort=sort if sort in cases.SORTS else "newest", page=max(args.get("page", 1, type=int) or 1, 1),
    )


def search(flt: cases.CaseFilter):
    """(rows, has_next, now): one page, with what the relationships the rows show already loaded."""
    moment = now()
    rows, has_next = cases.search(db.session, current_user.actor, flt,
                                  current_app.config["HOTLINE_PHONE_REGION"], now=moment)
    return rows, has_next, moment
