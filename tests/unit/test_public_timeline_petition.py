"""A petition as its petitioner sees it: the steps of the procedure, the statutory deadline running, and nothing
of the office's inside — objections, urges, recusals, notes, the units an accusation names."""
from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain.public_timeline import EventRecord
from hotline.domain.public_timeline_petition import Facts, deadlines, status, timeline, view

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
ORGAN, REVIEWER, TOP = 7, 8, 9


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def due(days: float) -> dict:
    return {"due": at(days).isoformat(), "warn": None, "limit": [15, "days"], "provisional": False}


def ev(when, action, to_state, department_id=None, note="", **data) -> EventRecord:
    return EventRecord(at=at(when), action=action, to_state=to_state, department_id=department_id,
                       data=data or None, note=note)


FULL = [
    ev(0, "register", "registered", channel="letter", oral=False, major=True, petitioners=2,
       deadlines={"forward": due(17)}, same_matter={"case": "XF-20260101-000001", "kind": "open"}),
    ev(1, "forward", "forwarded", organ=3, forwarding="forward", deadlines={"accept": due(17), "object": due(7)}),
    ev(2, "object", "objected", department_id=3, note="不属于本机关职责（内部）"),
    ev(3, "decide-objection", "registered", note="异议成立", decision="uphold", deadlines={"forward": due(17)}),
    ev(4, "forward", "forwarded", organ=ORGAN, forwarding="assign", deadlines={"accept": due(17), "object": due(11)}),
    ev(5, "urge", "forwarded", note="催办（内部）", count=1),
    ev(6, "record-conflict", "forwarded", note="承办人与信访人系亲属", user=42),
    ev(7, "accept", "accepted", department_id=ORGAN, decision="accept", deadlines={"decide": due(67)},
       document="〔2026〕信受字第000001号"),
    ev(8, "request-extension", "accepted", department_id=ORGAN, note="需会同调查（内部）", days=30),
    ev(9, "decide-extension", "accepted", department_id=ORGAN, decision="approve", deadlines={"decide": due(97)}),
    ev(10, "link", "accepted", note="登记时关联", case="12345-20261127-000001", merged=True),
    ev(20, "decide", "decided", department_id=ORGAN, outcome="reject", deadlines={"review_window": due(50)}),
    ev(30, "request-review", "reviewing", organ=REVIEWER, note="对处理意见不服", deadlines={"review": due(60)}),
    ev(40, "decide-review", "reviewed", department_id=REVIEWER, outcome="uphold",
       deadlines={"re_review_window": due(70)}),
    ev(45, "request-re-review", "re_reviewing", organ=TOP, deadlines={"re_review": due(75)}),
    ev(46, "start-hearing", "re_reviewing", department_id=TOP, note="听证（内部安排）"),
    ev(48, "end-hearing", "re_reviewing", department_id=TOP, hearing_days=3, deadlines={"re_review": due(78)}),
    ev(50, "declare-conflict", "re_reviewing", department_id=TOP, note="本人回避"),
    ev(60, "decide-re-review", "closed", department_id=TOP, outcome="uphold", final=True),
]


def test_the_petitioner_sees_each_step_of_the_procedure_and_nothing_of_the_inside():
    shown = timeline(FULL)
    assert [e.kind for e in shown] == [
        "registered", "forwarded", "forwarded", "accepted", "extended", "decided", "review_requested", "reviewed",
        "re_review_requested", "hearing_started", "hearing_ended", "re_reviewed", "concluded"]
    assert shown[1].departments == (3,) and shown[2].departments == (ORGAN,)
    assert [d.kind for d in shown[0].dues] == ["forward"]
    assert [(d.kind, d.at) for d in shown[2].dues] == [("accept", at(17))]  # never the organ's window to object
    assert [(d.kind, d.at) for d in shown[4].dues] == [("decide", at(97))]  # the extension's new date
    assert shown[5].detail == "reject" and [d.kind for d in shown[5].dues] == ["review_window"]
    assert shown[6].departments == (REVIEWER,)
    assert shown[10].detail == "3" and shown[10].dues[0].at == at(78)
    assert shown[-1].detail == "final"
    assert all(not e.text for e in shown)  # no note, reason or objection, ever


def test_a_refusal_tells_the_legal_route_and_a_suggestion_ends_with_its_answer():
    refused = timeline([ev(0, "register", "registered", channel="visit"),
                        ev(1, "forward", "forwarded", organ=ORGAN),
                        ev(2, "accept", "not_accepted", department_id=ORGAN, decision="refer",
                           legal_route="litigation", note="请向人民法院起诉")])
    assert [(e.kind, e.detail) for e in refused][-1] == ("not_accepted", "litigation")
    answered = timeline([ev(0, "register", "registered"), ev(20, "decide", "closed", department_id=ORGAN,
                                                             outcome="support")])
    assert [e.kind for e in answered] == ["registered", "decided", "concluded"]
    lapsed = timeline([ev(0, "register", "registered"), ev(60, "close", "closed", stands="decision"),
                       ev(61, "withdraw", "closed")])
    assert [(e.kind, e.detail) for e in lapsed][1:] == [("concluded", "decision"), ("withdrawn", "")]


@pytest.mark.parametrize(("state", "code"), [
    ("registered", "registered"), ("forwarded", "forwarded"), ("objected", "forwarded"), ("accepted", "accepted"),
    ("not_accepted", "not_accepted"), ("decided", "decided"), ("reviewing", "reviewing"), ("reviewed", "reviewed"),
    ("re_reviewing", "re_reviewing"), ("closed", "concluded"),
])
def test_an_objection_reads_as_still_with_the_organ(state, code):
    assert status(Facts(state)) == code


DUES = {"forward": at(17), "accept": at(17), "decide": at(67), "review_window": at(50), "review": at(60),
        "re_review_window": at(70), "re_review": at(75)}


@pytest.mark.parametrize(("state", "clock"), [
    ("registered", "forward"), ("forwarded", "accept"), ("objected", "accept"), ("accepted", "decide"),
    ("decided", "review_window"), ("reviewing", "review"), ("reviewed", "re_review_window"),
    ("re_reviewing", "re_review"),
])
def test_the_deadline_running_in_each_state(state, clock):
    assert [(d.kind, d.at, d.overdue) for d in deadlines(Facts(state, DUES), at(1))] == [(clock, DUES[clock], False)]


def test_late_is_overdue_a_lapsed_window_is_gone_a_hearing_stops_the_clock():
    assert deadlines(Facts("accepted", DUES), at(68))[0].overdue
    assert deadlines(Facts("decided", DUES), at(51)) == []  # the petitioner's window closed: nothing to ask now
    assert deadlines(Facts("re_reviewing", DUES, in_hearing=True), at(46)) == []
    assert deadlines(Facts("closed", DUES), at(1)) == [] and deadlines(Facts("not_accepted", DUES), at(1)) == []


def test_the_view_never_offers_a_rating():
    shown = view(FULL, Facts("closed", DUES), at(61))
    assert shown.status == "concluded" and not shown.may_rate and not shown.may_reopen
