"""The working-calendar pages: a year at a glance, entering a year's notice (validated, all or nothing),
reloading the chinese-calendar package without overwriting what an administrator entered, the warning about
a year without a notice, and who may do what."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from tests.helpers import hidden_value, login
from tests.unit.calendars import PACKAGE_YEARS, days

NOTICE_2027 = "国办发明电〔2026〕9号（测试）"
HOLIDAYS_2027 = "2027-01-01..2027-01-03 元旦\n2027-02-06..2027-02-13 春节\n2027-10-01..2027-10-07 国庆节"
WORKING_2027 = "2027-02-20 春节\n2027-10-09 国庆节"


@pytest.fixture(autouse=True)
def calendar_kept(app):
    """Whatever a test does to the calendar is undone: the same years, the same days, the same sources."""
    from hotline.extensions import db
    from hotline.models import CalendarDay, CalendarYear
    from hotline.services import sla

    with app.app_context():
        years = [(r.year, r.source, r.notice, r.entered_by_id, r.entered_at) for r in db.session.scalars(
            select(CalendarYear))]
        rows = [(r.day, r.year, r.kind, r.name) for r in db.session.scalars(select(CalendarDay))]
    yield
    with app.app_context():
        db.session.rollback()
        now_years = {(r.year, r.source, r.notice, r.entered_by_id, r.entered_at)
                     for r in db.session.scalars(select(CalendarYear))}
        now_rows = {(r.day, r.year, r.kind, r.name) for r in db.session.scalars(select(CalendarDay))}
        if now_years != set(years) or now_rows != set(rows):
            db.session.execute(delete(CalendarDay))
            db.session.execute(delete(CalendarYear))
            db.session.add_all(CalendarYear(year=y, source=s, notice=n, entered_by_id=b, entered_at=at)
                               for y, s, n, b, at in years)
            db.session.flush()
            db.session.add_all(CalendarDay(day=d, year=y, kind=k, name=n) for d, y, k, n in rows)
            db.session.commit()
        sla.forget()


def speak_english(client):
    client.get("/?lang=en")
    return client


def admin(client, username: str = "admin"):
    login(client, username)
    return speak_english(client)


def day_kinds(html: str) -> dict[date, str]:
    return {date.fromisoformat(d): k for d, k in re.findall(r'data-day="([\d-]+)" data-kind="(\w+)"', html)}


def year_row(app, year: int):
    from hotline.extensions import db
    from hotline.models import CalendarYear

    with app.app_context():
        row = db.session.get(CalendarYear, year)
        if row is not None:
            db.session.expunge(row)
        return row


def day_count(app, year: int) -> int:
    from hotline.extensions import db
    from hotline.models import CalendarDay

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(CalendarDay).where(CalendarDay.year == year))


def access_log(app, action: str) -> list[str]:
    from hotline.extensions import db
    from hotline.models import AccessLog

    with app.app_context():
        return list(db.session.scalars(select(AccessLog.detail).where(AccessLog.action == action)
                                       .order_by(AccessLog.id)))


def enter(client, year: int, **fields):
    page = client.get(f"/admin/calendar/{year}/enter").get_data(as_text=True)
    data = {"csrf_token": hidden_value(page, "csrf_token"), "notice": NOTICE_2027, "holidays": HOLIDAYS_2027,
            "working_days": WORKING_2027, **fields}
    return client.post(f"/admin/calendar/{year}/enter", data={k: v for k, v in data.items() if v is not None})


def test_2026_shows_the_national_day_week_and_its_make_up_saturdays(app, client):
    admin(client)
    response = client.get("/admin/calendar/2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-covered="yes"' in html
    kinds = day_kinds(html)
    assert len(kinds) == 365
    assert all(kinds[d] == "holiday" for d in days(date(2026, 10, 1), date(2026, 10, 7)))
    assert kinds[date(2026, 9, 20)] == "makeup" and kinds[date(2026, 10, 10)] == "makeup"  # a Sunday, a Saturday
    assert kinds[date(2026, 10, 8)] == "working" and kinds[date(2026, 10, 11)] == "weekend"
    assert kinds[date(2026, 2, 14)] == "makeup" and kinds[date(2026, 2, 17)] == "holiday"  # 春节
    assert 'data-first="2026-10-01" data-last="2026-10-07"' in html and "National Day" not in html  # named as 国庆节
    assert "国庆节" in html and "From the chinese-calendar package" in html


def test_a_year_without_a_notice_shows_weekends_only_and_says_it_is_provisional(app, client):
    admin(client)
    html = client.get("/admin/calendar/2027").get_data(as_text=True)
    assert 'data-covered="no"' in html and "Provisional" in html
    kinds = day_kinds(html)
    assert set(kinds.values()) == {"working", "weekend"}
    assert kinds[date(2027, 1, 1)] == "working" and kinds[date(2027, 1, 2)] == "weekend"
    assert 'href="/admin/calendar/2027/enter"' in html


def test_the_calendar_index_opens_the_asked_or_the_current_year(app, client):
    admin(client)
    assert client.get("/admin/calendar?year=2025").headers["Location"].endswith("/admin/calendar/2025")
    assert re.search(r"/admin/calendar/20\d\d$", client.get("/admin/calendar?year=x").headers["Location"])
    assert client.get("/admin/calendar/1999").status_code == 404


def test_entering_with_mistakes_keeps_what_was_typed_names_each_mistake_and_writes_nothing(app, client):
    admin(client)
    holidays = "2027-01-01 元旦\n2027-02-30 春节\n2027-10-01..2027-10-07 国庆节\n2028-01-03 元旦"
    working = "2027-02-22 春节\n2027-10-01 国庆节"
    response = enter(client, 2027, notice="", holidays=holidays, working_days=working)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2027-02-30 春节" in html and "2027-02-22 春节" in html  # both boxes as typed
    assert "Line 2, “2027-02-30 春节”" in html  # the line it could not read, by number
    assert "2028-01-03 is not in 2027." in html
    assert "2027-02-22 is a weekday" in html
    assert "2027-10-01 is listed both as a holiday and as a make-up working day." in html
    assert "Name the notice the days come from" in html
    assert year_row(app, 2027) is None and day_count(app, 2027) == 0 and access_log(app, "calendar_entered") == []


def test_a_valid_entry_covers_the_year_records_who_and_ends_the_warning(app, client):
    from hotline.models import User
    admin(client)
    assert "2027" in client.get("/cases/").get_data(as_text=True).split('data-missing-years="')[1].split('"')[0]
    response = enter(client, 2027)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar/2027#recompute")
    row = year_row(app, 2027)
    from hotline.extensions import db
    with app.app_context():
        admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    assert (row.source, row.notice, row.entered_by_id) == ("admin", NOTICE_2027, admin_id)
    assert day_count(app, 2027) == 3 + 8 + 7 + 2
    assert access_log(app, "calendar_entered") == [
        f"2027 new: 18 holidays, 2 make-up days; {NOTICE_2027}"]
    html = client.get("/admin/calendar/2027").get_data(as_text=True)
    kinds = day_kinds(html)
    assert 'data-covered="yes"' in html and kinds[date(2027, 2, 20)] == "makeup"
    assert kinds[date(2027, 2, 8)] == "holiday" and kinds[date(2027, 10, 9)] == "makeup"
    assert "Entered by an administrator" in html and NOTICE_2027 in html
    missing = re.search(r'data-missing-years="([\d,]*)"', client.get("/cases/").get_data(as_text=True))
    assert missing is None or "2027" not in missing.group(1).split(",")


def test_a_year_already_in_the_calendar_is_replaced_only_when_asked(app, client):
    admin(client)
    first = enter(client, 2026, holidays="2026-10-01..2026-10-08 国庆节", working_days="")
    assert first.status_code == 422 and "from the chinese-calendar package" in first.get_data(as_text=True)
    assert year_row(app, 2026).source == "chinese-calendar"
    page = client.get("/admin/calendar/2026/enter").get_data(as_text=True)
    assert "2026-10-01..2026-10-07 国庆节" in page and "2026-09-20 国庆节" in page  # starts from what it has
    replaced = enter(client, 2026, holidays="2026-10-01..2026-10-08 国庆节", working_days="", replace="y")
    assert replaced.status_code == 302
    assert year_row(app, 2026).source == "admin" and day_count(app, 2026) == 8
    again = enter(client, 2026, holidays="2026-10-01..2026-10-07 国庆节", working_days="")
    assert again.status_code == 422 and "An administrator has already entered this year" in again.get_data(
        as_text=True)
    assert day_count(app, 2026) == 8


def test_reloading_the_package_restores_its_years_and_keeps_the_administrators(app, client):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import CalendarDay, CalendarYear
    from hotline.services import calendars

    admin(client)
    assert enter(client, 2026, holidays="2026-10-01..2026-10-08 国庆节", working_days="", replace="y").status_code \
        == 302
    with app.app_context():
        db.session.execute(delete(CalendarDay).where(CalendarDay.year == 2025))
        db.session.execute(delete(CalendarYear).where(CalendarYear.year == 2025))
        db.session.commit()
    token = hidden_value(client.get("/admin/calendar/2025").get_data(as_text=True), "csrf_token")
    assert client.post("/admin/calendar/import", data={"csrf_token": token, "year": "2025"}).status_code == 302
    assert year_row(app, 2025).source == "chinese-calendar"
    assert day_count(app, 2026) == 8 and year_row(app, 2026).source == "admin"  # the administrator's year stays
    assert access_log(app, "calendar_imported") == ["chinese-calendar: loaded 2025; kept 2026"]
    with app.app_context():
        again = calendars.import_package(db.session, now())
    assert again.loaded == [] and again.kept == [2026] and set(again.unchanged) == PACKAGE_YEARS - {2026}
    html = client.get("/admin/calendar/2025").get_data(as_text=True)
    assert day_kinds(html)[date(2025, 10, 1)] == "holiday" and day_kinds(html)[date(2025, 9, 28)] == "makeup"


@pytest.mark.parametrize("username", ["admin", "supervisor"])
def test_administrators_and_supervisors_are_warned_about_a_year_without_a_notice(app, client, username):
    from hotline.clock import local, now
    today = local(now(), "Asia/Shanghai").date()
    expected = [y for y in (today.year, today.year + 1) if y not in PACKAGE_YEARS]
    login(client, username)
    html = speak_english(client).get("/cases/").get_data(as_text=True)
    assert f'data-missing-years="{",".join(map(str, expected))}"' in html
    link = f'/admin/calendar/{expected[-1]}/enter' if username == "admin" else f'/admin/calendar/{expected[-1]}"'
    assert link in html
    assert 'href="/admin/calendar"' in html and 'href="/admin/sla"' in html  # in the menu
    assert "calendar-warning" not in client.get(f"/admin/calendar/{expected[-1]}").get_data(as_text=True)


@pytest.mark.parametrize("username", ["operator", "dispatcher", "dh-cgj-staff", None])
def test_nobody_else_sees_the_warning_or_the_menu(app, client, username):
    if username:
        login(client, username)
    html = client.get("/cases/" if username in ("operator", "dispatcher") else "/").get_data(as_text=True)
    assert "calendar-warning" not in html and 'href="/admin/calendar"' not in html and 'href="/admin/sla"' not in html


READ = ["/admin/calendar", "/admin/calendar/2026"]
EDIT_PAGES = ["/admin/calendar/2027/enter"]
EDIT_POSTS = ["/admin/calendar/2027/enter", "/admin/calendar/import", "/admin/calendar/recompute"]


@pytest.mark.parametrize("username", ["operator", "dispatcher", "dh-cgj-staff", "cgw-staff"])
def test_everyone_outside_administration_is_refused(app, client, username):
    login(client, username)
    for url in READ + EDIT_PAGES:
        assert client.get(url).status_code == 403, url
    token = hidden_value(client.get("/").get_data(as_text=True), "csrf_token")
    for url in EDIT_POSTS:
        response = client.post(url, data={"csrf_token": token, "notice": NOTICE_2027, "holidays": HOLIDAYS_2027,
                                          "scope": "provisional", "note": "x"})
        assert response.status_code == 403, url
    assert year_row(app, 2027) is None


def test_a_supervisor_reads_the_calendar_but_does_not_change_it(app, client):
    login(client, "supervisor")
    for url in READ:
        assert client.get(url, follow_redirects=True).status_code == 200, url
    html = client.get("/admin/calendar/2027").get_data(as_text=True)
    assert "/admin/calendar/2027/enter" not in html and "/admin/calendar/import" not in html
    assert client.get("/admin/calendar/2027/enter").status_code == 403
    token = hidden_value(html, "csrf_token")
    for url in EDIT_POSTS:
        assert client.post(url, data={"csrf_token": token, "notice": NOTICE_2027, "holidays": HOLIDAYS_2027,
                                      "scope": "provisional", "note": "x"}).status_code == 403, url
    assert year_row(app, 2027) is None


def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(app, client):
    admin(client)
    response = client.post("/admin/calendar/2027/enter", data={"notice": NOTICE_2027, "holidays": HOLIDAYS_2027,
                                                               "working_days": WORKING_2027})
    assert response.status_code == 400 and year_row(app, 2027) is None
    assert client.post("/admin/calendar/import").status_code == 400
    assert client.post("/admin/calendar/recompute", data={"scope": "provisional", "note": "x"}).status_code == 400
    assert access_log(app, "calendar_imported") == [] and access_log(app, "recompute_requested") == []


def test_the_pages_render_in_chinese_by_default(app, client):
    login(client, "admin")
    for url in ("/admin/calendar/2026", "/admin/calendar/2027", "/admin/calendar/2027/enter"):
        response = client.get(url)
        assert response.status_code == 200 and 'lang="zh-CN"' in response.get_data(as_text=True), url
