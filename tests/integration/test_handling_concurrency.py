"""Two people act on the same case at the same moment, each in a session of their own: one wins, the other
hears who beat them (409), and the history holds one step — never a lost update (issue 3 acceptance)."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import select

from hotline.domain.errors import Conflict, NotFound
from hotline.extensions import db
from hotline.models import User
from hotline.services import handling
from hotline.services.audit import broken_chains
from tests.helpers import make_user
from tests.integration.lifecycle_helpers import TZ, dept, display_name, look, new_case, step

ROUNDS = 4


def at_once(app, number: str, moves: list[tuple[str, str, dict, int | None]]) -> list[object]:
    """Each move (username, action, fields, expected_version) in its own thread, app context and DB session,
    released together. Returns the new state, or the refusal, per move."""
    barrier = threading.Barrier(len(moves))

    def run(move):
        username, action, fields, expected_version = move
        with app.test_request_context():
            try:
                user = db.session.scalar(select(User).where(User.username == username))
                db.session.commit()  # hold no transaction (on SQLite, no write lock) while waiting for the other
                barrier.wait(timeout=10)
                ctx = handling.Context(now=datetime.now(UTC), timezone=TZ)
                try:
                    return handling.act(db.session, number, action, user, fields, ctx, expected_version).state
                except (Conflict, NotFound) as exc:
                    return exc
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(moves)) as pool:
        return list(pool.map(run, moves))


def dispatched_to_cgw(app, co: str | None = None) -> str:
    number = new_case(app)
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"),
         co_department_ids=[dept(app, co)] if co else [])
    return number


def one_winner(results, names):
    wins = [i for i, r in enumerate(results) if not isinstance(r, Conflict)]
    losses = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(losses) == 1, results
    return names[wins[0]], losses[0]


def test_two_staff_sign_the_same_case_at_once(app):
    make_user(app, "cgw-staff-2", "a long password", role="staff", department_id=dept(app, "cgw"))
    names = {"cgw-staff": display_name(app, "cgw-staff"), "cgw-staff-2": display_name(app, "cgw-staff-2")}
    for _ in range(ROUNDS):
        number = dispatched_to_cgw(app)
        before = look(app, number)
        results = at_once(app, number, [("cgw-staff", "sign", {}, None), ("cgw-staff-2", "sign", {}, None)])
        winner, conflict = one_winner(results, list(names.values()))
        assert conflict.code == "already_signed"
        assert conflict.detail["by"] == winner and conflict.detail["action"] == "sign"
        seen = look(app, number)
        assert seen.state == "in_progress" and seen.version == before.version + 1
        assert [e for e in seen.events if e[1] == "sign"] == [(winner, "sign", "dispatched", "in_progress")]
        assert seen.assignments[0]["status"] == "signed"
    with app.app_context():
        assert list(broken_chains(db.session)) == []


def test_two_staff_with_the_same_version_in_hand(app):
    make_user(app, "cgw-staff-2", "a long password", role="staff", department_id=dept(app, "cgw"))
    for _ in range(ROUNDS):
        number = dispatched_to_cgw(app)
        version = look(app, number).version
        results = at_once(app, number, [("cgw-staff", "sign", {}, version), ("cgw-staff-2", "sign", {}, version)])
        winner, conflict = one_winner(results, [display_name(app, "cgw-staff"), display_name(app, "cgw-staff-2")])
        assert conflict.code == "stale" and conflict.detail["by"] == winner
        assert conflict.detail["version"] == version + 1
        seen = look(app, number)
        assert seen.version == version + 1 and [e[1] for e in seen.events].count("sign") == 1


def test_the_lead_and_a_co_handler_signing_at_once_both_count(app):
    for _ in range(ROUNDS):
        number = dispatched_to_cgw(app, co="zjw")
        before = look(app, number)
        results = at_once(app, number, [("cgw-staff", "sign", {}, None), ("zjw-staff", "sign", {}, None)])
        assert all(isinstance(r, str) for r in results), results  # neither waits in vain: both are taken
        assert sorted(results) in (["in_progress", "in_progress"], ["dispatched", "in_progress"])
        seen = look(app, number)
        assert seen.state == "in_progress" and seen.version == before.version + 2
        assert [a["status"] for a in seen.assignments] == ["signed", "signed"]
        assert [e[1] for e in seen.events].count("sign") == 2


def test_a_reply_and_a_return_at_once(app):
    """The lead replies while its colleague returns the case: whichever comes second is refused — a return
    after the reply by the state (409); a reply after the return finds the case gone from the department
    (a returned case is with the centre until the return is reviewed: 404)."""
    make_user(app, "cgw-staff-2", "a long password", role="staff", department_id=dept(app, "cgw"))
    for _ in range(ROUNDS):
        number = dispatched_to_cgw(app)
        step(app, number, "cgw-staff", "sign")
        before = look(app, number)
        results = at_once(app, number, [("cgw-staff", "reply", {"text": "已处理", "resolved": True}, None),
                                        ("cgw-staff-2", "return", {"reason": "非本单位职责"}, None)])
        done = [r for r in results if isinstance(r, str)]
        assert len(done) == 1 and done[0] in ("replied", "returned"), results
        loser = next(r for r in results if not isinstance(r, str))
        assert isinstance(loser, Conflict if done[0] == "replied" else NotFound)
        seen = look(app, number)
        assert seen.state == done[0] and seen.version == before.version + 1
        assert len(seen.events) == len(before.events) + 1
