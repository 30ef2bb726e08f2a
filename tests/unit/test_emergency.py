"""The emergency prompt (hotline.domain.emergency): the number to tell the caller, from the words of the call;
silent on fear, on the past and on denial; and silent on nearly every routine complaint of the demo texts."""
from __future__ import annotations

import pytest

from hotline.domain.emergency import SERVICES, suggest
from hotline.seed.complaint_texts import TEXTS


@pytest.mark.parametrize(("text", "service", "strong"), [
    ("楼下烧烤店着火了，现在浓烟很大", "119", True),
    ("闻到很浓的煤气味", "119", False),
    ("电梯里有人被困，快来", "119", True),
    ("我爸突然晕倒了，现在叫不醒", "120", True),
    ("老人摔伤了，腿可能骨折", "120", False),
    ("路口两辆车撞车了，有人受伤", "122", False),
    ("发生车祸，现在路口堵死了", "122", True),
    ("楼下有人打架，还拿刀", "110", False),
    ("有人正在撬门偷东西", "110", True),
    ("ＫＴＶ门口有人持刀", "110", False),
])
def test_the_number_for_the_danger(text, service, strong):
    prompt = suggest(text)
    assert prompt is not None and prompt.services[0] == service and prompt.strong is strong and prompt.words


@pytest.mark.parametrize("text", [
    "消防通道被堵，一旦着火后果不堪设想",  # a fear
    "担心孩子掉进井里摔伤",
    "上周我妈在那里摔伤了，希望修一下路面",  # the past
    "热水器打不着火，水压太低",  # denied
    "车被偷了好几次，小区监控是坏的",  # theft, but not now
    "KTV门口经常有人打架闹事",  # a habit, not an event
    "楼下火锅店油烟很大",
    "路灯坏了，晚上很黑",
])
def test_no_prompt_for_what_is_not_happening(text):
    assert suggest(text) is None


def test_an_urgent_call_without_telling_words_offers_every_number():
    prompt = suggest("情况很急，请尽快派人", "urgent")
    assert prompt.services == SERVICES and prompt.words == () and prompt.strong
    assert suggest("闻到煤气味", "urgent").strong  # the operator's urgency makes any prompt a strong one


def test_the_most_named_danger_comes_first():
    assert suggest("着火了，有人晕倒了，还有人昏迷").services == ("120", "119")


def test_routine_complaints_rarely_raise_the_prompt():
    """Operators learn to ignore a prompt that cries wolf: of the 659 demo complaints, the gas smells and leak
    should raise it (119), and no more than a handful of others."""
    raised = [(code, text) for code, text in TEXTS if suggest(text)]
    gas = [code for code, _ in raised if code == "utilities.gas-safety"]
    assert len(gas) == 3 and len(raised) - len(gas) <= 6
