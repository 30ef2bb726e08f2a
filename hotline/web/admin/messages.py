"""Words for the problems of hotline/domain/catalogue_csv.py, next to a form field or a row of a file."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hotline.domain.catalogue_csv import KEYWORD_MAX, Problem
from hotline.web import labels
from hotline.web.admin.present import Names

MESSAGES = {
    "required": _l("This is required."),
    "too_long": _l("At most %(value)s characters."),
    "markup": _l("Please remove the HTML tags or script code from this field."),
    "bad_position": _l("The position must be a whole number from 1 up, not “%(value)s”."),
    "duplicate_position": _l("This position is already used on row %(value)s."),
    "unknown_track": _l("Unknown track “%(value)s”: use hotline or petition, or leave it empty."),
    "unknown_kind": _l("Unknown kind of case “%(value)s”."),
    "kind_not_in_track": _l("“%(value)s” is not a kind of case on the chosen track."),
    "unknown_categories": _l("Unknown category code “%(value)s”."),
    "unknown_areas": _l("Unknown area code “%(value)s”."),
    "unknown_urgencies": _l("Unknown urgency “%(value)s”."),
    "keyword_too_long": _l("The keyword “%(value)s” is too long (at most %(max)s characters)."),
    "duplicate_keyword": _l("The keyword “%(value)s” is listed twice."),
    "bad_mode": _l("Unknown mode “%(value)s”: use auto or suggest."),
    "bad_boolean": _l("“%(value)s” is neither yes nor no."),
    "unknown_department": _l("There is no department “%(value)s”."),
    "inactive_department": _l("%(value)s no longer takes cases: choose another department."),
    "unknown_target": _l("“%(value)s” is not a target: use dept:CODE, street_office, district_gov "
                         "or district:SUFFIX."),
    "same_as_lead": _l("The lead department cannot also be a co-handler."),
    "duplicate_target": _l("“%(value)s” is listed twice."),
    "empty_file": _l("The file is empty."),
    "no_rules": _l("The file has a header but no rules."),
    "missing_columns": _l("Columns missing from the header: %(value)s."),
    "unknown_columns": _l("Unknown columns in the header: %(value)s."),
    "too_many_rows": _l("Too many rules: at most %(value)s."),
    "extra_cells": _l("This row has more cells than the header has columns (%(value)s)."),
    "not_text": _l("This is not a CSV text file. Save it from the spreadsheet as “CSV UTF-8”."),
    "too_large": _l("The file is larger than %(value)s MB."),
}


def message(problem: Problem, names: Names | None = None) -> str:
    value = problem.value
    if names and problem.field in ("lead", "co") and value.startswith("dept:") and value[5:] in names.departments:
        value = f"{labels.short(names.departments[value[5:]])} ({value[5:]})"
    elif problem.code == "unknown_department" and value.startswith("dept:"):
        value = value[5:]
    text = str(MESSAGES.get(problem.code, MESSAGES["required"]))
    return text % {"value": value, "max": KEYWORD_MAX} if "%(" in text else text
