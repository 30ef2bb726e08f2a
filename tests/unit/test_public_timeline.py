"""The public timeline: what a citizen sees of their own case, and when they may rate it or ask for a redo."""
from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain.public_timeline import (
    Due,
    EventRecord,
    Facts,
    deadlines,
    status,
    timeline,
    view,
    why_not_rate,
    why_not_reopen,
)

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
LEAD, CO = 7, 9


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def ev(hours, action, to_state, department_id=None, note="", by_citizen=False, **data) -> EventRecord:
    return EventRecord(at=at(hours), action=action, to_state=to_state, department_id=department_id, data=data or None,
                       note=note, by_citizen=by_citizen)


# A case that went through everything the back office does, in the order it happened.
FULL = [
    ev(0, "register", "registered", channel="web"),
    ev(1, "dispatch", "dispatched", lead=3, co=[], sign_due_at=at(24).isoformat(), reply_due_at=at(120).isoformat()),
    ev(2, "return", "returned", department_id=3, note="非本单位职责，应由街道处理"),
    ev(3, "review-return", "registered", note="退回理由成立", decision="uphold"),
    ev(4, "dispatch", "dispatched", lead=LEAD, co=[CO], sign_due_at=at(28).isoformat(),
       reply_due_at=at(124).isoformat(), rule={"id": 1, "position": 2, "version": 1}),
    ev(5, "sign", "dispatched", department_id=CO, lead=False),
    ev(6, "sign", "in_progress", department_id=LEAD, lead=True),
    ev(7, "urge", "in_progress", note="市民来电催促：内部备注", count=1),
    ev(8, "supervise", "in_progress", note="列入督办：处长关注", due=at(48).isoformat()),
    ev(9, "request-extension", "in_progress", department_id=LEAD, note="需协调供电公司现场勘查", days=3),
    ev(10, "decide-extension", "in_progress", note="同意，注意时限", decision="approve", to=at(190).isoformat()),
    ev(11, "reply", "in_progress", department_id=CO, lead=False, text="协办单位内部意见：已配合", resolved=True),
    ev(12, "reply", "replied", department_id=LEAD, lead=True, text="初稿：已处理", resolved=True, contact="phone"),
    ev(13, "review-reply", "in_progress", note="答复过于简单，退回重写", decision="send_back"),
    ev(14, "reply", "replied", department_id=LEAD, lead=True, text="已责令施工单位夜间停工，并处罚款。", resolved=True,
       contact="visit"),
    ev(15, "review-reply", "replied", decision="approve"),
    ev(16, "callback", "replied", note="不满意，还在施工", by_citizen=True, satisfaction="dissatisfied",
       resolved=False),
    ev(17, "redo", "in_progress", note="夜里仍在施工", by_citizen=True, redo=1, reply_due_at=at(250).isoformat()),
    ev(18, "restamp", "in_progress", note="节假日调整", changes={}),
    ev(19, "reply", "replied", department_id=LEAD, lead=True, text="已现场复查，工地已停工。", resolved=True),
    ev(20, "review-reply", "replied", decision="approve"),
    ev(21, "callback", "closed", note="回访：群众满意（话务员王某）", satisfaction="satisfied", resolved=True),
]
CLOSED = Facts(state="closed", reply_reviewed=True, callback_satisfaction="satisfied", callback_resolved=True,
               callback_due_at=at(90))


def test_the_steps_a_citizen_sees_in_order():
    kinds = [e.kind for e in timeline(FULL, CLOSED)]
    assert kinds == ["received", "dispatched", "dispatched", "signed", "extension_requested", "extension_approved",
                     "answered", "rated", "reopened", "answered", "rated", "closed"]


def test_never_internal_notes_return_reasons_urges_or_co_handlers_words():
    shown = timeline(FULL, CLOSED)
    said = " ".join(e.text + e.detail for e in shown)
    for secret in ("非本单位职责", "退回理由成立", "内部备注", "处长关注", "同意，注意时限", "协办单位内部意见", "初稿",
                   "退回重写", "节假日调整", "话务员王某"):
        assert secret not in said
    assert all(CO not in e.departments for e in shown if e.kind == "signed")  # a co-handler's sign is its own business


def test_only_approved_replies_and_each_with_its_department():
    answers = [e for e in timeline(FULL, CLOSED) if e.kind == "answered"]
    assert [a.text for a in answers] == ["已责令施工单位夜间停工，并处罚款。", "已现场复查，工地已停工。"]
    assert [a.at for a in answers] == [at(15), at(20)]  # told when the centre approved it, not when it was drafted
    assert all(a.departments == (LEAD,) and a.resolved is True for a in answers)


def test_a_reply_awaiting_review_is_not_shown_and_the_case_is_still_being_handled():
    events = FULL[:13]  # the first reply is written, the centre has not reviewed it
    facts = Facts(state="replied", reply_reviewed=False, reply_due_at=at(190))
    assert "answered" not in [e.kind for e in timeline(events, facts)]
    assert status(facts) == "in_progress"
    assert [d.kind for d in deadlines(facts, at(13))] == ["reply"]


def test_dispatch_names_lead_then_co_handlers_with_the_deadlines_it_set():
    second = timeline(FULL, CLOSED)[2]
    assert second.departments == (LEAD, CO)
    assert second.dues == (Due("sign", at(28)), Due("reply", at(124)))


def test_extension_with_its_reason_and_the_new_deadline():
    shown = {e.kind: e for e in timeline(FULL, CLOSED)}
    assert shown["extension_requested"].text == "需协调供电公司现场勘查"
    assert shown["extension_requested"].detail == "3"
    assert shown["extension_approved"].dues == (Due("reply", at(190)),)
    denied = timeline([ev(1, "decide-extension", "in_progress", note="理由不充分", decision="deny")], CLOSED)
    assert [(e.kind, e.text) for e in denied] == [("extension_denied", "")]


def test_the_citizens_own_words_are_shown_back_an_operators_notes_are_not():
    shown = [e for e in timeline(FULL, CLOSED) if e.kind in ("rated", "reopened")]
    assert [(e.kind, e.text) for e in shown] == [("rated", "不满意，还在施工"), ("reopened", "夜里仍在施工"),
                                                 ("rated", "")]
    assert (shown[0].satisfaction, shown[0].resolved) == ("dissatisfied", False)
    assert shown[1].dues == (Due("reply", at(250)),)


def test_the_current_rounds_answer_carries_the_rating_deadline():
    facts = Facts(state="replied", reply_reviewed=True, callback_due_at=at(90))
    answered = [e for e in timeline(FULL[:16], facts) if e.kind == "answered"]
    assert answered[-1].dues == (Due("callback", at(90)),)


@pytest.mark.parametrize("event, kind, detail, text", [
    (ev(1, "answer-directly", "closed", note="市民中心三楼"), "answered_directly", "", "市民中心三楼"),
    (ev(1, "transfer", "closed", note="已转 119", service="119"), "transferred", "119", ""),
    (ev(1, "merge", "merged", note="同一工地", into="12345-20261201-000003"), "merged", "12345-20261201-000003", ""),
    (ev(1, "terminate", "terminated", note="已进入诉讼程序"), "terminated", "", ""),
    (ev(1, "close-unrated", "closed", note="回访期限届满"), "closed_unrated", "", ""),
])
def test_the_ways_a_case_ends(event, kind, detail, text):
    shown = timeline([event], CLOSED)
    assert [(e.kind, e.detail, e.text) for e in shown] == [(kind, detail, text)]


def test_merged_in_and_staff_only_steps_are_left_out():
    hidden = [ev(1, "merged-in", "in_progress", note="合并", **{"from": "12345-20261201-000009"}),
              ev(2, "restamp", "in_progress"), ev(3, "urge", "in_progress", note="催"),
              ev(4, "supervise", "in_progress", note="督"), ev(5, "return", "returned", note="不是我们的")]
    assert timeline(hidden, CLOSED) == []


@pytest.mark.parametrize("facts, expected", [
    (Facts(state="registered"), "received"),
    (Facts(state="returned"), "rerouting"),
    (Facts(state="dispatched"), "dispatched"),
    (Facts(state="in_progress"), "in_progress"),
    (Facts(state="replied", reply_reviewed=False), "in_progress"),
    (Facts(state="replied", reply_reviewed=True), "answered"),
    (Facts(state="replied", reply_reviewed=True, callback_satisfaction="dissatisfied"), "rated"),
    (Facts(state="closed"), "closed"),
    (Facts(state="merged"), "merged"),
    (Facts(state="terminated"), "terminated"),
])
def test_status(facts, expected):
    assert status(facts) == expected


ANSWERED = Facts(state="replied", reply_reviewed=True, callback_due_at=at(72))


@pytest.mark.parametrize("facts, now, why", [
    (ANSWERED, at(10), None),
    (ANSWERED, at(72), None),  # the last moment of the window still counts
    (ANSWERED, at(72) + timedelta(seconds=1), "window_closed"),
    (Facts(state="replied", reply_reviewed=False), at(1), "not_answered"),
    (Facts(state="in_progress"), at(1), "not_answered"),
    (Facts(state="replied", reply_reviewed=True, callback_satisfaction="basically", callback_resolved=False,
           callback_due_at=at(72)), at(1), "already_rated"),
    (Facts(state="closed", reply_reviewed=True, callback_satisfaction="satisfied"), at(1), "not_answered"),
])
def test_when_the_answer_may_be_rated(facts, now, why):
    assert why_not_rate(facts, now) == why


def rated(satisfaction, resolved, state="replied"):
    return Facts(state=state, reply_reviewed=True, callback_satisfaction=satisfaction, callback_resolved=resolved,
                 callback_due_at=at(72))


@pytest.mark.parametrize("facts, now, why", [
    (rated("dissatisfied", True), at(10), None),
    (rated("basically", False), at(10), None),  # unresolved reopens whatever the satisfaction (Jinan Art. 27)
    (rated("satisfied", False), at(10), None),
    (rated("dissatisfied", False), at(73), "window_closed"),
    (rated("basically", True), at(10), "satisfied"),
    (rated("satisfied", True, state="closed"), at(10), "moved_on"),
    (rated("dissatisfied", False, state="in_progress"), at(10), "moved_on"),  # already handled again
    (ANSWERED, at(10), "not_rated"),
])
def test_when_a_redo_may_be_asked_for(facts, now, why):
    assert why_not_reopen(facts, now) == why


def test_the_deadlines_running_now():
    dispatched = Facts(state="dispatched", sign_due_at=at(24), reply_due_at=at(120))
    assert deadlines(dispatched, at(30)) == [Due("sign", at(24), True), Due("reply", at(120), False)]
    signed = Facts(state="dispatched", lead_signed=True, sign_due_at=at(24), reply_due_at=at(120))
    assert deadlines(signed, at(1)) == [Due("reply", at(120))]  # a co-handler still to sign keeps it dispatched
    assert deadlines(ANSWERED, at(1)) == [Due("callback", at(72))]
    assert deadlines(rated("dissatisfied", False), at(1)) == [Due("reopen", at(72))]
    assert deadlines(rated("dissatisfied", False), at(80)) == []
    assert deadlines(Facts(state="closed", reply_due_at=at(5)), at(1)) == []


def test_view_puts_it_together():
    shown = view(FULL[:16], ANSWERED, at(20))
    assert (shown.status, shown.may_rate, shown.may_reopen) == ("answered", True, False)
    assert shown.deadlines == [Due("callback", at(72))]
