"""Cases: register (a work order or a petition), list, read one, its events, its files."""
from __future__ import annotations

from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Track, Urgency
from hotline.domain.petition_intake import MAX_PETITIONERS
from hotline.services import cases
from hotline.services.petitions import PETITION_CHANNELS
from hotline.web.api.openapi.common import CASE_NUMBER, answer, json_content, op
from hotline.web.api.openapi.schemas import BOOLEAN, INTEGER, STATES, STRING, obj, ref


def text(limit: int, minimum: int = 0, description: str = "") -> dict:
    schema = {"type": "string", "maxLength": limit, **({"minLength": minimum} if minimum else {})}
    return {**schema, "description": description} if description else schema


SUBMISSION_KEY = text(64, description="The same key again returns the case already made (200), never a second one.")

NEW_CASE = obj({
    "track": {"const": "hotline", "default": "hotline"},
    "kind": {"enum": [str(k) for k in KINDS_BY_TRACK[Track.HOTLINE]]},
    "category": text(64, description="An active level 2 category code."),
    "area": text(32, description="An active area code (a district or a street)."),
    "location_text": text(200), "description": text(2000, 10), "name": text(50),
    "phone": text(32, description="As people type it (`138 1234 5678`, `+86…`); stored E.164."),
    "confidential": {**BOOLEAN, "default": False},
    "urgency": {"enum": [str(u) for u in Urgency], "default": "general"},
    "channel": {"enum": [str(c) for c in Channel], "default": "phone"},
    "submission_key": SUBMISSION_KEY,
}, required=["kind", "category", "area", "location_text", "description", "name", "phone"],
    title="A work order (12345 工单)")

PETITIONER_IN = obj({"name": text(50), "id_number": text(18), "phone": text(32), "address": text(200),
                     "representative": BOOLEAN}, required=[])

NEW_PETITION = obj({
    "track": {"const": "petition"},
    "kind": {"enum": [str(k) for k in KINDS_BY_TRACK[Track.PETITION]]},
    "channel": {"enum": [str(c) for c in PETITION_CHANNELS]},
    "request": text(2000), "facts": text(4000), "reasons": text(4000),
    "petitioners": {"type": "array", "items": PETITIONER_IN, "maxItems": MAX_PETITIONERS},
    "group_size": {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1},
    "category": text(64), "area": text(32), "location_text": text(200),
    "oral": BOOLEAN, "major": BOOLEAN, "confidential": BOOLEAN,
    "accused_departments": {"type": "array", "items": STRING, "description": "Department codes (Art. 30)."},
    "new_facts": text(4000, description="New facts or reasons, for a matter concluded before (Art. 36)."),
    "submission_key": SUBMISSION_KEY,
}, required=["track", "kind", "channel", "request", "facts", "reasons", "petitioners"],
    title="A petition (信访事项)")

LIST = obj({"items": {"type": "array", "items": ref("Case")}, "page": INTEGER, "per_page": INTEGER,
            "has_next": BOOLEAN})


def query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LIST_PARAMETERS = [
    query("state", {"enum": STATES}, "Only cases in this state."),
    query("track", {"enum": [str(t) for t in Track]}, "Only work orders or only petitions."),
    query("queue", {"enum": list(cases.QUEUES)}, "A centre queue (centre roles only; else `not_applicable`)."),
    query("tab", {"enum": list(cases.TABS)}, "A department inbox tab (departments only)."),
    query("overdue", {"type": "boolean"}, "Only overdue cases (not with another queue or tab)."),
    query("department", {"type": "string"}, "A department's code: the cases assigned to it."),
    query("sort", {"enum": list(cases.SORTS), "default": "newest"}, "The order."),
    query("q", {"type": "string", "maxLength": 100}, "Words, a case number or a phone number."),
    query("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}, "The page."),
    query("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": cases.PAGE_SIZE},
          "Cases per page."),
]

ONE_CASE = "The case as the caller may see it; the person unmasked only to those who may (written to the access log)."

PATHS = {
    "/cases": {
        "post": op("Register a case (operator, dispatcher, supervisor)",
                   {200: answer("The case this `submission_key` already made.", ref("Case")),
                    201: answer("Registered and routed.", ref("Case"),
                                {"Location": {"schema": {"type": "string"}, "description": "The case's URL."}})},
                   400, 403, 409, 413, 422, tag="cases", operation_id="create_case",
                   description="A work order, or with `\"track\": \"petition\"` a petition. 409 `same_matter_settled`:"
                               " the same matter was concluded after re-review (Art. 36).",
                   body={"required": True, "content": json_content({"oneOf": [NEW_CASE, NEW_PETITION]})}),
        "get": op("The cases the caller may see", {200: answer("Newest first unless `sort` says otherwise; "
                                                              "persons always masked.", LIST)},
                  422, tag="cases", operation_id="list_cases", parameters=LIST_PARAMETERS),
    },
    "/cases/{number}": {"get": op("One case", {200: answer(ONE_CASE, ref("Case"))}, 404, tag="cases",
                                  operation_id="get_case", parameters=[CASE_NUMBER])},
    "/cases/{number}/events": {"get": op(
        "A case's history, oldest first",
        {200: answer("Hash-chained events.", obj({"number": STRING, "items": {"type": "array",
                                                                               "items": ref("Event")}}))},
        404, tag="cases", operation_id="case_events", parameters=[CASE_NUMBER])},
    "/cases/{number}/attachments/{attachment_id}": {"get": op(
        "Download a reply's file",
        {200: {"description": "The file (written to the access log), `Content-Disposition: attachment`.",
               "content": {t: {"schema": {"type": "string", "format": "binary"}}
                           for t in ("image/jpeg", "image/png", "image/webp", "application/pdf")}}},
        404, tag="cases", operation_id="get_attachment",
        parameters=[CASE_NUMBER, {"name": "attachment_id", "in": "path", "required": True,
                                  "schema": {"type": "integer", "minimum": 0}}])},
}
