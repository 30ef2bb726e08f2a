"""Deadlines stamped through the real service (handling.act with the calendar and SLA policies of the database,
as migration 0006 seeded them): on the case, on each assignment, and as the watched clocks (`deadline` rows) the
sweep reads — started, restamped, stopped and reopened as the case moves (issue 5 acceptance)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Assignment, Case, CaseEvent, Deadline, Department
from tests.integration.lifecycle_helpers import dept, end_of, local, look, new_case, step

NATIONAL_DAY_EVE = local(2026, 9, 30, 10)  # a Wednesday; 10/1–7 off, Saturday 10/10 worked


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def instant(recorded: str) -> datetime:
    """A moment an event recorded (ISO 8601, with its offset)."""
    return datetime.fromisoformat(recorded)


def share(start: datetime, due: datetime, percent: int) -> datetime:
    return start + (due - start) * percent / 100


def clocks(app, number: str) -> list[dict]:
    """The case's watched clocks, oldest first, each with the department code of its assignment."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        rows = db.session.execute(
            select(Deadline, Department.code).outerjoin(Assignment, Assignment.id == Deadline.assignment_id)
            .outerjoin(Department, Department.id == Assignment.department_id)
            .where(Deadline.case_id == case_id).order_by(Deadline.id)).all()
        return [{"id": d.id, "clock": d.clock, "of": code, "department_id": d.department_id, "started_at": d.started_at,
                 "due_at": d.due_at, "warn_at": d.warn_at, "provisional": d.provisional, "stopped_at": d.stopped_at,
                 "next_at": d.next_at, "warned_at": d.warned_at, "breached_at": d.breached_at} for d, code in rows]


def running(app, number: str) -> dict[tuple[str, str | None], dict]:
    return {(c["clock"], c["of"]): c for c in clocks(app, number) if c["stopped_at"] is None}


def assignments(app, number: str) -> dict[str, Assignment]:
    with app.app_context():
        rows = db.session.execute(
            select(Assignment, Department.code).join(Department, Department.id == Assignment.department_id)
            .join(Case, Case.id == Assignment.case_id).where(Case.number == number, Assignment.active)).all()
        for a, _ in rows:
            db.session.expunge(a)
        return {code: a for a, code in rows}


def last_event(app, number: str) -> CaseEvent:
    with app.app_context():
        event = db.session.scalar(select(CaseEvent).join(Case, Case.id == CaseEvent.case_id)
                                  .where(Case.number == number).order_by(CaseEvent.seq.desc()).limit(1))
        db.session.expunge(event)
        return event


def dispatched(app, at: datetime = NATIONAL_DAY_EVE, co: bool = True) -> str:
    number = new_case(app, at=at)
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, "zjw")] if co else [])
    return number


def test_a_general_complaint_dispatched_on_the_eve_of_national_day_2026(app):
    number = dispatched(app)
    start = utc(NATIONAL_DAY_EVE)
    case = look(app, number).case
    # the acceptance example: 5 working days are 10/8, 9, 10 (Saturday, worked), 12, 13
    assert case["reply_due_at"] == end_of(2026, 10, 13)
    assert case["reply_due_at"].astimezone(local(2026, 1, 1).tzinfo).isoformat() == "2026-10-13T23:59:59+08:00"
    assert case["sign_due_at"] == end_of(2026, 10, 8)     # the first working day after the week off
    assert case["return_until"] == end_of(2026, 10, 9)    # 2 working days
    assert case["deadlines_provisional"] is False         # 2026 is in the calendar
    # warnings: 75% of the time (sooner than "1 working day left", the end of 10/12), 50% of the return window
    assert case["return_warn_at"] == share(start, end_of(2026, 10, 9), 50)

    both = assignments(app, number)
    assert set(both) == {"cgw", "zjw"}
    for code, a in both.items():
        assert a.sign_due_at == end_of(2026, 10, 8) and a.reply_due_at == end_of(2026, 10, 13), code
        assert a.sign_warn_at == share(start, end_of(2026, 10, 8), 75), code
        assert a.reply_warn_at == share(start, end_of(2026, 10, 13), 75) < end_of(2026, 10, 12), code

    rows = clocks(app, number)
    assert sorted((r["clock"], r["of"]) for r in rows) == [
        ("handle", "cgw"), ("handle", "zjw"), ("return", None), ("sign", "cgw"), ("sign", "zjw")]
    for r in rows:
        assert r["started_at"] == start and r["provisional"] is False and r["stopped_at"] is None
        assert r["next_at"] == r["warn_at"] is not None  # the sweep looks first at the warning
    by = {(r["clock"], r["of"]): r for r in rows}
    assert by[("handle", "cgw")]["due_at"] == end_of(2026, 10, 13)
    assert by[("handle", "zjw")]["department_id"] == dept(app, "zjw")
    assert by[("return", None)]["due_at"] == end_of(2026, 10, 9)
    assert by[("return", None)]["department_id"] == dept(app, "cgw")  # the lead's window
    assert by[("sign", "zjw")]["due_at"] == end_of(2026, 10, 8)

    recorded = last_event(app, number).data["deadlines"]
    assert recorded["handle"]["limit"] == [5, "working_days"] and recorded["handle"]["provisional"] is False
    assert instant(recorded["handle"]["due"]) == end_of(2026, 10, 13)
    assert instant(recorded["handle"]["warn"]) == by[("handle", "cgw")]["warn_at"]
    assert instant(recorded["sign"]["due"]) == end_of(2026, 10, 8)


def test_a_dispatch_whose_deadline_falls_in_2027_is_provisional(app):
    # Friday 12/25 + 5 working days: 28, 29, 30, 31 and Friday 1/1/2027, a working day only because the 2027
    # notice is not entered
    number = dispatched(app, at=local(2026, 12, 25, 10), co=False)
    case = look(app, number).case
    assert case["reply_due_at"] == end_of(2027, 1, 1) and case["deadlines_provisional"] is True
    assert case["sign_due_at"] == end_of(2026, 12, 28)
    assert running(app, number)[("handle", "cgw")]["provisional"] is True
    assert last_event(app, number).data["deadlines"]["handle"]["provisional"] is True
    assert last_event(app, number).data["deadlines"]["sign"]["provisional"] is False


def test_an_approved_extension_moves_the_handle_deadline_by_working_days(app):
    number = dispatched(app)
    step(app, number, "cgw-staff", "sign", at=local(2026, 10, 8, 9))
    step(app, number, "cgw-staff", "request-extension", at=local(2026, 10, 9, 10), days="3", reason="需协调施工单位")
    before = running(app, number)
    approved = local(2026, 10, 9, 16)
    step(app, number, "supervisor", "decide-extension", at=approved, decision="approve")

    # from where it stood, 10/13, three working days more: 14, 15, 16
    case = look(app, number).case
    assert case["reply_due_at"] == end_of(2026, 10, 16) and case["deadlines_provisional"] is False
    lead = assignments(app, number)["cgw"]
    assert lead.reply_due_at == end_of(2026, 10, 16)
    event = last_event(app, number)
    assert event.action == "decide-extension"
    assert (instant(event.data["from"]), instant(event.data["to"])) == (end_of(2026, 10, 13), end_of(2026, 10, 16))

    rows = clocks(app, number)
    old = next(r for r in rows if r["id"] == before[("handle", "cgw")]["id"])
    assert old["due_at"] == end_of(2026, 10, 13)
    assert old["stopped_at"] == utc(approved) and old["next_at"] is None
    new = running(app, number)[("handle", "cgw")]
    assert new["id"] != old["id"] and new["due_at"] == end_of(2026, 10, 16)
    assert new["started_at"] == utc(NATIONAL_DAY_EVE)  # the same clock, from the same start
    assert new["warn_at"] == lead.reply_warn_at == share(utc(NATIONAL_DAY_EVE), end_of(2026, 10, 16), 75)
    assert new["next_at"] == new["warn_at"]
    # the co-handler's own clock is not extended
    assert running(app, number)[("handle", "zjw")] == before[("handle", "zjw")]
    assert assignments(app, number)["zjw"].reply_due_at == end_of(2026, 10, 13)
    assert look(app, number).sms == ["ack", "extension"]


def test_a_refused_return_reopens_the_same_clocks(app):
    number = dispatched(app)
    first = running(app, number)
    step(app, number, "cgw-staff", "return", at=local(2026, 9, 30, 14), reason="应由住建委主办")
    stopped = clocks(app, number)
    assert all(r["stopped_at"] == utc(local(2026, 9, 30, 14)) and r["next_at"] is None for r in stopped)
    assert running(app, number) == {}

    step(app, number, "dispatcher", "review-return", at=local(2026, 9, 30, 15), decision="refuse",
         note="属于城管职责")
    again = running(app, number)
    assert len(clocks(app, number)) == len(stopped)  # no new rows: the same clocks run on
    assert again == first  # same ids, same start, same deadlines, watched from the same moment


def test_the_leads_reply_stops_the_handling_clocks(app):
    number = dispatched(app)
    signed, replied = local(2026, 10, 8, 9), local(2026, 10, 9, 10)
    step(app, number, "cgw-staff", "sign", at=signed)
    assert ("sign", "cgw") not in running(app, number) and ("sign", "zjw") in running(app, number)
    step(app, number, "cgw-staff", "reply", at=replied, text="已责令夜间停工", resolved=True)

    rows = {(r["clock"], r["of"]): r for r in clocks(app, number)}
    assert len(rows) == 5 and running(app, number) == {}
    assert all(r["next_at"] is None for r in rows.values())
    assert rows[("sign", "cgw")]["stopped_at"] == utc(signed)
    for key in (("handle", "cgw"), ("handle", "zjw"), ("return", None), ("sign", "zjw")):
        assert rows[key]["stopped_at"] == utc(replied), key
    assert all(r["breached_at"] is None for r in rows.values())


def test_the_review_starts_the_callback_clock_and_a_redo_restamps_the_handle_clock(app):
    number = dispatched(app, co=False)
    step(app, number, "cgw-staff", "sign", at=local(2026, 10, 8, 9))
    step(app, number, "cgw-staff", "reply", at=local(2026, 10, 9, 10), text="已处理", resolved=True)
    reviewed = local(2026, 10, 9, 16)  # Friday
    step(app, number, "dispatcher", "review-reply", at=reviewed, decision="approve")

    # 3 working days: 10/10 (Saturday, worked), 12, 13
    case = look(app, number).case
    assert case["callback_due_at"] == end_of(2026, 10, 13)
    expected_warn = min(share(utc(reviewed), end_of(2026, 10, 13), 75), end_of(2026, 10, 12))
    assert case["callback_warn_at"] == expected_warn
    callback = running(app, number)
    assert list(callback) == [("callback", None)]
    row = callback[("callback", None)]
    assert (row["started_at"], row["due_at"], row["warn_at"], row["next_at"]) == (
        utc(reviewed), end_of(2026, 10, 13), expected_warn, expected_warn)
    assert row["department_id"] is None  # the centre's clock

    step(app, number, "operator", "callback", at=local(2026, 10, 12, 10), satisfaction="dissatisfied",
         resolved=False, note="夜里仍在施工")
    redone = local(2026, 10, 12, 11)  # Monday: 5 working days are 13, 14, 15, 16, 19
    step(app, number, "dispatcher", "redo", at=redone, note="群众反映仍有施工")
    case = look(app, number).case
    assert case["reply_due_at"] == end_of(2026, 10, 19) and case["callback_due_at"] is None
    now_running = running(app, number)
    handle = now_running[("handle", "cgw")]
    assert (handle["started_at"], handle["due_at"]) == (utc(redone), end_of(2026, 10, 19))
    assert handle["warn_at"] == assignments(app, number)["cgw"].reply_warn_at is not None
    assert ("callback", None) not in now_running and ("sign", "cgw") not in now_running
    first_handle = [r for r in clocks(app, number) if r["clock"] == "handle" and r["id"] != handle["id"]]
    assert [r["due_at"] for r in first_handle] == [end_of(2026, 10, 13)]
    assert first_handle[0]["stopped_at"] == utc(local(2026, 10, 9, 10))  # stopped by the first reply
    assert instant(last_event(app, number).data["reply_due_at"]) == end_of(2026, 10, 19)
