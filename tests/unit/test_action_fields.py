"""What each action takes, and what it refuses, field by field (`actions.clean`)."""
from __future__ import annotations

import pytest

from hotline.domain.actions import MAX_EXTENSION_WORKING_DAYS, NOTE_MAX, REPLY_MAX, clean
from hotline.domain.errors import InvalidFields
from hotline.domain.lifecycle import Action as A

LONG_NOTE = "长" * (NOTE_MAX + 1)
LONG_REPLY = "答" * (REPLY_MAX + 1)

# (action, raw fields, the cleaned fields expected)
GOOD = [
    (A.DISPATCH, {"lead_department_id": "7"}, {"lead_department_id": 7, "co_department_ids": [], "note": ""}),
    (A.DISPATCH, {"lead_department_id": 7, "co_department_ids": [9, "8", 9], "note": " 请协办 "},
     {"lead_department_id": 7, "co_department_ids": [8, 9], "note": "请协办"}),
    (A.DISPATCH, {"lead_department_id": 7, "co_department_ids": "9, 8,"},
     {"lead_department_id": 7, "co_department_ids": [8, 9], "note": ""}),
    (A.SIGN, {}, {"note": ""}),
    (A.SIGN, None, {"note": ""}),
    (A.RETURN, {"reason": " 不属于本单位职责 "}, {"reason": "不属于本单位职责"}),
    (A.REVIEW_RETURN, {"decision": "uphold"}, {"decision": "uphold", "note": ""}),
    (A.REVIEW_RETURN, {"decision": "refuse", "note": "属于你单位"}, {"decision": "refuse", "note": "属于你单位"}),
    (A.REQUEST_EXTENSION, {"days": "1", "reason": "需现场勘查"}, {"days": 1, "reason": "需现场勘查"}),
    (A.REQUEST_EXTENSION, {"days": MAX_EXTENSION_WORKING_DAYS, "reason": "r"}, {"days": 10, "reason": "r"}),
    (A.DECIDE_EXTENSION, {"decision": "approve"}, {"decision": "approve", "note": ""}),
    (A.DECIDE_EXTENSION, {"decision": "deny", "note": "理由不足"}, {"decision": "deny", "note": "理由不足"}),
    (A.REPLY, {"text": "已处理", "resolved": True}, {"text": "已处理", "resolved": True}),
    (A.REPLY, {"text": "已处理", "resolved": "no"}, {"text": "已处理", "resolved": False}),
    (A.REPLY, {"text": "已处理", "resolved": "True"}, {"text": "已处理", "resolved": True}),
    (A.REPLY, {"text": "答" * REPLY_MAX, "resolved": "on"}, {"text": "答" * REPLY_MAX, "resolved": True}),
    (A.REPLY, {"text": "已处理", "resolved": True, "contact": "visit"},
     {"text": "已处理", "resolved": True, "contact": "visit"}),
    (A.REPLY, {"text": "已处理", "resolved": True, "contact": ""}, {"text": "已处理", "resolved": True}),
    (A.REVIEW_REPLY, {"decision": "approve"}, {"decision": "approve", "note": ""}),
    (A.REVIEW_REPLY, {"decision": "send_back", "note": "答复不完整"}, {"decision": "send_back", "note": "答复不完整"}),
    (A.CALLBACK, {"satisfaction": "basically", "resolved": "false"},
     {"satisfaction": "basically", "resolved": False, "note": ""}),
    (A.CALLBACK, {"satisfaction": "dissatisfied", "resolved": False, "note": "仍有噪音"},
     {"satisfaction": "dissatisfied", "resolved": False, "note": "仍有噪音"}),
    (A.CLOSE, {}, {"note": ""}),
    (A.REDO, {"note": "群众不满意"}, {"note": "群众不满意"}),
    (A.MERGE, {"into": " 12345-20261127-000001 "}, {"into": "12345-20261127-000001", "note": ""}),
    (A.MERGE, {"into": "xf-20261127-000001", "note": "重复"}, {"into": "XF-20261127-000001", "note": "重复"}),
    (A.ANSWER_DIRECTLY, {"note": "已电话解答"}, {"note": "已电话解答"}),
    (A.ANSWER_DIRECTLY, {"note": "已告知停水时间", "article_id": "12"}, {"note": "已告知停水时间", "article_id": 12}),
    (A.TRANSFER, {"service": "119"}, {"service": "119", "note": ""}),
    (A.TRANSFER, {"service": "120", "note": "老人摔倒"}, {"service": "120", "note": "老人摔倒"}),
    (A.TERMINATE, {"note": "已进入诉讼程序"}, {"note": "已进入诉讼程序"}),
    (A.URGE, {"note": "请尽快办理"}, {"note": "请尽快办理"}),
    (A.SUPERVISE, {"note": "列入督办"}, {"note": "列入督办"}),
    (A.CLOSE_UNRATED, {}, {"note": ""}),
    (A.RESTAMP, {"note": "2027年节假日已录入"}, {"note": "2027年节假日已录入"}),
    (A.SIGN, {"note": "长" * NOTE_MAX}, {"note": "长" * NOTE_MAX}),
]


@pytest.mark.parametrize(("action", "raw", "cleaned"), GOOD, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(GOOD)])
def test_good_fields_come_out_clean(action, raw, cleaned):
    assert clean(action, raw) == cleaned


# (action, raw fields, the error expected per field)
BAD = [
    (A.DISPATCH, {}, {"lead_department_id": "required"}),
    (A.DISPATCH, {"lead_department_id": "工商局"}, {"lead_department_id": "not_a_number"}),
    (A.DISPATCH, {"lead_department_id": 0}, {"lead_department_id": "out_of_range"}),
    (A.DISPATCH, {"lead_department_id": 2**31}, {"lead_department_id": "out_of_range"}),
    (A.DISPATCH, {"lead_department_id": 7.5}, {"lead_department_id": "not_a_number"}),
    (A.DISPATCH, {"lead_department_id": True}, {"lead_department_id": "not_a_number"}),
    (A.DISPATCH, {"lead_department_id": 7, "co_department_ids": [8, 7]}, {"co_department_ids": "same_department"}),
    (A.DISPATCH, {"lead_department_id": 7, "co_department_ids": "8,x"}, {"co_department_ids": "not_a_number"}),
    (A.DISPATCH, {"lead_department_id": 7, "note": LONG_NOTE}, {"note": "too_long"}),
    (A.RETURN, {}, {"reason": "required"}),
    (A.RETURN, {"reason": "   "}, {"reason": "required"}),
    (A.RETURN, {"reason": LONG_NOTE}, {"reason": "too_long"}),
    (A.REVIEW_RETURN, {}, {"decision": "required"}),
    (A.REVIEW_RETURN, {"decision": "approve"}, {"decision": "invalid_choice"}),
    (A.REVIEW_RETURN, {"decision": "refuse"}, {"note": "required"}),
    (A.REQUEST_EXTENSION, {}, {"days": "required", "reason": "required"}),
    (A.REQUEST_EXTENSION, {"days": 0, "reason": "r"}, {"days": "out_of_range"}),
    (A.REQUEST_EXTENSION, {"days": MAX_EXTENSION_WORKING_DAYS + 1, "reason": "r"}, {"days": "out_of_range"}),
    (A.REQUEST_EXTENSION, {"days": -3, "reason": "r"}, {"days": "out_of_range"}),
    (A.REQUEST_EXTENSION, {"days": "五", "reason": "r"}, {"days": "not_a_number"}),
    (A.REQUEST_EXTENSION, {"days": "2.5", "reason": "r"}, {"days": "not_a_number"}),
    (A.REQUEST_EXTENSION, {"days": 2.5, "reason": "r"}, {"days": "not_a_number"}),
    (A.REQUEST_EXTENSION, {"days": 3, "reason": LONG_NOTE}, {"reason": "too_long"}),
    (A.DECIDE_EXTENSION, {}, {"decision": "required"}),
    (A.DECIDE_EXTENSION, {"decision": "yes"}, {"decision": "invalid_choice"}),
    (A.DECIDE_EXTENSION, {"decision": "deny", "note": ""}, {"note": "required"}),
    (A.REPLY, {}, {"text": "required", "resolved": "required"}),
    (A.REPLY, {"text": LONG_REPLY, "resolved": True}, {"text": "too_long"}),
    (A.REPLY, {"text": "ok", "resolved": "maybe"}, {"resolved": "invalid_choice"}),
    (A.REPLY, {"text": "ok", "resolved": ""}, {"resolved": "required"}),
    (A.REPLY, {"text": "ok", "resolved": True, "contact": "telepathy"}, {"contact": "invalid_choice"}),
    (A.REVIEW_REPLY, {"decision": "send-back"}, {"decision": "invalid_choice"}),
    (A.REVIEW_REPLY, {"decision": "send_back"}, {"note": "required"}),
    (A.CALLBACK, {}, {"satisfaction": "required", "resolved": "required"}),
    (A.CALLBACK, {"satisfaction": "happy", "resolved": True}, {"satisfaction": "invalid_choice"}),
    (A.CALLBACK, {"satisfaction": "satisfied", "resolved": True, "note": LONG_NOTE}, {"note": "too_long"}),
    (A.REDO, {}, {"note": "required"}),
    (A.MERGE, {}, {"into": "required"}),
    (A.MERGE, {"into": "1" * 33}, {"into": "too_long"}),
    (A.ANSWER_DIRECTLY, {"note": ""}, {"note": "required"}),
    (A.ANSWER_DIRECTLY, {"note": "已解答", "article_id": "x"}, {"article_id": "not_a_number"}),
    (A.TRANSFER, {}, {"service": "required"}),
    (A.TRANSFER, {"service": "911"}, {"service": "invalid_choice"}),
    (A.TERMINATE, {}, {"note": "required"}),
    (A.URGE, {"note": " "}, {"note": "required"}),
    (A.SUPERVISE, {}, {"note": "required"}),
    (A.RESTAMP, {"note": ""}, {"note": "required"}),
    (A.SIGN, {"note": LONG_NOTE}, {"note": "too_long"}),
    (A.CLOSE, {"note": LONG_NOTE}, {"note": "too_long"}),
]


@pytest.mark.parametrize(("action", "raw", "errors"), BAD, ids=[f"{a}-{i}" for i, (a, _, _) in enumerate(BAD)])
def test_bad_fields_are_named_with_their_problem(action, raw, errors):
    with pytest.raises(InvalidFields) as refused:
        clean(action, raw)
    assert refused.value.detail == errors


def test_fields_an_action_does_not_take_are_dropped():
    assert clean(A.SIGN, {"note": "收到", "state": "closed", "version": 1}) == {"note": "收到"}


def test_every_action_has_its_fields_checked():
    tested = {a for a, _, _ in GOOD} | {a for a, _, _ in BAD}
    assert tested == set(A) - {A.REGISTER}
