"""回避 (信访工作条例 Art. 28): whoever has declared a conflict of interest in a petition, or had one recorded by a
supervisor, gets no trace of it anywhere — page, list, search, export, API answer, notice — and a recused head is not
the one who approves its extension: they cannot even see it. The others of the same unit and the centre carry on."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hotline.domain.petition_intake import PetitionerIn
from hotline.extensions import db
from hotline.models import Notification, Recusal, SmsMessage, SmsThread, User
from hotline.services import digest, sms_inbound, sweep
from tests.api_helpers import Api
from tests.helpers import DEMO_PASSWORD, login, make_user
from tests.integration.confidentiality_helpers import department, step
from tests.integration.petition_helpers import new_petition
from tests.integration.petition_protection_helpers import Story, api_urls, body_of, page_urls, walk

TZ = "Asia/Shanghai"
NAME, ID_NUMBER, PHONE, DIGITS = "上官秋月", "440305198506123451", "+8613766554433", "13766554433"
WORDS = "宅基地确权争议"
RECUSED = ("dh-gov-staff", "dh-gov-head", "operator", "supervisor2")  # declared; recorded for a head, the centre
CARRY_ON = ("dh-gov-staff2", "dh-gov-head2", "supervisor")


def traces(body: str, number: str, phone: bool = True) -> list[str]:
    plain = "".join(c for c in body if c not in " -\u00a0()（）.")
    return [w for w, there in ((NAME, body), (DIGITS, plain if phone else ""), (ID_NUMBER, plain.upper()),
                               (number, body), (WORDS, body)) if w in there]


# The centre's SMS inbox and its console show who texted or called, by number, whatever cases there are: a number
# there is the person writing now, not the petition. Its cases, names and words are what must not show.
BY_NUMBER = ("/inbox", "/console")


@dataclass
class Recusals:
    number: str
    story: Story  # what the walk fills routes with
    told: int  # the last notification written before anyone was recused


@pytest.fixture
def recusals(app) -> Recusals:
    organ = department(app, "dh-gov")
    make_user(app, "dh-gov-staff2", DEMO_PASSWORD, "staff", organ)
    make_user(app, "dh-gov-head2", DEMO_PASSWORD, "head", organ)
    make_user(app, "supervisor2", DEMO_PASSWORD, "supervisor")
    start = datetime.now(UTC) - timedelta(days=3)
    at = (start + timedelta(minutes=10 * n) for n in itertools.count(1))
    number = new_petition(app, start, people=(PetitionerIn(NAME, ID_NUMBER, PHONE, "江川市东湖区湖滨路3号"),),
                          major=True, request=f"请求重新处理{WORDS}", facts=f"{WORDS}：村委会将我家宅基地划给邻居。",
                          reasons=f"{NAME}持有1998年宅基地使用证，电话 137 6655 4433。")
    step(app, number, "dispatcher", "forward", next(at), organ_id=organ, forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", next(at), decision="accept")
    with app.test_request_context():  # the petitioner texts; every clock warns and breaches, before any recusal
        sms_inbound.receive(db.session, sms_inbound.Inbound("SMrecusal1", PHONE, "+8610612345", "我的事怎么样了"),
                            datetime.now(UTC), sms_inbound.Settings.from_config(app.config))
        sweep.sweep(db.session, datetime.now(UTC) + timedelta(days=60))
        told = db.session.scalar(select(func.max(Notification.id)))
        for message in db.session.scalars(select(SmsMessage).where(SmsMessage.to_phone == PHONE)):
            message.status, message.error = "failed", "21610 unsubscribed"  # on the supervisors' board
        db.session.commit()
    staff = Api.as_user(app, "dh-gov-staff")
    assert staff.act(number, "declare-conflict", reason="申请人是我的亲属").status_code == 204
    supervisor = Api.as_user(app, "supervisor")
    for username, reason in (("dh-gov-head", "负责人与村委会主任系亲属"), ("operator", "话务员与申请人邻居有纠纷"),
                             ("supervisor2", "曾参与原宅基地审批")):
        response = supervisor.act(number, "record-conflict", user=username, reason=reason)
        assert response.status_code == 200, response.get_json()
    assert Api.as_user(app, "dh-gov-staff2").act(number, "request-extension", days=20,
                                                 reason="需要调取历史档案").status_code == 200
    with app.test_request_context():
        sweep.sweep(db.session, datetime.now(UTC) + timedelta(days=200))
        digest.send_digests(db.session, datetime.now(UTC), TZ)
    with app.app_context():
        case_id = db.session.scalar(select(Recusal.case_id).limit(1))
        thread_id = db.session.scalar(select(SmsThread.id).where(SmsThread.phone == PHONE))
    return Recusals(number, Story(number, number, case_id, [], {}, thread_id), told)


def test_conflicts_are_recorded_by_username_and_named_to_the_centre(app, recusals):
    with app.app_context():
        recused = set(db.session.scalars(select(User.username).join(Recusal, Recusal.user_id == User.id)))
    assert recused == set(RECUSED)
    events = Api.as_user(app, "supervisor").get(f"/cases/{recusals.number}/events").get_json()["items"]
    assert [e["data"]["user"] for e in events if e["action"] in ("declare-conflict", "record-conflict")] == list(
        RECUSED)
    response = Api.as_user(app, "supervisor").act(recusals.number, "record-conflict", user="nobody", reason="x")
    assert (response.status_code, response.get_json()["fields"]) == (422, {"user": "unknown"})


@pytest.mark.parametrize("username", RECUSED)
def test_no_page_shows_a_recused_person_the_petition(app, recusals, username):
    client = app.test_client()
    login(client, username)
    story = recusals.story
    urls = page_urls(app, story, username, searches=(NAME, DIGITS, "137 6655 4433", ID_NUMBER, recusals.number, WORDS))
    by_number = [u for u in urls if u.startswith(BY_NUMBER)]
    assert walk(client, [u for u in urls if u not in by_number], lambda body: traces(body, recusals.number)) == {}
    assert walk(client, by_number, lambda body: traces(body, recusals.number, phone=False)) == {}
    assert client.get(f"/cases/{recusals.number}").status_code == 404
    assert client.get("/notifications").status_code == 200


@pytest.mark.parametrize("username", RECUSED)
def test_no_api_answer_shows_a_recused_person_the_petition(app, recusals, username):
    api = Api.as_user(app, username)
    urls = api_urls(recusals.story) + [f"/cases?q={q}" for q in (NAME, DIGITS, ID_NUMBER, WORDS)]
    found = {}
    for url in urls:
        response = api.client.get("/api/v1" + url, headers=api.headers())
        hit = traces(body_of(response) if response.status_code == 200 else "", recusals.number)
        if hit:
            found[url] = hit
    assert found == {}
    assert api.get(f"/cases/{recusals.number}").status_code == 404
    assert api.act(recusals.number, "urge", note="x").status_code == 404


@pytest.mark.parametrize("username", RECUSED)
def test_a_recused_person_is_told_nothing_more_of_it(app, recusals, username):
    """Notices written before the recusal are no longer shown; none is written after it."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        mine = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
        if username != "operator":  # told before: a warning, a breach, the major petition (Art. 25)
            assert any(n.case_id == recusals.story.case_id for n in mine if n.id <= recusals.told)
        later = [n for n in mine if n.id > recusals.told]
        assert [n for n in later if recusals.number in str(n.data) or n.case_id == recusals.story.case_id] == []
    client = app.test_client()
    login(client, username)
    assert recusals.number not in client.get("/notifications").get_data(as_text=True)


@pytest.mark.parametrize("username", CARRY_ON)
def test_the_others_carry_on_and_the_walk_finds_the_petition_for_them(app, recusals, username):
    client = app.test_client()
    login(client, username)
    page = client.get(f"/cases/{recusals.number}")
    assert page.status_code == 200 and WORDS in page.get_data(as_text=True)
    assert recusals.number in client.get("/notifications").get_data(as_text=True)
    assert Api.as_user(app, username).get(f"/cases/{recusals.number}").status_code == 200


def test_a_recused_head_cannot_approve_the_extension_and_another_head_does(app, recusals):
    head = Api.as_user(app, "dh-gov-head")
    assert head.act(recusals.number, "decide-extension", decision="approve").status_code == 404
    client = app.test_client()
    login(client, "dh-gov-head")
    assert client.get(f"/cases/{recusals.number}").status_code == 404
    other = Api.as_user(app, "dh-gov-head2")
    case = other.get(f"/cases/{recusals.number}").get_json()
    assert "decide-extension" in case["allowed_actions"]
    response = other.act(recusals.number, "decide-extension", decision="approve", version=case["version"])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["extension"]["status"] == "approved"
