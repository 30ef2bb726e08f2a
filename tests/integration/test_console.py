"""The console's pages as an operator uses them: who may open it, the caller's history (audited), the panels, and
each way a call ends — saved, answered, handed on, merged — with what was typed kept when something is missing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import AccessLog, Case, KnowledgeArticle, SmsMessage, SmsThread
from tests.helpers import hidden_value, login, logout, make_user, some_category_and_area
from tests.integration.lifecycle_helpers import new_case

CALLER = "139 8765 4321"
CALLER_E164 = "+8613987654321"
STREETLIGHT = "西湖路公交总站到湖滨桥那一段路灯全坏了，晚上很黑。"


def page(client, path="/console") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def form(app, client, path="/console", **overrides) -> dict:
    html = page(client, path)
    category_id, area_id = some_category_and_area(app, "city.streetlight", "dh-xhj")
    data = {"csrf_token": hidden_value(html, "csrf_token"), "submission_key": hidden_value(html, "submission_key"),
            "phone": CALLER, "name": "张先生", "kind": "complaint", "description": STREETLIGHT,
            "category_id": str(category_id), "location_text": "西湖路公交总站", "area_id": str(area_id),
            "urgency": "general", "do": "save"}
    for name in ("thread", "voicemail"):
        found = re.search(rf'name="{name}"[^>]*value="(\d+)"', html)
        if found:
            data[name] = found.group(1)
    data.update(overrides)
    return data


def count(model) -> int:
    with db.session.no_autoflush:
        return db.session.scalar(select(func.count()).select_from(model))


def water_article(app) -> int:
    with app.app_context():
        return db.session.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.title.startswith("临时停水通知")))


@pytest.mark.parametrize("username", ["operator", "dispatcher", "supervisor"])
def test_the_centre_takes_calls(app, client, username):
    login(client, username)
    html = page(client)
    assert 'id="phone"' in html and "autofocus" in html and "js/console.js" in html and "css/console.css" in html


@pytest.mark.parametrize("username", ["admin", "dh-cgj-staff"])
def test_others_may_not_open_the_console(app, client, username):
    login(client, username)
    for path in ("/console", "/console/caller?phone=13987654321", "/console/knowledge?q=停水",
                 "/console/duplicates?text=路灯", "/console/suggest?text=路灯", "/console/emergency?text=着火"):
        assert client.get(path).status_code == 403, path


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get("/console")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_caller_history_appears_for_the_number_and_the_look_is_written_down(app, client):
    number = new_case(app, phone=CALLER_E164)
    login(client, "operator")
    response = client.get("/console/caller?phone=139-8765-4321")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and number in html and "王小明" in html
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        logged = db.session.scalars(select(AccessLog).where(AccessLog.action == "view_caller_history")).all()
        assert [row.detail for row in logged] == ["+86139****4321"]
    assert client.get("/console/caller?phone=12").status_code == 422
    screen_pop = page(client, "/console?phone=13987654321")  # a CTI screen-pop: the history is in the page
    assert number in screen_pop and 'value="13987654321"' in screen_pop


def test_a_routine_call_is_saved_dispatched_and_its_number_shown(app, client):
    login(client, "operator")
    response = client.post("/console", data=form(app, client))
    assert response.status_code == 302 and "/console?done=12345-" in response.headers["Location"]
    result = page(client, response.headers["Location"])
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.state, case.channel, case.person.phone) == ("dispatched", "phone", CALLER_E164)
    assert case.number in result and "市城市管理委员会" in result and 'id="console-result"' in result


def test_a_call_sent_twice_is_one_case(app, client):
    login(client, "operator")
    data = form(app, client)
    first = client.post("/console", data=data)
    second = client.post("/console", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert count(Case) == 1


def test_a_call_without_subject_or_place_is_not_saved_and_keeps_what_was_typed(app, client):
    login(client, "operator")
    response = client.post("/console", data=form(app, client, category_id="", area_id="", name="张<b>先生</b>"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert STREETLIGHT in html and "西湖路公交总站" in html and 'value="139 8765 4321"' in html
    assert html.count('class="error"') == 3  # subject, place, and the name's markup
    assert "Nothing has been saved yet" in html or "尚未保存" in html
    with app.app_context():
        assert count(Case) == 0


def test_a_dispatcher_whose_call_the_catalogue_does_not_dispatch_gets_the_dispatch_form(app, client):
    login(client, "dispatcher")
    noise, xihu = some_category_and_area(app)  # 建筑施工噪声: the catalogue only suggests
    response = client.post("/console", data=form(app, client, category_id=str(noise), area_id=str(xihu)))
    location = response.headers["Location"]
    assert "/cases/12345-" in location and location.endswith("?open=dispatch#action-dispatch")
    assert 'id="action-dispatch" open' in page(client, location)  # the form is open, the catalogue's choice in it
    logout(client)
    login(client, "operator")
    response = client.post("/console", data=form(app, client, category_id=str(noise), area_id=str(xihu)))
    result = page(client, response.headers["Location"])
    assert "state-registered" in result and 'id="console-result"' in result


def test_an_enquiry_answered_with_an_article_needs_no_subject_and_is_closed(app, client):
    article_id = water_article(app)
    login(client, "operator")
    data = form(app, client, kind="consult", category_id="", area_id="", description="家里停水了怎么办",
                answer_note="已告知送水电话", do=f"answer:{article_id}")
    response = client.post("/console", data=data)
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.state, case.kind, case.answered_article_id) == ("closed", "consult", article_id)
        assert case.reply_text.endswith("已告知送水电话")
    detail = page(client, f"/cases/{case.number}")
    assert 'class="answered-from"' in detail and "临时停水通知" in detail


def test_an_unknown_article_is_refused_with_what_was_typed_kept(app, client):
    login(client, "operator")
    response = client.post("/console", data=form(app, client, do="answer:999999", answer_note="补充说明"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "补充说明" in html and STREETLIGHT in html
    with app.app_context():
        assert count(Case) == 0


def test_an_emergency_is_handed_on_and_the_case_page_says_so(app, client):
    login(client, "operator")
    data = form(app, client, description="楼下烧烤店着火了，现在浓烟很大", urgency="urgent", category_id="",
                area_id="", kind="help", do="transfer:119")
    response = client.post("/console", data=data)
    result = page(client, response.headers["Location"])
    assert "119" in result
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert (case.state, case.transferred_to) == ("closed", "119")
    detail = page(client, f"/cases/{case.number}")
    assert 'class="handed-on"' in detail and "119" in detail
    refused = client.post("/console", data=form(app, client, do="transfer:911"))
    assert refused.status_code == 422


def test_a_duplicate_call_is_merged_and_the_progress_shown_and_texted(app, client):
    open_number = new_case(app, phone=CALLER_E164)
    login(client, "operator")
    duplicates = client.get("/console/duplicates", query_string={"phone": CALLER, "text": "夜间施工噪音"})
    assert open_number in duplicates.get_data(as_text=True) and f'value="merge:{open_number}"' in \
        duplicates.get_data(as_text=True)
    response = client.post("/console", data=form(app, client, do=f"merge:{open_number}", category_id="",
                                                   area_id=""))
    result = page(client, response.headers["Location"])
    assert f'data-progress="{open_number}"' in result
    with app.app_context():
        merged = db.session.scalar(select(Case).where(Case.number != open_number))
        assert merged.state == "merged"
        texts = db.session.scalars(select(SmsMessage.purpose).where(SmsMessage.case_id == merged.id)).all()
        assert texts == ["progress"]  # its progress, not the number of a case it no longer has


def test_the_panels(app, client):
    login(client, "operator")
    emergency = client.get("/console/emergency", query_string={"text": "我爸突然晕倒了，现在叫不醒"})
    assert 'value="transfer:120"' in emergency.get_data(as_text=True) and "strong" in emergency.get_data(as_text=True)
    assert client.get("/console/emergency", query_string={"text": "路灯坏了"}).get_data(as_text=True).strip() == ""
    knowledge = client.get("/console/knowledge", query_string={"q": "停水"}).get_data(as_text=True)
    assert f'value="answer:{water_article(app)}"' in knowledge
    suggest = client.get("/console/suggest", query_string={"text": STREETLIGHT})
    assert "路灯损坏" in suggest.get_data(as_text=True) and suggest.headers["Cache-Control"] == "no-store"


def test_without_javascript_look_up_and_search_send_the_form_back_without_saving(app, client):
    number = new_case(app, phone=CALLER_E164)
    login(client, "operator")
    looked = client.post("/console", data=form(app, client, do="lookup", category_id=""))
    assert looked.status_code == 200 and number in looked.get_data(as_text=True)
    assert 'class="error"' not in looked.get_data(as_text=True)
    searched = client.post("/console", data=form(app, client, do="search", q="停水"))
    assert "临时停水通知" in searched.get_data(as_text=True)
    with app.app_context():
        assert count(Case) == 1


def test_make_a_case_from_a_text_thread(app, client):
    with app.app_context():
        thread = SmsThread(phone=CALLER_E164, unread=1)
        db.session.add(thread)
        db.session.flush()
        db.session.add(SmsMessage(direction="in", thread_id=thread.id, from_phone=CALLER_E164, to_phone="12345",
                                  body="西湖路路灯坏了", purpose="inbound", status="received"))
        db.session.commit()
        thread_id = thread.id
    login(client, "operator")
    html = page(client, f"/console?thread={thread_id}")
    assert "西湖路路灯坏了" in html and CALLER_E164 in html
    response = client.post("/console", data=form(app, client, f"/console?thread={thread_id}",
                                                   description="西湖路路灯坏了，晚上很黑"))
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case))
        thread = db.session.get(SmsThread, thread_id)
        assert case.channel == "sms" and (thread.state, thread.case_id) == ("done", case.id)


def test_a_staff_member_made_by_a_test_is_refused_too(app, client):
    make_user(app, "console-staff", "pw-console-staff-1", role="staff")
    login(client, "console-staff", "pw-console-staff-1")
    assert client.get("/console").status_code == 403


def test_a_landline_caller_merged_is_told_on_the_phone_only(app, client):
    from hotline.domain.phone import is_mobile, to_e164

    landline = to_e164("0999-8123456")
    assert not is_mobile(landline)
    open_number = new_case(app, phone=landline)
    login(client, "operator")
    response = client.post("/console", data=form(app, client, phone="0999-8123456", do=f"merge:{open_number}"))
    result = page(client, response.headers["Location"])
    assert f'data-progress="{open_number}"' in result and ("no text can be sent" in result or "无法接收短信" in result)
    with app.app_context():
        assert count(SmsMessage) == 0


def test_a_case_ended_at_intake_says_so_instead_of_waiting_for_dispatch(app, client):
    from tests.helpers import act

    number = new_case(app)
    act(app, number, "operator", "transfer", service="119")
    login(client, "operator")
    html = page(client, f"/cases/{number}")
    assert "ended at intake" in html or "受理环节已办结" in html
    assert "Not dispatched yet" not in html and "尚未派单" not in html
