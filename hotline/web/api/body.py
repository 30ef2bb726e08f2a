"""Reading a request body (JSON; multipart only for a reply with its files): each problem becomes a
per-field code, collected for one 422 answer."""
from __future__ import annotations

from flask import abort, request
from werkzeug.datastructures import FileStorage

from hotline.domain.errors import InvalidFields
from hotline.domain.text import clean, contains_markup

JSON_MAX = 2 * 1024 * 1024  # the app takes more (a reply's files, as multipart); a JSON body never needs it


def json_body() -> dict:
    """The body as a JSON object; no body is an empty object; over 2 MB is a 413; anything else is a 400."""
    if (request.content_length or 0) > JSON_MAX:
        abort(413)
    if not request.get_data(cache=True):
        return {}
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def multipart_body(file_field: str) -> tuple[dict, list[FileStorage]]:
    """A multipart/form-data body: its fields as strings (`version` as a number) and the files sent
    under `file_field`. A file under any other name is refused (`not_accepted`), never dropped unseen."""
    body = request.form.to_dict()
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
