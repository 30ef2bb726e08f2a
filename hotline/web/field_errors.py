"""Words for the field error codes of `hotline.domain.actions` (and the services), next to the field."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hotline.domain.actions import MAX_EXTENSION_WORKING_DAYS, NOTE_MAX, REPLY_MAX
from hotline.domain.files import MAX_BYTES, MAX_FILES, Problem

GENERAL = {
    "required": _l("This is required."),
    "too_long": _l("This is too long."),
    "invalid_choice": _l("Choose one of the options."),
    "out_of_range": _l("This number is out of range."),
    "not_a_number": _l("Enter a whole number."),
    "same_department": _l("The lead department cannot also be a co-handler."),
    "unknown": _l("This does not exist or is no longer in use."),
    "not_open": _l("That case is not open."),
}

# Where a field deserves a more precise sentence than the general one.
SPECIFIC = {
    ("days", "out_of_range"): _l("Between 1 and %(max)d working days.", max=MAX_EXTENSION_WORKING_DAYS),
    ("days", "required"): _l("How many working days more?"),
    ("reason", "required"): _l("Give the reason."),
    ("reason", "too_long"): _l("At most %(max)d characters.", max=NOTE_MAX),
    ("note", "required"): _l("Write a note: the department and the record need it."),
    ("note", "too_long"): _l("At most %(max)d characters.", max=NOTE_MAX),
    ("text", "required"): _l("Write the reply to the person."),
    ("text", "too_long"): _l("At most %(max)d characters.", max=REPLY_MAX),
    ("resolved", "required"): _l("Say whether the matter is resolved."),
    ("satisfaction", "required"): _l("Choose how satisfied the person is."),
    ("decision", "required"): _l("Choose a decision."),
    ("lead_department_id", "required"): _l("Choose the lead department."),
    ("lead_department_id", "unknown"): _l("This department does not exist or no longer takes cases."),
    ("co_department_ids", "unknown"): _l("One of these departments no longer takes cases."),
    ("into", "required"): _l("Enter the number of the case to merge into."),
    ("into", "unknown"): _l("There is no case with this number."),
    ("article_id", "unknown"): _l("This knowledge-base article does not exist or is no longer in use."),
    ("service", "required"): _l("Choose the emergency number the caller was told to dial."),
    ("into", "not_open"): _l("That case is closed, merged, or this case itself: choose an open case."),
}

BY_ACTION = {
    ("answer-directly", "note", "required"): _l("Write the answer the person was given."),
    ("terminate", "note", "required"): _l("Give the reason for terminating the case."),
    ("return", "reason", "required"): _l("Say why this case is not for your department."),
}


def message(field: str, code: str, action: str = "") -> str:
    found = BY_ACTION.get((action, field, code)) or SPECIFIC.get((field, code)) or GENERAL.get(code)
    return str(found or GENERAL["invalid_choice"])


def file_message(problem: Problem) -> str:
    """One sentence per refused file, naming it."""
    if problem.code == "too_many":
        return _("At most %(n)d files can go with one reply.", n=MAX_FILES)
    if problem.code == "empty":
        return _("%(name)s: the file is empty.", name=problem.name)
    if problem.code == "too_large":
        return _("%(name)s: the file is larger than %(mb)d MB.", name=problem.name, mb=MAX_BYTES // (1024 * 1024))
    return _("%(name)s: only photos (JPEG, PNG, WebP) and PDF documents can be attached.", name=problem.name)
