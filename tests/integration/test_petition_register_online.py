"""网上信访: a citizen files a petition on the web, proving their mobile number with a code as on the 12345 form;
one petition however often the form or the code is sent; Art. 19's particulars asked for; Art. 36 said plainly."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import Case, CaseEvent, FilingDraft, SmsMessage
from tests.helpers import hidden_value
from tests.integration.petition_helpers import ID_NUMBER, concluded_after_re_review
from tests.integration.petition_register_helpers import FACTS, REASONS, REQUEST, text_of
from tests.integration.track_helpers import in_english, newest_code, sign_in

PHONE = "+8613900001111"


@pytest.fixture
def visitor(app):
    client = app.test_client()
    in_english(client)
    return client


def _form(client) -> dict:
    html = client.get("/petitions/file").get_data(as_text=True)
    return {"csrf_token": hidden_value(html, "csrf_token"), "submission_key": hidden_value(html, "submission_key"),
            "kind": "grievance", "request": REQUEST, "facts": FACTS, "reasons": REASONS, "name": "李建国",
            "address": "江川市东湖区解放路1号", "phone": "139 0000 1111", "id_number": ID_NUMBER}


def _code(client, app, location: str):
    html = client.get(location).get_data(as_text=True)
    return client.post(location, data={"csrf_token": hidden_value(html, "csrf_token"),
                                       "code": newest_code(app, PHONE)})


def _petitions(app) -> list[Case]:
    with app.app_context():
        found = list(db.session.scalars(select(Case).where(Case.track == "petition").order_by(Case.id)))
        for case in found:
            _ = case.petition.petitioners, case.person
        db.session.expunge_all()
        return found


def test_a_citizen_files_a_petition_with_a_code(app, visitor):
    data = _form(visitor)
    sent = visitor.post("/petitions/file", data=data)
    assert sent.status_code == 302 and "/petitions/file/verify/" in sent.headers["Location"]
    assert _petitions(app) == []  # nothing before the code
    done = _code(visitor, app, sent.headers["Location"])
    assert done.status_code == 303
    receipt = visitor.get(done.headers["Location"])
    [case] = _petitions(app)
    assert case.number in receipt.get_data(as_text=True)
    assert case.channel == "web" and case.kind == "grievance" and case.description == REQUEST
    assert case.petition.facts == FACTS and case.petition.reasons == REASONS
    assert [(p.name, p.phone, p.id_number, p.address) for p in case.petition.petitioners] == [
        ("李建国", PHONE, ID_NUMBER, "江川市东湖区解放路1号")]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FilingDraft)) == 0  # the draft is gone
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.action == "register"))
        assert event.actor_id is None and event.data["online"] is True
        assert db.session.scalar(select(SmsMessage).where(SmsMessage.to_phone == PHONE,
                                                          SmsMessage.purpose != "code")) is not None
    # the same form, or the same code, sent again: the one petition
    assert visitor.post("/petitions/file", data=data).headers["Location"].endswith(case.number)
    assert visitor.get(sent.headers["Location"]).headers["Location"].endswith(case.number)  # the code page, too
    assert len(_petitions(app)) == 1
    # and the petitioner follows it on the tracking page, already signed in by the code
    assert visitor.get(f"/track/case/{case.number}").status_code == 200


def test_what_is_missing_is_said_and_nothing_is_sent(app, visitor):
    data = {**_form(visitor), "kind": "", "facts": "", "address": "", "id_number": "110105194912310021"}
    response = visitor.post("/petitions/file", data=data)
    assert response.status_code == 422
    text = text_of(response)
    for said in ("Choose the kind of petition", "Write the facts", "Enter your address", "not a valid ID number"):
        assert said in text, said
    assert REQUEST in text and "李建国" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsMessage)) == 0
    assert _petitions(app) == []


def test_a_number_proven_lately_files_at_once(app, visitor):
    sign_in(visitor, app, PHONE)
    response = visitor.post("/petitions/file", data=_form(visitor))
    assert response.status_code == 303 and "/petitions/filed/" in response.headers["Location"]
    assert len(_petitions(app)) == 1


def test_the_same_matter_concluded_after_re_review_is_refused_and_new_facts_go_through(app, visitor):
    earlier = concluded_after_re_review(app)
    sent = visitor.post("/petitions/file", data=_form(visitor))
    refused = _code(visitor, app, sent.headers["Location"])
    assert refused.status_code == 409
    assert f"concluded after re-review in petition {earlier}" in text_of(refused)
    html = refused.get_data(as_text=True)
    assert 'name="new_facts"' in html and REQUEST in html
    assert [c.number for c in _petitions(app)] == [earlier]
    again = {**_form(visitor), "settled": earlier}
    assert visitor.post("/petitions/file", data=again).status_code == 409  # nothing new stated: refused again
    response = visitor.post("/petitions/file", data={**again, "new_facts": "新发现少计面积的测绘报告"})
    assert response.status_code == 303
    newest = _petitions(app)[-1]
    assert newest.number != earlier and newest.petition.new_facts == "新发现少计面积的测绘报告"


def test_someone_elses_code_page_and_receipt_are_not_shown(app, visitor):
    sent = visitor.post("/petitions/file", data=_form(visitor))
    other = app.test_client()
    assert other.get(sent.headers["Location"]).status_code == 404
    done = _code(visitor, app, sent.headers["Location"])
    assert other.get(done.headers["Location"]).status_code == 404
    assert re.search(r"XF-\d{8}-\d{6}", done.headers["Location"])
