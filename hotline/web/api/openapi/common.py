"""What the operations share: the error answers, the `lang` parameter, and a builder for one operation."""
from __future__ import annotations

from hotline.web.api.openapi.schemas import ref

# Every error answer has the same body; what differs is when it is given.
ERRORS = {
    400: "The body is not a JSON object (`bad_request`).",
    401: "No token, an unknown or revoked one, or its user may no longer sign in (`unauthorized`); "
         "answered with `WWW-Authenticate: Bearer`.",
    403: "This person may not do this (`forbidden`, `reason`: `role` or `department`).",
    404: "No such case, not visible to the caller, no such action, token or file (`not_found`).",
    409: "The case is not in a state that allows this now, or it changed since `version` (`conflict`, `reason`, "
         "`last_change`).",
    413: "A JSON body over 2 MB, or a multipart body over 51 MB (`too_large`).",
    422: "Fields missing or wrong (`invalid_fields`, `fields`: `{name: code}`).",
    429: "Too many attempts from this address (`rate_limited`).",
    500: "A fault on our side; nothing half-written is kept (`server_error`).",
}

RESPONSES = {
    f"E{status}": {"description": why, "content": {"application/json": {"schema": ref("Error")}}}
    for status, why in ERRORS.items()
}

LANG = {"name": "lang", "in": "query", "required": False, "schema": {"enum": ["zh", "en"]},
        "description": "The language of `message` and of explanations: Simplified Chinese (default) or English."}

CASE_NUMBER = {"name": "number", "in": "path", "required": True, "description": "The case number.",
               "schema": {"type": "string", "minLength": 1, "examples": ["12345-20261127-000042"]}}

JSON = "application/json"


def json_content(schema: dict) -> dict:
    return {JSON: {"schema": schema}}


def op(summary: str, ok: dict, *errors: int, tag: str, description: str = "", parameters: list | None = None,
       body: dict | None = None, public: bool = False, operation_id: str = "") -> dict:
    """One operation. `ok` maps the success status to its response; `errors` are the error statuses it can give
    besides those every authenticated operation can (401, 500)."""
    responses = {str(status): response for status, response in ok.items()}
    statuses = set(errors) | {500} | (set() if public else {401})
    for status in sorted(statuses):
        responses[str(status)] = {"$ref": f"#/components/responses/E{status}"}
    operation = {"tags": [tag], "summary": summary, "operationId": operation_id,
                 "parameters": [*(parameters or []), LANG], "responses": responses}
    if description:
        operation["description"] = description
    if body is not None:
        operation["requestBody"] = body
    if public:
        operation["security"] = []
    return operation


def answer(description: str, schema: dict | None = None, headers: dict | None = None) -> dict:
    response: dict = {"description": description}
    if schema is not None:
        response["content"] = json_content(schema)
    if headers:
        response["headers"] = headers
    return response


def items_of(schema: dict) -> dict:
    return {"type": "object", "properties": {"items": {"type": "array", "items": schema}}, "required": ["items"]}
