"""Shared by the catalogue page tests: the catalogue is put back as it was after each test (whatever the
demo seed holds), and rules are made the way an admin makes them."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from tests.helpers import hidden_value, login

BASE_RULE = {
    "name": "施工噪声 → 区城管", "track": "hotline", "kinds": ["complaint"], "categories": ["city.noise-construction"],
    "areas": ["dh"], "urgencies": [], "keywords": "", "lead": "district:cgj", "co": ["street_office"],
    "mode": "auto", "active": "y", "note": "", "position": "",
}


@pytest.fixture
def catalogue_kept(app):
    """Whatever the test does to the catalogue is undone: the same rules (same ids), no new versions."""
    from hotline.extensions import db
    from hotline.models import RoutingCatalogueVersion, RoutingRule
    from hotline.services import routing

    with app.app_context():
        rows = [r.snapshot() | {"updated_at": r.updated_at, "updated_by_id": r.updated_by_id}
                for r in db.session.scalars(select(RoutingRule))]
        top = db.session.scalar(select(func.max(RoutingCatalogueVersion.version))) or 0
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(delete(RoutingRule))
        db.session.execute(delete(RoutingCatalogueVersion).where(RoutingCatalogueVersion.version > top))
        for row in rows:
            db.session.add(RoutingRule(**row))
        db.session.commit()
        routing.forget()


@pytest.fixture
def empty_catalogue(app, catalogue_kept):
    """No rules at all (the demo seed may have some), so positions and counts are the test's own."""
    from hotline.extensions import db
    from hotline.models import RoutingRule
    from hotline.services import routing

    with app.app_context():
        db.session.execute(delete(RoutingRule))
        routing.save_version(db.session, None, "test: empty catalogue")
        db.session.commit()


def sign_in(client, username: str, lang: str = "en"):
    login(client, username)
    return speak(client, lang)


def speak(client, lang: str):
    client.get(f"/?lang={lang}")
    return client


def form_data(client, url: str = "/admin/catalogue/new", **overrides) -> dict:
    page = client.get(url).get_data(as_text=True)
    data = {**BASE_RULE, **overrides, "csrf_token": hidden_value(page, "csrf_token")}
    if url != "/admin/catalogue/new" and "stamp" not in overrides:
        data["stamp"] = hidden_value(page, "stamp")
    return {k: v for k, v in data.items() if v is not None}


def csrf(client, url: str = "/admin/catalogue") -> str:
    return hidden_value(client.get(url).get_data(as_text=True), "csrf_token")


def rules(app) -> list[tuple[int, int, str, bool]]:
    """(position, id, name, active) in order."""
    from hotline.extensions import db
    from hotline.models import RoutingRule

    with app.app_context():
        return [(r.position, r.id, r.name, r.active) for r in db.session.scalars(
            select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))]


def latest_version(app):
    """(version, who's username, note, snapshot) of the newest catalogue version."""
    from hotline.extensions import db
    from hotline.models import RoutingCatalogueVersion, User

    with app.app_context():
        v = db.session.scalar(select(RoutingCatalogueVersion).order_by(RoutingCatalogueVersion.version.desc()))
        who = db.session.get(User, v.created_by_id) if v.created_by_id else None
        return v.version, who.username if who else None, v.note, v.snapshot


def current_snapshot(app) -> list[dict]:
    from hotline.extensions import db
    from hotline.models import RoutingRule

    with app.app_context():
        return [r.snapshot() for r in db.session.scalars(
            select(RoutingRule).order_by(RoutingRule.position, RoutingRule.id))]


def add_rules(app, *specs, username: str = "admin") -> list[int]:
    """Rules made through the service, as the form would; returns their ids."""
    from hotline.clock import now
    from hotline.domain.catalogue_csv import RuleSpec
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import catalogue

    ids = []
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        for spec in specs:
            spec = spec if isinstance(spec, RuleSpec) else RuleSpec(**spec)
            ids.append(catalogue.create(db.session, user, spec, lambda r: f"test: add {r.name}", at=now()).id)
    return ids


def set_department_active(app, code: str, active: bool) -> None:
    from hotline.extensions import db
    from hotline.models import Department

    with app.app_context():
        db.session.scalar(select(Department).where(Department.code == code)).active = active
        db.session.commit()


def add_decisions(app, number: str, rule_id: int, routed: int, returned: int) -> None:
    """`routed` decisions of a rule (all for the case `number`), the first `returned` of them sent back."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Case, RoutingDecision

    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        db.session.add_all(RoutingDecision(case_id=case_id, at=now(), version=1, rule_id=rule_id, rule_position=1,
                                           mode="auto", outcome="dispatched", returned=n < returned)
                           for n in range(routed))
        db.session.commit()
