"""For an accusation (检举控告类), the unit accused never learns who accused it nor that it was accused — on any page,
export, search, API answer, notice or text (信访工作条例 Arts. 30, 46(五)) — and the organ that handles it sees the
accuser masked. The centre sees everything, which is what shows the walk can find what it looks for."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import or_, select

from hotline.domain.kinds import Kind
from hotline.domain.petition_intake import PetitionerIn
from hotline.extensions import db
from hotline.models import Department, Notification, SmsMessage, User
from tests.api_helpers import Api
from tests.helpers import login
from tests.integration.confidentiality_helpers import department, step
from tests.integration.petition_helpers import new_petition
from tests.integration.petition_protection_helpers import (
    ACCUSED,
    ACCUSED_USERS,
    ACCUSER,
    ACCUSER_DIGITS,
    ACCUSER_ID,
    ACCUSER_PHONE,
    CENTRE,
    HANDLERS,
    ORGAN,
    WORDS,
    api_urls,
    body_of,
    identity,
    live_through,
    page_urls,
    traces,
    walk,
)


@pytest.fixture
def story(app):
    return live_through(app)


def _api_walk(app, username, urls, seen):
    api = Api.as_user(app, username)

    class Client:
        @staticmethod
        def get(url):
            return api.client.get("/api/v1" + url, headers=api.headers())
    return walk(Client, urls, seen)


@pytest.mark.parametrize("username", ACCUSED_USERS)
def test_no_page_shows_the_accused_unit_the_accuser_or_the_accusation(app, story, username):
    client = app.test_client()
    login(client, username)
    urls = page_urls(app, story, username)
    assert walk(client, urls, lambda body: traces(body, story.accusation)) == {}
    # the walk reached the unit's own pages, and the accusation is not there for it at all
    for url in ("/dept/inbox", "/notifications"):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/cases/{story.accusation}").status_code == 404
    assert len(urls) > 100


@pytest.mark.parametrize("username", ACCUSED_USERS)
def test_no_api_answer_shows_the_accused_unit_the_accuser_or_the_accusation(app, story, username):
    assert _api_walk(app, username, api_urls(story), lambda body: traces(body, story.accusation)) == {}
    api = Api.as_user(app, username)
    assert api.get(f"/cases/{story.accusation}").status_code == 404
    assert api.get(f"/cases/{story.accusation}/events").status_code == 404
    for action in ("urge", "declare-conflict", "object", "correct-document"):  # 404 as for no such case, not 403
        assert api.act(story.accusation, action, note="x", reason="x").status_code == 404


@pytest.mark.parametrize("username", ACCUSED_USERS)
def test_a_closed_case_of_the_accused_unit_linked_to_the_accusation_says_nothing_of_it(app, story, username):
    """The unit's own closed 12345 case stays its own, without the note the link left on it (which names the
    accuser) or the accusation's number."""
    api = Api.as_user(app, username)
    assert api.get(f"/cases/{story.linked}").status_code == 200
    events = api.get(f"/cases/{story.linked}/events").get_json()["items"]
    assert [e["action"] for e in events] == ["register", "dispatch", "sign", "reply", "review-reply", "callback"]
    centre = Api.as_user(app, "operator").get(f"/cases/{story.linked}/events").get_json()["items"]
    assert [e["data"] for e in centre if e["action"] == "linked"] == [{"petition": story.accusation}]


@pytest.mark.parametrize("username", ACCUSED_USERS)
def test_the_accused_unit_is_never_told_of_it(app, story, username):
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        rows = db.session.scalars(select(Notification).where(Notification.user_id == user_id)).all()
        assert [r for r in rows if r.case_id == story.case_id or story.accusation in str(r.data)] == []
        digests = [r.data["counts"] for r in rows if r.kind == "digest"]
        assert all(set(counts.values()) == {0} for counts in digests)  # nothing of it counted either


def test_texts_about_the_accusation_go_to_the_accuser_alone(app, story):
    with app.app_context():
        about = db.session.scalars(select(SmsMessage).where(or_(
            SmsMessage.case_id == story.case_id, SmsMessage.body.contains(story.accusation)))).all()
        assert {m.purpose for m in about} >= {"petition_document"}  # acceptance, extension, decision
        assert {m.to_phone for m in about if m.direction == "out"} == {ACCUSER_PHONE}
        unit_phones = {p for p in db.session.scalars(select(Department.phone)) if p}
        assert not any(m.to_phone in unit_phones for m in db.session.scalars(select(SmsMessage)))


@pytest.mark.parametrize("username", HANDLERS)
def test_the_organ_handling_it_sees_the_accusation_with_the_accuser_masked(app, story, username):
    client = app.test_client()
    login(client, username)
    assert walk(client, page_urls(app, story, username), identity) == {}
    page = client.get(f"/cases/{story.accusation}").get_data(as_text=True)
    assert WORDS in page and "慕***" in page  # the matter is theirs to handle; the person is not theirs to know

    assert _api_walk(app, username, api_urls(story), identity) == {}
    case = Api.as_user(app, username).get(f"/cases/{story.accusation}").get_json()
    assert case["person"]["masked"] is True
    assert case["petition"]["petitioners"] == [{"name": "慕***", "id_number": None, "phone": "+86186****5555",
                                                "address": None, "representative": False, "masked": True}]
    assert "*" * 18 in case["description"]  # the ID number written into the request
    assert "慕***" in case["description"] and WORDS in case["petition"]["facts"]
    assert case["petition"]["accused_departments"] is None  # whom it accuses is the centre's to know
    # the 12345 cases linked to it are not theirs to open, so not theirs to be named either; the centre's they are
    events = Api.as_user(app, username).get(f"/cases/{story.accusation}/events").get_json()["items"]
    assert [e["data"]["case"] for e in events if e["action"] == "link"] == [None, None]
    events = Api.as_user(app, "operator").get(f"/cases/{story.accusation}/events").get_json()["items"]
    assert [e["data"]["case"] for e in events if e["action"] == "link"] == [story.merged, story.linked]


@pytest.mark.parametrize("username", CENTRE)
def test_the_centre_sees_the_accuser_so_the_walk_can_find_what_it_looks_for(app, story, username):
    client = app.test_client()
    login(client, username)
    page = body_of(client.get(f"/cases/{story.accusation}"))
    assert identity(page)[:2] == [ACCUSER, ACCUSER_DIGITS] and traces(page, story.accusation)[-2:] == [
        story.accusation, WORDS]
    found = walk(client, page_urls(app, story, username), lambda body: traces(body, story.accusation))
    assert f"/cases/{story.accusation}" in found
    case = Api.as_user(app, username).get(f"/cases/{story.accusation}").get_json()
    assert identity(str(case)) == [ACCUSER, ACCUSER_DIGITS, ACCUSER_ID]
    assert [d["code"] for d in case["petition"]["accused_departments"]] == ["dh-cgj"]
    searched = Api.as_user(app, username).get("/cases", q=ACCUSER_DIGITS).get_json()["items"]
    assert [c["number"] for c in searched] == [story.accusation]


def test_a_later_petition_of_the_accuser_to_the_accused_unit_does_not_point_to_the_accusation(app):
    """The accuser later petitions the accused unit itself about the same stalls: that petition is the unit's to
    handle, with its petitioner; the accusation it matches, still being handled, stays out of its sight."""
    accuser = (PetitionerIn(ACCUSER, ACCUSER_ID, ACCUSER_PHONE, "江川市东湖区西湖路12号"),)
    moment = datetime.now(UTC) - timedelta(days=2)
    words = dict(facts=f"城管执法局对西湖路夜市每个摊位{WORDS}500元，不开收据。", reasons=f"{WORDS}没有依据。")
    accusation = new_petition(app, moment, kind=Kind.ACCUSATION, people=accuser, request=f"举报{WORDS}",
                              accused_department_ids=(department(app, ACCUSED),), **words)
    step(app, accusation, "dispatcher", "forward", moment + timedelta(hours=1), organ_id=department(app, ORGAN),
         forwarding="assign")
    step(app, accusation, "dh-gov-staff", "accept", moment + timedelta(hours=2), decision="accept")
    later = new_petition(app, moment + timedelta(days=1), kind=Kind.GRIEVANCE, people=accuser,
                         request=f"要求退还{WORDS}", **words)
    step(app, later, "dispatcher", "forward", moment + timedelta(days=1, hours=1), organ_id=department(app, ACCUSED),
         forwarding="forward")
    centre = Api.as_user(app, "supervisor").get(f"/cases/{later}").get_json()
    assert centre["petition"]["same_matter"] == {"kind": "open", "case": accusation}
    assert accusation in str(Api.as_user(app, "supervisor").get(f"/cases/{later}/events").get_json())
    for username in ACCUSED_USERS:
        api = Api.as_user(app, username)
        case = api.get(f"/cases/{later}").get_json()
        assert case["petition"]["same_matter"] == {"kind": "open", "case": None}
        assert accusation not in str(case)
        assert accusation not in str(api.get(f"/cases/{later}/events").get_json())
        client = app.test_client()
        login(client, username)
        page = client.get(f"/cases/{later}")
        assert page.status_code == 200 and accusation not in page.get_data(as_text=True)


@pytest.mark.parametrize("username", HANDLERS)
def test_the_organ_cannot_find_the_accusation_by_who_made_it(app, story, username):
    """A search that finds the case by the accuser's name, number or ID number would tell the organ who it is."""
    api = Api.as_user(app, username)
    assert [c["number"] for c in api.get("/cases", q=WORDS).get_json()["items"]] == [story.accusation]
    for q in (ACCUSER, ACCUSER_DIGITS, "186 7777 5555", ACCUSER_ID):
        assert api.get("/cases", q=q).get_json()["items"] == [], q
    client = app.test_client()
    login(client, username)
    for q in (ACCUSER, ACCUSER_DIGITS, ACCUSER_ID):
        assert story.accusation not in client.get("/dept/inbox", query_string={"q": q}).get_data(as_text=True), q
