"""Loads the fictional demo city. Idempotent: rows are matched by code and updated in place; the demo dispatch
catalogue is loaded only into an empty catalogue (see seed_catalogue)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from hotline.clock import now
from hotline.domain.roles import Role
from hotline.models import Area, Category, Department, RoutingCatalogueVersion, RoutingRule, User
from hotline.seed import demo_catalogue, demo_city, demo_geo
from hotline.services import knowledge, routing

DEMO_PASSWORD = "hotline-demo"
DEPARTMENT_LEVEL = {"centre": 1, "city_bureau": 1, "utility": 1, "district_gov": 2, "district_bureau": 2,
                    "street_office": 3}
CENTRE_USERS = (
    ("admin", Role.ADMIN, "赵敏（系统管理员）"),
    ("supervisor", Role.SUPERVISOR, "孙浩（值班长）"),
    ("dispatcher", Role.DISPATCHER, "周婷（派单员）"),
    ("operator", Role.OPERATOR, "李娜（话务员）"),
)


class DemoRefused(RuntimeError):
    pass


def seed_demo(session: Session, production: bool) -> dict[str, int]:
    if production:
        raise DemoRefused("the demo city and its users are refused when HOTLINE_ENV=production")
    areas = _upsert_areas(session)
    departments = _upsert_departments(session, areas)
    categories = _upsert_categories(session)
    users = _upsert_users(session, departments)
    session.flush()
    rules = seed_catalogue(session)
    articles = knowledge.seed_demo_articles(session, now().date())
    places = demo_geo.seed(session)
    session.commit()
    return {"areas": len(areas), "departments": len(departments), "categories": categories, "users": users,
            "rules": rules, "articles": articles, **places}


def seed_catalogue(session: Session) -> int:
    """The demo dispatch catalogue as version 1, only into an empty catalogue (no rules and no versions):
    rules someone has written, or a catalogue someone emptied on purpose, are never overwritten.
    The caller commits."""
    if session.scalar(select(RoutingRule.id).limit(1)) or session.scalar(select(RoutingCatalogueVersion.version)
                                                                        .limit(1)):
        return 0
    for position, seed in enumerate(demo_catalogue.RULES, start=1):
        session.add(RoutingRule(
            position=position, name=seed.name, active=True, track=seed.track, kinds=list(seed.kinds),
            categories=list(seed.categories), areas=list(seed.areas), urgencies=list(seed.urgencies),
            keywords=list(seed.keywords), lead=seed.lead, co=list(seed.co), mode=seed.mode, note=seed.note))
    session.flush()
    routing.save_version(session, None, "demo catalogue")
    return len(demo_catalogue.RULES)


def _by_code(session: Session, model) -> dict[str, object]:
    return {row.code: row for row in session.scalars(select(model))}


def _upsert_areas(session: Session) -> dict[str, Area]:
    existing = _by_code(session, Area)
    for seed in demo_city.AREAS:  # districts come before their streets in the data
        area = existing.get(seed.code) or Area(code=seed.code)
        area.name, area.name_en, area.level = seed.name, seed.name_en, 1 if seed.parent is None else 2
        area.parent = existing[seed.parent] if seed.parent else None
        session.add(area)
        existing[seed.code] = area
    session.flush()
    return existing


def _upsert_departments(session: Session, areas: dict[str, Area]) -> dict[str, Department]:
    existing = _by_code(session, Department)
    for seed in sorted(demo_city.DEPARTMENTS, key=lambda d: d.parent is not None):
        dept = existing.get(seed.code) or Department(code=seed.code)
        dept.name, dept.short_name, dept.name_en, dept.kind = seed.name, seed.short_name, seed.name_en, seed.kind
        dept.level, dept.phone = DEPARTMENT_LEVEL[seed.kind], seed.phone
        dept.parent = existing[seed.parent] if seed.parent else None
        dept.area = areas[seed.area] if seed.area else None
        session.add(dept)
        existing[seed.code] = dept
    session.flush()
    return existing


def _upsert_categories(session: Session) -> int:
    existing = _by_code(session, Category)
    for order, seed in enumerate(demo_city.CATEGORIES):
        category = existing.get(seed.code) or Category(code=seed.code)
        category.name, category.name_en, category.sort_order = seed.name, seed.name_en, order
        category.level = 1 if seed.parent is None else 2
        category.parent = existing[seed.parent] if seed.parent else None
        category.keywords = " ".join(seed.keywords)
        session.add(category)
        existing[seed.code] = category
    session.flush()
    return len(existing)


def _upsert_users(session: Session, departments: dict[str, Department]) -> int:
    existing = {u.username: u for u in session.scalars(select(User))}
    password_hash = generate_password_hash(DEMO_PASSWORD, method="scrypt")  # once: scrypt is slow on purpose
    wanted = [(name, role, label, departments["centre"]) for name, role, label in CENTRE_USERS]
    wanted += [(f"{d.code}-staff", Role.STAFF, f"{d.short_name}承办人", d) for d in departments.values()]
    wanted += [(f"{d.code}-head", Role.HEAD, f"{d.short_name}负责人", d) for d in departments.values()
               if d.kind != "centre"]  # the centre is run by its supervisors
    created = 0
    for username, role, display_name, department in wanted:
        if username in existing:
            continue
        session.add(User(username=username, password_hash=password_hash, display_name=display_name,
                         role=role, department=department, is_demo=True))
        created += 1
    return created
