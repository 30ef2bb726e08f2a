"""The console's services on a real database: a call saved for dispatch, answered from the knowledge base, handed
on as an emergency, or merged into the caller's open case with its progress texted; the likely duplicates; made
from an SMS thread or a voice message."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hotline.domain import duplicates as rules
from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import Kind, Urgency
from hotline.extensions import db
from hotline.models import (
    Area,
    Case,
    CaseEvent,
    Category,
    KnowledgeArticle,
    OutboxJob,
    RoutingDecision,
    SmsMessage,
    SmsThread,
    User,
    Voicemail,
)
from hotline.services import console
from hotline.services import duplicates as duplicate_search
from tests.integration.lifecycle_helpers import TZ, new_case, step

CALLER = "+8613987654321"


def ids(code: str, area: str) -> tuple[int, int]:
    return (db.session.scalar(select(Category.id).where(Category.code == code)),
            db.session.scalar(select(Area.id).where(Area.code == area)))


def operator(username: str = "operator") -> User:
    return db.session.scalar(select(User).where(User.username == username))


def ctx(at: datetime | None = None) -> console.Context:
    return console.Context(now=at or datetime.now(UTC), timezone=TZ)


def call(**overrides) -> console.Call:
    category_id, area_id = ids("city.streetlight", "dh-xhj")
    values = dict(kind=Kind.COMPLAINT, description="西湖路公交总站到湖滨桥那一段路灯全坏了，晚上很黑。",
                  phone=CALLER, name="张先生", category_id=category_id, area_id=area_id,
                  location_text="西湖路公交总站", submission_key=None)
    values.update(overrides)
    return console.Call(**values)


def article(title_start: str) -> KnowledgeArticle:
    return db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.title.startswith(title_start)))


def events(case: Case) -> list[str]:
    return list(db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.seq)))


def test_a_saved_call_is_a_phone_case_the_catalogue_dispatches(app):
    with app.test_request_context():
        outcome = console.save(db.session, call(), operator(), ctx())
        case = outcome.case
        assert (case.state, case.channel, case.kind, case.lead_department.code) == (
            "dispatched", "phone", "complaint", "cgw")
        assert case.person.phone == CALLER and case.person.name == "张先生"
        assert case.created_by_id == operator().id
        assert events(case) == ["register", "dispatch"]


def test_the_same_form_sent_twice_makes_one_case(app):
    with app.test_request_context():
        first = console.save(db.session, call(submission_key="k-twice"), operator(), ctx()).case
        second = console.save(db.session, call(submission_key="k-twice"), operator(), ctx()).case
        assert first.number == second.number
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_answered_from_an_article_is_a_closed_enquiry_that_names_it(app):
    with app.test_request_context():
        water = article("临时停水通知")
        outcome = console.answer(db.session, call(kind=Kind.COMPLAINT, category_id=None, area_id=None,
                                                  description="家里停水了怎么办，什么时候来水？"),
                                 operator(), ctx(), water.id, "已告知来电人储水和送水电话。")
        case = outcome.case
        assert (case.state, case.kind, case.answered_article_id) == ("closed", "consult", water.id)
        assert case.category_id == water.category_id  # the article's subject, for the statistics
        assert case.reply_text == f"{water.title}\n已告知来电人储水和送水电话。"
        assert events(case) == ["register", "answer-directly"]
        # closed at intake: never routed, so no department ever saw it
        assert db.session.scalar(select(func.count()).select_from(RoutingDecision)
                                 .where(RoutingDecision.case_id == case.id)) == 0


def test_a_retired_article_answers_nothing_and_registers_nothing(app):
    with app.test_request_context():
        gas = article("燃气报修电话")
        gas.active = False
        db.session.commit()
        try:
            with pytest.raises(InvalidFields) as refused:
                console.answer(db.session, call(), operator(), ctx(), gas.id)
            assert refused.value.detail == {"article_id": "unknown"}
            assert db.session.scalar(select(func.count()).select_from(Case)) == 0
        finally:
            gas.active = True
            db.session.commit()


def test_an_article_that_has_ended_answers_nothing_and_registers_nothing(app):
    with app.test_request_context():
        gas = article("燃气报修电话")
        ended = ctx().now.date() - timedelta(days=2)
        gas.valid_until = ended
        db.session.commit()
        try:
            with pytest.raises(InvalidFields) as refused:
                console.answer(db.session, call(), operator(), ctx(), gas.id)
            assert refused.value.detail == {"article_id": "unknown"}
            assert db.session.scalar(select(func.count()).select_from(Case)) == 0
        finally:
            gas.valid_until = None
            db.session.commit()


def test_an_emergency_is_recorded_as_handed_on(app):
    with app.test_request_context():
        fire = call(description="楼下烧烤店着火了，现在浓烟很大", urgency=Urgency.URGENT, category_id=None,
                    area_id=None, kind=Kind.HELP)
        case = console.transfer(db.session, fire, operator(), ctx(), "119").case
        assert (case.state, case.transferred_to, case.kind) == ("closed", "119", "help")
        assert events(case) == ["register", "transfer"]
        with pytest.raises(InvalidFields):
            console.transfer(db.session, fire, operator(), ctx(), "12345")


def test_an_emergency_the_catalogue_would_dispatch_is_still_only_handed_on(app):
    """燃气泄漏 is an automatic rule of the demo catalogue: a call closed at intake must not reach the gas company."""
    with app.test_request_context():
        leak = call(description="楼道里燃气泄漏，味道很大，现在大家都下楼了", category_id=None, area_id=None)
        case = console.transfer(db.session, leak, operator(), ctx(), "119").case
        assert case.state == "closed" and case.lead_department_id is None


def test_a_merged_call_goes_into_the_open_case_and_the_caller_is_texted_its_progress(app):
    open_number = new_case(app, phone=CALLER)
    step(app, open_number, "dispatcher", "dispatch", lead_department_id=_dept(app, "dh-cgj"))
    with app.test_request_context():
        again = call(submission_key="k-merge", description="工地晚上还在施工，上次打过电话了")
        outcome = console.merge(db.session, again, operator(), ctx(), open_number.lower())
        case, target = outcome.case, outcome.into
        assert case.state == "merged" and case.merged_into_id == target.id and target.number == open_number
        assert events(case) == ["register", "merge"]
        assert events(target)[-1] == "merged-in"
        sms = outcome.progress_sms
        assert sms.purpose == "progress" and sms.to_phone == CALLER and sms.case_id == case.id
        assert open_number in sms.body and "东湖区城管执法局" in sms.body and len(sms.body) <= 70
        assert db.session.scalar(select(func.count()).select_from(OutboxJob).where(
            OutboxJob.job == "deliver_sms", OutboxJob.payload["message_id"].as_integer() == sms.id)) == 1
        # the same form sent again: the same case, and the caller is not texted twice
        assert console.merge(db.session, again, operator(), ctx(), open_number).case.id == case.id
        assert db.session.scalar(select(func.count()).select_from(SmsMessage)
                                 .where(SmsMessage.purpose == "progress")) == 1


def test_a_call_is_not_merged_into_a_closed_or_unknown_case(app):
    number = new_case(app, phone=CALLER)
    step(app, number, "operator", "answer-directly", note="已答复")
    with app.test_request_context():
        for into, code in ((number, "not_open"), ("12345-20000101-000001", "unknown")):
            with pytest.raises(InvalidFields) as refused:
                console.merge(db.session, call(), operator(), ctx(), into)
            assert refused.value.detail == {"into": code}
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_a_case_made_from_a_text_thread_takes_its_texts_and_closes_the_thread(app):
    with app.test_request_context():
        thread = SmsThread(phone=CALLER, unread=2)
        db.session.add(thread)
        db.session.flush()
        for body in ("你好，我们小区门口路灯坏了", "在西湖路公交总站"):
            db.session.add(SmsMessage(direction="in", thread_id=thread.id, from_phone=CALLER, to_phone="12345",
                                      body=body, purpose="inbound", status="received"))
        db.session.commit()
        phone, text = console.prefill(db.session, thread_id=thread.id)
        assert (phone, text) == (CALLER, "你好，我们小区门口路灯坏了\n在西湖路公交总站")
        case = console.save(db.session, call(description=text, thread_id=thread.id), operator(), ctx()).case
        db.session.refresh(thread)
        assert case.channel == "sms"
        assert (thread.state, thread.case_id, thread.unread, thread.handled_by_id) == (
            "done", case.id, 0, operator().id)


def test_a_case_made_from_a_voice_message_takes_its_transcription(app):
    with app.test_request_context():
        message = Voicemail(call_sid="CA-console-1", from_phone=CALLER, recording_url="https://example.test/r",
                            duration_seconds=42, transcription="西湖路的路灯坏了一个多月了")
        db.session.add(message)
        db.session.commit()
        assert console.prefill(db.session, voicemail_id=message.id) == (CALLER, "西湖路的路灯坏了一个多月了")
        water = article("临时停水通知")
        case = console.answer(db.session, call(voicemail_id=message.id), operator(), ctx(), water.id).case
        db.session.refresh(message)
        assert case.channel == "voicemail" and (message.state, message.case_id) == ("done", case.id)


# --- likely duplicates --------------------------------------------------------------------------------


def _dept(app, code: str) -> int:
    from tests.integration.lifecycle_helpers import dept
    return dept(app, code)


def test_duplicates_by_number_by_place_and_subject_and_by_words(app):
    by_phone = new_case(app, phone=CALLER)  # 建筑施工噪声 in 西湖街道, "夜间施工噪音扰民"
    by_place = new_case(app, phone="+8613900000001")
    old = new_case(app, at=datetime.now(UTC) - timedelta(days=31), phone=CALLER)
    closed = new_case(app, phone=CALLER)
    step(app, closed, "operator", "answer-directly", note="已答复")
    with app.test_request_context():
        noise, xihu = ids("city.noise-construction", "dh-xhj")
        found = duplicate_search.find(db.session, rules.Call(phone=CALLER, category_id=noise, area_id=xihu,
                                                             text="夜间施工噪音扰民，睡不着"), datetime.now(UTC))
        by_number = {d.case.number: d.reasons for d in found}
        assert by_number == {by_phone: ("phone", "place", "text"), by_place: ("place", "text")}
        assert old not in by_number and closed not in by_number
        only_words = duplicate_search.find(db.session, rules.Call(text="夜间施工噪音扰民"), datetime.now(UTC))
        assert {d.case.number for d in only_words} == {by_phone, by_place}
        assert duplicate_search.find(db.session, rules.Call(), datetime.now(UTC)) == []


def test_at_most_five_duplicates_the_strongest_first(app):
    for i in range(7):
        new_case(app, phone=f"+86139000000{i:02d}")
    mine = new_case(app, phone=CALLER)
    with app.test_request_context():
        noise, xihu = ids("city.noise-construction", "dh-xhj")
        found = duplicate_search.find(db.session, rules.Call(phone=CALLER, category_id=noise, area_id=xihu),
                                      datetime.now(UTC))
        assert len(found) == 5 and found[0].case.number == mine and found[0].reasons == ("phone", "place")


def test_the_progress_text_fits_one_sms_for_every_demo_department(app):
    from hotline.models import Department
    from hotline.services import notify

    with app.test_request_context():
        longest = max(db.session.scalars(select(Department.short_name).where(Department.kind != "centre")), key=len)
        for state in ("registered", "dispatched", "returned", "in_progress", "replied"):
            body = notify.render("progress", "zh", city=notify.city("zh"), number=PHONE_CASE, state=state,
                                 department=longest, due=datetime(2026, 12, 18).date())
            assert body.startswith("【江川市12345】") and PHONE_CASE in body and len(body) <= 70, (state, body)
        english = notify.render("progress", "en", city=notify.city("en"), number=PHONE_CASE, state="in_progress",
                                department="Donghu District Urban Management", due=datetime(2026, 12, 18).date())
        assert english == ("[Jiangchuan 12345] Your matter was added to case 12345-20261127-000123. Status: being "
                           "handled; department: Donghu District Urban Management; reply due 2026-12-18.")


PHONE_CASE = "12345-20261127-000123"
