"""Helpers for the screen tests: read a case page as a person would, fill one action's form, send it.
(No tests here; the other test_screens_* modules import these.)"""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from tests.helpers import case_number_from, complaint, file_complaint, hidden_value, login


def file_case(app, **overrides) -> str:
    """A citizen files on the public form, as in the first step of the loop."""
    return case_number_from(file_complaint(app.test_client(), complaint(app, **overrides)))


def register_case(app, description: str = "小区门口路灯不亮已经一周，晚上出行很不方便。", **overrides) -> str:
    """An operator registers a phone call through the intake service (the public form is rate-limited)."""
    from hotline.clock import now
    from hotline.domain.kinds import Channel, Kind, Track
    from hotline.extensions import db
    from hotline.services import intake
    from tests.helpers import some_category_and_area

    category_id, area_id = some_category_and_area(app)
    fields = {"track": Track.HOTLINE, "kind": Kind.COMPLAINT, "channel": Channel.PHONE, "description": description,
              "category_id": category_id, "area_id": area_id, "location_text": "东湖区西湖路 12 号",
              "name": "陈女士", "phone": "+8613900001111", **overrides}
    with app.test_request_context():
        ctx = intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")
        return intake.register(db.session, intake.NewCase(**fields), ctx).number


def signed_in(app, username: str):
    client = app.test_client()
    response = login(client, username)
    assert response.status_code == 302, username
    return client


def html_of(response) -> str:
    return response.get_data(as_text=True)


def offered(html: str, number: str) -> set[str]:
    """The actions the case page offers: one form per action."""
    return set(re.findall(rf'action="/cases/{re.escape(number)}/actions/([a-z-]+)"', html))


def action_form(html: str, number: str, action: str) -> str:
    match = re.search(rf'<form method="post" action="/cases/{re.escape(number)}/actions/{action}"[^>]*>(.*?)</form>',
                      html, re.S)
    assert match, f"the page offers no {action} form"
    return match.group(1)


def typed_value(html: str, name: str) -> str:
    """What an input or textarea shows, to check that what was typed is still there."""
    area = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    if area:
        return unescape(area.group(1)).strip()
    return hidden_value(html, name)


def post_action(client, number: str, action: str, page: str | None = None, **fields):
    """Open the case page (or use `page`, as loaded earlier), fill the action's form and send it."""
    if page is None:
        response = client.get(f"/cases/{number}")
        assert response.status_code == 200
        page = html_of(response)
    form = action_form(page, number, action)
    data = {f"{action}-csrf_token": hidden_value(form, f"{action}-csrf_token"),
            f"{action}-version": hidden_value(form, f"{action}-version")}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/cases/{number}/actions/{action}", data=data)


def post_unoffered(client, number: str, action: str, page: str, **fields):
    """Send an action the page does not offer, with a valid CSRF token from the page."""
    data = {"csrf_token": hidden_value(page, "csrf_token"),
            **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(f"/cases/{number}/actions/{action}", data=data)


def case_row(app, number: str):
    from hotline.extensions import db
    from hotline.models import Case

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        db.session.expunge(case)
        return case


def event_count(app, number: str) -> int:
    from hotline.extensions import db
    from hotline.models import Case, CaseEvent

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CaseEvent).join(Case)
                                 .where(Case.number == number))


def display_name(app, username: str) -> str:
    from hotline.extensions import db
    from hotline.models import User

    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.username == username))


def user_actor(app, username: str):
    from hotline.extensions import db
    from hotline.models import User

    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username)).actor


def allowed_for(app, number: str, username: str) -> set[str]:
    from hotline.clock import now
    from hotline.domain import lifecycle
    from hotline.extensions import db
    from hotline.models import Case

    actor = user_actor(app, username)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        return {a.value for a in lifecycle.allowed_actions(case.view(now()), actor)}


def visible_to(app, number: str, username: str) -> bool:
    from hotline.domain.access import can_view_case
    from hotline.extensions import db
    from hotline.models import Case

    actor = user_actor(app, username)
    with app.app_context():
        return can_view_case(actor, db.session.scalar(select(Case).where(Case.number == number)).scope)
