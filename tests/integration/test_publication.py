"""Published questions and answers: only what a person agreed to, only after a supervisor read it, never with
their personal data, every look and decision in the access log; then listed and searchable by anyone."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccessLog, Case, Category, Publication
from tests.helpers import hidden_value, login
from tests.integration.opengov_helpers import build_history


@pytest.fixture
def history(app):
    return build_history(app)


def page_of(client, number: str):
    return client.get(f"/open/moderation/{number}")


def send(client, number: str, decision: str, **fields):
    page = page_of(client, number).get_data(as_text=True)
    form = {"csrf_token": hidden_value(page, "csrf_token"), "version": hidden_value(page, "version"),
            "decision": decision, "title": hidden_value(page, "title"),
            "question": re.search(r'<textarea[^>]*name="question"[^>]*>\s*([^<]*)</textarea>', page).group(1),
            "answer": re.search(r'<textarea[^>]*name="answer"[^>]*>\s*([^<]*)</textarea>', page).group(1)}
    form.update(fields)
    return client.post(f"/open/moderation/{number}", data=form)


def logged(app, action: str) -> list[AccessLog]:
    with app.app_context():
        return list(db.session.scalars(select(AccessLog).where(AccessLog.action == action)))


def test_only_closed_consenting_cases_are_offered_and_never_a_report(app, client, history):
    login(client, "supervisor")
    page = client.get("/open/moderation").get_data(as_text=True)
    offered = set(re.findall(r"/open/moderation/(12345-[\d-]+)", page))
    assert offered == {history["happy"], history["last-happy"]}
    # consent but still open, a report, no consent: not offered, and not reachable by typing the number
    for label in ("cohandled", "report", "basically"):
        assert page_of(client, history[label]).status_code == 404


def test_the_form_starts_from_the_redacted_text_and_the_look_is_logged(app, client, history):
    login(client, "supervisor")
    response = page_of(client, history["last-happy"])
    page = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    question = re.search(r'<textarea[^>]*name="question"[^>]*>\s*([^<]*)</textarea>', page).group(1)
    assert question == "我叫李某，电话〔电话〕，住东湖区湖滨路×号×单元×室，楼下夜市噪音扰民。"
    assert hidden_value(page, "title") == "楼下夜市噪音扰民"
    looks = logged(app, "view_personal_data")
    assert len(looks) == 1 and looks[0].detail == "publication"


def test_personal_data_left_in_is_refused_next_to_the_field_and_nothing_is_published(app, client, history):
    login(client, "supervisor")
    number = history["last-happy"]
    typed = "已责令夜市经营者22时后停止营业。如有问题请联系王科长13912345678。"
    response = send(client, number, "publish", answer=typed, title="我是李秀英")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert re.search(r'name="answer"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="answer"', page)
    assert typed in page  # what the moderator typed is still there
    assert "This still contains a phone number" in page or "仍含有电话号码" in page
    assert "the person's name" in page or "诉求人姓名" in page  # the title named her
    with app.app_context():
        assert db.session.scalar(select(Publication)) is None


def test_published_it_is_listed_found_by_its_words_and_filtered_by_subject(app, client, history):
    login(client, "supervisor")
    number = history["last-happy"]
    response = send(client, number, "publish", title="楼下夜市噪音扰民")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/open/moderation?status=published")
    published = logged(app, "publication_publish")
    assert len(published) == 1 and published[0].detail == "楼下夜市噪音扰民"

    visitor = app.test_client()
    listing = visitor.get("/open/questions").get_data(as_text=True)
    assert "楼下夜市噪音扰民" in listing
    with app.app_context():
        publication = db.session.scalar(select(Publication))
        city = db.session.scalar(select(Category.id).where(Category.code == "city"))
        housing = db.session.scalar(select(Category.id).where(Category.code == "housing"))
        assert publication.status == "published" and publication.published_at is not None
    assert "楼下夜市噪音扰民" in visitor.get("/open/questions?q=夜市很吵").get_data(as_text=True)
    assert "楼下夜市噪音扰民" in visitor.get("/open/questions?q=Construction noise").get_data(as_text=True)
    assert "楼下夜市噪音扰民" not in visitor.get("/open/questions?q=停水").get_data(as_text=True)
    assert "楼下夜市噪音扰民" in visitor.get(f"/open/questions?category={city}").get_data(as_text=True)
    assert "楼下夜市噪音扰民" not in visitor.get(f"/open/questions?category={housing}").get_data(as_text=True)
    answer = visitor.get(f"/open/questions/{publication.id}")
    assert answer.status_code == 200 and "已到现场核实" in answer.get_data(as_text=True)
    # and it has left the moderators' waiting list
    assert number not in client.get("/open/moderation").get_data(as_text=True)


def test_declined_or_withdrawn_it_is_not_public(app, client, history):
    login(client, "supervisor")
    assert send(client, history["happy"], "decline").status_code == 302
    assert history["happy"] in client.get("/open/moderation?status=declined").get_data(as_text=True)
    send(client, history["last-happy"], "publish", title="楼下夜市噪音扰民")
    with app.app_context():
        publication_id = db.session.scalar(select(Publication.id).where(Publication.status == "published"))
    assert app.test_client().get(f"/open/questions/{publication_id}").status_code == 200
    assert send(client, history["last-happy"], "withdraw").status_code == 302
    assert app.test_client().get(f"/open/questions/{publication_id}").status_code == 404
    assert "楼下夜市噪音扰民" not in app.test_client().get("/open/questions").get_data(as_text=True)
    assert [e.action for e in logged(app, "publication_withdraw")] == ["publication_withdraw"]
    assert len(logged(app, "publication_decline")) == 1


def test_a_draft_is_saved_without_publishing(app, client, history):
    login(client, "supervisor")
    response = send(client, history["happy"], "save", title="夜间施工噪音")
    assert response.status_code == 302
    page = page_of(client, history["happy"]).get_data(as_text=True)
    assert hidden_value(page, "title") == "夜间施工噪音"
    assert "夜间施工噪音" not in app.test_client().get("/open/questions").get_data(as_text=True)
    assert history["happy"] in client.get("/open/moderation").get_data(as_text=True)  # still awaiting


def test_a_second_moderator_who_read_an_older_version_is_told_and_keeps_the_text(app, client, history):
    login(client, "supervisor")
    number = history["happy"]
    page = page_of(client, number).get_data(as_text=True)
    stale = {"csrf_token": hidden_value(page, "csrf_token"), "version": hidden_value(page, "version"),
             "decision": "publish", "title": "我写的标题", "question": "夜间施工噪音", "answer": "已处理"}
    assert send(client, number, "decline").status_code == 302  # someone else decided meanwhile
    response = client.post(f"/open/moderation/{number}", data=stale)
    assert response.status_code == 409 and "我写的标题" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Publication.status)) == "declined"


def test_only_supervisors_moderate(app, client, history):
    number = history["happy"]
    anonymous = client.get("/open/moderation")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for user in ("dispatcher", "operator", "admin", "cgw-staff", "cgw-head"):
        other = app.test_client()
        login(other, user)
        assert other.get("/open/moderation").status_code == 403, user
        assert other.get(f"/open/moderation/{number}").status_code == 403, user
        assert other.post(f"/open/moderation/{number}", data={"decision": "publish"}).status_code in (400, 403)
    login(client, "supervisor")
    assert client.post(f"/open/moderation/{number}", data={"decision": "publish", "title": "x", "question": "y",
                                                            "answer": "z", "version": "0"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Publication)) is None
        assert db.session.scalar(select(Case.state).where(Case.number == number)) == "closed"


def test_the_access_log_names_who_decided_when(app, client, history):
    login(client, "supervisor")
    before = datetime.now(UTC)
    send(client, history["happy"], "publish", title="夜间施工噪音扰民")
    entry = logged(app, "publication_publish")[0]
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == history["happy"]))
        publication = db.session.scalar(select(Publication))
        assert entry.case_id == case_id and entry.at >= before and entry.user_id == publication.moderated_by_id
