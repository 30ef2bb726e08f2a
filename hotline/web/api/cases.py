"""POST /cases (intake: a work order, or a petition with `"track": "petition"`), GET /cases (scoped list),
GET /cases/<number>, GET /cases/<number>/events."""
from __future__ import annotations

from flask import current_app, g, jsonify, request, url_for
from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hotline.clock import now
from hotline.domain import lifecycle
from hotline.domain.access import sees_all_cases, sees_contact_unmasked
from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import State
from hotline.domain.petition import PetitionState
from hotline.extensions import db
from hotline.models import Assignment, Attachment, Case, CaseEvent, Department, Petition
from hotline.services import audit, cases, intake, petitions, serialize, sla
from hotline.web.access import client_ip
from hotline.web.api import bp, petition_json
from hotline.web.api.auth import caller, require_role
from hotline.web.api.body import json_body, query_flag, query_int, refuse_nul_in_query
from hotline.web.api.filing import new_case
from hotline.web.api.petition_filing import api_fields, new_petition
from hotline.web.cases import routing_view

PER_PAGE_MAX = 100
Q_MAX = 100
STATES = tuple(dict.fromkeys([*(str(s) for s in State), *(str(s) for s in PetitionState)]))


@bp.post("/cases")
def create_case():
    require_role(*lifecycle.INTAKE)
    body = json_body()
    track = body.get("track", str(Track.HOTLINE))
    if track not in tuple(str(t) for t in Track):
        raise InvalidFields("fields", {"track": "invalid_choice"})
    new = new_petition(body) if track == Track.PETITION else new_case(body)
    existed = bool(new.submission_key) and db.session.scalar(
        select(Case.id).where(Case.submission_key == new.submission_key)) is not None
    try:
        if track == Track.PETITION:
            case = petitions.register(db.session, new, _petition_context(), actor=caller())
        else:
            case = intake.register(db.session, new, _intake_context(), actor=caller())
    except intake.UnknownReference as exc:  # retired between the check and the insert
        raise InvalidFields("fields", {str(exc): "unknown"}) from None
    except InvalidFields as exc:  # the petition's own rules (Arts. 19, 20), in the API's names
        raise InvalidFields(exc.code, api_fields(exc.detail)) from None
    response, status = one_case(case, 200 if existed else 201)
    response.headers["Location"] = url_for("api.get_case", number=case.number)
    return response, status


@bp.get("/cases")
def list_cases():
    actor = caller().actor
    flt, per_page, department_id = _filter()
    if department_id is not None and not sees_all_cases(actor) and department_id != actor.department_id:
        rows, has_next = [], False  # a department lists only its own cases, whichever department it names
    else:
        rows, has_next = _page(actor, flt, per_page)
    routed, extra = routing_json(rows), petition_json.extras(rows, actor)
    items = [_hidden(serialize.case(c, actor, unmasked=False, routed=routed.get(c.id),  # lists mask; a case
                                    petition_extra=extra.get(c.id)), c, actor)      # itself may not
             for c in rows]
    return jsonify({"items": items, "page": flt.page, "per_page": per_page, "has_next": has_next})


@bp.get("/cases/<number>")
def get_case(number: str):
    return one_case(cases.get_visible(db.session, caller().actor, number))


@bp.get("/cases/<number>/events")
def case_events(number: str):
    case = cases.get_visible(db.session, caller().actor, number)
    rows = list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)))
    items = petition_json.redact_references(serialize.events(db.session, rows), caller().actor)
    if hide := petition_json.hider(case, caller().actor):
        for item in items:
            item["note"] = hide(item["note"]) or None
            for key in ("text", "new_facts"):
                if isinstance((item["data"] or {}).get(key), str):
                    item["data"][key] = hide(item["data"][key])
    return jsonify({"number": case.number, "items": items})


def one_case(case: Case, status: int = 200):
    """The case as the caller may see it. Showing the person unmasked is written to the access log
    (个人信息保护法 Arts. 34–36), as the case page does."""
    user = caller()
    unmasked = case.person is not None and sees_contact_unmasked(user.actor, case.confidential, case.kind)
    body = _hidden(serialize.case(case, user.actor, unmasked=unmasked, routed=routing_json([case]).get(case.id),
                                  petition_extra=petition_json.extras([case], user.actor).get(case.id)),
                   case, user.actor)
    if unmasked:
        g.personal_data_shown = True  # Cache-Control: no-store
        audit.log_access(db.session, user, "view_personal_data", at=now(), case=case, detail="api", ip=client_ip())
        db.session.commit()
    return jsonify(body), status


def _hidden(body: dict, case: Case, actor) -> dict:
    """The case's free texts as a reader who sees the person masked may read them (petition_json.hider)."""
    if hide := petition_json.hider(case, actor):
        body["description"], body["location_text"] = hide(body["description"]), hide(body["location_text"])
        body["extension"]["reason"] = hide(body["extension"]["reason"])
        body["reply"]["text"], body["callback"]["note"] = hide(body["reply"]["text"]), hide(body["callback"]["note"])
        petition_json.hide_petition(body, hide)
    return body


def routing_json(rows: list[Case]) -> dict[int, dict]:
    """The routing part of each case's JSON, for a page of cases in a few queries."""
    return {case_id: serialize.routing(r.row, r.line, r.lead, r.co)
            for case_id, r in routing_view.for_cases(db.session, [c.id for c in rows]).items()}


def _filter() -> tuple[cases.CaseFilter, int, int | None]:
    refuse_nul_in_query()
    actor, args, errors = caller().actor, request.args, {}
    centre = sees_all_cases(actor)
    state = args.get("state", "")
    if state and state not in STATES:
        errors["state"] = "invalid_choice"
    track = args.get("track", "")
    if track and track not in tuple(str(t) for t in Track):
        errors["track"] = "invalid_choice"
    queue, tab = args.get("queue", ""), args.get("tab", "")
    if queue and (queue not in cases.QUEUES or not centre):
        errors["queue"] = "invalid_choice" if centre else "not_applicable"
    if tab and (tab not in cases.TABS or centre):
        errors["tab"] = "not_applicable" if centre else "invalid_choice"
    if query_flag(args.get("overdue"), "overdue", errors):
        if (queue or tab) not in ("", "overdue"):
            errors["overdue"] = "conflicts"
        queue, tab = ("overdue", "") if centre else ("", "overdue")
    department_id = None
    if code := args.get("department", ""):
        department_id = db.session.scalar(select(Department.id).where(Department.code == code))
        if department_id is None:
            errors["department"] = "unknown"
    sort = args.get("sort", "newest")
    if sort not in cases.SORTS:
        errors["sort"] = "invalid_choice"
    q = args.get("q", "")
    if len(q) > Q_MAX:
        errors["q"] = "too_long"
    page = query_int(args.get("page"), "page", errors, default=1, low=1, high=1_000_000)
    per_page = query_int(args.get("per_page"), "per_page", errors, default=cases.PAGE_SIZE, low=1, high=PER_PAGE_MAX)
    if errors:
        raise InvalidFields("fields", errors)
    flt = cases.CaseFilter(q=q, state=state, track=track, department_id=department_id if centre else None,
                           queue=queue, tab=tab, sort=sort, page=page)
    return flt, per_page, department_id


def _page(actor, flt: cases.CaseFilter, per_page: int) -> tuple[list[Case], bool]:
    rows, has_next = cases.search(db.session, actor, flt, current_app.config["HOTLINE_PHONE_REGION"],
                                  per_page=per_page)
    return _loaded(rows), has_next


def _loaded(rows: list[Case]) -> list[Case]:
    """The same cases with what their JSON needs beyond what search loaded, in one query per relation
    instead of one per case."""
    if not rows:
        return rows
    ids = [c.id for c in rows]
    full = {c.id: c for c in db.session.scalars(select(Case).where(Case.id.in_(ids)).options(
        selectinload(Case.assignments).selectinload(Assignment.department), selectinload(Case.person),
        selectinload(Case.attachments).selectinload(Attachment.event), selectinload(Case.recusals),
        selectinload(Case.petition).selectinload(Petition.petitioners),
        selectinload(Case.petition).selectinload(Petition.accused)))}
    return [full[i] for i in ids]


def _intake_context() -> intake.Context:
    cfg = current_app.config
    return intake.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], locale=str(get_locale()))


def _petition_context() -> petitions.Context:
    timezone = current_app.config["HOTLINE_TIMEZONE"]
    return petitions.Context(now=now(), timezone=timezone, book=sla.book(db.session, timezone),
                             locale=str(get_locale()))
