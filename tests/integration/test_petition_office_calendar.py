"""The statutory calendar: each running clock in its step's row and its day's column, on dates worked out by hand
from 《信访工作条例》 and the 2026 calendar; duties overdue from before the week first; a department sees its own."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from hotline.extensions import db
from hotline.models import User
from hotline.services import petition_queries as queries
from tests.integration.lifecycle_helpers import end_of
from tests.integration.test_petition_office_support import NOW, Browsers, build_office, calendar_cell

TZ = "Asia/Shanghai"


def _week(app, username: str, monday: date, now=NOW) -> queries.Week:
    with app.app_context():
        user = db.session.query(User).filter_by(username=username).one()
        return queries.week(db.session, user.actor, monday, TZ, now)


def _cells(week: queries.Week) -> dict[tuple[str, str], set[str]]:
    """{(clock, day or "overdue"): petition numbers}, for the cells that hold any."""
    return {(clock, day.isoformat() if day else "overdue"): {i.number for i in items}
            for clock, days in week.cells.items() for day, items in days.items() if items}


def test_the_office_sees_each_deadline_on_its_day_and_the_overdue_first(app):
    o = build_office(app)
    # W49, Monday 11-30 to Sunday 12-06, seen on Tuesday 12-01:
    #  - forwarded on Friday 11-27: 5 working days to object (Art. 23) → 11-30, 12-01, 12-02, 12-03, 12-04 (Friday)
    #  - received Sunday 11-01 and never forwarded: 15 days (Art. 22) → 11-16, overdue
    #  - accepted 09-23 with an extension still awaiting the head: 60 days (Art. 32) → 11-22, a Sunday → 11-23, overdue
    assert _cells(_week(app, "supervisor", date(2026, 11, 30))) == {
        ("forward", "overdue"): {o.unforwarded}, ("decide", "overdue"): {o.extension},
        ("object", "2026-12-04"): {o.grievance}}
    # W50: the accusation received Friday 11-20: 15 days → 12-05, a Saturday → Monday 12-07; the review asked for on
    # 11-10: 30 days (Art. 35) → Thursday 12-10. The duties still late from before, again first.
    assert _cells(_week(app, "supervisor", date(2026, 12, 7))) == {
        ("forward", "overdue"): {o.unforwarded}, ("decide", "overdue"): {o.extension},
        ("accept", "2026-12-07"): {o.accusation}, ("review", "2026-12-10"): {o.reviewing}}
    # W51: the grievance received Friday 11-27: 15 days → 12-12, a Saturday → Monday 12-14
    w51 = _cells(_week(app, "supervisor", date(2026, 12, 14)))
    assert w51[("accept", "2026-12-14")] == {o.grievance}
    # W48, the week before: the extension's decision fell due in it (Monday 11-23), and the accusation's window to
    # object (5 working days from Friday 11-20 → 11-27); a window that has closed is never "overdue"
    w48 = _cells(_week(app, "supervisor", date(2026, 11, 23)))
    assert w48[("decide", "2026-11-23")] == {o.extension}
    assert w48[("object", "2026-11-27")] == {o.accusation}
    assert w48[("forward", "overdue")] == {o.unforwarded}
    # the re-review in a hearing has no running clock (Art. 36): it is nowhere
    everywhere = set()
    for n in range(16):  # every week from September to December
        for found in _cells(_week(app, "supervisor", date(2026, 9, 7) + timedelta(weeks=n))).values():
            everywhere |= found
    assert o.hearing not in everywhere


def test_the_days_and_the_overdue_carry_the_exact_deadline(app):
    o = build_office(app)
    week = _week(app, "supervisor", date(2026, 11, 30))
    (objection,) = week.cells["object"][date(2026, 12, 4)]
    assert objection.number == o.grievance and objection.due_at == end_of(2026, 12, 4) and objection.card is None
    (late,) = week.cells["decide"][None]
    assert late.number == o.extension and late.due_at == end_of(2026, 11, 23) and late.card == "overdue"
    assert week.total == 3 and week.overdue == 2


def test_a_department_sees_only_its_own_organs_clocks(app):
    o = build_office(app)
    assert _cells(_week(app, "dh-gov-staff", date(2026, 11, 30))) == {("object", "2026-12-04"): {o.grievance}}
    assert _cells(_week(app, "dh-gov-head", date(2026, 12, 7))) == {("accept", "2026-12-07"): {o.accusation},
                                                                    ("review", "2026-12-10"): {o.reviewing}}
    # 东湖区住建局 decided the one under review: the review's clock is 东湖区政府's, not its own
    assert _cells(_week(app, "dh-zjj-staff", date(2026, 11, 30))) == {("decide", "overdue"): {o.extension}}
    assert _cells(_week(app, "dh-zjj-staff", date(2026, 12, 7))) == {("decide", "overdue"): {o.extension}}
    # the unit accused sees nothing of the accusation, not even its window to object
    assert _cells(_week(app, "dh-cgj-staff", date(2026, 11, 23))) == {}


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_cells_and_moves_by_weeks(app):
    o = build_office(app)
    see = Browsers(app)
    status, html = see("dispatcher", "/petitions/calendar")  # this week: W49
    assert status == 200 and "2026-W49" in html
    assert calendar_cell(html, "object", "2026-12-04") == {o.grievance}
    assert calendar_cell(html, "forward", "overdue") == {o.unforwarded}
    assert calendar_cell(html, "decide", "overdue") == {o.extension}
    assert calendar_cell(html, "accept", "2026-12-01") == set()
    assert 'href="/petitions/calendar?week=2026-W48"' in html and 'href="/petitions/calendar?week=2026-W50"' in html
    _, w51 = see("dispatcher", "/petitions/calendar?week=2026-W51")
    assert calendar_cell(w51, "accept", "2026-12-14") == {o.grievance}
    assert 'href="/petitions/calendar?week=2026-W49"' in w51  # back to this week
    _, department = see("dh-gov-staff", "/petitions/calendar?week=2026-W50")
    assert calendar_cell(department, "accept", "2026-12-07") == {o.accusation}
    assert calendar_cell(department, "forward", "overdue") == set()


@pytest.mark.parametrize("week", ["2026-W99", "2025-W53", "soon", "2026-49"])
def test_a_week_that_is_not_one_is_not_found(app, week):
    status, _ = Browsers(app)("supervisor", f"/petitions/calendar?week={week}")
    assert status == 404


def test_weeks_are_named_as_iso_weeks():
    assert queries.parse_week("2026-W49") == date(2026, 11, 30)
    assert queries.parse_week("2026-w01") == date(2025, 12, 29)
    assert queries.parse_week("2026-W53") == date(2026, 12, 28)  # 2026 has 53 ISO weeks
    assert queries.week_name(date(2026, 12, 28)) == "2026-W53" and queries.week_name(date(2027, 1, 4)) == "2027-W01"
    assert queries.monday_of(date(2026, 12, 6)) == date(2026, 11, 30)
