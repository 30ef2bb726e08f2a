"""The petition procedure of 《信访工作条例》 end to end through handling.act, with every statutory time limit
checked on the dates it falls (DOMAIN.md §3, §4)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.domain.errors import Conflict, Forbidden
from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import Case, Deadline, PetitionDocument, SmsMessage
from tests.integration.lifecycle_helpers import dept, end_of, local, step
from tests.integration.petition_helpers import concluded_after_re_review, new_petition


def _petition(app, number):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        p = case.petition
        return {"state": case.state, "forward": p.forward_due_at, "accept": p.accept_due_at,
                "object": p.object_due_at, "decide": p.decide_due_at, "review_window": p.review_window_due_at,
                "review": p.review_due_at, "re_review_window": p.re_review_window_due_at,
                "re_review": p.re_review_due_at, "final": p.final, "lead": case.lead_department_id,
                "documents": [(d.kind, d.number) for d in db.session.scalars(
                    select(PetitionDocument).where(PetitionDocument.case_id == case.id)
                    .order_by(PetitionDocument.id))]}


def _running(app, number):
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        return {r.clock: r.due_at for r in db.session.scalars(
            select(Deadline).where(Deadline.case_id == case_id, Deadline.stopped_at.is_(None)))}


def test_the_whole_procedure_to_a_final_re_review(app):
    number = new_petition(app, local(2026, 11, 27, 10))
    assert number.startswith("XF-")
    with app.app_context():  # registered is not accepted: the petitioner is told when acceptance will be decided
        [sms] = db.session.scalars(select(SmsMessage).where(SmsMessage.purpose == "petition_registered")).all()
        assert sms.to_phone == "+8613900001111" and len(sms.body) <= 70
        assert sms.body == f"【江川市信访】您的信访事项已登记，编号{number}，将在15日内书面告知是否受理。"
    seen = _petition(app, number)
    # Art. 22: 15 days to forward; 12-12 is a Saturday, so the last day rolls to Monday 12-14
    assert seen["forward"] == end_of(2026, 12, 14)
    assert _running(app, number) == {"forward": end_of(2026, 12, 14)}

    organ = dept(app, "dh-gov")
    assert step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=organ,
                forwarding="forward") == "forwarded"
    seen = _petition(app, number)
    # Art. 23: the acceptance notice within 15 days of receipt → 2026-12-14
    assert seen["accept"] == end_of(2026, 12, 14)
    # Art. 23: 5 working days to object, from Friday 11-27 → Friday 12-04
    assert seen["object"] == end_of(2026, 12, 4)
    assert set(_running(app, number)) == {"accept", "object"}

    assert step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept") == "accepted"
    seen = _petition(app, number)
    # Art. 32: 60 days from acceptance, 2027-01-30, a Saturday → Monday 02-01 (2027's notice is not entered yet:
    # weekends only, and the deadline is marked provisional)
    assert seen["decide"] == end_of(2027, 2, 1)
    assert seen["documents"][0][0] == "acceptance"
    assert set(_running(app, number)) == {"decide"}

    assert step(app, number, "dh-gov-staff", "request-extension", local(2027, 1, 20, 9), days=30,
                reason="需要会同住建部门核实补偿协议") == "accepted"
    with pytest.raises(Forbidden):  # Art. 34: the organ's head approves, not its staff
        step(app, number, "dh-gov-staff", "decide-extension", local(2027, 1, 20, 10), decision="approve")
    step(app, number, "dh-gov-head", "decide-extension", local(2027, 1, 20, 10), decision="approve")
    # 60 + 30 days from acceptance: 2027-03-01, a Monday
    assert _petition(app, number)["decide"] == end_of(2027, 3, 1)
    with pytest.raises(Conflict, match="extension_used"):  # once
        step(app, number, "dh-gov-staff", "request-extension", local(2027, 1, 21, 9), days=5, reason="再延")

    assert step(app, number, "dh-gov-staff", "decide", local(2027, 2, 15, 9), outcome="explain",
                facts="经核实，补偿款已按协议分两期支付。", basis="《国有土地上房屋征收与补偿条例》第二十五条",
                text="对补偿款支付情况予以解释说明。") == "decided"
    seen = _petition(app, number)
    assert seen["review_window"] == end_of(2027, 3, 17)  # Art. 35: 30 days to ask for review
    assert set(_running(app, number)) == {"review_window"}

    city = dept(app, "cgw")
    assert step(app, number, "operator", "request-review", local(2027, 3, 10, 9), organ_id=city,
                note="对处理意见不服，请求复查") == "reviewing"
    assert _petition(app, number)["review"] == end_of(2027, 4, 9)  # 30 days to decide the review
    assert step(app, number, "cgw-staff", "decide-review", local(2027, 4, 1, 9), outcome="uphold",
                facts="原处理意见认定事实清楚。", basis="《信访工作条例》第三十五条",
                text="维持原处理意见。") == "reviewed"
    # Art. 36: 30 days to ask for re-review: 05-01 is a Saturday → 05-03
    assert _petition(app, number)["re_review_window"] == end_of(2027, 5, 3)

    top = dept(app, "zjw")
    assert step(app, number, "operator", "request-re-review", local(2027, 4, 20, 9), organ_id=top,
                note="请求复核") == "re_reviewing"
    assert _petition(app, number)["re_review"] == end_of(2027, 5, 20)
    step(app, number, "zjw-staff", "start-hearing", local(2027, 4, 27, 9), note="举行听证")
    assert "re_review" not in _running(app, number)  # the clock stops for the hearing
    with pytest.raises(Conflict, match="in_hearing"):
        step(app, number, "zjw-staff", "decide-re-review", local(2027, 4, 28, 9), outcome="uphold", facts="f",
             basis="b", text="t")
    step(app, number, "zjw-staff", "end-hearing", local(2027, 4, 29, 17))
    # the hearing's three days (04-27 to 04-29) are not counted: 05-23, a Sunday → 05-24
    assert _petition(app, number)["re_review"] == end_of(2027, 5, 24)
    assert _running(app, number) == {"re_review": end_of(2027, 5, 24)}

    assert step(app, number, "zjw-staff", "decide-re-review", local(2027, 5, 10, 9), outcome="uphold",
                facts="复查意见认定事实清楚。", basis="《信访工作条例》第三十六条", text="维持复查意见。") == "closed"
    seen = _petition(app, number)
    assert seen["final"] is True
    assert [k for k, _ in seen["documents"]] == ["acceptance", "extension", "decision", "review_decision",
                                                  "re_review_decision"]
    assert _running(app, number) == {}


def test_a_review_asked_for_after_the_window_is_refused(app):
    number = new_petition(app, local(2026, 11, 2, 9))
    step(app, number, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    step(app, number, "dh-gov-staff", "decide", local(2026, 11, 10, 9), outcome="reject", facts="f", basis="b",
         text="不予支持")
    assert _petition(app, number)["review_window"] == end_of(2026, 12, 10)
    with pytest.raises(Conflict, match="review_window_closed"):
        step(app, number, "operator", "request-review", local(2026, 12, 11, 9), organ_id=dept(app, "cgw"),
             note="请求复查")


def test_a_suggestion_ends_with_its_answer(app):
    number = new_petition(app, local(2026, 11, 2, 9), kind=Kind.PETITION_SUGGESTION)
    step(app, number, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    assert step(app, number, "dh-gov-staff", "decide", local(2026, 11, 10, 9), outcome="support", facts="f",
                basis="b", text="采纳") == "closed"
    assert _petition(app, number)["final"] is False


def test_objection_counts_working_days_across_a_holiday(app):
    # forwarded Tuesday 2026-09-29; 10-01 to 10-07 is the National Day holiday and Saturday 10-10 a make-up
    # working day: 09-30, 10-08, 10-09, 10-10, 10-12
    number = new_petition(app, local(2026, 9, 29, 9))
    step(app, number, "dispatcher", "forward", local(2026, 9, 29, 10), organ_id=dept(app, "dh-gov"),
         forwarding="assign")
    assert _petition(app, number)["object"] == end_of(2026, 10, 12)
    with pytest.raises(Conflict, match="objection_window_closed"):
        step(app, number, "dh-gov-staff", "object", local(2026, 10, 13, 9), reason="不属于本机关职责")
    assert step(app, number, "dh-gov-staff", "object", local(2026, 10, 12, 20), reason="属市住建委职责") == "objected"
    assert step(app, number, "dispatcher", "decide-objection", local(2026, 10, 13, 9), decision="uphold") \
        == "registered"


def test_the_same_facts_and_reasons_after_a_final_re_review_are_refused_at_registration(app):
    earlier = concluded_after_re_review(app)
    with pytest.raises(Conflict, match="same_matter_settled") as refused:
        new_petition(app, local(2026, 11, 2, 9), request="再次要求补发拆迁安置补偿款")
    assert refused.value.detail["case"] == earlier
    with app.app_context():
        assert db.session.scalar(select(Case).where(Case.number != earlier)) is None  # nothing half-written
    # new facts or reasons, written down by the office, are a new petition (Art. 36 refuses only the same ones)
    number = new_petition(app, local(2026, 11, 2, 9), new_facts="新发现征收部门少计面积的测绘报告")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.petition.same_matter_kind == "settled"
        assert case.petition.new_facts == "新发现征收部门少计面积的测绘报告"
    # another person with the same words is not the same matter
    from tests.integration.petition_helpers import petitioner
    other = new_petition(app, local(2026, 11, 2, 10), people=(petitioner(name="赵六", phone="+8613900002222",
                                                                         id_number=""),))
    assert other.startswith("XF-")


def test_a_matter_accepted_elsewhere_is_flagged_at_registration(app):
    earlier = new_petition(app, local(2026, 11, 2, 9))
    step(app, earlier, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, earlier, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    number = new_petition(app, local(2026, 11, 20, 9))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.petition.same_matter_kind == "open"
        assert db.session.get(Case, case.petition.same_matter_case_id).number == earlier


def test_linking_an_open_12345_case_merges_it_into_the_petition(app):
    from tests.integration.lifecycle_helpers import new_case
    hotline = new_case(app, at=local(2026, 11, 1, 9))
    number = new_petition(app, local(2026, 11, 2, 9))
    assert step(app, number, "operator", "link", local(2026, 11, 2, 10), case=hotline) == "registered"
    with app.app_context():
        merged = db.session.scalar(select(Case).where(Case.number == hotline))
        assert merged.state == "merged" and merged.merged_into.number == number
        assert [e.action for e in merged.events][-1] == "merge"
        assert not merged.active_assignments


def test_a_revoked_decision_goes_back_to_the_organ_that_made_it(app):
    number = new_petition(app, local(2026, 11, 2, 9))
    organ, above = dept(app, "dh-gov"), dept(app, "cgw")
    step(app, number, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=organ, forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    step(app, number, "dh-gov-staff", "decide", local(2026, 11, 10, 9), outcome="reject", facts="f", basis="b",
         text="不予支持")
    step(app, number, "operator", "request-review", local(2026, 11, 16, 9), organ_id=above, note="请求复查")
    assert step(app, number, "cgw-staff", "decide-review", local(2026, 11, 20, 9), outcome="revoke",
                facts="认定事实不清", basis="第三十五条", text="撤销原处理意见") == "accepted"
    seen = _petition(app, number)
    assert seen["lead"] == organ and seen["decide"] == end_of(2027, 1, 19)  # 60 days from 11-20
    assert _running(app, number) == {"decide": end_of(2027, 1, 19)}
    with app.app_context():  # the organ deciding again is the one warned
        assert db.session.scalar(select(Deadline.department_id).where(Deadline.stopped_at.is_(None))) == organ
    assert step(app, number, "dh-gov-staff", "decide", local(2026, 12, 1, 9), outcome="support", facts="f",
                basis="b", text="予以支持") == "decided"
    assert [k for k, _ in _petition(app, number)["documents"]] == ["acceptance", "decision", "review_decision",
                                                                    "decision"]
