"""Personal data out of a text before publication: what redaction finds, what it leaves, and what stops a
moderator from publishing."""
from __future__ import annotations

import pytest

from hotline.domain.redact import check_publication, leftovers, redact, title_from


@pytest.mark.parametrize("text", [
    "电话13812345678", "电话 138 1234 5678", "电话138-1234-5678", "+86 138 1234 5678", "+8613812345678",
    "008613812345678", "电话１３８１２３４５６７８", "座机0999-81234567", "座机(010) 1234 5678", "座机（0999）81234567",
])
def test_phone_numbers_however_written(text):
    result = redact(text)
    assert "〔电话〕" in result.text and result.removed == {"phone": 1}
    assert not any(ch.isdigit() for ch in result.text.replace("〔电话〕", ""))


@pytest.mark.parametrize("text", ["110101199003071234", "11010119900307123X", "身份证：11010119900307123x。",
                                  "110101 19900307 1234"])
def test_identity_card_numbers(text):
    result = redact(text)
    assert "〔身份证号〕" in result.text and "id_number" in result.removed
    assert not any(ch.isdigit() for ch in result.text.replace("〔身份证号〕", ""))


def test_emails_plates_and_long_numbers():
    result = redact("邮箱 li.xy@example.com，车牌苏A12345，卡号6222021234567890123，QQ 12345678")
    assert result.text == "邮箱 〔邮箱〕，车牌〔车牌〕，卡号〔号码〕，QQ 〔号码〕"
    assert result.removed == {"email": 1, "plate": 1, "number": 2}


def test_the_names_and_addresses_the_case_holds():
    text = "我是王小明，小明的邻居欧阳娜娜也反映过。住在桃园路7号。"
    result = redact(text, names=["王小明", "欧阳娜娜"], addresses=["桃园路7号"])
    assert result.text == "我是王某，某的邻居欧阳某也反映过。住在〔住址〕。"
    assert result.removed == {"name": 3, "address": 1}
    assert redact("Alice Smith wrote; alice smith again", names=["Alice Smith"]).text == \
        "〔姓名〕 wrote; 〔姓名〕 again"


def test_house_building_unit_and_room_numbers_but_not_dates_lines_or_documents():
    result = redact("西湖路 88 号工地，3号楼2单元501，12栋602室。11月27号晚上，地铁3号线，1号文件。")
    assert result.text == "西湖路 × 号工地，×号楼×单元×，×栋×室。11月27号晚上，地铁3号线，1号文件。"
    assert result.removed == {"house_number": 6}


def test_ordinary_text_is_left_alone():
    text = "2026年10月起，12345热线受理量增长了15%，3天内办结。"
    assert redact(text).text == text and redact(text).removed == {}


def test_leftovers_name_what_must_not_be_published():
    assert leftovers("联系13812345678的王小明", names=["王小明"]) == ["phone", "name"]
    assert leftovers("西湖路88号", names=["王小明"]) == []  # a house number is the moderator's call
    assert leftovers(redact("王小明 13812345678", names=["王小明"]).text, names=["王小明"]) == []


def test_what_stops_a_publication():
    problems = check_publication("", "问题" * 2001, "请拨打13812345678", names=["王小明"])
    assert problems == {"title": "required", "question": "too_long", "answer": "personal:phone"}
    named = check_publication("夜间施工", "王小明反映夜间施工", "已处理", names=["王小明"])
    assert named == {"question": "personal:name"}
    assert check_publication("夜间施工", "王某反映夜间施工", "已处理", names=["王小明"]) == {}


def test_a_first_title_is_the_first_clause_that_lost_nothing():
    assert title_from("楼下夜市噪音扰民。请尽快处理！") == "楼下夜市噪音扰民"
    assert title_from("我叫李某，电话〔电话〕，住湖滨路×号，楼下夜市噪音扰民。") == "楼下夜市噪音扰民"
    assert title_from("我叫李某，电话〔电话〕", fallback="建筑施工噪声") == "建筑施工噪声"
    assert len(title_from("很" * 100)) == 40


def test_other_peoples_names_are_suggested_for_removal_but_a_surname_with_a_title_stays():
    result = redact("李秀英和王小明也反映过，社区主任刘建国说不归他管。王先生和陈老师也知道。")
    assert result.text == "李某和王某也反映过，社区主任刘某说不归他管。王先生和陈老师也知道。"
    assert result.removed == {"possible_name": 3}
    # a guess is the moderator's to judge: it never blocks publication
    assert leftovers("社区主任刘建国说不归他管") == []
    assert redact("西湖路工地夜间施工，噪音很大，影响休息。").removed == {}


@pytest.mark.parametrize("text", ["柳营街道的路灯坏了，谢谢城管委。", "张庄镇的路面塌陷", "谢谢你们"])
def test_places_and_thanks_are_not_taken_for_names(text):
    assert redact(text).text == text
