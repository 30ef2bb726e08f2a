"""POST /cases/<number>/actions/<action>: one step of the case's procedure (a work order's or a petition's,
hotline.domain.tracks) through handling.act, the one function that changes a case. 403 not this person's to take,
404 not visible or not an action of this case's procedure, 409 wrong state or stale version, 422 invalid fields."""
from __future__ import annotations

from flask import current_app, request
from sqlalchemy import select

from hotline.clock import now
from hotline.domain import tracks
from hotline.domain.errors import InvalidFields, NotFound
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import Action
from hotline.domain.petition import PetitionAction
from hotline.extensions import db
from hotline.models import Department, User
from hotline.services import cases, handling
from hotline.web import uploads
from hotline.web.api import bp
from hotline.web.api.auth import caller
from hotline.web.api.body import json_body, multipart_body
from hotline.web.api.cases import one_case

# What the API offers, by procedure; a case is registered through POST /cases, not as an action.
ACTIONS = {str(a): a for a in Action if a is not Action.REGISTER}
PETITION_ACTIONS = {str(a): a for a in PetitionAction if a is not PetitionAction.REGISTER}

FILES_FIELD = "files"  # the multipart part(s) holding a reply's attachments

# handling.act names departments and people by id; the API by code and username.
API_FIELD = {"lead_department_id": "lead_department", "co_department_ids": "co_departments", "organ_id": "organ",
             "user_id": "user"}


@bp.post("/cases/<number>/actions/<action>")
def take_action(number: str, action: str):
    if action not in ACTIONS and action not in PETITION_ACTIONS:
        raise NotFound("action")
    user = caller()
    case = cases.get_visible(db.session, user.actor, number)  # 404 before anything about the body is said
    step = tracks.of(case.track).action(action)  # 404: not a step of this case's procedure
    petition = case.track == Track.PETITION
    db.session.rollback()  # act reads the case afresh under its lock, not what was just read without one
    files = []
    if step is Action.REPLY and not petition and request.mimetype == "multipart/form-data":
        body, parts = multipart_body(FILES_FIELD)  # a reply with its files
        files = uploads.incoming(parts)
    else:
        body = json_body()
    version = body.pop("version", None)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise InvalidFields("fields", {"version": "not_a_number"})
    if petition:
        fields = _petition_ids(body)
    elif step is Action.DISPATCH:
        fields = _department_ids(body)
    else:
        fields = body
    try:
        case = handling.act(db.session, number, step, user, fields, _context(), expected_version=version,
                            files=files)
    except InvalidFields as exc:
        raise InvalidFields(exc.code, {API_FIELD.get(k, k): v for k, v in exc.detail.items()}, exc.files) from None
    if user.id in case.scope.recused_user_ids:
        return "", 204  # a conflict of interest just declared (Art. 28): the case is no longer theirs to read
    return one_case(case)


def _petition_ids(body: dict) -> dict:
    """{"organ": "dh-gov"} and {"user": "dh-gov-staff"} → the ids handling.act takes. Ids are never taken from
    the API: a body naming `organ_id` or `user_id` is read as naming neither."""
    fields = {k: v for k, v in body.items() if k not in ("organ_id", "user_id")}
    errors: dict[str, str] = {}
    for name, model, column in (("organ", Department, Department.code), ("user", User, User.username)):
        if name not in fields:
            continue
        value = fields.pop(name)
        if value in (None, ""):
            errors[name] = "required"
            continue
        if not isinstance(value, str):
            errors[name] = "not_a_string"
            continue
        condition = [column == value, Department.active] if model is Department else [column == value]
        found = db.session.scalar(select(model.id).where(*condition))
        if found is None:
            errors[name] = "unknown"
        else:
            fields[f"{name}_id"] = found
    if errors:
        raise InvalidFields("fields", errors)
    return fields


def _department_ids(body: dict) -> dict:
    """{"lead_department": "dh-cgj", "co_departments": ["dh-xhj"]} → the ids handling.act takes."""
    lead, co = body.get("lead_department"), body.get("co_departments") or []
    errors: dict[str, str] = {}
    if lead in (None, ""):
        errors["lead_department"] = "required"
    elif not isinstance(lead, str):
        errors["lead_department"] = "not_a_string"
    if not isinstance(co, list) or not all(isinstance(c, str) for c in co):
        errors["co_departments"] = "not_a_list"
        co = []
    wanted = {c for c in [lead, *co] if isinstance(c, str)}
    ids = dict(db.session.execute(
        select(Department.code, Department.id).where(Department.code.in_(wanted), Department.active)).tuples().all())
    if "lead_department" not in errors and lead not in ids:
        errors["lead_department"] = "unknown"
    if "co_departments" not in errors and any(c not in ids for c in co):
        errors["co_departments"] = "unknown"
    if errors:
        raise InvalidFields("fields", errors)
    return {"lead_department_id": ids[lead], "co_department_ids": [ids[c] for c in co],
            "note": body.get("note", "")}


def _context() -> handling.Context:
    cfg = current_app.config
    return handling.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], storage=uploads.storage())
