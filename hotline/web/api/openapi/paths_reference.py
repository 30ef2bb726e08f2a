"""Tokens, reference data, subject suggestions, routing preview and location: what a client needs before a case."""
from __future__ import annotations

from hotline.domain.kinds import Kind, Track, Urgency
from hotline.web.api.openapi.common import answer, items_of, json_content, op
from hotline.web.api.openapi.schemas import BOOLEAN, INTEGER, MODEL, STRING, TEXT, nullable, obj, ref

TOKEN_REQUEST = obj({
    "username": {"type": "string", "maxLength": 64},
    "password": {"type": "string", "maxLength": 256},
    "name": {"type": "string", "maxLength": 64, "description": "What the token is for (e.g. `dispatch robot`)."},
}, required=["username", "password"])

SUGGESTION = obj({"code": STRING, "name": STRING, "name_en": STRING,
                  "parent": nullable(obj({"code": STRING, "name": STRING})),
                  "score": {"type": "number", "minimum": 0, "maximum": 1}})

PREVIEW = obj({
    "mode": {"enum": ["auto", "suggest", "none"]},
    "lead": nullable(ref("DepartmentRef")), "co": {"type": "array", "items": ref("DepartmentRef")},
    "rule": nullable(obj({"id": INTEGER, "position": INTEGER, "name": STRING, "version": nullable(INTEGER)})),
    "matched": {"type": "array", "items": {"type": "array", "minItems": 2, "maxItems": 2},
                "description": "Each condition of the rule and the value it matched on."},
    "skipped": {"type": "array", "items": obj({"rule": INTEGER, "reason": STRING})},
    "explanation": STRING, "version": nullable(INTEGER),
})

PLACE = nullable(ref("Coded"))
LOCATED = obj({
    "area": PLACE, "street": PLACE, "district": PLACE,
    "latitude": nullable({"type": "number"}), "longitude": nullable({"type": "number"}),
    "address": {**STRING, "description": "The gazetteer entry's name when one matched, else the address as given."},
    "address_id": {**TEXT, "description": "The gazetteer entry's code when one matched."},
    "how": {"enum": ["address_id", "point", "gazetteer", "area_name", "none"]},
})


def query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


PATHS = {
    "/openapi.json": {"get": op(
        "This description (OpenAPI 3.1)", {200: answer("The description.", {"type": "object"})}, tag="meta",
        public=True, operation_id="openapi")},
    "/tokens": {
        "post": op("Get a token", {201: answer("The token, shown once.", ref("NewToken"),
                                              {"Cache-Control": {"schema": {"const": "no-store"}}}),
                                   401: answer("Wrong username or password, a disabled user, or a demo user in "
                                               "production (`invalid_credentials`).", ref("Error"))},
                   400, 413, 422, 429, tag="tokens", public=True, operation_id="create_token",
                   description="Rate-limited per client address like the sign-in page (`HOTLINE_RATE_LOGIN`).",
                   body={"required": True, "content": json_content(TOKEN_REQUEST)}),
        "get": op("Your tokens", {200: answer("The caller's tokens in force.", items_of(ref("Token")))},
                  tag="tokens", operation_id="list_tokens"),
    },
    "/tokens/{token_id}": {"delete": op(
        "Revoke one of your tokens", {204: answer("Revoked.")}, 404, tag="tokens", operation_id="revoke_token",
        parameters=[{"name": "token_id", "in": "path", "required": True,
                     "schema": {"type": "integer", "minimum": 0}}],
        description="Another person's token answers 404.")},
    "/categories": {"get": op("Subjects (categories)", {200: answer("Level 1 subjects group level 2 ones.",
                                                                    items_of(ref("Category")))},
                              tag="reference", operation_id="categories")},
    "/areas": {"get": op("Places: districts (level 1) and streets (level 2)",
                         {200: answer("Every area, inactive ones marked.", items_of(ref("Area")))},
                         tag="reference", operation_id="areas")},
    "/departments": {"get": op("Departments", {200: answer("Level 1 city, 2 district, 3 street.",
                                                           items_of(ref("Department")))},
                               tag="reference", operation_id="departments")},
    "/categories/suggest": {"get": op(
        "The likeliest subjects for a complaint's text",
        {200: answer("Most likely first; none for a text the model cannot read.",
                     obj({"suggestions": {"type": "array", "items": SUGGESTION}, "model": MODEL}))},
        422, tag="reference", operation_id="suggest_categories",
        parameters=[query("text", {"type": "string", "maxLength": 2000}, "What the person said or typed."),
                    query("k", {"type": "integer", "minimum": 1, "maximum": 10, "default": 3},
                          "How many subjects to return.")])},
    "/categories/suggest/retrain": {"post": op(
        "Retrain the subject suggester now (administrator, supervisor)",
        {202: answer("Queued for a worker (once: a retraining already waiting is not queued twice).",
                     obj({"job": INTEGER, "status": STRING, "already_queued": BOOLEAN, "model": MODEL}))},
        403, tag="reference", operation_id="retrain_suggester")},
    "/routing/preview": {"get": op(
        "What the dispatch catalogue would decide (centre roles)",
        {200: answer("The decision POST /cases makes for a case with the same fields.", PREVIEW)},
        403, 422, tag="routing", operation_id="routing_preview",
        parameters=[
            query("track", {"enum": [str(t) for t in Track], "default": "hotline"}, "The procedure."),
            query("kind", {"enum": [str(k) for k in Kind]}, "A kind of that track.", required=True),
            query("category", {"type": "string", "maxLength": 64}, "An active level 2 category code."),
            query("area", {"type": "string", "maxLength": 32}, "An active area code (district or street)."),
            query("urgency", {"enum": [str(u) for u in Urgency], "default": "general"}, "The urgency."),
            query("text", {"type": "string", "maxLength": 2000}, "The description, for rules on words in it."),
        ])},
    "/locate": {"get": op(
        "A point or an address → district and street",
        {200: answer("What the location resolves to: `area` is the street when known, else the district; `how` says "
                     "what matched (`none`: nothing did).", LOCATED)},
        422, tag="location", operation_id="locate_place",
        description="Give a point (`lat` and `long`), an `address_id` or an `address`. 422: `required` (nothing to "
                    "locate, or half a point), `out_of_range`, `too_long`, `unknown` (no such address id), "
                    "`outside_jurisdiction` (a point in no district of the city).",
        parameters=[query("lat", {"type": "number", "minimum": -90, "maximum": 90}, "Latitude (WGS 84)."),
                    query("long", {"type": "number", "minimum": -180, "maximum": 180}, "Longitude (WGS 84)."),
                    query("address", {"type": "string", "maxLength": 200}, "An address as people write it."),
                    query("address_id", {"type": "string", "maxLength": 32}, "A gazetteer entry's code.")])},
}
