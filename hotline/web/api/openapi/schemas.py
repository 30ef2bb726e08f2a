"""The JSON shapes of API v1 (hotline/services/serialize.py) as JSON Schema 2020-12, for components.schemas.
Enumerations are read from the domain, so a new state or kind cannot leave the description behind."""
from __future__ import annotations

from hotline.domain.kinds import Channel, Kind, Track, Urgency
from hotline.domain.lifecycle import State
from hotline.domain.petition import PetitionState


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """`schema` or null (OpenAPI 3.1 has no `nullable`)."""
    if "$ref" in schema:
        return {"oneOf": [schema, {"type": "null"}]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*kinds, "null"]}


def obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    """An object whose listed properties are always there (fields are added within v1, never removed)."""
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required, **extra}


STRING = {"type": "string"}
TEXT = nullable(STRING)
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = nullable(TIME)
STATES = list(dict.fromkeys([*(str(s) for s in State), *(str(s) for s in PetitionState)]))

ERROR = obj({
    "error": {**STRING, "description": "A code: bad_request, unauthorized, invalid_credentials, forbidden, not_found, "
                                       "method_not_allowed, conflict, too_large, invalid_fields, rate_limited, "
                                       "server_error."},
    "message": {**STRING, "description": "A sentence for a person, in the request's language."},
    "reason": {**STRING, "description": "403: `role` or `department`; 409: why the step is refused now."},
    "fields": {"type": "object", "additionalProperties": STRING,
               "description": "422: each bad field and its code (`required`, `too_long`, `unknown`, …)."},
    "files": {"type": "array", "items": obj({"index": INTEGER, "name": TEXT, "error": STRING})},
    "last_change": nullable(obj({"version": INTEGER, "state": STRING, "action": TEXT, "by": TEXT, "at": MAYBE_TIME},
                                required=[], additionalProperties=True)),
}, required=["error", "message"], additionalProperties=True)

CODED = obj({"code": STRING, "name": STRING, "name_en": STRING})
DEPARTMENT_REF = obj({"code": STRING, "name": STRING, "short_name": STRING, "name_en": STRING})
TREE_ITEM = {"level": INTEGER, "parent": TEXT, "active": BOOLEAN}

TOKEN = obj({"id": INTEGER, "name": STRING, "created_at": TIME, "last_used_at": MAYBE_TIME})
NEW_TOKEN = {**TOKEN, "properties": {"token": {**STRING, "description": "Shown once; only its SHA-256 is kept."},
                                     **TOKEN["properties"]}, "required": ["token", *TOKEN["required"]]}

MODEL = nullable(obj({"version": INTEGER, "trained_at": MAYBE_TIME}))

RULE_REF = obj({"id": INTEGER, "position": INTEGER, "name": STRING, "version": INTEGER})

ROUTING = obj({
    "mode": {"enum": ["auto", "suggest", "none"]},
    "outcome": {"enum": ["dispatched", "suggested", "no_match", "failed"]},
    "rule": nullable(RULE_REF), "version": nullable(INTEGER), "at": MAYBE_TIME,
    "lead": nullable(ref("DepartmentRef")), "co": {"type": "array", "items": ref("DepartmentRef")},
    "explanation": STRING, "returned": BOOLEAN,
})

ASSIGNMENT = obj({
    "department": ref("DepartmentRef"), "lead": BOOLEAN, "status": {"enum": ["pending", "signed", "replied"]},
    "round": INTEGER, "dispatched_at": MAYBE_TIME, "sign_due_at": MAYBE_TIME, "sign_warn_at": MAYBE_TIME,
    "reply_due_at": MAYBE_TIME, "reply_warn_at": MAYBE_TIME, "signed_at": MAYBE_TIME, "replied_at": MAYBE_TIME,
})

ATTACHMENT = obj({"id": INTEGER, "name": STRING, "type": STRING, "size": INTEGER, "sha256": STRING,
                  "event": INTEGER, "at": MAYBE_TIME, "url": STRING})

PERSON = nullable(obj({"name": TEXT, "phone": TEXT, "masked": BOOLEAN}))

PETITIONER = obj({"name": TEXT, "id_number": TEXT, "phone": TEXT, "address": TEXT, "representative": BOOLEAN,
                  "masked": BOOLEAN})

OUTCOME = obj({"outcome": TEXT, "at": MAYBE_TIME}, required=["outcome", "at"], additionalProperties=True)
REQUESTED_OUTCOME = obj({"requested_at": MAYBE_TIME, "outcome": TEXT, "at": MAYBE_TIME})

PETITION = obj({
    "facts": TEXT, "reasons": TEXT, "new_facts": TEXT, "oral": BOOLEAN, "major": BOOLEAN, "group_size": INTEGER,
    "petitioners": {"type": "array", "items": PETITIONER}, "representatives": {"type": "array", "items": PETITIONER},
    "forwarding": TEXT, "forwarded_at": MAYBE_TIME, "objection_reason": TEXT, "accepted_at": MAYBE_TIME,
    "legal_route": TEXT,
    "deadlines": {"type": "object", "additionalProperties": MAYBE_TIME,
                  "description": "Each statutory clock's deadline (信访工作条例 Arts. 22–36)."},
    "running": {"type": "array", "items": STRING},
    "outcomes": obj({"decision": OUTCOME, "review": REQUESTED_OUTCOME, "re_review": REQUESTED_OUTCOME}),
    "hearing": obj({"under_way": BOOLEAN, "started_at": MAYBE_TIME, "days": nullable(INTEGER)}),
    "final": nullable(BOOLEAN),
    "same_matter": nullable(obj({"kind": STRING, "case": TEXT})),
    "accused_departments": nullable({"type": "array", "items": ref("DepartmentRef")}),
    "documents": {"type": "array", "items": obj({
        "kind": STRING, "number": STRING, "issued_at": MAYBE_TIME, "corrects": TEXT, "sha256": TEXT, "url": TEXT,
        "pdf_url": TEXT, "pdf_ready": BOOLEAN})},
})

CASE = obj({
    "number": {**STRING, "examples": ["12345-20261127-000042", "XF-20261127-000007"]},
    "track": {"enum": [str(t) for t in Track]}, "kind": {"enum": [str(k) for k in Kind]},
    "state": {"enum": STATES}, "channel": {"enum": [str(c) for c in Channel]},
    "urgency": nullable({"enum": [str(u) for u in Urgency]}),
    "category": nullable(ref("Coded")), "area": nullable(ref("Coded")),
    "location_text": TEXT, "description": TEXT, "confidential": BOOLEAN,
    "person": PERSON, "received_at": MAYBE_TIME,
    "lead_department": nullable(ref("DepartmentRef")),
    "co_departments": {"type": "array", "items": ref("DepartmentRef")},
    "assignments": {"type": "array", "items": ASSIGNMENT},
    "deadlines": obj({k: MAYBE_TIME for k in ("sign", "reply", "return_until", "callback", "supervision")}),
    "deadlines_provisional": nullable(BOOLEAN),
    "dispatch_count": INTEGER, "designated": BOOLEAN, "redo_count": INTEGER, "urge_count": INTEGER,
    "supervised": BOOLEAN,
    "extension": obj({"status": nullable({"enum": ["pending", "approved", "denied"]}), "days": nullable(INTEGER),
                      "reason": TEXT}),
    "reply": obj({"text": TEXT, "resolved": nullable(BOOLEAN), "at": MAYBE_TIME, "reviewed": nullable(BOOLEAN),
                  "contact": TEXT}),
    "callback": obj({"satisfaction": TEXT, "resolved": nullable(BOOLEAN), "note": TEXT, "at": MAYBE_TIME}),
    "attachments": {"type": "array", "items": ATTACHMENT},
    "routing": nullable(ROUTING),
    "merged_into": TEXT, "transferred_to": TEXT, "answered_article": nullable(INTEGER), "closed_at": MAYBE_TIME,
    "version": INTEGER,
    "allowed_actions": {"type": "array", "items": STRING,
                        "description": "The actions this caller may take now."},
    "petition": {**PETITION, "description": "Petitions only (`track: petition`)."},
}, required=None)
CASE["required"] = [name for name in CASE["properties"] if name != "petition"]

EVENT = obj({
    "seq": INTEGER, "at": TIME, "action": STRING, "from_state": TEXT, "to_state": TEXT, "actor": TEXT,
    "department": nullable(ref("DepartmentRef")), "note": TEXT,
    "data": nullable({"type": "object", "description": "The step's fields; departments by code, people by "
                                                       "username."}),
})

SCHEMAS = {
    "Error": ERROR,
    "Coded": CODED,
    "DepartmentRef": DEPARTMENT_REF,
    "Token": TOKEN,
    "NewToken": NEW_TOKEN,
    "Category": {**CODED, "properties": {**CODED["properties"], **TREE_ITEM},
                 "required": [*CODED["required"], *TREE_ITEM]},
    "Area": {**CODED, "properties": {**CODED["properties"], **TREE_ITEM}, "required": [*CODED["required"], *TREE_ITEM]},
    "Department": {**DEPARTMENT_REF, "properties": {**DEPARTMENT_REF["properties"], "kind": STRING, **TREE_ITEM,
                                                    "area": TEXT},
                   "required": [*DEPARTMENT_REF["required"], "kind", *TREE_ITEM, "area"]},
    "Model": MODEL,
    "Case": CASE,
    "Event": EVENT,
}
