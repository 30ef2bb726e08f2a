"""The catalogue as a spreadsheet, and the checks every rule passes (no app, no database)."""
from __future__ import annotations

import pytest

from hotline.domain import routing
from hotline.domain.catalogue_csv import (
    COLUMNS,
    Problem,
    Reference,
    RuleSpec,
    check,
    decode,
    parse,
    split_keywords,
    to_csv,
)

REF = Reference(
    categories=frozenset({"city", "city.noise-construction", "utilities", "utilities.gas"}),
    areas=frozenset({"dh", "dh-xhj", "xs"}),
    districts=frozenset({"dh", "xs"}),
    departments=frozenset({"cgw", "rqjt", "dh-cgj", "xs-cgj", "dh-gov", "dh-xhj", "old-bureau"}),
    directory=routing.Directory(active=frozenset({"cgw", "rqjt", "dh-cgj", "xs-cgj", "dh-gov", "dh-xhj"}),
                                street_offices={"dh-xhj": "dh-xhj"}, district_govs={"dh": "dh-gov"}),
    kinds_by_track={"hotline": frozenset({"complaint", "report"}), "petition": frozenset({"grievance"})},
    urgencies=frozenset({"urgent", "general"}),
)
HEADER = ",".join(COLUMNS)


def codes(spec: RuleSpec) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in check(spec, REF)]


@pytest.mark.parametrize(("spec", "expected"), [
    (RuleSpec(lead="district:cgj", co=("street_office", "dept:cgw")), []),
    (RuleSpec(lead=""), [("lead", "required")]),
    (RuleSpec(lead="dept:nobody"), [("lead", "unknown_department")]),
    (RuleSpec(lead="dept:old-bureau"), [("lead", "inactive_department")]),
    (RuleSpec(lead="district:nothing"), [("lead", "unknown_department")]),
    (RuleSpec(lead="district:"), [("lead", "unknown_target")]),
    (RuleSpec(lead="the-boss"), [("lead", "unknown_target")]),
    (RuleSpec(lead="dept:cgw", co=("dept:cgw",)), [("co", "same_as_lead")]),
    (RuleSpec(lead="dept:cgw", co=("dept:rqjt", "dept:rqjt")), [("co", "duplicate_target")]),
    (RuleSpec(lead="dept:cgw", co=("dept:old-bureau",)), [("co", "inactive_department")]),
    (RuleSpec(lead="dept:cgw", categories=("city.nope",)), [("categories", "unknown_categories")]),
    (RuleSpec(lead="dept:cgw", areas=("mars",)), [("areas", "unknown_areas")]),
    (RuleSpec(lead="dept:cgw", urgencies=("soon",)), [("urgencies", "unknown_urgencies")]),
    (RuleSpec(lead="dept:cgw", kinds=("gossip",)), [("kinds", "unknown_kind")]),
    (RuleSpec(lead="dept:cgw", track="petition", kinds=("complaint",)), [("kinds", "kind_not_in_track")]),
    (RuleSpec(lead="dept:cgw", track="mail"), [("track", "unknown_track")]),
    (RuleSpec(lead="dept:cgw", keywords=("噪音", "施工", "噪音")), [("keywords", "duplicate_keyword")]),
    (RuleSpec(lead="dept:cgw", keywords=("Gas", "gas")), [("keywords", "duplicate_keyword")]),
    (RuleSpec(lead="dept:cgw", keywords=("长" * 41,)), [("keywords", "keyword_too_long")]),
    (RuleSpec(lead="dept:cgw", mode="sometimes"), [("mode", "bad_mode")]),
    (RuleSpec(lead="dept:cgw", mode=""), [("mode", "required")]),
    (RuleSpec(lead="dept:cgw", position=0), [("position", "bad_position")]),
    (RuleSpec(lead="dept:cgw", name="名" * 121), [("name", "too_long")]),
    (RuleSpec(lead="dept:cgw", note="<script>x</script>"), [("note", "markup")]),
    (RuleSpec(lead="", categories=("nope",), mode="x"),
     [("categories", "unknown_categories"), ("mode", "bad_mode"), ("lead", "required")]),
])
def test_check(spec, expected):
    assert codes(spec) == expected


def test_keywords_are_split_on_commas_new_lines_and_bars():
    assert split_keywords("噪音, 施工，打桩、夜间\n 工地 |渣土;扬尘；粉尘\n\n") == (
        "噪音", "施工", "打桩", "夜间", "工地", "渣土", "扬尘", "粉尘")


def test_a_good_file_gives_rules_in_position_order():
    text = "\n".join([
        HEADER,
        "20,燃气,是,,,utilities.gas,,urgent,燃气|煤气味,rqjt,,自动,",
        "",
        "10,施工噪声,yes,hotline,complaint;report,city.noise-construction,dh,,,district:cgj,street_office|cgw,auto,"
        "\"有逗号, 的备注\"",
        "30,兜底,No,,,CITY,,,,district_gov,,,",
    ])
    specs, errors = parse(text, REF)
    assert errors == []
    assert [(s.position, s.name, s.active, s.mode) for s in specs] == [
        (10, "施工噪声", True, "auto"), (20, "燃气", True, "auto"), (30, "兜底", False, "suggest")]
    assert specs[0] == RuleSpec(position=10, name="施工噪声", track="hotline", kinds=("complaint", "report"),
                                categories=("city.noise-construction",), areas=("dh",), lead="district:cgj",
                                co=("street_office", "dept:cgw"), mode="auto", note="有逗号, 的备注")
    assert specs[1].lead == "dept:rqjt" and specs[1].keywords == ("燃气", "煤气味")
    assert specs[2].categories == ("city",)


def test_columns_may_come_in_any_order_and_a_bom_is_ignored():
    text = "\ufefflead,position,name,mode,note,co,keywords,urgencies,areas,categories,kinds,track,active\n" \
           "dept:cgw,1,甲,auto,,,,,,,,,yes\n"
    specs, errors = parse(text, REF)
    assert errors == [] and specs[0].lead == "dept:cgw" and specs[0].mode == "auto"


def test_every_bad_row_is_named_and_no_rule_is_returned():
    text = "\n".join([
        HEADER,
        "1,好,yes,,,,,,,cgw,,auto,",
        "2,坏,perhaps,,,,,,,cgw,,auto,",
        "2,同位,yes,,,,,,,cgw,,auto,",
        "4,无主办,yes,,,,,,,,,auto,",
        "5,停用部门,yes,,,,,,,old-bureau,,auto,",
    ])
    specs, errors = parse(text, REF)
    assert specs == []
    assert [(e.row, e.problem.field, e.problem.code) for e in errors] == [
        (3, "active", "bad_boolean"), (4, "position", "duplicate_position"), (5, "lead", "required"),
        (6, "lead", "inactive_department")]
    assert errors[1].problem == Problem("position", "duplicate_position", "3")


@pytest.mark.parametrize(("text", "code"), [
    ("", "empty_file"),
    ("\n\n", "empty_file"),
    ("position,name,lead\n", "missing_columns"),
    (HEADER + ",colour\n", "unknown_columns"),
    (HEADER + "\n", "no_rules"),
    (HEADER + "\n1,a,yes,,,,,,,cgw,,auto,,surplus\n", "extra_cells"),
])
def test_files_that_are_not_a_catalogue(text, code):
    specs, errors = parse(text, REF)
    assert specs == [] and [e.problem.code for e in errors] == [code]


def test_a_multi_line_cell_does_not_shift_the_row_numbers_a_spreadsheet_shows():
    text = HEADER + '\n1,a,yes,,,,,,,cgw,,auto,"line one\nline two"\n2,b,maybe,,,,,,,cgw,,auto,\n'
    _specs, errors = parse(text, REF)
    assert [(e.row, e.problem.code) for e in errors] == [(3, "bad_boolean")]


def test_writing_then_reading_gives_the_same_rules():
    specs = [
        RuleSpec(position=1, name="=1+1 公式", lead="district:cgj", co=("street_office", "dept:cgw"), mode="auto",
                 track="hotline", kinds=("complaint",), categories=("city.noise-construction",), areas=("dh", "xs"),
                 urgencies=("urgent",), keywords=("-负号", "@at", "夜间"), note="+备注, 有逗号\n和\"引号\""),
        RuleSpec(position=2, name="", lead="dept:rqjt", active=False),
    ]
    text = to_csv(specs)
    assert "'=1+1 公式" in text and "'-负号|@at|夜间" in text and "'+备注" in text
    again, errors = parse(text, REF)
    assert errors == [] and again == specs


def test_decode_reads_utf8_with_or_without_bom_and_gb18030():
    assert decode("\ufeff派单目录".encode()) == "派单目录"
    assert decode("派单目录".encode()) == "派单目录"
    assert decode("派单目录".encode("gb18030")) == "派单目录"
    assert decode(b"\x00\x01binary") is None
