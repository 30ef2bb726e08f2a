"""The petitioner on the tracking page (信访工作条例 Art. 18): their petition among their cases, its state in plain
words, the statutory deadline running, each step and the documents issued to them — and nothing of the office's
inside: no note, no staff name, no objection, no recusal, no unit an accusation names."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import Case, Department, PetitionDocument, User
from tests.integration.lifecycle_helpers import dept, display_name, new_case, step
from tests.integration.petition_helpers import new_petition, petitioner
from tests.integration.track_helpers import in_english, open_case, page, sign_in

PHONE = "+8613900001111"  # petition_helpers.petitioner's
SECRETS = ("不属于本机关职责（内部异议）", "群众催促（内部）", "承办人与信访人系亲属", "会同调查（内部延期理由）")


@pytest.fixture
def client(app):
    visitor = app.test_client()
    in_english(visitor)
    return visitor


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _english(app, code: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Department.name_en).where(Department.code == code))


def _day(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")


def _accepted(app, start: datetime) -> str:
    """Registered, forwarded to one organ that objected, sent back to it, urged, one of its staff recused,
    accepted, an extension asked for and not yet decided."""
    number = new_petition(app, start)
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward", note="请依法处理（转送说明）")
    step(app, number, "dh-gov-staff", "object", start + timedelta(days=1), reason=SECRETS[0])
    step(app, number, "dispatcher", "decide-objection", start + timedelta(days=1, hours=2), decision="refuse",
         note="属本机关职责")
    step(app, number, "operator", "urge", start + timedelta(days=2), note=SECRETS[1])
    with app.app_context():
        recused = db.session.scalar(select(User.id).where(User.username == "dh-gov-head"))
    step(app, number, "supervisor", "record-conflict", start + timedelta(days=2, hours=1), user_id=recused,
         reason=SECRETS[2])
    step(app, number, "dh-gov-staff", "accept", start + timedelta(days=3), decision="accept")
    step(app, number, "dh-gov-staff", "request-extension", start + timedelta(days=4), days=10, reason=SECRETS[3])
    return number


def test_the_petitioner_follows_their_petition_without_seeing_the_office_inside(app, client):
    start = datetime.now(UTC) - timedelta(days=5)
    number = _accepted(app, start)
    sign_in(client, app, PHONE)
    listed = client.get("/track/cases")
    assert number in listed.get_data(as_text=True)
    assert "Accepted, being handled" in _text(listed) and "Written decision due by" in _text(listed)

    response = page(client, number)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(response)
    assert 'data-status="accepted"' in html
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        decide_due, accept_due = case.petition.decide_due_at, case.petition.accept_due_at
        document = db.session.scalar(select(PetitionDocument).where(PetitionDocument.case_id == case.id))
    assert f"Written decision due by {_day(decide_due)}" in text  # the running deadline …
    assert f"You are to be told whether it is accepted by {_day(accept_due)}" in text  # … and the earlier ones
    assert "Acceptance notice" in text and document.number in text  # the document issued to them
    assert [s for s in re.findall(r'data-step="([^"]+)"', html)] == ["registered", "forwarded", "accepted"]
    assert _english(app, "dh-gov") in text
    for secret in (*SECRETS, "请依法处理（转送说明）", "属本机关职责"):
        assert secret not in html
    for username in ("dh-gov-staff", "dh-gov-head", "dispatcher", "operator", "supervisor"):
        assert display_name(app, username) not in html
    assert "object" not in text.lower() and "recus" not in text.lower() and "conflict" not in text.lower()
    assert 'action="/track/case/' not in html  # a petition is not rated on the page


def test_a_grievance_decided_shows_the_time_to_ask_for_review(app, client):
    start = datetime.now(UTC) - timedelta(days=20)
    number = new_petition(app, start)
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="assign")
    step(app, number, "dh-gov-staff", "accept", start + timedelta(days=1), decision="accept")
    step(app, number, "dh-gov-staff", "decide", start + timedelta(days=10), outcome="reject", facts="经查",
         basis="依据", text="不予支持")
    open_case(client, app, number, PHONE)
    response = page(client, number)
    text = _text(response)
    with app.app_context():
        window = db.session.scalar(select(Case).where(Case.number == number)).petition.review_window_due_at
    assert "Written decision issued" in text and "Not supported" in text
    assert f"You may ask for a review (复查) until {_day(window)}" in text
    assert "Written decision" in text and text.count("〔") >= 2  # the acceptance notice and the decision


def test_an_accusation_never_names_the_unit_it_accuses_to_the_accuser_either(app, client):
    start = datetime.now(UTC) - timedelta(days=3)
    accused = dept(app, "zjw")
    number = new_petition(app, start, kind=Kind.ACCUSATION, accused_department_ids=(accused,))
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    sign_in(client, app, PHONE)
    html = unescape(page(client, number).get_data(as_text=True))
    assert _english(app, "dh-gov") in html
    assert _english(app, "zjw") not in html


def test_a_12345_case_merged_into_a_petition_says_so_and_still_tracks(app, client):
    hotline = new_case(app, phone=PHONE)
    petition = new_petition(app, datetime.now(UTC), people=(petitioner(),))
    step(app, petition, "operator", "link", datetime.now(UTC), case=hotline)
    sign_in(client, app, PHONE)
    response = page(client, hotline)
    assert response.status_code == 200
    assert "Handled together with another case" in _text(response) and petition in _text(response)
    assert page(client, petition).status_code == 200


def test_someone_elses_petition_is_not_shown(app, client):
    number = new_petition(app, datetime.now(UTC))
    sign_in(client, app, "+8613812345678")
    assert page(client, number).status_code == 302
    assert number not in client.get("/track/cases").get_data(as_text=True)


def test_the_petitioner_opens_their_documents_from_the_tracking_page_and_nobody_else_does(app, client):
    start = datetime.now(UTC) - timedelta(days=5)
    number = new_petition(app, start)
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", start + timedelta(days=1), decision="accept")
    with app.app_context():
        document = db.session.scalar(select(PetitionDocument).where(PetitionDocument.kind == "acceptance"))
        document_id, title = document.id, document.number
    stranger = app.test_client()
    assert stranger.get(f"/track/{number}/documents/{document_id}").status_code == 404  # not signed in
    open_case(client, app, number, PHONE)
    listed = page(client, number).get_data(as_text=True)
    assert f"/track/{number}/documents/{document_id}" in listed
    shown = client.get(f"/track/{number}/documents/{document_id}")
    assert shown.status_code == 200 and title in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"].startswith("no-store")
    pdf = client.get(f"/track/{number}/documents/{document_id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    other = new_petition(app, start, people=(petitioner(name="孙七", phone="+8613900003333", id_number=""),))
    step(app, other, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, other, "dh-gov-staff", "accept", start + timedelta(days=1), decision="accept")
    with app.app_context():
        theirs = db.session.scalar(select(PetitionDocument.id).join(Case, Case.id == PetitionDocument.case_id)
                                   .where(Case.number == other))
    assert client.get(f"/track/{other}/documents/{theirs}").status_code == 404  # another petitioner's
    assert client.get(f"/track/{number}/documents/{theirs}").status_code == 404  # not this petition's
