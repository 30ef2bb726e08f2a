"""Issue 7's acceptance, end to end on a 390 × 844 phone: a citizen files a complaint with a photo, proves the
number with the code from the development SMS outbox, follows the case, and once the department has answered rates
it dissatisfied and has it reopened; the open-government page shows the new case once the workers' rollup ran."""
from __future__ import annotations

import re
from datetime import UTC, datetime

import redis
from rq import Queue

from tests.browser.conftest import fits_the_screen, shot
from tests.helpers import act, department_id
from tests.integration.filing_helpers import phone_photo, sent_code
from tests.integration.lifecycle_helpers import look
from tests.integration.worker_helpers import burst

PHONE = "+8613812345678"


def received_this_month(page, base: str) -> int:
    page.goto(f"{base}/open/")
    tiles = page.locator(".og-tiles .og-tile")
    if tiles.count() == 0:  # nothing published yet
        return 0
    assert "受理" in tiles.first.inner_text()  # the first tile: matters received this month
    return int(re.sub(r"\D", "", tiles.first.locator("strong").inner_text()))


def roll_up_by_the_workers(app, redis_url: str) -> None:
    """The clock enqueues the rollup for this period, and a real worker runs it."""
    from workers import schedule

    connection = redis.Redis.from_url(redis_url)
    [entry] = [e for e in schedule.SCHEDULE if e.job == "roll_up_figures"]
    connection.delete(f"hotline:{entry.job_id(datetime.now(UTC))}")  # an earlier test's claim on this period
    schedule.enqueue_due(connection, lambda name: Queue(name, connection=connection), datetime.now(UTC),
                         schedule=(entry,))
    burst(app, connection)


def test_file_verify_track_rate_dissatisfied_reopen_and_see_the_figures_move(app, live_server, phone, redis_url,
                                                                            tmp_path):
    page = phone
    roll_up_by_the_workers(app, redis_url)
    before = received_this_month(page, live_server)

    photo = tmp_path / "IMG_3001.jpg"
    photo.write_bytes(phone_photo(size=(400, 300)))
    page.goto(f"{live_server}/")
    page.click("a[href='/file']")
    page.select_option("#kind", "complaint")
    page.fill("#description", "小区门口的路灯坏了一个多月，晚上很黑，老人出门不方便。")
    page.select_option("#category_id", label="建筑施工噪声")
    page.select_option("#area_id", label="西湖街道")
    page.fill("#location_text", "西湖路 12 号小区门口")
    page.set_input_files("#photos", str(photo))
    page.fill("#name", "王小明")
    page.fill("#phone", "138 1234 5678")
    assert fits_the_screen(page)
    page.click("button[type=submit]")
    page.wait_for_url("**/file/verify/**")
    page.fill("#code", sent_code(app, PHONE))  # the development transport keeps every SMS in the database
    page.click(".code-form button[type=submit]")
    number = page.inner_text(".case-number").strip()
    assert number.startswith("12345-")
    shot(page, "journey-01-filed-phone")

    seen = look(app, number)
    if seen.state == "registered":  # no catalogue rule took it: the dispatcher does
        act(app, number, "dispatcher", "dispatch", lead_department_id=department_id(app, "cgw"), co_department_ids=[])
    lead = next(a["code"] for a in look(app, number).assignments if a["lead"])
    act(app, number, f"{lead}-staff", "sign")
    act(app, number, f"{lead}-staff", "reply", text="已安排维修，路灯已修复。", resolved=True, contact="phone")
    act(app, number, "dispatcher", "review-reply", decision="approve")

    page.goto(f"{live_server}/track/cases")  # filing proved the number: the citizen is signed in
    with page.expect_navigation():
        page.click(f".my-case[data-number='{number}'] a.btn")
    assert "路灯已修复" in page.inner_text(".track-rate .answer-text")
    page.check("input[name=satisfaction][value=dissatisfied]")
    page.check("input[name=resolved][value=no]")
    page.fill("#comment", "路灯还是不亮")
    with page.expect_navigation():
        page.click(".track-rate button[type=submit]")
    assert fits_the_screen(page)
    shot(page, "journey-02-rated-dissatisfied-phone")
    with page.expect_navigation():
        page.click(".track-reopen button[type=submit]")
    assert page.get_attribute(".case-head .state", "data-status") == "in_progress"
    assert look(app, number).state == "in_progress"
    shot(page, "journey-03-reopened-phone")

    assert received_this_month(page, live_server) == before  # the published figures wait for the rollup
    roll_up_by_the_workers(app, redis_url)
    assert received_this_month(page, live_server) == before + 1
    assert fits_the_screen(page)
    shot(page, "journey-04-open-government-phone")
