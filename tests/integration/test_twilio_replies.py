"""The automatic answers to texts (templates/sms/): Chinese by default, each within one SMS (70 characters) for
every state a case can be in, with its 21-character number; English within 160 for people who chose it."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.domain.lifecycle import State

NUMBER = "12345-20261127-000123"
LIMIT = {"zh": 70, "en": 160}
HEAD = {"zh": "【江川市12345】", "en": "[Jiangchuan 12345]"}


def every_answer(app, locale: str) -> dict[str, str]:
    from hotline.services import notify
    from hotline.services.sms_inbound import _which

    with app.app_context():
        city = notify.city(locale)
        answers = {f"status/{state}": notify.render("status", locale, city=city, number=NUMBER, state=state,
                                                    due=date(2026, 12, 18)) for state in State}
        answers |= {f"rated/{s}": notify.render("rated", locale, city=city, number=NUMBER, satisfaction=s)
                    for s in ("satisfied", "basically", "dissatisfied")}
        answers |= {name: notify.render(name, locale, city=city, number=NUMBER)
                    for name in ("not_found", "query_help", "rate_not_found", "received")}
        answers["which_case"] = _which(locale, [NUMBER] * 5)
        return answers


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_automatic_answer_fits_one_sms(app, locale):
    for name, body in every_answer(app, locale).items():
        assert len(body) <= LIMIT[locale] and body.startswith(HEAD[locale]) and "\n" not in body, (name, body)


def test_the_chinese_wording(app):
    answers = every_answer(app, "zh")
    assert answers["status/in_progress"] == f"【江川市12345】事项{NUMBER}：办理中，办理期限12月18日。"
    assert answers["not_found"] == f"【江川市12345】本机号码没有编号为{NUMBER}的事项，请核对编号。"
    assert answers["received"] == "【江川市12345】短信已收到，工作人员将尽快处理。请补充所在区、街道和详细地址。"
    assert answers["which_case"] == f"【江川市12345】多件待评价，回复1/2/3加编号：{NUMBER}等"  # two and 等: 71
