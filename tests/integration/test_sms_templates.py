"""The SMS to citizens, from templates/sms/: Chinese by default and within one SMS (70 characters) for a
typical case, English for people who chose it, and queued at the moments the domain notes name."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, Person, SmsMessage
from tests.integration.lifecycle_helpers import SHANGHAI, dept, new_case, step

NUMBER = "12345-20261127-000123"  # 21 characters, as every case number
DUE = date(2026, 12, 8)


def render_all(app, locale: str, reason: str = "需协调供电公司现场核查") -> dict[str, str]:
    from hotline.services import notify

    with app.app_context():
        city = notify.city(locale)
        return {
            "ack": notify.render("ack", locale, city=city, number=NUMBER),
            "extension": notify.extension_text(locale, NUMBER, DUE, reason),
            "reply": notify.render("reply", locale, city=city, number=NUMBER),
            "callback": notify.render("callback", locale, city=city, number=NUMBER),
        }


def test_every_chinese_message_fits_one_sms_for_a_typical_case(app):
    messages = render_all(app, "zh")
    for purpose, body in messages.items():
        assert len(body) <= 70, (purpose, len(body), body)
        assert body.startswith("【江川市12345】") and NUMBER in body and "\n" not in body, purpose
    assert messages["ack"] == "【江川市12345】您反映的事项已受理，编号12345-20261127-000123，可凭编号查询办理进度。"
    assert messages["extension"] == ("【江川市12345】您的事项12345-20261127-000123办理期限延至2026年12月8日，"
                                     "原因：需协调供电公司现场核查。")
    assert "已办理答复，请凭编号查看答复内容" in messages["reply"]
    assert messages["callback"].endswith("请对事项12345-20261127-000123的办理结果评价：回复1满意 2基本满意 3不满意。")


def test_a_long_reason_is_cut_to_fit_two_sms(app):
    reason = ("该路段涉及供电、燃气、自来水三家单位的地下管线迁改，"
              "需三家单位联合现场勘察并报区政府协调会议审定施工方案，") * 3
    body = render_all(app, "zh", reason)["extension"]
    assert 70 < len(body) <= 134 and body.endswith("…。") and reason[:40] in body
    short = render_all(app, "zh", "需现场核查。")["extension"]
    assert short.endswith("原因：需现场核查。")  # no doubled full stop
    english = render_all(app, "en", "The pipes of three utilities must be moved first. " * 10)["extension"]
    assert len(english) <= 306 and english.endswith("…")


def test_english_messages_for_people_who_chose_english(app):
    messages = render_all(app, "en", "Three utilities must inspect the site together")
    for purpose, body in messages.items():
        assert body.startswith("[Jiangchuan 12345]") and NUMBER in body and len(body) <= 160, purpose
    assert "New deadline 2026-12-08. Reason: Three utilities must inspect the site together" in messages["extension"]
    assert "Reply 1 satisfied, 2 basically satisfied, 3 dissatisfied." in messages["callback"]


def test_the_city_name_comes_from_the_configuration(app):
    from hotline.services import notify

    app.config["HOTLINE_CITY_NAME"] = "临江市"
    try:
        with app.app_context():
            assert notify.render("ack", "zh", city=notify.city("zh"), number=NUMBER).startswith("【临江市12345】")
    finally:
        app.config["HOTLINE_CITY_NAME"] = "江川市"


def purposes_and_bodies(app, number: str) -> list[tuple[str, str]]:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        return [tuple(r) for r in db.session.execute(select(SmsMessage.purpose, SmsMessage.body)
                                                     .where(SmsMessage.case_id == case_id).order_by(SmsMessage.id))]


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_the_citizen_is_told_at_each_moment_in_their_language(app, locale):
    number = new_case(app)
    with app.app_context():
        person = db.session.scalar(select(Person).join(Case, Case.person_id == Person.id)
                                   .where(Case.number == number))
        person.locale = locale
        db.session.commit()
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "request-extension", days=3, reason="需协调供电公司现场核查")
    step(app, number, "supervisor", "decide-extension", decision="approve")
    step(app, number, "cgw-staff", "reply", text="已责令施工单位夜间停工。", resolved=True)
    step(app, number, "dispatcher", "review-reply", decision="approve")
    sent = purposes_and_bodies(app, number)
    assert [p for p, _b in sent] == ["ack", "extension", "reply", "callback"]
    with app.app_context():
        due = db.session.scalar(select(Case.reply_due_at).where(Case.number == number))
    local_day = due.astimezone(SHANGHAI).date()
    bodies = dict(sent)
    assert all(number in body for body in bodies.values())
    if locale == "zh":
        assert all(len(body) <= 70 for body in bodies.values())
        day = f"{local_day.year}年{local_day.month}月{local_day.day}日"
        assert f"延至{day}，原因：需协调供电公司现场核查。" in bodies["extension"]
        assert "已责令" not in bodies["reply"]  # the reply is read with the case number, not in an SMS
    else:
        # (the acknowledgement went out at filing, in the language the case was filed in)
        assert all(bodies[p].startswith("[Jiangchuan 12345]") for p in ("extension", "reply", "callback"))
        assert f"New deadline {local_day.isoformat()}." in bodies["extension"]


def test_a_citizen_without_a_mobile_number_gets_no_sms_at_all(app):
    number = new_case(app, phone=None)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"), co_department_ids=[])
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text="已处理。", resolved=True)
    step(app, number, "dispatcher", "review-reply", decision="approve", at=datetime.now(UTC))
    assert purposes_and_bodies(app, number) == []
