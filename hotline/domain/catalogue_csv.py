"""The dispatch catalogue as a spreadsheet (the way centres keep it), and the checks every rule passes
before it is saved — from the admin form or from a CSV file.

One rule per row, in codes (never database ids), so a file reads the same in any installation:

    position,name,active,track,kinds,categories,areas,urgencies,keywords,lead,co,mode,note
    12,施工噪声,yes,hotline,complaint,city.noise-construction,dh,,,district:cgj,street_office,auto,

Lists are separated by "|" or ";". A target is `dept:<code>` (a bare department code is read the same),
`street_office`, `district_gov` or `district:<suffix>` (see hotline/domain/routing.py). An import
replaces the whole catalogue, so it is all or nothing: every row is checked, every problem is reported
with its row number (the header is row 1, as a spreadsheet counts), and nothing is kept when one row
is wrong."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from hotline.domain import routing
from hotline.domain.text import clean, contains_markup

COLUMNS = ("position", "name", "active", "track", "kinds", "categories", "areas", "urgencies", "keywords",
           "lead", "co", "mode", "note")
NAME_MAX = 120
NOTE_MAX = 1000
KEYWORD_MAX = 40
MAX_ROWS = 10_000
MAX_BYTES = 2 * 1024 * 1024

LIST_SEPARATORS = re.compile(r"[|;；]")
KEYWORD_SEPARATORS = re.compile(r"[|;；,，、\n]")
TRUE = frozenset({"yes", "y", "true", "t", "1", "on", "是", "启用"})
FALSE = frozenset({"no", "n", "false", "f", "0", "off", "否", "停用"})
MODES = {"auto": routing.AUTO, "suggest": routing.SUGGEST, "自动": routing.AUTO, "建议": routing.SUGGEST}
FORMULA_START = tuple("=+-@\t\r")  # a cell starting with these is a formula to a spreadsheet


@dataclass(frozen=True)
class RuleSpec:
    """A rule as a person writes it, before it has an id. `position` None means "at the end"."""
    lead: str
    name: str = ""
    position: int | None = None
    active: bool = True
    track: str | None = None
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    co: tuple[str, ...] = ()
    mode: str = routing.SUGGEST
    note: str = ""


@dataclass(frozen=True)
class Reference:
    """The codes a rule may use, as the database has them when it is saved."""
    categories: frozenset[str]
    areas: frozenset[str]
    districts: frozenset[str]
    departments: frozenset[str]  # every department, taking cases or not
    directory: routing.Directory  # only the departments that take cases
    kinds_by_track: dict[str, frozenset[str]] = field(default_factory=dict)
    urgencies: frozenset[str] = frozenset()

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset().union(*self.kinds_by_track.values())


@dataclass(frozen=True)
class Problem:
    field: str  # a column of the file, a field of the form; "" for the whole row or file
    code: str
    value: str = ""  # what was wrong, to name it in the message


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    problem: Problem


def split_keywords(text: str) -> tuple[str, ...]:
    """Keywords typed one per line or separated by commas (、，,), "|" or ";"."""
    return tuple(word for part in KEYWORD_SEPARATORS.split(text or "") if (word := clean(part)))


def target_code(text: str) -> str:
    """A target as stored: a bare code (no place holder, no "kind:") means the department of that code."""
    text = (text or "").strip().lower()
    return f"dept:{text}" if text and ":" not in text and text not in routing.PLACE_TARGETS else text


def _target_problem(field_name: str, target: str, ref: Reference) -> Problem | None:
    problem = routing.target_problem(target, ref.directory, ref.districts)
    if problem == "unknown_department" and target.startswith("dept:") and target[5:] in ref.departments:
        problem = "inactive_department"
    return Problem(field_name, problem, target) if problem else None


def check(spec: RuleSpec, ref: Reference) -> list[Problem]:
    """Everything wrong with a rule, at most one problem per field."""
    found: dict[str, Problem] = {}

    def refuse(problem: Problem | None) -> None:
        if problem and problem.field not in found:
            found[problem.field] = problem

    for name, text, limit in (("name", spec.name, NAME_MAX), ("note", spec.note, NOTE_MAX)):
        if len(text) > limit:
            refuse(Problem(name, "too_long", str(limit)))
        elif contains_markup(text):
            refuse(Problem(name, "markup"))
    if spec.position is not None and spec.position < 1:
        refuse(Problem("position", "bad_position", str(spec.position)))
    if spec.track and spec.track not in ref.kinds_by_track:
        refuse(Problem("track", "unknown_track", spec.track))
    for kind in spec.kinds:
        if kind not in ref.kinds:
            refuse(Problem("kinds", "unknown_kind", kind))
        elif spec.track in ref.kinds_by_track and kind not in ref.kinds_by_track[spec.track]:
            refuse(Problem("kinds", "kind_not_in_track", kind))
    for name, codes, known in (("categories", spec.categories, ref.categories), ("areas", spec.areas, ref.areas),
                               ("urgencies", spec.urgencies, ref.urgencies)):
        for code in codes:
            if code not in known:
                refuse(Problem(name, f"unknown_{name}", code))
    _check_keywords(spec.keywords, refuse)
    if not spec.mode:
        refuse(Problem("mode", "required"))
    elif spec.mode not in (routing.AUTO, routing.SUGGEST):
        refuse(Problem("mode", "bad_mode", spec.mode))
    if not spec.lead:
        refuse(Problem("lead", "required"))
    else:
        refuse(_target_problem("lead", spec.lead, ref))
    seen: set[str] = set()
    for target in spec.co:
        if target == spec.lead:
            refuse(Problem("co", "same_as_lead", target))
        elif target in seen:
            refuse(Problem("co", "duplicate_target", target))
        refuse(_target_problem("co", target, ref))
        seen.add(target)
    return list(found.values())


def _check_keywords(keywords: Iterable[str], refuse) -> None:
    seen: set[str] = set()
    for word in keywords:
        if len(word) > KEYWORD_MAX:
            refuse(Problem("keywords", "keyword_too_long", word))
        elif contains_markup(word):
            refuse(Problem("keywords", "markup"))
        elif word.casefold() in seen:
            refuse(Problem("keywords", "duplicate_keyword", word))
        seen.add(word.casefold())


# --- reading a file ---------------------------------------------------------------------------------

def decode(data: bytes) -> str | None:
    """UTF-8 (with or without Excel's BOM), or GB18030 as Excel saves "CSV" on a Chinese Windows."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _cell(text: str) -> str:
    """A cell as written: undo the quote that kept a spreadsheet from reading it as a formula."""
    text = (text or "").strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _codes(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for part in LIST_SEPARATORS.split(text) if (c := part.strip().lower())))


def _position(text: str) -> tuple[int | None, Problem | None]:
    if not text:
        return None, Problem("position", "required")
    if not text.isdigit() or int(text) < 1:
        return None, Problem("position", "bad_position", text)
    return int(text), None


def _row_spec(cells: dict[str, str], ref: Reference) -> tuple[RuleSpec | None, list[Problem]]:
    position, bad_position = _position(cells["position"])
    problems = [bad_position] if bad_position else []
    active = cells["active"].lower()
    if active and active not in TRUE | FALSE:
        problems.append(Problem("active", "bad_boolean", cells["active"]))
    mode = cells["mode"].lower()
    if mode and mode not in MODES:
        problems.append(Problem("mode", "bad_mode", cells["mode"]))
    spec = RuleSpec(
        position=position, name=clean(cells["name"]), active=active not in FALSE,
        track=cells["track"].lower() or None, kinds=_codes(cells["kinds"]), categories=_codes(cells["categories"]),
        areas=_codes(cells["areas"]), urgencies=_codes(cells["urgencies"]),
        keywords=split_keywords(cells["keywords"]), lead=target_code(cells["lead"]),
        co=tuple(target_code(t) for t in _codes(cells["co"])), mode=MODES.get(mode, routing.SUGGEST),
        note=clean(cells["note"]),
    )
    taken = {p.field for p in problems}
    problems += [p for p in check(spec, ref) if p.field not in taken]
    return (None if problems else spec), problems


def parse(text: str, ref: Reference) -> tuple[list[RuleSpec], list[RowError]]:
    """The rules of a file in position order, or every problem in it (then no rules at all)."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        return [], [RowError(1, Problem("", "empty_file"))]
    header = [c.strip().lower() for c in rows[0]]
    unknown = [c for c in header if c and c not in COLUMNS]
    missing = [c for c in COLUMNS if c not in header]
    errors = [RowError(1, Problem("", "unknown_columns", ", ".join(unknown)))] if unknown else []
    errors += [RowError(1, Problem("", "missing_columns", ", ".join(missing)))] if missing else []
    if errors:
        return [], errors
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowError(len(rows), Problem("", "too_many_rows", str(MAX_ROWS)))]
    specs: list[tuple[int, RuleSpec]] = []
    positions: dict[int, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            errors.append(RowError(number, Problem("", "extra_cells", str(len(header)))))
            continue
        by_name = {name: _cell(cells[i]) if i < len(cells) else "" for i, name in enumerate(header) if name}
        spec, problems = _row_spec(by_name, ref)
        errors += [RowError(number, p) for p in problems]
        position = _position(by_name["position"])[0]
        if position in positions:
            errors.append(RowError(number, Problem("position", "duplicate_position", str(positions[position]))))
        elif position is not None:
            positions[position] = number
        if spec is not None:
            specs.append((number, spec))
    if errors:
        return [], errors
    if not specs:
        return [], [RowError(2, Problem("", "no_rules"))]
    return [spec for _, spec in sorted(specs, key=lambda pair: pair[1].position)], []


# --- writing a file ---------------------------------------------------------------------------------

def _safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_START) else text


def to_csv(specs: Iterable[RuleSpec]) -> str:
    """The catalogue as CSV text (the caller adds the BOM Excel needs to read UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for s in specs:
        writer.writerow([
            s.position, _safe(s.name), "yes" if s.active else "no", s.track or "", "|".join(s.kinds),
            "|".join(s.categories), "|".join(s.areas), "|".join(s.urgencies), _safe("|".join(s.keywords)),
            s.lead, "|".join(s.co), s.mode, _safe(s.note),
        ])
    return out.getvalue()
