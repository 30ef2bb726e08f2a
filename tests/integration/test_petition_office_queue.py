"""Each organ's queue: what waits on it, by step, with the step's deadline — the objection window while it is open,
the extension awaiting the head, the hearing that pauses the re-review — and, for the office, every organ's counts."""
from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import User
from hotline.services import petition_queries as queries
from tests.integration.lifecycle_helpers import dept, end_of
from tests.integration.test_petition_office_support import NOW, Browsers, build_office, numbers, queue_step


@pytest.fixture(autouse=True)
def _seen_on_a_tuesday():
    with time_machine.travel(NOW, tick=False):
        yield


def test_an_organs_petitions_by_step(app):
    o = build_office(app)
    see = Browsers(app)
    _, gov = see("dh-gov-staff", "/petitions/queue")
    assert numbers(queue_step(gov, "accept")) == {o.grievance, o.accusation}
    assert numbers(queue_step(gov, "decide")) == set()
    assert numbers(queue_step(gov, "review")) == {o.reviewing}
    assert numbers(queue_step(gov, "re_review")) == set()
    accept = queue_step(gov, "accept")
    # the grievance's acceptance is due 12-14 and its window to object is open until 12-04; the accusation's is shut
    assert accept.count('data-clock="accept"') == 2 and accept.count('data-clock="object"') == 1
    assert accept.index(o.accusation) < accept.index(o.grievance)  # the nearer deadline first
    _, zjw = see("zjw-staff", "/petitions/queue")
    hearing = queue_step(zjw, "re_review")
    assert o.hearing in hearing and ("hearing" in hearing.lower() or "听证" in hearing)
    assert 'data-clock="re_review"' not in hearing  # its clock is paused, so no deadline is shown


def test_the_head_is_asked_to_decide_the_extension(app):
    o = build_office(app)
    see = Browsers(app)
    _, head = see("dh-zjj-head", "/petitions/queue")
    _, staff = see("dh-zjj-staff", "/petitions/queue")
    decide_head, decide_staff = queue_step(head, "decide"), queue_step(staff, "decide")
    assert o.extension in decide_head and o.extension in decide_staff
    assert "badge bad" in decide_head and "badge warn" in decide_staff  # the head's call; the staff waits on it
    assert "is-overdue" in decide_head  # its 60 days ran out on 11-23


def test_the_office_sees_every_organs_counts_and_chooses_one(app):
    o = build_office(app)
    gov = dept(app, "dh-gov")
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == "dispatcher")).actor
        counts = {line.department.code: (line.steps, line.overdue)
                  for line in queries.queue_counts(db.session, actor, NOW)}
        queue = queries.organ_queue(db.session, actor, gov, NOW)
        (grievance,) = [i for i in queue["accept"] if i.case.number == o.grievance]
        assert grievance.due.at == end_of(2026, 12, 14) and grievance.window.at == end_of(2026, 12, 4)
    assert counts == {
        "dh-gov": ({"accept": 2, "decide": 0, "review": 1, "re_review": 0}, 0),
        "dh-zjj": ({"accept": 0, "decide": 1, "review": 0, "re_review": 0}, 1),
        "zjw": ({"accept": 0, "decide": 0, "review": 0, "re_review": 1}, 0),  # paused by the hearing: not late
    }
    see = Browsers(app)
    _, everyone = see("dispatcher", "/petitions/queue")
    assert f'href="/petitions/queue?organ={dept(app, "dh-zjj")}"' in everyone
    assert not numbers(everyone)  # counts, not petitions
    _, chosen = see("dispatcher", f"/petitions/queue?organ={dept(app, 'dh-zjj')}")
    assert numbers(queue_step(chosen, "decide")) == {o.extension}
    assert see("dispatcher", "/petitions/queue?organ=999999")[0] == 404


def test_a_department_user_without_a_department_is_refused(app):
    from tests.helpers import DEMO_PASSWORD, make_user

    make_user(app, "loose-staff", DEMO_PASSWORD, role="staff")
    see = Browsers(app)
    assert see("loose-staff", "/petitions/queue")[0] == 403
    assert see("loose-staff", "/petitions/calendar")[0] == 403
