"""The lists: the department inbox tabs with counts and deadlines, the dispatcher's queue, the supervisor's
pages; who may open which; paging, filters and sorting; and the same few queries for 3 rows or 40."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.helpers import act, department_id, dispatch
from tests.integration.lifecycle_helpers import local, step
from tests.integration.test_screens_support import case_row, html_of, register_case, signed_in


def shift_deadlines(app, number: str, hours: float, warn_hours: float | None = -1) -> None:
    """Move the case's clocks so its deadlines fall `hours` from now (negative: already passed) and their
    warnings (即将超期) `warn_hours` from now (default: an hour ago; None: no warning stamped)."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Assignment, Case

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        due = now() + timedelta(hours=hours)
        warn = None if warn_hours is None else now() + timedelta(hours=warn_hours)
        case.sign_due_at = case.reply_due_at = due
        for a in db.session.scalars(select(Assignment).where(Assignment.case_id == case.id)):
            a.sign_due_at = a.reply_due_at = due
            a.sign_warn_at = a.reply_warn_at = warn
        db.session.commit()


def tab_count(html: str, tab: str) -> int:
    match = re.search(rf'href="/dept/inbox\?tab={tab}"[^>]*>[^<]*<span class="count[^"]*">(\d+)</span>', html)
    assert match, tab
    return int(match.group(1))


def linked(html: str, number: str) -> bool:
    return f">{number}</a>" in html


def test_the_inbox_tabs_hold_the_right_cases_with_counts_and_deadlines(app):
    pending, working, soon, late, replied = (register_case(app) for _ in range(5))
    for number in (pending, working, soon, late, replied):
        dispatch(app, number, "dh-cgj")
    for number in (working, soon, late, replied):
        act(app, number, "dh-cgj-staff", "sign")
    act(app, replied, "dh-cgj-staff", "reply", text="已修复。", resolved=True)
    shift_deadlines(app, soon, 3)
    shift_deadlines(app, late, -50)

    staff = signed_in(app, "dh-cgj-staff")
    html = html_of(staff.get("/dept/inbox"))
    assert {t: tab_count(html, t) for t in ("pending", "in_progress", "due_soon", "overdue", "replied")} == {
        "pending": 1, "in_progress": 3, "due_soon": 1, "overdue": 1, "replied": 1}
    expected = {"pending": {pending}, "in_progress": {working, soon, late}, "due_soon": {soon}, "overdue": {late},
                "replied": {replied}}
    everyone = {pending, working, soon, late, replied}
    for tab, shown in expected.items():
        page = html_of(staff.get(f"/dept/inbox?tab={tab}"))
        assert {n for n in everyone if linked(page, n)} == shown, tab
    overdue = html_of(staff.get("/dept/inbox?tab=overdue"))
    assert 'class="is-overdue"' in overdue and 'class="due overdue"' in overdue
    soon_page = html_of(staff.get("/dept/inbox?tab=due_soon"))
    assert 'class="due soon"' in soon_page


def test_the_case_page_says_how_long_until_each_deadline_and_marks_them_provisional(app):
    from hotline.clock import now
    from hotline.web import labels

    number, late = register_case(app), register_case(app)
    # dispatched in 2027, a year the calendar does not cover yet: its working days are weekends-only, provisional
    step(app, number, "dispatcher", "dispatch", at=local(2027, 3, 1, 10),
         lead_department_id=department_id(app, "dh-cgj"))
    dispatch(app, late, "dh-cgj")
    shift_deadlines(app, number, 3)
    shift_deadlines(app, late, -50)
    staff = signed_in(app, "dh-cgj-staff")
    html = html_of(staff.get(f"/cases/{number}"))
    with app.test_request_context():
        in_three_hours = labels.due(now() + timedelta(hours=3), now())
        two_days_late = labels.due(now() - timedelta(hours=50), now())
    assert html.count('class="due soon"') >= 2 and in_three_hours in html  # sign and reply
    assert case_row(app, number).deadlines_provisional  # the 2027 holidays are not entered yet
    heading = html[html.index('class="facts deadlines"') - 300:html.index('class="facts deadlines"')]
    assert 'class="badge warn"' in heading
    late_html = html_of(staff.get(f"/cases/{late}"))
    assert 'class="due overdue"' in late_html and two_days_late in late_html


def test_the_dispatch_queue_shows_new_and_returned_cases_with_who_returned_them_and_why(app):
    fresh, returned, dispatched = register_case(app), register_case(app), register_case(app)
    dispatch(app, returned, "dh-cgj")
    dispatch(app, dispatched, "dh-cgj")
    act(app, returned, "dh-cgj-staff", "return", reason="路灯属供电公司维护")
    client = signed_in(app, "dispatcher")
    html = html_of(client.get("/cases/queue"))
    assert linked(html, fresh) and linked(html, returned) and not linked(html, dispatched)
    assert "路灯属供电公司维护" in html and "东湖区城管执法局承办人" in html
    only_returned = html_of(client.get("/cases/queue?state=returned"))
    assert linked(only_returned, returned) and not linked(only_returned, fresh)


def test_the_supervisor_pages_list_what_waits_for_them(app):
    asking, to_review, to_call, late, returned = (register_case(app) for _ in range(5))
    for number in (asking, to_review, to_call, late, returned):
        dispatch(app, number, "dh-cgj")
    for number in (asking, to_review, to_call, late):
        act(app, number, "dh-cgj-staff", "sign")
    act(app, asking, "dh-cgj-staff", "request-extension", days=4, reason="需协调供电公司")
    for number in (to_review, to_call):
        act(app, number, "dh-cgj-staff", "reply", text=f"答复{number}", resolved=True)
    act(app, to_call, "dispatcher", "review-reply", decision="approve")
    act(app, returned, "dh-cgj-staff", "return", reason="不属于本单位")
    shift_deadlines(app, late, -5)

    client = signed_in(app, "supervisor")
    every = {asking, to_review, to_call, late, returned}
    for name, shown, words in (("extensions", asking, "需协调供电公司"), ("review", to_review, f"答复{to_review}"),
                               ("callback", to_call, f"答复{to_call}"), ("overdue", late, ""),
                               ("returns", returned, "不属于本单位")):
        html = html_of(client.get(f"/supervise/{name}"))
        assert {n for n in every if linked(html, n)} == {shown}, name
        assert words in html
        assert re.search(rf'href="/supervise/{name}"[^>]*aria-current="page">[^<]*<span class="count some">1</span>',
                         html), name
    assert client.get("/supervise/").headers["Location"].endswith("/supervise/board")  # the board first
    assert client.get("/supervise/nothing").status_code == 404


@pytest.mark.parametrize(("username", "allowed"), [
    ("supervisor", {"extensions", "returns", "review", "callback", "overdue"}),
    ("dispatcher", {"extensions", "returns", "review", "callback", "overdue"}),
    ("operator", {"callback", "overdue"}),
    ("admin", set()),
    ("dh-cgj-staff", set()),
])
def test_who_may_open_the_supervisor_pages(app, username, allowed):
    client = signed_in(app, username)
    for name in ("extensions", "returns", "review", "callback", "overdue"):
        assert client.get(f"/supervise/{name}").status_code == (200 if name in allowed else 403), name


def test_department_staff_reach_none_of_the_centre_pages_and_nothing_of_another_department(app):
    number = register_case(app)
    dispatch(app, number, "dh-cgj")
    other = signed_in(app, "xs-cgj-staff")
    for path in ("/cases/", "/cases/queue", "/supervise/", "/supervise/overdue", "/cases/?queue=dispatch"):
        assert other.get(path).status_code == 403, path
    assert other.get(f"/cases/{number}").status_code == 404
    for tab in ("", "pending", "in_progress", "due_soon", "overdue", "replied"):
        assert not linked(html_of(other.get(f"/dept/inbox?tab={tab}&q={number}")), number)
    centre = signed_in(app, "dispatcher")
    assert centre.get("/dept/inbox").status_code == 403


def test_lists_page_by_fifty_and_sort(app):
    numbers = [register_case(app, description=f"第{i}号路灯不亮，晚上出行很不方便。") for i in range(51)]
    client = signed_in(app, "dispatcher")
    first = html_of(client.get("/cases/queue"))
    assert len(re.findall(r'<a class="number"', first)) == 50
    assert linked(first, numbers[-1]) and not linked(first, numbers[0])  # newest first
    assert 'rel="next"' in first
    second = html_of(client.get("/cases/queue?page=2"))
    assert len(re.findall(r'<a class="number"', second)) == 1 and linked(second, numbers[0])
    oldest = html_of(client.get("/cases/queue?sort=oldest"))
    assert linked(oldest, numbers[0]) and not linked(oldest, numbers[-1])


def test_the_case_list_filters_by_status_department_and_words(app):
    lamp, noise = register_case(app), register_case(app, description="楼下饭店油烟很大，每天中午晚上都有。")
    dispatch(app, noise, "dh-cgj")
    client = signed_in(app, "supervisor")
    assert linked(html_of(client.get("/cases/?state=registered")), lamp)
    assert not linked(html_of(client.get("/cases/?state=registered")), noise)
    by_department = html_of(client.get(f"/cases/?department={department_id(app, 'dh-cgj')}"))
    assert linked(by_department, noise) and not linked(by_department, lamp)
    assert linked(html_of(client.get("/cases/?q=油烟")), noise)
    assert not linked(html_of(client.get("/cases/?q=油烟")), lamp)


def count_queries(app, client, path: str) -> int:
    from hotline.extensions import db

    seen = []
    with app.app_context():
        engine = db.engine

    def count(*args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


@pytest.mark.parametrize(("username", "path"), [
    ("dispatcher", "/cases/"), ("dispatcher", "/cases/queue"), ("supervisor", "/supervise/returns"),
    ("dh-cgj-staff", "/dept/inbox"),
])
def test_a_list_costs_the_same_few_queries_for_3_rows_or_40(app, username, path):
    def make(n):
        for _ in range(n):
            number = register_case(app)
            dispatch(app, number, "dh-cgj", "dh-xhj")
            if "returns" in path:
                act(app, number, "dh-cgj-staff", "return", reason="不属于本单位")
            if path == "/dept/inbox":
                act(app, number, "dh-cgj-staff", "sign")
    client = signed_in(app, username)
    make(3)
    few = count_queries(app, client, path)
    make(37)
    many = count_queries(app, client, path)
    assert many == few


def test_the_case_list_also_answers_to_a_queue_name(app):
    fresh, sent = register_case(app), register_case(app)
    dispatch(app, sent, "dh-cgj")
    client = signed_in(app, "dispatcher")
    html = html_of(client.get("/cases/?queue=dispatch"))
    assert linked(html, fresh) and not linked(html, sent)
    assert 'name="queue" value="dispatch"' in html  # kept when the filters are used
