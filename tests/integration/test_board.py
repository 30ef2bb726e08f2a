"""The supervisors' board: counts by department that match each department's inbox, the 督办 items with
their deadlines, failed jobs with a retry button, SMS refused for good; and the yellow/red cards on the lists,
which say the same as the inbox tabs."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from hotline.domain.kinds import Urgency
from hotline.extensions import db
from hotline.models import AccessLog, Assignment, Case, OutboxJob, SmsMessage
from tests.integration.lifecycle_helpers import dept, new_case, step
from tests.integration.test_screens_lists import tab_count
from tests.integration.test_screens_support import html_of, signed_in

TABS = ("pending", "in_progress", "due_soon", "overdue", "replied")


def ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


def dispatched(app, lead: str, minutes_ago: float, urgency=Urgency.URGENT, co: tuple[str, ...] = (),
               signed_after: float | None = None) -> str:
    """A case dispatched `minutes_ago` (its clocks stamped from then by the SLA policies), and signed by the
    lead `signed_after` minutes later. Urgent: sign in 15 minutes (warned at 75%), reply in 2 hours (warned
    at 90 minutes); utilities outage: sign in 30 minutes (warned at 22.5), reply in 24 hours."""
    at = ago(minutes_ago)
    number = new_case(app, at=at, urgency=urgency)
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, lead),
         co_department_ids=[dept(app, c) for c in co])
    if signed_after is not None:
        step(app, number, f"{lead}-staff", "sign", at=at + timedelta(minutes=signed_after))
    return number


@pytest.fixture
def two_departments(app):
    """dh-cgj and xs-cgj, with cases in every tab, co-handling between them, and a margin of minutes around
    every warning and deadline (the pages read the clock)."""
    cases = {
        "fresh": dispatched(app, "dh-cgj", 5),                                    # to sign; warned at +6 min
        "sign_soon": dispatched(app, "dh-cgj", 26, Urgency.UTILITIES),           # warned 3.5 min ago, due in 4
        "sign_late": dispatched(app, "dh-cgj", 60),                               # sign was due 45 min ago
        "reply_soon": dispatched(app, "dh-cgj", 100, signed_after=5),             # warned 10 min ago, due in 20
        "reply_late": dispatched(app, "dh-cgj", 180, signed_after=10),            # reply was due an hour ago
        "calm": dispatched(app, "dh-cgj", 120, Urgency.UTILITIES, signed_after=10),  # reply due in 22 hours
        # lead dh-cgj signed; the co-handler xs-cgj has not, 10 minutes after its sign deadline
        "shared": dispatched(app, "dh-cgj", 40, Urgency.UTILITIES, co=("xs-cgj",), signed_after=5),
        "west_fresh": dispatched(app, "xs-cgj", 2, Urgency.UTILITIES),
        "west_soon": dispatched(app, "xs-cgj", 100, signed_after=5),
    }
    return cases


def board_counts(html: str, code: str) -> dict[str, int]:
    row = re.search(rf'<tr data-department="{code}".*?</tr>', html, re.S)
    if row is None:
        return dict.fromkeys(("pending", "due_soon", "overdue"), 0)
    return {name: int(re.search(rf'data-count="{name}">(?:<span[^>]*>)?(\d+)', row.group(0)).group(1))
            for name in ("pending", "due_soon", "overdue")}


def cards_in(html: str) -> dict[str, str]:
    """Case number → the card its row shows ("" for none)."""
    out = {}
    for row in re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", html, re.S):
        number = re.search(r'<a class="number"[^>]*>([^<]+)</a>', row)
        if number:
            card = re.search(r'data-card="(\w+)"', row)
            out[number.group(1)] = card.group(1) if card else ""
    return out


def test_the_board_counts_what_each_department_inbox_counts(app, two_departments):
    c = two_departments
    board = html_of(signed_in(app, "supervisor").get("/supervise/board"))
    for code in ("dh-cgj", "xs-cgj"):
        inbox = html_of(signed_in(app, f"{code}-staff").get("/dept/inbox"))
        assert board_counts(board, code) == {t: tab_count(inbox, t) for t in ("pending", "due_soon", "overdue")}, code
    assert board_counts(board, "dh-cgj") == {"pending": 3, "due_soon": 2, "overdue": 2}
    assert board_counts(board, "xs-cgj") == {"pending": 2, "due_soon": 1, "overdue": 1}
    east = html_of(signed_in(app, "dh-cgj-staff").get("/dept/inbox"))
    assert tab_count(east, "in_progress") == 4
    # the most overdue department first, and a total that adds them up
    assert board.index('data-department="dh-cgj"') < board.index('data-department="xs-cgj"')
    assert re.search(r'data-total="overdue">3<', board)
    assert c["shared"] in html_of(signed_in(app, "xs-cgj-staff").get("/dept/inbox?tab=overdue"))


def test_the_board_and_the_inbox_use_one_definition_at_any_moment(app, two_departments):
    """The board's grouped counts and every department's tab counts agree at moments across the clocks."""
    from hotline.services import cases

    with app.app_context():
        ids = {code: dept(app, code) for code in ("dh-cgj", "xs-cgj")}
        from hotline.models import User
        actors = {code: db.session.scalar(select(User).where(User.username == f"{code}-staff")).actor
                  for code in ids}
        for minutes in (-200, -60, -20, 0, 10, 30, 120, 60 * 30):
            moment = datetime.now(UTC) + timedelta(minutes=minutes)
            grouped = cases.department_counts(db.session, TABS, moment)
            for code, department_id in ids.items():
                inbox = cases.counts(db.session, actors[code], TABS, moment, kind="tab")
                assert grouped.get(department_id, dict.fromkeys(TABS, 0)) == inbox, (code, minutes)


def test_the_cards_on_the_lists_say_what_the_tabs_say(app, two_departments):
    c = two_departments
    staff = signed_in(app, "dh-cgj-staff")
    everything = cards_in(html_of(staff.get("/dept/inbox")))
    for tab, card in (("due_soon", "due_soon"), ("overdue", "overdue")):
        listed = set(cards_in(html_of(staff.get(f"/dept/inbox?tab={tab}"))))
        assert listed and {n for n, shown in everything.items() if shown == card} == listed, tab
    assert everything[c["fresh"]] == "" and everything[c["calm"]] == ""
    # the co-handler sees its own clock: late to sign, while the lead's part is on time
    west = cards_in(html_of(signed_in(app, "xs-cgj-staff").get("/dept/inbox")))
    assert west[c["shared"]] == "overdue" and everything[c["shared"]] == ""
    # the centre's list and the case page header show the same cards
    centre = cards_in(html_of(signed_in(app, "supervisor").get("/cases/")))
    assert centre[c["sign_late"]] == "overdue" and centre[c["reply_soon"]] == "due_soon"
    assert centre[c["fresh"]] == ""
    page = html_of(staff.get(f"/cases/{c['reply_late']}"))
    head = page[page.index('class="case-head"'):page.index("</div>", page.index('class="case-head"'))]
    assert 'data-card="overdue"' in head
    page = html_of(staff.get(f"/cases/{c['reply_soon']}"))
    head = page[page.index('class="case-head"'):page.index("</div>", page.index('class="case-head"'))]
    assert 'data-card="due_soon"' in head and 'class="due soon"' in page


def test_a_clock_stamped_without_a_warning_is_due_soon_in_its_last_24_hours(app):
    """Rows stamped before warnings were stamped keep the old rule."""
    from hotline.services import cases

    number = dispatched(app, "dh-cgj", 1)
    with app.app_context():
        a = db.session.scalar(select(Assignment).join(Case).where(Case.number == number))
        a.sign_warn_at, a.sign_due_at = None, datetime.now(UTC) + timedelta(hours=30)
        db.session.commit()
        moment = datetime.now(UTC)
        assert cases.assignment_card(a, moment) is None
        assert cases.assignment_card(a, moment + timedelta(hours=7)) == "due_soon"
        assert cases.assignment_card(a, moment + timedelta(hours=31)) == "overdue"
    staff = signed_in(app, "dh-cgj-staff")
    assert tab_count(html_of(staff.get("/dept/inbox")), "due_soon") == 0
    with app.app_context():
        a = db.session.scalar(select(Assignment).join(Case).where(Case.number == number))
        a.sign_due_at = datetime.now(UTC) + timedelta(hours=20)
        db.session.commit()
    assert tab_count(html_of(staff.get("/dept/inbox")), "due_soon") == 1


def test_the_board_lists_the_supervised_cases_overdue_first(app):
    early, late = dispatched(app, "dh-cgj", 30, signed_after=1), dispatched(app, "xs-cgj", 30, signed_after=1)
    for number in (early, late):
        step(app, number, "supervisor", "supervise", note="请加快办理")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == late))
        case.supervision_due_at = datetime.now(UTC) - timedelta(hours=1)
        db.session.commit()
    html = html_of(signed_in(app, "dispatcher").get("/supervise/board"))
    section = html[html.index('id="supervised"'):html.index('id="failed-jobs"')]
    assert section.index(late) < section.index(early)
    late_row = re.search(rf'<tr class="is-overdue" data-number="{late}">', section)
    assert late_row and f'data-number="{early}"' in section and 'class="count some">2<' in section


def test_a_failed_job_is_shown_with_its_error_and_retried_once_with_an_audit_entry(app):
    with app.app_context():
        job = OutboxJob(job="escalate_breach", payload={"deadline_id": 7}, status="failed",
                        last_error="failed in the worker after all retries", push_count=6,
                        finished_at=datetime.now(UTC))
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    client = signed_in(app, "supervisor")
    html = html_of(client.get("/supervise/board"))
    assert f'data-job="{job_id}"' in html and "failed in the worker after all retries" in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    response = client.post(f"/supervise/board/jobs/{job_id}/retry", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/supervise/board#failed-jobs")
    with app.app_context():
        row = db.session.get(OutboxJob, job_id)
        assert (row.status, row.pushed_at, row.finished_at) == ("pending", None, None)  # the relay pushes it again
        entries = db.session.scalars(select(AccessLog).where(AccessLog.action == "retry_job")).all()
        assert len(entries) == 1 and entries[0].detail.startswith(f"outbox {job_id} escalate_breach")
    assert f'data-job="{job_id}"' not in html_of(client.get("/supervise/board"))
    again = client.post(f"/supervise/board/jobs/{job_id}/retry", data={"csrf_token": token})
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AccessLog.id).where(AccessLog.action == "retry_job").offset(1)) is None
    assert client.post(f"/supervise/board/jobs/{job_id}/retry").status_code == 400  # no CSRF token


def test_an_sms_refused_for_good_is_shown_without_the_number(app):
    number = dispatched(app, "dh-cgj", 1)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        db.session.add(SmsMessage(case_id=case_id, to_phone="+8613812345678", body="x", purpose="ack",
                                  status="failed", attempts=1, error="not an E.164 number: +8613812345678"))
        db.session.commit()
    html = html_of(signed_in(app, "supervisor").get("/supervise/board"))
    section = html[html.index('id="failed-sms"'):]
    assert number in section and "+86138****5678" in section and "+8613812345678" not in section


def test_an_sms_the_carrier_could_not_deliver_is_shown_too(app):
    number = dispatched(app, "dh-cgj", 1)
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        db.session.add(SmsMessage(case_id=case_id, to_phone="+8613812345678", body="x", purpose="ack",
                                  status="undelivered", attempts=1, error="30006"))
        db.session.commit()
    html = html_of(signed_in(app, "supervisor").get("/supervise/board"))
    assert number in html[html.index('id="failed-sms"'):]


@pytest.mark.parametrize(("username", "status"), [
    ("supervisor", 200), ("dispatcher", 200), ("operator", 403), ("admin", 403), ("dh-cgj-staff", 403),
    ("dh-cgj-head", 403),
])
def test_who_may_open_the_board(app, username, status):
    client = signed_in(app, username)
    assert client.get("/supervise/board").status_code == status
    if status == 403:
        token = re.search(r'name="csrf_token" value="([^"]+)"', html_of(client.get("/notifications"))).group(1)
        assert client.post("/supervise/board/jobs/1/retry", data={"csrf_token": token}).status_code == 403


def test_the_supervision_pages_open_on_the_board_and_link_it(app):
    dispatcher = signed_in(app, "dispatcher")
    assert dispatcher.get("/supervise/").headers["Location"].endswith("/supervise/board")
    assert 'href="/supervise/board"' in html_of(dispatcher.get("/supervise/extensions"))
    operator = signed_in(app, "operator")
    assert operator.get("/supervise/").headers["Location"].endswith("/supervise/callback")
    assert 'href="/supervise/board"' not in html_of(operator.get("/supervise/callback"))
