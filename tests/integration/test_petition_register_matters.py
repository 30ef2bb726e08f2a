"""Registration and the petitions and 12345 cases before it: the same matter concluded after 复核 refused unless
new facts or reasons are stated (Art. 36), the same matter accepted elsewhere flagged (Art. 19), and the
petitioners' 12345 cases linked — an open one merged into the petition — or a 12345 case made a petition."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, Case, CaseEvent
from tests.helpers import login
from tests.integration.lifecycle_helpers import dept, local, new_case, step
from tests.integration.petition_helpers import ID_NUMBER, concluded_after_re_review, new_petition
from tests.integration.petition_register_helpers import (
    flashes,
    form_data,
    in_english,
    open_form,
    person,
    post,
    text_of,
)

LI = person(0, name="李建国", id_number=ID_NUMBER, phone="139 0000 1111", address="江川市东湖区解放路1号")


@pytest.fixture
def officer(app):
    client = app.test_client()
    login(client, "operator")
    in_english(client)
    return client


def _number(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return response.headers["Location"].rsplit("/", 1)[-1]


def _cases(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(Case.number).order_by(Case.id)))


def test_the_same_matter_concluded_after_re_review_is_refused_and_may_go_on_with_new_facts(app, officer):
    earlier = concluded_after_re_review(app)
    form = open_form(officer)
    data = form_data(form, request="再次要求补发拆迁安置补偿款", **LI)
    refused = post(officer, data)
    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    text = text_of(refused)
    assert f"concluded after re-review in petition {earlier}" in text
    assert f'href="/cases/{earlier}"' in html  # the earlier petition, a click away
    assert 'name="new_facts"' in html and 'name="settled"' in html
    assert "再次要求补发拆迁安置补偿款" in text and "李建国" in html  # all typed, kept
    assert _cases(app) == [earlier]

    again = post(officer, {**data, "settled": earlier})  # sent again with nothing new: refused, and said where
    assert again.status_code == 409
    assert "State the new facts or reasons" in text_of(again)
    assert _cases(app) == [earlier]

    number = _number(post(officer, {**data, "settled": earlier, "new_facts": "新发现征收部门少计面积的测绘报告"}))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.petition.new_facts == "新发现征收部门少计面积的测绘报告"
        assert case.petition.same_matter_kind == "settled"
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id))
        assert event.data["new_facts"] == "新发现征收部门少计面积的测绘报告"
    assert "new facts or reasons stated" in flashes(officer)


def test_the_same_matter_accepted_by_an_organ_is_flagged_with_the_organ(app, officer):
    earlier = new_petition(app, local(2026, 11, 2, 9))
    step(app, earlier, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, earlier, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    with app.app_context():
        from hotline.models import Department
        organ = db.session.get(Department, dept(app, "dh-gov"))
        organ_names = {organ.name, organ.name_en or ""}
    number = _number(post(officer, form_data(open_form(officer), **LI)))
    told = flashes(officer)
    assert "already accepted by" in told and earlier in told and "Art. 19" in told
    assert any(name and name in told for name in organ_names)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.petition.same_matter_kind == "open"


def test_the_petitioners_open_12345_case_is_listed_and_merged_into_the_petition(app, officer):
    hotline = new_case(app, phone="+8613900001111")
    closed = new_case(app, phone="+8613900001111")
    step(app, closed, "operator", "answer-directly", note="已答复")
    other = new_case(app, phone="+8613812345678")  # someone else's: never listed
    form = open_form(officer)
    looked = post(officer, form_data(form, do="lookup", **LI))
    assert looked.status_code == 200
    html = looked.get_data(as_text=True)
    listed = re.findall(r'name="link" value="([^"]+)"', html)
    assert set(listed) == {hotline, closed}
    assert other not in html
    with app.app_context():
        assert db.session.scalar(select(AccessLog).where(AccessLog.action == "view_caller_history")) is not None

    number = _number(post(officer, form_data(form, link=[hotline, closed], **LI)))
    with app.app_context():
        petition = db.session.scalar(select(Case).where(Case.number == number))
        merged = db.session.scalar(select(Case).where(Case.number == hotline))
        kept = db.session.scalar(select(Case).where(Case.number == closed))
        assert merged.state == "merged" and merged.merged_into_id == petition.id
        assert kept.state == "closed" and kept.merged_into_id is None
        actions = db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == petition.id)).all()
        assert actions.count("link") == 2
    told = flashes(officer)
    assert f"{hotline} was merged into the petition" in told and f"{closed} was linked" in told


def test_a_12345_case_becomes_a_petition(app, officer):
    hotline = new_case(app, phone="+8613900001111")
    page = officer.get(f"/petitions/register?from={hotline}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "夜间施工噪音扰民" in html  # the description is the request
    assert 'value="王小明"' in html and "+8613900001111" in html  # the caller is the first petitioner
    assert re.search(rf'name="link" value="{hotline}" checked', html)
    form = open_form(officer, f"?from={hotline}")
    data = form_data(form, request="夜间施工噪音扰民", from_case=hotline, link=[hotline],
                     **person(0, name="王小明", phone="+8613900001111", address="东湖区西湖路"))
    number = _number(post(officer, data))
    with app.app_context():
        merged = db.session.scalar(select(Case).where(Case.number == hotline))
        petition = db.session.scalar(select(Case).where(Case.number == number))
        assert merged.merged_into_id == petition.id
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == petition.id,
                                                          CaseEvent.action == "register"))
        assert event.data["from_case"] == hotline


def test_a_wrong_or_unseen_from_number_is_said_and_nothing_is_filled(app, officer):
    page = officer.get("/petitions/register?from=12345-20261127-999999")
    assert page.status_code == 200
    assert "There is no 12345 case 12345-20261127-999999" in text_of(page)
    petition = new_petition(app, datetime.now(UTC))
    page = officer.get(f"/petitions/register?from={petition}")  # a petition is not a 12345 case
    assert "Register a petition" in text_of(page)
    assert not re.search(r'name="link"', page.get_data(as_text=True))
