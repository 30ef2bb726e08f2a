"""Texts answered without an operator (issue 6 §3): CX / 查询 tells the state of a case registered to the
sender's number and nothing about anyone else's; 1/2/3 records the rating a callback request asked for."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, CaseEvent, User
from tests.helpers import login
from tests.integration.lifecycle_helpers import PHONE, dept, look, new_case, step
from tests.integration.twilio_helpers import OTHER_PHONE, messages, replied_and_reviewed, reply_of, text, threads


def dispatched(app, phone=PHONE) -> str:
    number = new_case(app, phone=phone)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"), co_department_ids=[])
    return number


def test_cx_from_the_registered_number_tells_the_state(app, client):
    number = dispatched(app)
    answer = reply_of(text(client, app, f"CX {number}"))
    assert answer.startswith(f"【江川市12345】事项{number}：已派至承办单位，办理期限") and len(answer) <= 70
    query = messages(app, direction="in")[0]
    assert query.case_id is not None and query.thread_id is None  # a command, not a message for the operators
    assert threads(app) == []


def test_cx_typed_on_a_chinese_keyboard_without_hyphens(app, client):
    number = new_case(app)
    answer = reply_of(text(client, app, "查询　" + number.replace("-", "")))
    assert answer == f"【江川市12345】事项{number}：已受理，待派单。"


def test_cx_from_another_number_reveals_nothing(app, client):
    number = dispatched(app)
    unknown = number[:-6] + "999999"
    about_theirs = reply_of(text(client, app, f"CX {number}", sender=OTHER_PHONE))
    about_nothing = reply_of(text(client, app, f"CX {unknown}", sender=OTHER_PHONE))
    assert about_theirs == about_nothing.replace(unknown, number)  # the same words whether the case exists or not
    assert "没有编号为" in about_theirs and "已派" not in about_theirs
    assert [m.case_id for m in messages(app, direction="in")] == [None, None]


def test_cx_without_a_number_explains_how(app, client):
    assert "CX加事项编号" in reply_of(text(client, app, "cx"))


def test_an_english_speaker_is_answered_in_english(app, client):
    number = new_case(app)
    with app.app_context():
        person = db.session.scalar(select(Case).where(Case.number == number)).person
        person.locale = "en"
        db.session.commit()
    assert reply_of(text(client, app, f"CX {number}")) == (
        f"[Jiangchuan 12345] Case {number}: received, awaiting dispatch.")


def test_a_1_records_a_satisfied_callback_and_closes_the_case(app, client):
    number = replied_and_reviewed(app)
    answer = reply_of(text(client, app, "1"))
    assert answer == f"【江川市12345】已收到您对事项{number}的评价：满意。感谢您的支持。"
    seen = look(app, number)
    assert seen.state == "closed"
    assert (seen.case["callback_satisfaction"], seen.case["callback_resolved"]) == ("satisfied", True)
    assert seen.case["callback_note"] == "短信回访：1"
    actor, action, _, to_state = seen.events[-1]
    assert (actor, action, to_state) == ("短信回访（系统）", "callback", "closed")


def test_a_2_is_basically_satisfied(app, client):
    number = replied_and_reviewed(app)
    reply_of(text(client, app, "２ 基本满意"))
    seen = look(app, number)
    assert (seen.state, seen.case["callback_satisfaction"], seen.case["callback_resolved"]) == (
        "closed", "basically", True)


def test_a_3_leaves_the_case_open_for_a_redo(app, client):
    number = replied_and_reviewed(app)
    answer = reply_of(text(client, app, "3"))
    assert "不满意" in answer and "跟进" in answer
    seen = look(app, number)
    assert (seen.state, seen.case["callback_satisfaction"], seen.case["callback_resolved"]) == (
        "replied", "dissatisfied", False)
    assert step(app, number, "dispatcher", "redo", note="市民短信评价不满意，重新办理") == "in_progress"


def test_a_rating_is_taken_once(app, client):
    number = replied_and_reviewed(app)
    reply_of(text(client, app, "3"))
    again = reply_of(text(client, app, "1"))  # nothing awaits a rating any more: a message for the operators
    assert again.startswith("【江川市12345】短信已收到")
    assert look(app, number).case["callback_satisfaction"] == "dissatisfied"
    assert threads(app)[0].unread == 1


def test_several_cases_awaiting_a_rating_are_asked_which(app, client):
    first = replied_and_reviewed(app, hours_ago=6)
    second = replied_and_reviewed(app, hours_ago=5)
    answer = reply_of(text(client, app, "1"))
    assert second in answer and first in answer and len(answer) <= 70
    assert look(app, first).state == look(app, second).state == "replied"

    reply_of(text(client, app, f"1 {first}"))
    assert look(app, first).state == "closed" and look(app, second).state == "replied"
    reply_of(text(client, app, "3"))  # one left: no need to name it
    assert look(app, second).case["callback_satisfaction"] == "dissatisfied"


def test_three_awaiting_list_what_fits_one_sms(app, client):
    numbers = [replied_and_reviewed(app, hours_ago=h) for h in (7, 6, 5)]
    answer = reply_of(text(client, app, "1"))
    assert len(answer) <= 70 and answer.endswith("等") and numbers[2] in answer


def test_a_rating_of_someone_elses_case_reveals_nothing(app, client):
    number = replied_and_reviewed(app)
    theirs = reply_of(text(client, app, f"1 {number}", sender=OTHER_PHONE))
    nothing = reply_of(text(client, app, f"1 {number[:-6]}999999", sender=OTHER_PHONE))
    assert theirs.replace(number, "N") == nothing.replace(f"{number[:-6]}999999", "N")
    assert look(app, number).state == "replied" and look(app, number).case["callback_satisfaction"] is None


def test_a_rating_after_the_callback_window_closed_is_not_recorded(app, client):
    number = replied_and_reviewed(app)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        case.callback_due_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    assert reply_of(text(client, app, "1")).startswith("【江川市12345】短信已收到")  # threaded for the operators
    assert look(app, number).case["callback_satisfaction"] is None


def test_the_sms_user_cannot_sign_in(app):
    from tests.helpers import login

    with app.app_context():
        from hotline.services import system_users

        user = system_users.get(db.session, system_users.SMS)
        assert (user.role, user.active) == ("operator", False)
    assert login(app.test_client(), "sms", "anything").status_code == 200  # the form again: refused


def test_the_rating_event_is_in_the_hash_chain(app, client):
    number = replied_and_reviewed(app)
    reply_of(text(client, app, "1"))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        last = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq.desc()))
        actor = db.session.get(User, last.actor_id)
        assert (last.action, actor.username, case.history_length) == ("callback", "sms", last.seq)


def test_the_case_page_shows_a_query_by_text_as_the_callers(app, client):
    number = dispatched(app)
    text(client, app, f"CX {number}")
    page = app.test_client()
    login(page, "operator")
    html = page.get(f"/cases/{number}").get_data(as_text=True)
    texts = html[html.index('class="messages"'):]
    assert texts.index('data-direction="in"') < texts.index(f"CX {number}")  # the caller's text, marked as theirs
    assert 'data-direction="out"' in texts  # the acknowledgement sent when the case was registered
