"""Reading a request body (JSON; multipart only for a reply with its files): each problem becomes a
per-field code, collected for one 422 answer."""
from __future__ import annotations

from flask import abort, request
from werkzeug.datastructures import FileStorage

from hotline.domain.errors import InvalidFields, NotFound
from hotline.domain.text import clean, contains_markup

JSON_MAX = 2 * 1024 * 1024  # the app takes more (a reply's files, as multipart); a JSON body never needs it
ID_MAX = 2**31 - 1  # ids are INTEGER columns: a larger number names no row, and the database would refuse it


def row_id(value: int, what: str) -> int:
    """An id from the path, checked against what the column can hold before it reaches the database."""
    if not 0 < value <= ID_MAX:
        raise NotFound(what)
    return value


def json_body() -> dict:
    """The body as a JSON object; no body is an empty object; over 2 MB is a 413; anything else is a 400."""
    if (request.content_length or 0) > JSON_MAX:
        abort(413)
    if not request.get_data(cache=True):
        return {}
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        abort(400)
    refuse_nul(body)
    return body


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def refuse_nul(fields) -> None:
    """A NUL character is in no text a person writes, and PostgreSQL refuses to store or even compare it: a field
    holding one (at any depth) is `invalid_character`, rather than a server error later."""
    bad = {str(name).replace("\x00", "") or "field": "invalid_character"
           for name, value in fields.items() if _has_nul(name) or _has_nul(value)}
    if bad:
        raise InvalidFields("fields", bad)


def refuse_nul_in_query() -> None:
    """The same for the query string of a route that looks things up by it (?q=, ?department=, …). A route that
    reads no query string ignores it, NUL or not."""
    refuse_nul(request.args.to_dict(flat=False))


def multipart_body(file_field: str) -> tuple[dict, list[FileStorage]]:
    """A multipart/form-data body: its fields as strings (`version` as a number) and the files sent
    under `file_field`. A file under any other name is refused (`not_accepted`), never dropped unseen."""
    body = request.form.to_dict()
    refuse_nul(body)
    refused = {name: "not_accepted" for name in request.files if name != file_field}
    if refused:
        raise InvalidFields("fields", refused)
    version = body.pop("version", "").strip()
    if version:
        body["version"] = int(version) if version.isdecimal() and version.isascii() else version
    return body, request.files.getlist(file_field)


def text(body: dict, name: str, errors: dict, *, required: bool, limit: int, minimum: int = 0,
         no_markup: bool = False) -> str:
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        errors[name] = "not_a_string"
        return ""
    value = clean(value)
    if not value:
        if required:
            errors[name] = "required"
    elif len(value) > limit:
        errors[name] = "too_long"
    elif len(value) < minimum:
        errors[name] = "too_short"
    elif no_markup and contains_markup(value):
        errors[name] = "markup"
    return value


def choice(body: dict, name: str, choices, errors: dict, default: str | None = None) -> str | None:
    value = body.get(name, default)
    if value in (None, ""):
        errors[name] = "required"
        return None
    if not isinstance(value, str) or value not in choices:
        errors[name] = "invalid_choice"
        return None
    return value


def flag(body: dict, name: str, errors: dict, default: bool = False) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        errors[name] = "not_a_boolean"
        return default
    return value


def query_flag(value: str | None, name: str, errors: dict) -> bool:
    """?overdue=true: true/1/yes or false/0/no (or absent)."""
    if value is None or value.lower() in ("", "false", "0", "no"):
        return False
    if value.lower() in ("true", "1", "yes"):
        return True
    errors[name] = "not_a_boolean"
    return False


def query_int(value: str | None, name: str, errors: dict, *, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        errors[name] = "not_a_number"
        return default
    if not low <= number <= high:
        errors[name] = "out_of_range"
        return default
    return number
