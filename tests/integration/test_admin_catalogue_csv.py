"""The catalogue as a CSV file: export, import that replaces everything or nothing, and the round trip."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.integration import test_admin_catalogue_support as support
from tests.integration.test_admin_catalogue_support import (
    add_rules,
    csrf,
    current_snapshot,
    latest_version,
    rules,
    sign_in,
)

catalogue_kept, empty_catalogue = support.catalogue_kept, support.empty_catalogue  # fixtures

HEADER = "position,name,active,track,kinds,categories,areas,urgencies,keywords,lead,co,mode,note"
GOOD = [
    "1,施工噪声,yes,hotline,complaint|report,city.noise-construction,dh;xs,,夜间施工|打桩,district:cgj,street_office,auto,",
    "2,燃气,yes,,,,,urgent,燃气|煤气味,rqjt,,auto,燃气集团 24 小时",
    "3,兜底,no,,,city,,,,district_gov,,suggest,",
]


@pytest.fixture
def three_rules(app, empty_catalogue):
    return add_rules(
        app,
        {"name": "施工噪声", "track": "hotline", "kinds": ("complaint",), "categories": ("city.noise-construction",),
         "areas": ("dh", "xs-cpj"), "keywords": ("=SUM(A1)", "夜间施工"), "lead": "district:cgj",
         "co": ("street_office", "dept:cgw"), "mode": "auto", "note": "城管〔2024〕12 号文，含逗号, \"引号\"\n和换行"},
        {"name": "燃气", "urgencies": ("urgent", "utilities"), "keywords": ("燃气",), "lead": "dept:rqjt",
         "mode": "auto"},
        {"name": "兜底", "categories": ("city",), "lead": "district_gov", "active": False})


def upload(client, data: bytes, filename: str = "catalogue.csv", confirm: bool = True):
    """Encoded in memory: the test client would spool a big body to a temporary file it never closes."""
    form = {"csrf_token": csrf(client, "/admin/catalogue/import"),
            "file": FileStorage(io.BytesIO(data), filename, content_type="text/csv")}
    if confirm:
        form["confirm"] = "y"
    boundary, body = encode_multipart(form)
    return client.post("/admin/catalogue/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_the_export_opens_in_excel_and_names_things_by_code(app, client, three_rules):
    sign_in(client, "dispatcher")
    response = client.get("/admin/catalogue/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == HEADER and len(lines) > 4
    assert lines[1].startswith("1,施工噪声,yes,hotline,complaint,city.noise-construction,dh|xs-cpj,,")
    assert "district:cgj,street_office|dept:cgw,auto," in lines[1]
    assert "'=SUM(A1)" in text  # a spreadsheet must not read a keyword as a formula
    assert "3,兜底,no,,,city,,,,district_gov,,suggest," in text


def test_export_then_import_gives_the_same_catalogue(app, client, three_rules):
    sign_in(client, "admin")
    exported = client.get("/admin/catalogue/export.csv").get_data()
    before, ids = current_snapshot(app), [r[1] for r in rules(app)]
    version = latest_version(app)[0]
    response = upload(client, exported, "派单目录.csv")
    assert response.status_code == 302
    assert current_snapshot(app) == before and [r[1] for r in rules(app)] == ids  # the same rules, the same ids
    v, who, note, snapshot = latest_version(app)
    assert v == version + 1 and who == "admin" and note == "Imported from 派单目录.csv, 3 rules"
    assert snapshot == before
    assert client.get("/admin/catalogue/export.csv").get_data() == exported


def test_an_import_replaces_the_whole_catalogue(app, client, three_rules):
    sign_in(client, "supervisor")
    response = upload(client, ("\n".join([HEADER, *GOOD]) + "\n").encode("utf-8"), "new.csv")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 3 rules from new.csv" in page
    snapshot = current_snapshot(app)
    assert [(r["position"], r["name"], r["active"]) for r in snapshot] == [(1, "施工噪声", True), (2, "燃气", True),
                                                                            (3, "兜底", False)]
    assert snapshot[0]["kinds"] == ["complaint", "report"] and snapshot[0]["areas"] == ["dh", "xs"]
    assert snapshot[1]["lead"] == "dept:rqjt" and snapshot[1]["note"] == "燃气集团 24 小时"
    assert latest_version(app)[1:3] == ("supervisor", "Imported from new.csv, 3 rules")


def test_one_bad_row_imports_nothing_and_names_the_row_and_the_reason(app, client, three_rules):
    """The issue's acceptance: CSV import with one bad row imports nothing and reports the row and reason."""
    sign_in(client, "admin")
    before, version = current_snapshot(app), latest_version(app)[0]
    bad = GOOD[1].replace("city", "").replace(",rqjt,", ",no-such-dept,")
    response = upload(client, "\n".join([HEADER, GOOD[0], bad, GOOD[2]]).encode("utf-8"), "bad.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing was imported from bad.csv." in page
    assert "Row 3" in page and "There is no department “no-such-dept”." in page
    assert "Row 2" not in page and "Row 4" not in page
    assert current_snapshot(app) == before and latest_version(app)[0] == version


def test_every_bad_row_is_reported(app, client, three_rules):
    rows = [
        HEADER,
        "1,好的,yes,,,,,,,district_gov,,suggest,",
        "2,坏类别,yes,,,city.nope,,,,district_gov,,suggest,",
        "3,坏布尔,maybe,,,,,,,district_gov,,suggest,",
        "3,重复位置,yes,,,,,,,district_gov,,suggest,",
        "5,没主办,yes,,,,,,,,,suggest,",
        "6,坏模式,yes,,,,,,,district_gov,,sometimes,",
        "x,坏位置,yes,,,,,,,district_gov,,suggest,",
        "8,坏地区,yes,,,,mars,,,district_gov,,suggest,",
        "9,坏目标,yes,,,,,,,nowhere:1,,suggest,",
        "10,协办同主办,yes,,,,,,,district_gov,district_gov,suggest,",
        "11,重复关键词,yes,,,,,,噪音|噪音,district_gov,,suggest,",
        "12,多一格,yes,,,,,,,district_gov,,suggest,,extra",
    ]
    sign_in(client, "admin")
    before = current_snapshot(app)
    page = upload(client, "\n".join(rows).encode("utf-8")).get_data(as_text=True)
    for row, reason in [(3, "Unknown category code “city.nope”."), (4, "“maybe” is neither yes nor no."),
                        (5, "This position is already used on row 4."), (6, "This is required."),
                        (7, "Unknown mode “sometimes”"), (8, "The position must be a whole number from 1 up"),
                        (9, "Unknown area code “mars”."), (10, "“nowhere:1” is not a target"),
                        (11, "The lead department cannot also be a co-handler."),
                        (12, "The keyword “噪音” is listed twice."), (13, "more cells than the header")]:
        assert f"Row {row}</strong>" in page, row
        item = page.split(f"Row {row}</strong>", 1)[1].split("</li>", 1)[0]
        assert reason in item, (row, item)
    assert "Row 2</strong>" not in page
    assert current_snapshot(app) == before


@pytest.mark.parametrize(("content", "says"), [
    (b"", "The file is empty."),
    (b"position,name,lead\n1,a,district_gov\n", "Columns missing from the header: active, track"),
    (("\ufeff" + HEADER + ",colour\n").encode(), "Unknown columns in the header: colour."),
    (HEADER.encode() + b"\n", "The file has a header but no rules."),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV text file."),
])
def test_a_file_that_is_not_a_catalogue_is_refused(app, client, three_rules, content, says):
    sign_in(client, "admin")
    before = current_snapshot(app)
    response = upload(client, content)
    assert response.status_code == 422 and says in response.get_data(as_text=True)
    assert current_snapshot(app) == before


def test_the_import_must_be_confirmed_and_must_have_a_file(app, client, three_rules):
    sign_in(client, "admin")
    before = current_snapshot(app)
    response = upload(client, ("\n".join([HEADER, *GOOD])).encode(), confirm=False)
    assert response.status_code == 422 and "Tick this to confirm" in response.get_data(as_text=True)
    response = client.post("/admin/catalogue/import", data={"csrf_token": csrf(client), "confirm": "y"},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "Choose the CSV file to import." in response.get_data(as_text=True)
    assert current_snapshot(app) == before


def test_a_file_over_two_megabytes_is_refused(app, client, three_rules):
    sign_in(client, "admin")
    big = ("\n".join([HEADER, *GOOD]) + "\n" + "#" * (2 * 1024 * 1024)).encode()
    response = upload(client, big)
    assert response.status_code == 413 and "larger than 2 MB" in response.get_data(as_text=True)


def test_a_file_saved_by_excel_on_a_chinese_windows_is_read(app, client, three_rules):
    sign_in(client, "admin")
    response = upload(client, ("\r\n".join([HEADER, *GOOD]) + "\r\n").encode("gb18030"))
    assert response.status_code == 302
    assert [r[2] for r in rules(app)] == ["施工噪声", "燃气", "兜底"]
