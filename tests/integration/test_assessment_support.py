"""Helpers for the assessment tests: cases received in June 2026 and driven through the real services at chosen
moments around their own deadlines. (No tests here; the other test_assessment_* and test_flags_* modules import
these.)"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.models import Case
from tests.helpers import some_category_and_area
from tests.integration.lifecycle_helpers import PHONE, TZ, dept, local, step

MONTH = date(2026, 6, 1)
M = "2026-06"
MINUTE = timedelta(minutes=1)


def received(app, at: datetime, *, phone: str | None = PHONE, name: str = "王小明", confidential: bool = False,
             anonymous: bool = False) -> str:
    from hotline.services import intake

    category_id, area_id = some_category_and_area(app)
    with app.test_request_context():
        new = intake.NewCase(track=Track.HOTLINE, kind=Kind.SUGGESTION if anonymous else Kind.COMPLAINT,
                             channel=Channel.PHONE, description="夜间施工噪音扰民", category_id=category_id,
                             area_id=area_id, phone=None if anonymous else phone, name="" if anonymous else name,
                             confidential=confidential, anonymous=anonymous)
        return intake.register(db.session, new, intake.Context(now=at, timezone=TZ, locale="zh")).number


def due_of(app, number: str) -> datetime:
    with app.app_context():
        return db.session.scalar(select(Case.reply_due_at).where(Case.number == number))


def signed(app, lead: str, day: int, *, hour: int = 9, sign_after: timedelta = 30 * MINUTE, **person) -> str:
    """Received on June `day` at `hour`, dispatched 10 minutes later, signed for `sign_after` after that."""
    at = local(2026, 6, day, hour)
    number = received(app, at, **person)
    step(app, number, "dispatcher", "dispatch", at=at + 10 * MINUTE, lead_department_id=dept(app, lead),
         co_department_ids=[])
    step(app, number, f"{lead}-staff", "sign", at=at + 10 * MINUTE + sign_after)
    return number


def answered(app, lead: str, day: int, *, before_due: timedelta = timedelta(days=1), contact: str = "phone",
             **kw) -> tuple[str, datetime]:
    """Signed, then answered `before_due` before its reply deadline (negative: late)."""
    number = signed(app, lead, day, **kw)
    at = due_of(app, number) - before_due
    step(app, number, f"{lead}-staff", "reply", at=at, text="已到现场核实并处理。", resolved="yes", contact=contact)
    return number, at


def rated(app, lead: str, day: int, satisfaction: str = "satisfied", resolved: bool = True, **kw) -> str:
    """Answered, the reply approved, and the person called back."""
    number, at = answered(app, lead, day, **kw)
    step(app, number, "supervisor", "review-reply", at=at + 5 * MINUTE, decision="approve")
    step(app, number, "operator", "callback", at=at + 60 * MINUTE, satisfaction=satisfaction,
         resolved="yes" if resolved else "no")
    return number


def cell_numbers(html: str, code: str) -> dict[str, int]:
    """The numbers of one department's row (or the city's, code ""), by the measure each links to."""
    row = re.search(rf'<tr[^>]*data-department="{code}"[^>]*>.*?</tr>', html, re.S)
    assert row, f"no row for {code!r}"
    return {m: int(n) for m, n in re.findall(r'data-measure="([\w-]+)">(\d+)[ <]', row.group(0))}


def links_of(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr[^>]*data-department="{code}"[^>]*>.*?</tr>', html, re.S)
    links = re.findall(r'<a (?:class="[^"]*" )?href="([^"]+)" data-measure="([\w-]+)">', row.group(0))
    return {m: href.replace("&amp;", "&") for href, m in links}


def listed_numbers(html: str) -> list[str]:
    return re.findall(r'<tr data-number="([^"]+)">', html)
