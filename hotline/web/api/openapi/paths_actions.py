"""POST /cases/{number}/actions/{action}: one step of the case's procedure. The fields each action takes are in
docs/api.md's tables; here they are one object, since which apply depends on the action and the case's track."""
from __future__ import annotations

from hotline.web.api.actions import ACTIONS, PETITION_ACTIONS
from hotline.web.api.openapi.common import CASE_NUMBER, answer, json_content, op
from hotline.web.api.openapi.schemas import BOOLEAN, STRING, ref

NOTE = {"type": "string", "maxLength": 2000}

FIELDS = {
    "version": {"type": "integer", "description": "The version the caller last saw: 409 `stale` if it changed."},
    "note": NOTE, "reason": NOTE,
    "text": {"type": "string", "maxLength": 4000, "description": "`reply`; `decide`… (petitions)."},
    "resolved": BOOLEAN,
    "contact": {"enum": ["phone", "visit", "sms", "none"], "description": "`reply`: how the person was reached."},
    "lead_department": {**STRING, "description": "`dispatch`: a department code."},
    "co_departments": {"type": "array", "items": STRING, "description": "`dispatch`: department codes."},
    "decision": {**STRING, "description": "`review-return` uphold/refuse, `decide-extension` approve/deny, "
                                          "`review-reply` approve/send_back, `accept` accept/refer, …"},
    "days": {"type": "integer", "description": "`request-extension`: 1–10 working days (petitions 1–30)."},
    "satisfaction": {"enum": ["satisfied", "basically", "dissatisfied"]},
    "into": {**STRING, "description": "`merge`: the number of an open case."},
    "article_id": {"type": "integer", "description": "`answer-directly`: a knowledge-base article."},
    "service": {"enum": ["110", "119", "120", "122"], "description": "`transfer`: the emergency number."},
    "organ": {**STRING, "description": "Petitions: a department code."},
    "forwarding": {"enum": ["forward", "assign"]},
    "legal_route": STRING, "outcome": STRING, "facts": STRING, "basis": STRING, "next_authority": STRING,
    "case": {**STRING, "description": "`link`: a 12345 case number."},
    "user": {**STRING, "description": "`record-conflict`: a username."},
    "document": {**STRING, "description": "`correct-document`: the document's number."},
}

MULTIPART = {"type": "object", "properties": {
    "text": {"type": "string", "maxLength": 4000}, "resolved": {"enum": ["true", "false"]},
    "contact": FIELDS["contact"], "version": {"type": "string", "pattern": "^[0-9]+$"},
    "files": {"type": "array", "maxItems": 5,
              "items": {"type": "string", "contentMediaType": "application/octet-stream"},
              "description": "Up to 5 files of at most 10 MB: JPEG, PNG, WebP or PDF."},
}, "required": ["text", "resolved"]}

ACTION = {"name": "action", "in": "path", "required": True,
          "schema": {"enum": list(dict.fromkeys([*ACTIONS, *PETITION_ACTIONS]))},
          "description": "A step of a work order's procedure or of a petition's; another's is 404."}

PATHS = {
    "/cases/{number}/actions/{action}": {"post": op(
        "Take a step on a case",
        {200: answer("The updated case.", ref("Case")),
         204: answer("`declare-conflict`: from now on the case is not the caller's to see.")},
        400, 403, 404, 409, 413, 422, tag="actions", operation_id="take_action",
        parameters=[CASE_NUMBER, ACTION],
        description="Checked in this order: the case is visible and the action is one of its procedure's (404), "
                    "the codes and usernames exist (422), `version` is current (409), the procedure allows this "
                    "person to take it now (403, then 409), the fields and files are valid (422). On any error "
                    "nothing is written. Only `reply` takes multipart/form-data (with its files).",
        body={"required": False, "content": {**json_content({"type": "object", "properties": FIELDS}),
                                             "multipart/form-data": {"schema": MULTIPART}}})},
}
