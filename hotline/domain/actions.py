"""The fields each action takes, checked before the lifecycle decides. Errors are codes per field
(required, too_long, invalid_choice, out_of_range, not_a_number, same_department); the web layer
words them in the reader's language."""
from __future__ import annotations

from hotline.domain.errors import InvalidFields
from hotline.domain.lifecycle import Action

NOTE_MAX = 2000
REPLY_MAX = 4000
MAX_EXTENSION_WORKING_DAYS = 10  # DOMAIN.md §2: at most 10 working days, once
SATISFACTION = ("satisfied", "basically", "dissatisfied")
# DOMAIN.md §2: emergencies are not 12345's; the caller is told the number to dial (police, fire, ambulance, traffic)
EMERGENCY_SERVICES = ("110", "119", "120", "122")
# how the department reached the person before answering (响应): by phone, a visit, SMS, or not at all
CONTACT = ("phone", "visit", "sms", "none")


def _text(raw: dict, name: str, errors: dict, *, required: bool, limit: int = NOTE_MAX) -> str:
    value = raw.get(name)
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        errors[name] = "required"
    elif len(value) > limit:
        errors[name] = "too_long"
    return value


def _choice(raw: dict, name: str, choices: tuple[str, ...], errors: dict) -> str | None:
    value = raw.get(name)
    if value in (None, ""):
        errors[name] = "required"
    elif value not in choices:
        errors[name] = "invalid_choice"
    return value if value in choices else None


def _flag(raw: dict, name: str, errors: dict) -> bool | None:
    value = raw.get(name)
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else value
    if text in ("true", "yes", "1", "y", "on"):
        return True
    if text in ("false", "no", "0", "n", "off"):
        return False
    errors[name] = "required" if text in (None, "") else "invalid_choice"
    return None


def whole_number(raw: dict, name: str, errors: dict, low: int, high: int, required: bool = True) -> int | None:
    """A whole number in [low, high] from a form or JSON field; None (and a code in `errors`) when it is not.
    An empty optional field is None without an error."""
    value = raw.get(name)
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        if required:
            errors[name] = "required"
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        errors[name] = "not_a_number"  # int() would quietly make 2.5 days into 2, and True into 1
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = "not_a_number"
        return None
    if not low <= number <= high:
        errors[name] = "out_of_range"
        return None
    return number


def _ids(value) -> list[int] | None:
    if value in (None, ""):
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    try:
        return sorted({int(v) for v in items if str(v).strip()})
    except (TypeError, ValueError):
        return None


def clean(action: Action, raw: dict | None) -> dict:
    raw = raw or {}
    errors: dict[str, str] = {}
    out: dict = {}
    if action is Action.DISPATCH:
        out["lead_department_id"] = whole_number(raw, "lead_department_id", errors, 1, 2**31 - 1)
        co = _ids(raw.get("co_department_ids"))
        if co is None:
            errors["co_department_ids"] = "not_a_number"
        elif out["lead_department_id"] in co:
            errors["co_department_ids"] = "same_department"
        out["co_department_ids"] = co or []
        out["note"] = _text(raw, "note", errors, required=False)
    elif action is Action.RETURN:
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action is Action.REVIEW_RETURN:
        out["decision"] = _choice(raw, "decision", ("uphold", "refuse"), errors)
        out["note"] = _text(raw, "note", errors, required=out["decision"] == "refuse")
    elif action is Action.REQUEST_EXTENSION:
        out["days"] = whole_number(raw, "days", errors, 1, MAX_EXTENSION_WORKING_DAYS)
        out["reason"] = _text(raw, "reason", errors, required=True)
    elif action is Action.DECIDE_EXTENSION:
        out["decision"] = _choice(raw, "decision", ("approve", "deny"), errors)
        out["note"] = _text(raw, "note", errors, required=out["decision"] == "deny")
    elif action is Action.REPLY:
        out["text"] = _text(raw, "text", errors, required=True, limit=REPLY_MAX)
        out["resolved"] = _flag(raw, "resolved", errors)
        if raw.get("contact") not in (None, ""):  # optional for API clients; the page asks for it
            out["contact"] = _choice(raw, "contact", CONTACT, errors)
    elif action is Action.REVIEW_REPLY:
        out["decision"] = _choice(raw, "decision", ("approve", "send_back"), errors)
        out["note"] = _text(raw, "note", errors, required=out["decision"] == "send_back")
    elif action is Action.CALLBACK:
        out["satisfaction"] = _choice(raw, "satisfaction", SATISFACTION, errors)
        out["resolved"] = _flag(raw, "resolved", errors)
        out["note"] = _text(raw, "note", errors, required=False)
    elif action is Action.MERGE:
        out["into"] = _text(raw, "into", errors, required=True, limit=32).upper()
        out["note"] = _text(raw, "note", errors, required=False)
    elif action is Action.ANSWER_DIRECTLY:
        out["note"] = _text(raw, "note", errors, required=True)
        article = whole_number(raw, "article_id", errors, 1, 2**31 - 1, required=False)
        if article is not None:
            out["article_id"] = article  # the knowledge-base article the answer came from
    elif action is Action.TRANSFER:
        out["service"] = _choice(raw, "service", EMERGENCY_SERVICES, errors)
        out["note"] = _text(raw, "note", errors, required=False)
    elif action is Action.TERMINATE:
        out["note"] = _text(raw, "note", errors, required=True)
    else:  # sign, close, close-unrated, redo, urge, supervise, restamp: a note, required where it is the reason
        out["note"] = _text(raw, "note", errors,
                            required=action in (Action.URGE, Action.SUPERVISE, Action.REDO, Action.RESTAMP))
    if errors:
        raise InvalidFields("fields", errors)
    return out
