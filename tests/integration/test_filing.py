"""A citizen files on the web: the form, a code texted to the phone, then the case — once, whatever is sent twice."""
from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import Attachment, Case, CaseEvent, FilingDraft, OutboxJob, Person, SmsMessage
from tests.helpers import complaint, hidden_value
from tests.integration.filing_helpers import (
    codes_sent,
    enter_code,
    file_and_verify,
    open_form,
    phone_photo,
    post_form,
    sent_code,
    sign_in_as_citizen,
)

PHONE = "+8613812345678"  # complaint()'s "138 1234 5678"


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def case_of(app, number: str) -> Case:
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        db.session.expunge_all()
        return case


def test_nothing_is_registered_until_the_code_texted_to_the_phone_is_entered(app, client):
    sent = post_form(client, complaint(app), photos=[(phone_photo(), "工地.jpg")])
    assert sent.status_code == 302
    verify_url = sent.headers["Location"]
    assert verify_url.startswith("/file/verify/")
    assert count(app, Case) == 0 and count(app, Person) == 0
    assert count(app, FilingDraft) == 1 and codes_sent(app, PHONE) == 1

    page = client.get(verify_url).get_data(as_text=True)
    assert "138****5678" in page and "13812345678" not in page  # the number, masked: enough to recognise it

    wrong = enter_code(client, verify_url, "000000" if sent_code(app, PHONE) != "000000" else "111111")
    assert wrong.status_code == 422
    assert "验证码不正确" in wrong.get_data(as_text=True)  # next to the field, in the default Chinese
    assert count(app, Case) == 0

    done = enter_code(client, verify_url, sent_code(app, PHONE))
    assert done.status_code == 302 and done.headers["Location"].startswith("/filed/")
    number = done.headers["Location"].rsplit("/", 1)[-1]
    receipt = client.get(f"/filed/{number}").get_data(as_text=True)
    assert number in receipt and "CX " + number in receipt

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.channel == "web" and case.kind == "complaint" and case.state == "registered"
        assert case.person.phone == PHONE and case.person.name == "王小明"
        assert not case.anonymous and not case.confidential and not case.publish_consent
        register = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.seq == 1))
        photo = db.session.scalar(select(Attachment).where(Attachment.case_id == case.id))
        assert photo.event_id == register.id and register.action == "register"
        assert photo.uploaded_by_id is None and photo.department_id is None and photo.assignment_id is None
        assert photo.original_name == "工地.jpg" and photo.content_type == "image/jpeg"
        ack = db.session.scalar(select(SmsMessage).where(SmsMessage.case_id == case.id))
        assert ack.purpose == "ack" and ack.to_phone == PHONE and number in ack.body
    assert count(app, FilingDraft) == 0  # registered and removed in the same transaction


def test_the_form_sent_twice_makes_one_draft_one_code_and_one_case(app, client):
    form = open_form(client)
    first = post_form(client, complaint(app), form=form)
    second = post_form(client, complaint(app), form=form)  # a double tap, or back and send again
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, FilingDraft) == 1
    assert codes_sent(app, PHONE) == 1  # the code on its way still holds: a second would void the first

    page = client.get(first.headers["Location"]).get_data(as_text=True)
    entered = {"csrf_token": hidden_value(page, "csrf_token"), "code": sent_code(app, PHONE)}
    one = client.post(first.headers["Location"], data=entered)
    two = client.post(first.headers["Location"], data=entered)  # the code sent twice
    assert one.headers["Location"] == two.headers["Location"]
    three = post_form(client, complaint(app), form=form)  # the back button after the receipt
    assert three.headers["Location"] == one.headers["Location"]
    assert count(app, Case) == 1 and count(app, Person) == 1
    assert count(app, SmsMessage, SmsMessage.purpose == "ack") == 1


def test_a_citizen_who_proved_the_number_in_this_browser_files_without_another_code(app, client):
    first = file_and_verify(app, client, complaint(app))
    assert first.status_code == 302
    again = post_form(client, complaint(app, description="小区门口的路灯坏了一个多星期，晚上很黑。"))
    assert again.status_code == 302 and again.headers["Location"].startswith("/filed/")
    assert codes_sent(app, PHONE) == 1 and count(app, Case) == 2

    other = post_form(client, complaint(app, phone="139 8765 4321"))  # another number still needs its code
    assert "/file/verify/" in other.headers["Location"]


def test_a_signed_in_citizen_skips_the_code(app, client):
    sign_in_as_citizen(client, "138 1234 5678")
    response = post_form(client, complaint(app))
    assert response.status_code == 302 and response.headers["Location"].startswith("/filed/")
    assert codes_sent(app, PHONE) == 0 and count(app, Case) == 1


def test_the_options_are_kept_with_the_case(app, client):
    done = file_and_verify(app, client, complaint(app, confidential="y", publish_consent="y"))
    case = case_of(app, done.headers["Location"].rsplit("/", 1)[-1])
    assert case.confidential and case.publish_consent and not case.anonymous


def test_a_suggestion_may_be_anonymous_and_then_keeps_neither_name_nor_number(app, client):
    data = complaint(app, kind="suggestion", anonymous="y", name="",
                     description="建议在西湖公园增设几处夜间照明，方便居民晚上散步锻炼。")
    done = file_and_verify(app, client, data)
    number = done.headers["Location"].rsplit("/", 1)[-1]
    case = case_of(app, number)
    assert case.anonymous and case.person_id is None
    assert count(app, Person) == 0
    assert count(app, SmsMessage, SmsMessage.purpose == "ack") == 0  # no number kept: nothing to text
    receipt = client.get(f"/filed/{number}").get_data(as_text=True)
    assert "anonymously" in receipt or "匿名" in receipt


def test_a_complaint_cannot_be_anonymous_and_needs_a_name(app, client):
    client.get("/language/en")
    refused = post_form(client, complaint(app, anonymous="y"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    block = html.split('id="anonymous"', 1)[1].split('class="field', 1)[0]
    assert "Only a suggestion or praise can be sent anonymously" in block
    nameless = post_form(client, complaint(app, name=""))
    assert nameless.status_code == 422
    assert "Enter your name." in nameless.get_data(as_text=True).split('id="name"', 1)[1].split('class="field', 1)[0]
    assert count(app, FilingDraft) == 0 and codes_sent(app, PHONE) == 0 and count(app, Case) == 0


def test_bad_input_keeps_what_was_typed_and_sends_no_code(app, client):
    client.get("/language/en")
    response = post_form(client, complaint(app, description="", location_text="东湖区西湖路 88 号工地"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Describe the matter." in html.split('id="description"', 1)[1].split('class="field', 1)[0]
    assert "东湖区西湖路 88 号工地" in html and "王小明" in html and "138 1234 5678" in html
    assert codes_sent(app, PHONE) == 0 and count(app, Case) == 0 and count(app, OutboxJob) == 0


def test_a_landline_gets_no_code_and_is_told_why(app, client):
    client.get("/language/en")
    response = post_form(client, complaint(app, phone="010 6512 3456"))
    assert response.status_code == 422
    block = response.get_data(as_text=True).split('id="phone"', 1)[1].split('class="field', 1)[0]
    assert "mobile number" in block
    assert count(app, SmsMessage) == 0 and count(app, Case) == 0


def test_the_code_page_and_receipt_belong_to_the_browser_that_filed(app, client):
    sent = post_form(client, complaint(app))
    stranger = app.test_client()
    assert stranger.get(sent.headers["Location"]).status_code == 404
    done = enter_code(client, sent.headers["Location"], sent_code(app, PHONE))
    assert stranger.get(done.headers["Location"]).status_code == 404
    assert client.get(done.headers["Location"]).status_code == 200


def test_change_what_was_written_from_the_code_page(app, client):
    sent = post_form(client, complaint(app), photos=[(phone_photo(), "工地.jpg")])
    token = sent.headers["Location"].rsplit("/", 1)[-1]
    page = client.get(f"/file?draft={token}").get_data(as_text=True)
    assert "王小明" in page and "东湖区西湖路 88 号工地" in page and "工地.jpg" in page
    form = {"csrf_token": hidden_value(page, "csrf_token"), "submission_key": hidden_value(page, "submission_key")}
    changed = post_form(client, complaint(app, phone="139 8765 4321"), form=form)
    assert changed.headers["Location"] == sent.headers["Location"]  # the same draft, now for the new number
    done = enter_code(client, changed.headers["Location"], sent_code(app, "+8613987654321"))
    case = case_of(app, done.headers["Location"].rsplit("/", 1)[-1])
    assert count(app, Attachment, Attachment.case_id == case.id) == 1
    with app.app_context():
        assert db.session.get(Person, case.person_id).phone == "+8613987654321"


def test_a_subject_retired_before_the_code_is_entered_sends_the_person_back_to_the_form(app, client):
    from hotline.models import Category

    sent = post_form(client, complaint(app))
    with app.app_context():
        subject = db.session.scalar(select(Category).where(Category.code == "city.noise-construction"))
        subject.active = False
        db.session.commit()
    try:
        client.get("/language/en")
        response = enter_code(client, sent.headers["Location"], sent_code(app, PHONE))
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "Not a valid choice" in html
        assert "东湖区西湖路 88 号工地" in html and count(app, Case) == 0 and count(app, FilingDraft) == 1
    finally:
        with app.app_context():
            db.session.scalar(select(Category).where(Category.code == "city.noise-construction")).active = True
            db.session.commit()


def test_the_form_offers_every_subject_to_search_with_its_words(app, client):
    html = client.get("/file").get_data(as_text=True)
    index = json.loads(re.search(r'<script type="application/json" id="category-index">(.*?)</script>',
                                 html, re.S).group(1))
    noise = next(s for s in index if s["name"] == "建筑施工噪声")
    assert "夜间施工" in noise["words"] and "construction noise" in noise["words"]  # citizens' words, both languages
    assert noise["group"] == "城市管理" and all(s["id"] for s in index)
    assert 'src="/static/js/file.js"' in html and 'enctype="multipart/form-data"' in html


def test_the_right_code_sent_twice_at_once_makes_one_case(app, client):
    sent = post_form(client, complaint(app), photos=[(phone_photo(), "工地.jpg")])
    url = sent.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    entered = {"csrf_token": hidden_value(page, "csrf_token"), "code": sent_code(app, PHONE)}
    taps = [client, app.test_client()]
    taps[1].set_cookie("session", client.get_cookie("session").value)  # the same browser, tapping twice
    barrier = threading.Barrier(2)

    def tap(browser):
        barrier.wait()
        return browser.post(url, data=entered)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(tap, taps))
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"]
    assert answers[0].headers["Location"].startswith("/filed/")
    assert count(app, Case) == 1 and count(app, Attachment) == 1 and count(app, FilingDraft) == 0
