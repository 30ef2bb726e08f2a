"""Likely duplicates (hotline.domain.duplicates): the reasons, the window, the order, and the text threshold held
to the demo complaint texts it was tuned on."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest

from hotline.domain.duplicates import (
    TEXT_THRESHOLD,
    WINDOW,
    Call,
    Candidate,
    bigrams,
    find,
    similarity,
)
from hotline.seed.complaint_texts import TEXTS

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
PHONE = "+8613987654321"

# The same matter told again by another caller: shorter, in other words, naming the same place.
RETELLINGS = (
    ("东湖区西湖路88号那个工地每天晚上十一点以后还在干活，搅拌机轰轰响，孩子明天还要中考，能不能管一管？",
     "西湖路88号工地夜里十一点多还在施工，搅拌机噪音很大，吵得睡不着。"),
    ("东湖区西湖路从公交总站到湖滨桥那一段路灯全坏了，有一个多月了，晚上黑漆漆的，女孩子下班都不敢走。",
     "西湖路公交总站到湖滨桥这段路灯不亮，晚上很黑。"),
    ("东湖区湖滨街道湖滨花园小区门口的垃圾站已经三天没人清运了，垃圾堆到路上，天气热臭得不行，苍蝇到处飞。",
     "湖滨花园小区门口垃圾站好几天没清运，垃圾都堆到马路上了，很臭。"),
    ("紧急！南江区新港街道港城路中间有个下水井盖破了一个大洞，刚才一辆电动车前轮卡进去，人摔伤了。",
     "港城路路中间下水井盖破了个大洞，很危险，已经有电动车摔了。"),
    ("东湖区西湖街道碧水湾小区从下午两点开始停电，现在已经晚上九点了还没来电，冰箱里的东西都坏了。",
     "碧水湾小区停电了，从下午到现在还没来电。"),
    ("南江区滨江路一家KTV的霓虹灯招牌整晚闪烁，正对着我家卧室，晚上拉上窗帘都能照进来。",
     "滨江路那家KTV的霓虹灯招牌一晚上都在闪，照到我家卧室里。"),
    ("昨晚大风，西山区翠屏路上一棵梧桐树倒了，横在路中间，压坏了一辆车，现在还没人来处理。",
     "翠屏路有棵梧桐树被风刮倒了，横在路中间，还没人处理。"),
    ("北塘区荷塘公园的草坪长得比小腿还高，好久没修剪了，里面蚊子特别多。",
     "荷塘公园草坪很久没修剪了，草很高，蚊子多。"),
    ("鼓楼街道中山北路早上7点左右一辆渣土车侧翻，半边路都是渣土，到现在还没人来清理，车都绕不过去。",
     "中山北路渣土车侧翻了，路上全是土，没人清理。"),
    ("兴业街道兴业花园的垃圾房门坏了关不上，垃圾渗出来的黑水流到小区道路上，味道非常大。",
     "兴业花园垃圾房的门坏了，黑水流到路上，很臭。"),
)


def candidate(case_id, days_ago=1, **values) -> Candidate:
    return Candidate(case_id=case_id, received_at=NOW - timedelta(days=days_ago), **values)


def test_bigrams_ignore_width_case_and_punctuation():
    assert bigrams("ＫＴＶ招牌！") == bigrams("ktv招牌") == {"kt", "tv", "v招", "招牌"}
    assert bigrams("路灯，不亮") == {"路灯", "不亮"}  # no pair across the comma
    assert bigrams("灯。") == {"灯"} and bigrams("") == frozenset()
    assert similarity(bigrams("路灯不亮"), bigrams("路灯不亮")) == 1.0
    assert similarity(bigrams(""), bigrams("路灯")) == 0.0


@pytest.mark.parametrize(("told", "again"), RETELLINGS)
def test_a_retelling_of_the_same_matter_reaches_the_threshold(told, again):
    assert similarity(bigrams(told), bigrams(again)) >= TEXT_THRESHOLD


def test_distinct_demo_complaints_almost_never_reach_it():
    grams = [bigrams(text) for _, text in TEXTS]
    pairs = [similarity(a, b) for a, b in combinations(grams, 2)]
    over = sum(score >= TEXT_THRESHOLD for score in pairs)
    assert len(pairs) > 200_000 and over <= 5  # 5 of 216,811, three of them naming the same housing estate


def test_the_reasons_a_case_is_offered():
    call = Call(phone=PHONE, category_id=3, area_id=7, text="西湖路公交总站到湖滨桥这段路灯不亮，晚上很黑。")
    found = find(call, [
        candidate(1, phone=PHONE, text="别的事情"),
        candidate(2, category_id=3, area_id=7, text="完全不同的内容"),
        candidate(3, text=RETELLINGS[1][0]),
        candidate(4, category_id=3, area_id=8, text="菜市场门口占道经营"),  # same subject, another street
        candidate(5, phone=PHONE, category_id=3, area_id=7, text=RETELLINGS[1][0]),
    ], NOW)
    assert [(m.case_id, m.reasons) for m in found] == [
        (5, ("phone", "place", "text")), (3, ("text",)), (1, ("phone",)), (2, ("place",))]


def test_only_open_cases_of_the_window_and_at_most_five():
    call = Call(phone=PHONE)
    inside = [candidate(i, days_ago=i, phone=PHONE) for i in range(1, 8)]
    found = find(call, inside + [candidate(50, days_ago=WINDOW.days + 1, phone=PHONE),
                                 candidate(51, phone=PHONE, open=False)], NOW)
    assert [m.case_id for m in found] == [1, 2, 3, 4, 5]  # the newest first when the reasons weigh the same


def test_nothing_typed_yet_finds_nothing():
    assert find(Call(), [candidate(1, phone=PHONE, category_id=3, area_id=7, text="路灯")], NOW) == []
    assert find(Call(category_id=3), [candidate(1, category_id=3, area_id=7)], NOW) == []  # no place yet
