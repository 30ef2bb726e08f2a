"""What a person does in a browser, done with the test client: read the form, fill it, send it."""
from __future__ import annotations

import re
from html import unescape

from sqlalchemy import select

DEMO_PASSWORD = "hotline-demo"


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no hidden field {name} in the page"
    return unescape(match.group(1))


def login(client, username: str, password: str = DEMO_PASSWORD, follow: bool = False):
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": hidden_value(page, "csrf_token"), "username": username,
                                       "password": password}, follow_redirects=follow)


def logout(client):
    page = client.get("/").get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": hidden_value(page, "csrf_token")})


def some_category_and_area(app, category_code="city.noise-construction", area_code="dh-xhj") -> tuple[int, int]:
    from hotline.extensions import db
    from hotline.models import Area, Category

    with app.app_context():
        category = db.session.scalar(select(Category).where(Category.code == category_code))
        area = db.session.scalar(select(Area).where(Area.code == area_code))
        return category.id, area.id


def complaint(app, **overrides) -> dict:
    category_id, area_id = some_category_and_area(app)
    data = {
        "kind": "complaint", "category_id": str(category_id), "area_id": str(area_id),
        "location_text": "东湖区西湖路 88 号工地",
        "description": "工地每天夜里十一点以后还在施工，噪音很大，影响休息。",
        "name": "王小明", "phone": "138 1234 5678",
    }
    data.update(overrides)
    return data


def file_complaint(client, data: dict, follow: bool = False):
    """Files on the public form as a citizen whose number this browser has proved (signed in on the portal), so
    the form registers at once; the code step itself is tested in tests/integration/test_filing*.py."""
    from tests.integration.filing_helpers import sign_in_as_citizen

    sign_in_as_citizen(client, data.get("phone"))
    page = client.get("/file").get_data(as_text=True)
    form = {"csrf_token": hidden_value(page, "csrf_token"),
            "submission_key": hidden_value(page, "submission_key"), **data}
    return client.post("/file", data=form, follow_redirects=follow)


def case_number_from(response) -> str:
    location = response.headers["Location"]
    return location.rsplit("/", 1)[-1]


def make_user(app, username: str, password: str, role: str = "staff", department_id: int | None = None,
              active: bool = True) -> None:
    from hotline.extensions import db
    from hotline.models import User

    with app.app_context():
        user = User(username=username, display_name=username, role=role, department_id=department_id, active=active)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()


def act(app, number: str, username: str, action: str, **fields):
    """One lifecycle step, as `username`, through the one service that changes cases."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import handling

    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        case = handling.act(db.session, number, action, user, fields, handling.Context(now=now()))
        return case.state


def department_id(app, code: str) -> int:
    from hotline.extensions import db
    from hotline.models import Department

    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.code == code))


def dispatch(app, number: str, lead: str, *co: str) -> str:
    return act(app, number, "dispatcher", "dispatch", lead_department_id=department_id(app, lead),
               co_department_ids=[department_id(app, c) for c in co])
