"""The SLA-policy pages: the list, editing with validation (what was typed stays), the track-wide rows that
cannot go, who may do what — and that an edit changes the deadlines of cases dispatched afterwards only."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from tests.helpers import hidden_value, login
from tests.integration.lifecycle_helpers import dept, end_of, local, new_case, step

SCOPE_FIELDS = ("track", "kind", "urgency", "clock")


@pytest.fixture(autouse=True)
def policies_kept(app):
    """Whatever a test does to the policies is undone: the same rows, with the same ids."""
    from hotline.extensions import db
    from hotline.models import SlaPolicy
    from hotline.services import sla

    columns = [c.key for c in SlaPolicy.__table__.columns]
    with app.app_context():
        rows = [{c: getattr(r, c) for c in columns} for r in db.session.scalars(select(SlaPolicy))]
    yield
    with app.app_context():
        db.session.rollback()
        if [{c: getattr(r, c) for c in columns} for r in db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.id))] \
                != sorted(rows, key=lambda r: r["id"]):
            db.session.execute(delete(SlaPolicy))
            db.session.add_all(SlaPolicy(**row) for row in rows)
            db.session.commit()
        sla.forget()


def policy(app, track="hotline", kind="", urgency="", clock="handle"):
    from hotline.extensions import db
    from hotline.models import SlaPolicy

    with app.app_context():
        row = db.session.scalar(select(SlaPolicy).where(SlaPolicy.track == track, SlaPolicy.kind == kind,
                                                        SlaPolicy.urgency == urgency, SlaPolicy.clock == clock))
        if row is not None:
            db.session.expunge(row)
        return row


def policy_count(app) -> int:
    from hotline.extensions import db
    from hotline.models import SlaPolicy

    with app.app_context():
        return len(db.session.scalars(select(SlaPolicy.id)).all())


def logged(app, prefix: str = "sla_policy") -> list[tuple[str, str]]:
    from hotline.extensions import db
    from hotline.models import AccessLog

    with app.app_context():
        return [tuple(r) for r in db.session.execute(select(AccessLog.action, AccessLog.detail)
                                                     .where(AccessLog.action.startswith(prefix))
                                                     .order_by(AccessLog.id))]


def english(client, username="admin"):
    login(client, username)
    client.get("/?lang=en")
    return client


def form_of(client, url: str, **fields) -> dict:
    page = client.get(url).get_data(as_text=True)
    data = {"csrf_token": hidden_value(page, "csrf_token")}
    if "stamp" in page:
        data["stamp"] = hidden_value(page, "stamp")
    for name in (*SCOPE_FIELDS, "amount", "unit", "warn_percent", "warn_left_amount", "warn_left_unit"):
        data[name] = _value(page, name)
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def _value(page: str, name: str) -> str:
    """What the form shows in an input or a select (its selected option), as a browser would send it."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    if found:
        return found.group(1)
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select_:
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_.group(1))
        first = re.search(r'<option[^>]*value="([^"]*)"', select_.group(1))
        return (chosen.group(1) or chosen.group(2)) if chosen else (first.group(1) if first else "")
    return ""


def test_the_list_shows_every_policy_and_says_stamped_deadlines_do_not_move(app, client):
    english(client)
    html = client.get("/admin/sla").get_data(as_text=True)
    assert len(re.findall(r'data-policy="\d+"', html)) == policy_count(app) == 20
    assert 'data-scope="hotline///handle"' in html and 'data-scope="petition///accept"' in html
    assert re.search(r'data-scope="hotline//urgent/sign"[^>]*>.*?data-limit="15 minutes"', html, re.S)
    assert "never changes a deadline already stamped" in html
    assert "/admin/sla/new" in html and html.count("/admin/sla/") >= 18


def test_editing_a_policy_changes_the_deadlines_of_later_dispatches_only(app, client):
    from hotline.extensions import db
    from hotline.models import Case, User

    earlier = new_case(app, local(2026, 11, 2, 9))
    step(app, earlier, "dispatcher", "dispatch", at=local(2026, 11, 2, 10), lead_department_id=dept(app, "dh-cgj"),
         co_department_ids=[])
    english(client)
    row = policy(app)
    response = client.post(f"/admin/sla/{row.id}", data=form_of(client, f"/admin/sla/{row.id}", amount="7"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/sla#policy-{row.id}")
    edited = policy(app)
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    assert (edited.amount, edited.unit, edited.updated_by_id) == (7, "working_days", admin_id)
    assert edited.updated_at > row.updated_at
    assert logged(app) == [("sla_policy_changed", f"#{row.id} hotline/*/*/handle: 5 working_days; warn 75%, "
                                                  f"1 working_days left → hotline/*/*/handle: 7 working_days; "
                                                  f"warn 75%, 1 working_days left")]
    later = new_case(app, local(2026, 11, 2, 9))
    step(app, later, "dispatcher", "dispatch", at=local(2026, 11, 2, 10), lead_department_id=dept(app, "dh-cgj"),
         co_department_ids=[])
    with app.app_context():
        due = dict(db.session.execute(select(Case.number, Case.reply_due_at)
                                      .where(Case.number.in_([earlier, later]))).tuples().all())
    assert due[earlier] == end_of(2026, 11, 9)  # 5 working days, as stamped: the edit did not move it
    assert due[later] == end_of(2026, 11, 11)  # 7 working days
    assert "Deadlines already stamped on cases are unchanged" in client.get("/admin/sla").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "errors"), [
    ({"amount": "0"}, {"amount": "A whole number from 1 to 10000."}),
    ({"amount": "2.5"}, {"amount": "Enter a whole number."}),
    ({"amount": "", "unit": "fortnights"}, {"amount": "This is required.", "unit": "Choose one of the options."}),
    ({"warn_percent": "120"}, {"warn_percent": "A percentage from 1 to 99, or leave it empty."}),
    ({"warn_left_amount": "5", "warn_left_unit": "working_days"},
     {"warn_left_amount": "The warning must come before the deadline"}),
    ({"warn_left_amount": "2", "warn_left_unit": ""}, {"warn_left_unit": "Choose the unit too"}),
    ({"warn_left_amount": "", "warn_left_unit": "hours"}, {"warn_left_amount": "Give the amount too"}),
    ({"kind": "complaint"}, {"kind": "its track, kind, urgency and clock stay as they are"}),
])
def test_a_bad_edit_is_refused_field_by_field_keeps_what_was_typed_and_writes_nothing(app, client, fields, errors):
    english(client)
    row = policy(app)
    data = form_of(client, f"/admin/sla/{row.id}", **fields)
    response = client.post(f"/admin/sla/{row.id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    for name, text in errors.items():
        assert re.search(rf'id="{name}-msg" role="alert">[^<]*{re.escape(text)}', html) or (
            name == "kind" and text in html), (name, text)
    for name in ("amount", "warn_percent", "warn_left_amount"):
        if fields.get(name):
            assert f'value="{fields[name]}"' in html, name
    after = policy(app)
    assert (after.amount, after.unit, after.warn_percent, after.updated_at) == (
        row.amount, row.unit, row.warn_percent, row.updated_at)
    assert logged(app) == []


def test_a_narrower_policy_can_be_added_and_deleted_but_not_twice_for_the_same_cases(app, client):
    english(client)
    fields = form_of(client, "/admin/sla/new", kind="complaint", urgency="", clock="handle", amount="4",
                     unit="working_days", warn_percent="50")
    assert client.post("/admin/sla/new", data=fields).status_code == 302
    added = policy(app, kind="complaint")
    assert (added.amount, added.warn_percent, added.warn_left_amount) == (4, 50, None)
    again = client.post("/admin/sla/new", data=form_of(client, "/admin/sla/new", kind="complaint", clock="handle",
                                                       amount="6", unit="working_days"))
    assert again.status_code == 422 and "There is already a policy for this track" in again.get_data(as_text=True)
    wrong_track = client.post("/admin/sla/new", data=form_of(client, "/admin/sla/new", track="petition",
                                                             kind="complaint", clock="handle", amount="6",
                                                             unit="working_days"))
    assert wrong_track.status_code == 422 and "not on the chosen track" in wrong_track.get_data(as_text=True)
    wrong_clock = client.post("/admin/sla/new", data=form_of(client, "/admin/sla/new", track="petition",
                                                             clock="callback", amount="6", unit="working_days"))
    assert wrong_clock.status_code == 422 and "not one of the chosen track" in wrong_clock.get_data(as_text=True)
    page = client.get(f"/admin/sla/{added.id}").get_data(as_text=True)
    assert f"/admin/sla/{added.id}/delete" in page
    token = hidden_value(page, "csrf_token")
    assert client.post(f"/admin/sla/{added.id}/delete", data={"csrf_token": token}).status_code == 302
    assert policy(app, kind="complaint") is None
    assert [a for a, _ in logged(app)] == ["sla_policy_added", "sla_policy_deleted"]


def test_the_track_wide_policy_of_a_clock_cannot_be_deleted(app, client):
    english(client)
    row = policy(app, track="petition", clock="accept")
    page = client.get(f"/admin/sla/{row.id}").get_data(as_text=True)
    assert f"/admin/sla/{row.id}/delete" not in page and "cannot be narrowed or deleted" in page
    response = client.post(f"/admin/sla/{row.id}/delete", data={"csrf_token": hidden_value(page, "csrf_token")},
                           follow_redirects=True)
    assert "cannot be deleted" in response.get_data(as_text=True)
    assert policy(app, track="petition", clock="accept") is not None and logged(app) == []


def test_an_edit_made_meanwhile_by_someone_else_is_not_overwritten(app, client):
    english(client)
    row = policy(app)
    stale = form_of(client, f"/admin/sla/{row.id}", amount="8")
    assert client.post(f"/admin/sla/{row.id}", data=form_of(client, f"/admin/sla/{row.id}", amount="6")) \
        .status_code == 302
    response = client.post(f"/admin/sla/{row.id}", data=stale)
    assert response.status_code == 409 and 'value="8"' in response.get_data(as_text=True)
    assert policy(app).amount == 6


@pytest.mark.parametrize("username", ["operator", "dispatcher", "dh-cgj-staff", "cgw-staff"])
def test_everyone_outside_administration_is_refused(app, client, username):
    row = policy(app)
    login(client, username)
    for url in ("/admin/sla", "/admin/sla/new", f"/admin/sla/{row.id}"):
        assert client.get(url).status_code == 403, url
    token = hidden_value(client.get("/").get_data(as_text=True), "csrf_token")
    for url in ("/admin/sla/new", f"/admin/sla/{row.id}", f"/admin/sla/{row.id}/delete"):
        assert client.post(url, data={"csrf_token": token, "amount": "1", "unit": "hours"}).status_code == 403, url
    assert policy(app).amount == row.amount and logged(app) == []


def test_a_supervisor_reads_the_policies_but_does_not_change_them(app, client):
    row = policy(app)
    login(client, "supervisor")
    html = client.get("/admin/sla").get_data(as_text=True)
    assert 'data-policy="' in html and "/admin/sla/new" not in html and f"/admin/sla/{row.id}" not in html
    for url in ("/admin/sla/new", f"/admin/sla/{row.id}"):
        assert client.get(url).status_code == 403, url
    token = hidden_value(html, "csrf_token")
    assert client.post(f"/admin/sla/{row.id}", data={"csrf_token": token, "amount": "1"}).status_code == 403
    assert client.post(f"/admin/sla/{row.id}/delete", data={"csrf_token": token}).status_code == 403


def test_a_form_without_its_csrf_token_is_refused(app, client):
    english(client)
    row = policy(app)
    data = form_of(client, f"/admin/sla/{row.id}", amount="9")
    data.pop("csrf_token")
    assert client.post(f"/admin/sla/{row.id}", data=data).status_code == 400
    assert client.post(f"/admin/sla/{row.id}/delete").status_code == 400
    assert policy(app).amount == row.amount
