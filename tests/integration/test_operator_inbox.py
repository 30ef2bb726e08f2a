"""The operators' inbox of texts and voice mail: who may open it, the one list of open items, a conversation
opened (and so read), replies queued through the outbox, done."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.helpers import complaint, file_complaint, hidden_value, login

PHONE = "+8613812345678"  # the number tests.helpers.complaint files with


def add_thread(app, phone: str = PHONE, texts: tuple[str, ...] = ("楼下的垃圾三天没人清运了",), *, state: str = "open",
               minutes_ago: int = 0, unread: int | None = None) -> int:
    """A thread as the SMS webhook leaves it: the texts in, unread, the thread's time that of the last text."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import SmsMessage, SmsThread

    with app.app_context():
        at = now() - timedelta(minutes=minutes_ago)
        thread = SmsThread(phone=phone, state=state, unread=len(texts) if unread is None else unread,
                           last_message_at=at, created_at=at)
        db.session.add(thread)
        db.session.flush()
        for i, text in enumerate(texts):
            db.session.add(SmsMessage(direction="in", thread_id=thread.id, from_phone=phone, to_phone="+8612345",
                                      body=text, purpose="inbound", status="received", transport="twilio",
                                      provider_id=f"SM{thread.id:08d}{i:04d}",
                                      created_at=at - timedelta(seconds=len(texts) - i)))
        db.session.commit()
        return thread.id


RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"


def add_voicemail(app, phone: str = PHONE, *, minutes_ago: int = 0, seconds: int = 42, transcription: str = "",
                  url: str = RECORDING, state: str = "open") -> int:
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Voicemail

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Voicemail)) or 0
        item = Voicemail(call_sid=f"CA{count + 1:032d}", from_phone=phone, recording_sid=f"RE{count + 1}",
                         recording_url=url, duration_seconds=seconds, transcription=transcription,
                         transcription_status="completed" if transcription else "", state=state,
                         received_at=now() - timedelta(minutes=minutes_ago))
        db.session.add(item)
        db.session.commit()
        return item.id


def row(app, model, id_: int):
    from hotline.extensions import db

    with app.app_context():
        found = db.session.get(model, id_)
        db.session.expunge(found)
        return found


def access_log(app, action: str) -> list:
    from hotline.extensions import db
    from hotline.models import AccessLog

    with app.app_context():
        return list(db.session.scalars(select(AccessLog.detail).where(AccessLog.action == action)))


def signed_in(app, username: str):
    client = app.test_client()
    login(client, username)
    return client


def post_form(client, page_url: str, action_url: str, **data):
    page = client.get(page_url).get_data(as_text=True)
    return client.post(action_url, data={"csrf_token": hidden_value(page, "csrf_token"), **data})


GUARDED = ("/inbox", "/inbox?tab=done", "/inbox/sms/{t}", "/inbox/voicemail/{v}", "/inbox/blocked")


@pytest.mark.parametrize("username", ["operator", "dispatcher", "supervisor"])
def test_the_centre_s_handlers_open_every_page(app, username):
    thread_id, voicemail_id = add_thread(app), add_voicemail(app)
    client = signed_in(app, username)
    for path in GUARDED:
        assert client.get(path.format(t=thread_id, v=voicemail_id)).status_code == 200, path


@pytest.mark.parametrize("username", ["admin", "dh-cgj-staff", "dh-cgj-head"])
def test_the_admin_and_departments_are_refused(app, username):
    thread_id, voicemail_id = add_thread(app), add_voicemail(app)
    client = signed_in(app, username)
    for path in GUARDED:
        assert client.get(path.format(t=thread_id, v=voicemail_id)).status_code == 403, path
    from hotline.models import SmsThread
    assert row(app, SmsThread, thread_id).unread == 1  # a refused look reads nothing


def test_a_stranger_is_sent_to_sign_in(app, client):
    thread_id, voicemail_id = add_thread(app), add_voicemail(app)
    for path in GUARDED:
        response = client.get(path.format(t=thread_id, v=voicemail_id))
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_open_texts_and_voice_mail_are_one_list_newest_first(app):
    old = add_thread(app, "+8613900000001", ("第一条\n第二行不显示",), minutes_ago=30)
    voice = add_voicemail(app, "+8613900000002", minutes_ago=10, seconds=42)
    new = add_thread(app, "+8613900000003", ("刚刚发来的", "最后一条短信"), minutes_ago=1)
    add_thread(app, "+8613900000004", ("已经处理完的",), state="done", unread=0)
    html = signed_in(app, "operator").get("/inbox").get_data(as_text=True)
    order = re.findall(r'data-kind="(\w+)" data-id="(\d+)"', html)
    assert order == [("sms", str(new)), ("voicemail", str(voice)), ("sms", str(old))]
    assert "最后一条短信" in html and "刚刚发来的" not in html  # the last text, not the first
    assert "第一条" in html and "第二行不显示" not in html  # its first line
    assert "0:42" in html and "+86 139 0000 0002" in html
    assert "已经处理完的" not in html
    assert re.search(r'aria-current="page">[^<]*<span class="count some">3</span>', html)


def test_the_done_tab_and_the_pages(app):
    from hotline.services.sms_inbox import PAGE

    for i in range(PAGE + 2):
        add_thread(app, f"+86139000{i:05d}", (f"第{i}条",), state="done", unread=0, minutes_ago=i)
    client = signed_in(app, "supervisor")
    first = client.get("/inbox?tab=done").get_data(as_text=True)
    assert first.count('class="inbox-item') == PAGE and 'rel="next"' in first
    second = client.get("/inbox?tab=done&page=2").get_data(as_text=True)
    assert second.count('class="inbox-item') == 2 and 'rel="prev"' in second and 'rel="next"' not in second
    assert "第0条" in first and f"第{PAGE + 1}条" in second
    assert "Nothing waiting" in client.get("/inbox?lang=en").get_data(as_text=True)


def test_seeing_the_numbers_is_written_down(app):
    add_thread(app)
    response = signed_in(app, "operator").get("/inbox")
    assert response.headers["Cache-Control"] == "no-store"
    assert access_log(app, "view_sms_inbox") == ["open page 1: 1 items"]


def test_opening_a_thread_reads_it_and_shows_the_caller(app):
    from hotline.models import SmsThread

    client = signed_in(app, "operator")
    number = file_complaint(client, complaint(app)).headers["Location"].rsplit("/", 1)[-1]
    thread_id = add_thread(app, texts=("你好", "我家门口的路灯坏了"))
    response = client.get(f"/inbox/sms/{thread_id}")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert row(app, SmsThread, thread_id).unread == 0
    assert html.index("你好") < html.index("我家门口的路灯坏了")  # oldest first
    assert f'data-case="{number}"' in html and "王小明" in html  # the caller's history beside it
    assert access_log(app, "view_caller_history")
    assert f'href="/console?phone=%2B8613812345678&amp;thread={thread_id}" id="make-case"' in html


def test_a_reply_is_queued_with_its_job_and_shown_with_who_wrote_it(app):
    from hotline.extensions import db
    from hotline.models import OutboxJob, SmsMessage

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    url = f"/inbox/sms/{thread_id}"
    response = post_form(client, url, url + "/reply", body="您好，请告诉我们具体的小区和楼号。")
    assert response.status_code == 302
    with app.app_context():
        sent = db.session.scalar(select(SmsMessage).where(SmsMessage.direction == "out"))
        assert (sent.thread_id, sent.to_phone, sent.purpose, sent.status) == (thread_id, PHONE, "inbox", "queued")
        assert sent.sent_by_id is not None
        job = db.session.scalar(select(OutboxJob))
        assert (job.job, job.payload) == ("deliver_sms", {"message_id": sent.id})
    html = client.get(url).get_data(as_text=True)
    assert "请告诉我们具体的小区和楼号" in html and 'data-purpose="inbox"' in html
    assert re.search(r"话务员|operator", html)


def test_a_reply_sent_twice_is_one_text(app):
    from hotline.extensions import db
    from hotline.models import OutboxJob, SmsMessage

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    url = f"/inbox/sms/{thread_id}"
    for _ in range(2):  # a double click
        assert post_form(client, url, url + "/reply", body="您好，已转交属地街道处理。").status_code == 302
    post_form(client, url, url + "/reply", body="另外，请保持电话畅通。")
    with app.app_context():
        bodies = db.session.scalars(select(SmsMessage.body).where(SmsMessage.direction == "out")
                                    .order_by(SmsMessage.id)).all()
        assert bodies == ["您好，已转交属地街道处理。", "另外，请保持电话畅通。"]
        assert db.session.scalar(select(func.count()).select_from(OutboxJob)) == 2


@pytest.mark.parametrize("body, expected", [("", "Write the text to send."), ("长" * 135, "At most 134 characters")])
def test_a_reply_that_cannot_go_keeps_what_was_typed(app, body, expected):
    from hotline.extensions import db
    from hotline.models import OutboxJob, SmsMessage

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    url = f"/inbox/sms/{thread_id}"
    response = post_form(client, url + "?lang=en", url + "/reply", body=body)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert expected in html and body in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.direction == "out")) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxJob)) == 0


def test_a_blocked_number_gets_no_reply(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import OutboxJob, SmsMessage, User
    from hotline.services import blocklist

    thread_id = add_thread(app)
    client = signed_in(app, "operator")
    url = f"/inbox/sms/{thread_id}"
    page = client.get(url + "?lang=en").get_data(as_text=True)  # the form was open before the block
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "supervisor"))
        blocklist.block(db.session, PHONE, "骚扰短信", user, now())
    response = client.post(url + "/reply", data={"csrf_token": hidden_value(page, "csrf_token"), "body": "您好"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This number is blocked" in html and "您好</textarea>" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.direction == "out")) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxJob)) == 0
    assert 'name="body"' not in client.get(url).get_data(as_text=True)  # and no form is offered any more


def test_done_takes_the_thread_out_of_the_open_list(app):
    from hotline.models import SmsThread

    thread_id = add_thread(app)
    client = signed_in(app, "dispatcher")
    url = f"/inbox/sms/{thread_id}"
    response = post_form(client, url, url + "/done")
    assert response.status_code == 302 and response.headers["Location"].endswith("/inbox")
    thread = row(app, SmsThread, thread_id)
    assert thread.state == "done" and thread.handled_by_id is not None and thread.handled_at is not None
    assert f'data-id="{thread_id}"' not in client.get("/inbox").get_data(as_text=True)
    assert f'data-id="{thread_id}"' in client.get("/inbox?tab=done").get_data(as_text=True)


def test_a_case_made_from_a_thread_takes_it_out_of_the_inbox(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Case, SmsThread, User
    from hotline.services.sms_inbox import attach_case

    client = signed_in(app, "operator")
    number = file_complaint(client, complaint(app)).headers["Location"].rsplit("/", 1)[-1]
    thread_id = add_thread(app)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        user = db.session.scalar(select(User).where(User.username == "operator"))
        attach_case(db.session, case, user, now(), thread_id=thread_id)
        db.session.commit()
    thread = row(app, SmsThread, thread_id)
    assert (thread.state, thread.unread, thread.handled_by_id) == ("done", 0, thread.handled_by_id)
    assert number in client.get(f"/inbox/sms/{thread_id}").get_data(as_text=True)


def nav(html: str) -> str:
    return html[html.index('<nav class="nav">'):html.index("</nav>")]


def test_the_nav_counts_what_waits_for_those_who_handle_it(app):
    add_thread(app)
    add_thread(app, "+8613900000001", state="done", unread=0)
    add_voicemail(app)
    for username, links in (("operator", {"/console", "/inbox"}), ("dispatcher", {"/console", "/inbox"}),
                            ("supervisor", {"/console", "/inbox", "/admin/knowledge"}),
                            ("admin", {"/admin/knowledge"}), ("dh-cgj-staff", {"/admin/knowledge"})):
        menu = nav(signed_in(app, username).get("/").get_data(as_text=True))
        shown = {path for path in ("/console", "/inbox", "/admin/knowledge") if f'href="{path}"' in menu}
        assert shown == links, username
        if "/inbox" in links:
            assert 'data-open="2"' in menu and '<span class="bell-count">2</span>' in menu
