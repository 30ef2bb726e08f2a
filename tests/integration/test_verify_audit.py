"""`flask hotline verify-audit`: every history verifies until someone edits the database behind the
application's back; then it fails and names that case, and only that case."""
from __future__ import annotations

from sqlalchemy import select, text

from hotline.extensions import db
from hotline.models import Case, User
from hotline.services.audit import broken_chains
from tests.integration.lifecycle_helpers import dept, new_case, step


def handled_cases(app, count: int = 3) -> list[str]:
    numbers = []
    for _ in range(count):
        number = new_case(app)
        step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"),
             co_department_ids=[dept(app, "zjw")], note="请办理")
        step(app, number, "cgw-staff", "sign")
        step(app, number, "cgw-staff", "reply", text="已处理", resolved=True)
        numbers.append(number)
    return numbers


def verify(app):
    return app.test_cli_runner().invoke(args=["hotline", "verify-audit"])


def sql(app, statement: str, number: str, **params) -> int:
    """Runs `statement` with :case_id bound to the case's id, as someone with a database console would."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        result = db.session.execute(text(statement), {"case_id": case_id, **params})
        db.session.commit()
        return result.rowcount


def altered(output: str) -> list[str]:
    return [line.split()[1].rstrip(":") for line in output.splitlines() if line.startswith("ALTERED ")]


def test_good_histories_verify(app):
    handled_cases(app)
    result = verify(app)
    assert result.exit_code == 0, result.output
    assert "every case history verifies" in result.output


def test_an_event_note_edited_in_the_database_is_reported(app):
    numbers = handled_cases(app)
    assert sql(app, "UPDATE case_event SET note = '已妥善处理' WHERE case_id = :case_id AND seq = 2", numbers[1]) == 1
    result = verify(app)
    assert result.exit_code != 0
    assert altered(result.output) == [numbers[1]]
    assert "event 2 was altered" in result.output and "1 case(s)" in result.output


def test_an_event_deleted_in_the_database_is_reported(app):
    numbers = handled_cases(app)
    assert sql(app, "DELETE FROM case_event WHERE case_id = :case_id AND seq = 3", numbers[0]) == 1
    result = verify(app)
    assert result.exit_code != 0 and altered(result.output) == [numbers[0]]
    assert "event 3 is missing" in result.output


def test_a_whole_history_deleted_is_reported(app):
    numbers = handled_cases(app)
    sql(app, "DELETE FROM case_event WHERE case_id = :case_id", numbers[2])
    result = verify(app)
    assert result.exit_code != 0 and altered(result.output) == [numbers[2]]


def test_two_events_swapped_in_the_database_are_reported(app):
    numbers = handled_cases(app)
    swap = "UPDATE case_event SET seq = :to WHERE case_id = :case_id AND seq = :seq"
    sql(app, swap, numbers[1], seq=2, to=99)
    sql(app, swap, numbers[1], seq=3, to=2)
    sql(app, swap, numbers[1], seq=99, to=3)
    result = verify(app)
    assert result.exit_code != 0 and altered(result.output) == [numbers[1]]


def test_a_rewritten_actor_and_a_rewritten_state_are_reported(app):
    numbers = handled_cases(app)
    sql(app, "UPDATE case_event SET actor_label = '别人' WHERE case_id = :case_id AND action = 'sign'", numbers[0])
    sql(app, "UPDATE case_event SET to_state = 'closed' WHERE case_id = :case_id AND seq = 4", numbers[2])
    result = verify(app)
    assert result.exit_code != 0 and sorted(altered(result.output)) == sorted([numbers[0], numbers[2]])


def test_verification_pages_through_cases_and_leaves_the_callers_session_alone(app):
    numbers = handled_cases(app, count=5)
    sql(app, "UPDATE case_event SET note = 'x' WHERE case_id = :case_id AND seq = 2", numbers[3])
    with app.app_context():
        me = db.session.scalar(select(User).where(User.username == "supervisor"))
        assert [number for number, _ in broken_chains(db.session, batch=2)] == [numbers[3]]
        assert me in db.session and me.display_name


def test_the_last_events_cut_from_a_history_are_reported(app):
    """The case row keeps the chain's head, so cutting events from the end shows too."""
    numbers = handled_cases(app)
    assert sql(app, "DELETE FROM case_event WHERE case_id = :case_id AND seq >= 3", numbers[2]) == 2
    result = verify(app)
    assert result.exit_code != 0
    assert altered(result.output) == [numbers[2]]
    assert "the case records 4 events" in result.output
