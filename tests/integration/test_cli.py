"""`flask hotline ...`: the demo city, and creating users."""
from __future__ import annotations

from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import Area, Category, Department, User


def test_seed_demo_builds_the_demo_city_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["hotline", "seed-demo"])  # the fixture seeded already: this is the second run
    assert first.exit_code == 0, first.output
    assert "0 new users" in first.output
    with app.app_context():
        districts = db.session.scalar(select(func.count()).where(Area.level == 1))
        streets = db.session.scalar(select(func.count()).where(Area.level == 2))
        departments = db.session.scalar(select(func.count()).select_from(Department))
        subcategories = db.session.scalar(select(func.count()).where(Category.level == 2))
        assert districts >= 3 and streets >= 12 and departments >= 20 and subcategories >= 40
        assert db.session.scalar(select(func.count()).select_from(Area)) == districts + streets
        for code in ("cgw", "zjw", "jtw", "scjgj", "rsj", "sthjj", "swj", "gdgs", "rqjt"):
            department = db.session.scalar(select(Department).where(Department.code == code))
            user = db.session.scalar(select(User).where(User.username == f"{code}-staff"))
            assert user.department_id == department.id and user.role == "staff"
        staff = db.session.scalar(select(func.count()).where(User.username.like("%-staff")))
        assert staff == departments
        for name in ("admin", "supervisor", "dispatcher", "operator"):
            assert db.session.scalar(select(User).where(User.username == name)).check_password("hotline-demo")


def test_every_street_office_sits_in_its_street_under_its_district_government(app):
    with app.app_context():
        offices = db.session.scalars(select(Department).where(Department.kind == "street_office")).all()
        assert offices
        for office in offices:
            assert office.area.level == 2
            assert office.parent.kind == "district_gov" and office.parent.area_id == office.area.parent_id


def test_seed_demo_is_refused_in_production(app):
    app.config["HOTLINE_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["hotline", "seed-demo"])
    finally:
        app.config["HOTLINE_ENV"] = "testing"
    assert result.exit_code != 0 and "refused" in result.output


def test_create_user(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hotline", "create-user", "li.clerk", "--role", "staff", "--name", "李文员",
                                 "--department", "dh-cgj"], input="a long password\na long password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "li.clerk"))
        assert user.department.code == "dh-cgj" and user.check_password("a long password") and not user.is_demo


def test_create_user_refuses_staff_without_a_department(app):
    result = app.test_cli_runner().invoke(
        args=["hotline", "create-user", "x", "--role", "staff", "--name", "X"], input="a long password\n" * 2)
    assert result.exit_code != 0 and "--department" in result.output
