"""The registry: every petition newest first, its filters, the search by number, name, ID number or phone (a search
by a person written to the access log), and the filtered list as CSV (audited)."""
from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from sqlalchemy import select

from hotline.domain.kinds import Channel
from hotline.extensions import db
from hotline.models import AccessLog, User
from hotline.services import petition_queries as queries
from tests.integration.lifecycle_helpers import dept, local
from tests.integration.petition_helpers import new_petition, petitioner
from tests.integration.test_petition_office_support import NOW, Browsers, build_office, valid_id


@pytest.fixture(autouse=True)
def _seen_on_a_tuesday():
    with time_machine.travel(NOW, tick=False):
        yield


def _office_with_a_group(app):
    office = build_office(app)
    people = tuple(petitioner(name, f"+86139000088{n:02d}", valid_id(20 + n), representative=n < 2)
                   for n, name in enumerate(("卢代表", "何代表", "罗群众", "高群众", "林群众")))
    group = new_petition(app, local(2026, 11, 25, 15), people=people, group_size=12, major=True,
                         channel=Channel.VISIT, request="要求督促支付拖欠的农民工工资",
                         facts="32名工人四个月工资未发。", reasons="依法应当支付。")
    return office, group


def _rows(html: str) -> list[str]:
    """The petition numbers of the registry's rows, in order."""
    body = "".join(re.findall(r"<tbody>.*?</tbody>", html, re.S))
    return re.findall(r'class="number" href="/cases/(XF-[\d-]+)"', body)


def _logged(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        return [(a.action, a.detail, db.session.get(User, a.user_id).username)
                for a in db.session.scalars(select(AccessLog).where(AccessLog.action.like("petition_%"))
                                            .order_by(AccessLog.id))]


def test_every_petition_newest_first_with_its_people_and_organ(app):
    office, group = _office_with_a_group(app)
    response = Browsers(app).response("operator", "/petitions/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"  # names: never cached
    assert _rows(html) == [office.grievance, group, office.accusation, office.unforwarded, office.extension,
                           office.reviewing, office.hearing]
    assert "孙申诉" in html and re.search(r"卢代表、何代表、罗群众\D+12", html)  # the centre sees the names: 3 of 12
    assert "东湖区住建局" in html and "市住建委" in html  # the organ each is with
    assert 'data-clock="forward"' in html  # the unforwarded one's next deadline: forwarding, overdue


@pytest.mark.parametrize(("query", "expected"), [
    ("state=forwarded", {"grievance", "accusation"}),
    ("kind=accusation", {"accusation"}),
    ("channel=visit", {"group"}),
    ("organ=dh-zjj", {"extension"}),
    ("organ=zjw", {"hearing"}),
    ("major=1", {"group"}),
    ("group=1", {"group"}),
    ("from=2026-11-20&to=2026-11-27", {"accusation", "grievance", "group"}),
    ("to=2026-11-01", {"unforwarded", "extension", "reviewing", "hearing"}),
    ("overdue=1", {"unforwarded", "extension"}),
    ("state=forwarded&kind=grievance", {"grievance"}),
    ("state=not-a-state", {"grievance", "accusation", "extension", "reviewing", "hearing", "unforwarded", "group"}),
])
def test_the_filters(app, query, expected):
    office, group = _office_with_a_group(app)
    names = {**{k: getattr(office, k) for k in office.__dataclass_fields__}, "group": group}
    query = re.sub(r"organ=([a-z-]+)", lambda m: f"organ={dept(app, m.group(1))}", query)
    _, html = Browsers(app)("dispatcher", f"/petitions/?{query}")
    assert set(_rows(html)) == {names[k] for k in expected}


def test_search_by_number_name_id_number_or_phone_and_the_access_log(app):
    office, group = _office_with_a_group(app)
    see = Browsers(app)
    assert _rows(see("supervisor", f"/petitions/?q={office.reviewing.lower()}")[1]) == [office.reviewing]
    assert _logged(app) == []  # a number is not a person
    assert _rows(see("supervisor", "/petitions/?q=孙申诉")[1]) == [office.grievance]
    assert _rows(see("supervisor", "/petitions/?q=代表")[1]) == [group]
    assert _rows(see("supervisor", f"/petitions/?q={valid_id(5)}")[1]) == [office.reviewing]
    assert _rows(see("supervisor", "/petitions/?q=139 0000 2222")[1]) == [office.grievance]
    _, html = see("supervisor", "/petitions/?q=没有这个人")
    assert _rows(html) == [] and 'class="empty"' in html
    logged = _logged(app)
    assert [a for a, _, _ in logged] == ["petition_search"] * 5 and {u for _, _, u in logged} == {"supervisor"}
    details = [d for _, d, _ in logged]
    assert details[:4] == ["name: 孙**", "name: 代*", f"id_number: {valid_id(5)[:6]}********{valid_id(5)[-4:]}",
                           "phone: +86139****2222"]
    assert valid_id(5) not in " ".join(details) and "13900002222" not in " ".join(details)


def test_the_search_tells_the_reader_it_is_logged(app):
    build_office(app)
    _, html = Browsers(app)("supervisor", "/petitions/?q=孙申诉")
    assert "xf-logged" in html
    _, html = Browsers(app)("supervisor", "/petitions/?q=XF-20261127-000001")
    assert "xf-logged" not in html


def test_pages_of_fifty_newest_first(app):
    office = build_office(app)
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "supervisor")).actor
        first, more = queries.search(db.session, actor, queries.PetitionFilter(), queries.lookup(""), "Asia/Shanghai",
                                     NOW, per_page=4)
        second, done = queries.search(db.session, actor, queries.PetitionFilter(page=2), queries.lookup(""),
                                      "Asia/Shanghai", NOW, per_page=4)
        assert [c.number for c in first] == [office.grievance, office.accusation, office.unforwarded, office.extension]
        assert more and not done and [c.number for c in second] == [office.reviewing, office.hearing]


def test_the_csv_is_the_filtered_list_with_a_bom_and_is_audited(app):
    office, group = _office_with_a_group(app)
    formula = new_petition(app, local(2026, 11, 26, 9), people=(petitioner("姚公式", "+8613900009999", valid_id(30)),),
                           request="=HYPERLINK(\"http://x\") 要求退还押金")
    response = Browsers(app).response("dispatcher", "/petitions/registry.csv?state=registered")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][0] == "信访事项编号" or rows[0][0] == "Petition number"
    assert {r[0] for r in rows[1:]} == {office.unforwarded, group, formula}
    by_number = {r[0]: r for r in rows[1:]}
    assert "卢代表" in by_number[group][4] and by_number[group][5] == "12"
    assert by_number[formula][-1].startswith("'=HYPERLINK")  # a spreadsheet takes it as text, not as a formula
    assert _logged(app)[-1][0] == "petition_export" and _logged(app)[-1][1].startswith("3 rows state=registered")
