"""The petition office's registration page (信访工作条例 Arts. 17–20, 25, 36) as an officer uses it: the happy path,
each refusal with everything typed kept, a double submit, the rows without JavaScript, and who may use it."""
from __future__ import annotations

from html import unescape

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, CaseEvent, Notification
from tests.helpers import login
from tests.integration.lifecycle_helpers import dept
from tests.integration.petition_register_helpers import (
    FACTS,
    REASONS,
    REQUEST,
    flashes,
    form_data,
    in_english,
    input_tag,
    open_form,
    person,
    post,
    text_of,
)


@pytest.fixture
def officer(app):
    client = app.test_client()
    login(client, "operator")
    in_english(client)
    return client


def _case(app, number: str) -> dict:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        p = case.petition
        return {"kind": case.kind, "channel": case.channel, "description": case.description, "facts": p.facts,
                "reasons": p.reasons, "oral": p.oral, "major": p.major, "confidential": case.confidential,
                "group_size": p.group_size, "person": (case.person.name, case.person.phone),
                "petitioners": [(x.name, x.id_number, x.phone, x.address, x.representative) for x in p.petitioners],
                "accused": sorted(a.department_id for a in p.accused), "category": case.category_id,
                "area": case.area_id, "new_facts": p.new_facts, "forward_due": p.forward_due_at}


def _number(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    location = response.headers["Location"]
    assert "/cases/XF-" in location
    return location.rsplit("/", 1)[-1]


def test_an_officer_registers_a_petition_and_lands_on_its_page(app, officer):
    form = open_form(officer)
    response = post(officer, form_data(form, **person(0, name="李建国", id_number="11010519491231002X",
                                                      phone="139 0000 1111", address="江川市东湖区解放路1号"),
                                       oral="y"))
    number = _number(response)
    seen = _case(app, number)
    assert seen["kind"] == "grievance" and seen["channel"] == "letter"
    assert (seen["description"], seen["facts"], seen["reasons"]) == (REQUEST, FACTS, REASONS)
    assert seen["petitioners"] == [("李建国", "11010519491231002X", "+8613900001111", "江川市东湖区解放路1号", False)]
    assert seen["person"] == ("李建国", "+8613900001111")
    assert seen["oral"] is True and seen["major"] is False
    assert seen["forward_due"] is not None  # Art. 22: the office's clock to forward it runs
    assert number in flashes(officer)  # the case page says which number it got


def test_a_group_petition_with_two_representatives(app, officer):
    form = open_form(officer)
    people = {}
    names = ["张一", "张二", "张三", "张四", "张五", "张六"]
    for n, name in enumerate(names):
        people.update(person(n, name=name, phone=f"1390000{n:04d}", address="江川市东湖区解放路1号",
                             representative="y" if n in (1, 3) else None))
    response = post(officer, form_data(form, group_size="30", **people))
    number = _number(response)
    seen = _case(app, number)
    assert [p[0] for p in seen["petitioners"]] == names
    assert [p[0] for p in seen["petitioners"] if p[4]] == ["张二", "张四"]
    assert seen["group_size"] == 30
    assert seen["person"][0] == "张二"  # the replies go to the first representative (Art. 20)


def test_an_empty_form_says_everything_that_is_missing_at_once(app, officer):
    form = open_form(officer)
    data = form_data(form, request="", facts="", reasons="")
    response = post(officer, data)
    assert response.status_code == 422
    text = text_of(response)
    assert "Nothing has been registered yet" in text
    assert "Write what the petitioner asks for" in text
    assert "Write the facts the petitioner states" in text
    assert "Write the petitioner's reasons" in text
    assert "Enter at least one petitioner" in text
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None


def test_each_mistake_is_said_at_its_field_and_everything_typed_stays(app, officer):
    form = open_form(officer)
    data = form_data(form, major="y", location_text="解放路1号",
                     **person(0, name="李建国", phone="12345", address="解放路1号", id_number="110105194912310021"),
                     **person(1, name="", phone="139 0000 2222", address="解放路2号"))
    response = post(officer, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    text = text_of(response)
    assert "Enter a valid phone number" in text  # row 1's phone
    assert "not a valid ID number" in text  # row 1's ID number: a wrong check digit
    assert "Enter the petitioner's name" in text  # row 2, said in the same round
    for typed in ("李建国", "110105194912310021", "139 0000 2222", "解放路2号", REQUEST, FACTS, REASONS, "解放路1号"):
        assert typed in unescape(html), typed
    assert "checked" in input_tag(html, "major")
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None


def test_no_kind_chosen_is_said_at_the_kind(app, officer):
    form = open_form(officer)
    response = post(officer, form_data(form, kind=None, **person(0, name="李建国", phone="13900001111")))
    assert response.status_code == 422
    assert "Choose the kind of petition" in text_of(response)


def test_five_people_need_representatives_and_at_most_five(app, officer):
    form = open_form(officer)
    people = {}
    for n in range(5):
        people.update(person(n, name=f"王{n}", phone=f"1390000{n:04d}"))
    response = post(officer, form_data(form, **people))
    assert response.status_code == 422
    assert "mark the representatives they chose" in text_of(response)
    people = {}
    for n in range(7):
        people.update(person(n, name=f"王{n}", phone=f"1390000{n:04d}", representative="y" if n < 6 else None))
    response = post(officer, form_data(form, **people))
    assert response.status_code == 422
    assert "At most 5 representatives" in text_of(response)
    assert "王6" in response.get_data(as_text=True)


def test_accused_units_only_with_an_accusation(app, officer):
    organ = dept(app, "dh-gov")
    form = open_form(officer)
    base = person(0, name="李建国", phone="13900001111")
    response = post(officer, form_data(form, kind="grievance", accused_department_ids=[str(organ)], **base))
    assert response.status_code == 422
    assert "Only an accusation names the units it accuses" in text_of(response)
    number = _number(post(officer, form_data(form, kind="accusation", accused_department_ids=[str(organ)], **base)))
    assert _case(app, number)["accused"] == [organ]


def test_a_double_submit_gives_one_petition(app, officer):
    form = open_form(officer)
    data = form_data(form, **person(0, name="李建国", phone="13900001111"))
    first = _number(post(officer, data))
    second = _number(post(officer, data))
    assert first == second
    with app.app_context():
        assert len(db.session.scalars(select(Case.id)).all()) == 1


def test_rows_are_added_and_removed_without_javascript(app, officer):
    form = open_form(officer)
    data = form_data(form, do="add", **person(0, name="甲"), **person(1, name="乙"), **person(2, name="丙"))
    response = post(officer, data)
    assert response.status_code == 200
    html = unescape(response.get_data(as_text=True))
    assert 'name="petitioners-3-name"' in html
    assert all(name in html for name in ("甲", "乙", "丙")) and REQUEST in html
    data = form_data(form, do="remove:1", **person(0, name="甲"), **person(1, name="乙"), **person(2, name="丙"))
    html = unescape(post(officer, data).get_data(as_text=True))
    assert "甲" in html and "丙" in html and 'value="乙"' not in html
    with app.app_context():
        assert db.session.scalar(select(Case.id)) is None  # nothing registered by either


def test_a_major_petition_tells_the_leaders(app, officer):
    form = open_form(officer)
    response = post(officer, form_data(form, major="y", **person(0, name="李建国", phone="13900001111")))
    number = _number(response)
    assert _case(app, number)["major"] is True
    assert "leaders have been told" in flashes(officer)
    with app.app_context():
        assert db.session.scalar(select(Notification.id)) is not None


@pytest.mark.parametrize("username", ["operator", "dispatcher", "supervisor"])
def test_the_centre_roles_that_register_may_open_it(app, username):
    client = app.test_client()
    login(client, username)
    assert client.get("/petitions/register").status_code == 200


@pytest.mark.parametrize("username", ["admin", "dh-gov-staff", "dh-gov-head"])
def test_others_may_not(app, username):
    client = app.test_client()
    login(client, username)
    assert client.get("/petitions/register").status_code == 403
    assert client.post("/petitions/register", data={}).status_code in (400, 403)


def test_a_visitor_is_sent_to_sign_in(app):
    response = app.test_client().get("/petitions/register")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_registration_is_recorded_as_the_officers(app, officer):
    form = open_form(officer)
    number = _number(post(officer, form_data(form, **person(0, name="李建国", phone="13900001111"))))
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case_id))
        assert event.action == "register" and event.actor_id is not None
        assert event.data["channel"] == "letter"
