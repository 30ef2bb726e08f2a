"""A confidential complainant's case taken through every step that leaves a trace somewhere (events, notes, a
reply with a file, texts to the person, notices, a digest), a report (举报), and a walk over every page a signed-in
person can open, to look for the person's name and number in what comes back. (No tests here.)"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

from sqlalchemy import func, select

from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.integrations.storage import LocalStorage
from hotline.models import AccessLog, Attachment, Case, Department, Notification, User
from hotline.services import digest, handling, intake, sms_inbound, sweep
from hotline.services.attachments import IncomingFile
from tests.helpers import some_category_and_area
from tests.integration.attachment_helpers import png_1x1

TZ = "Asia/Shanghai"
NAME = "欧阳晓明"  # four characters: never part of an ordinary word on a page
PHONE = "+8613912345678"
DIGITS = "13912345678"
REPORTER = "司马秀英"
REPORTER_PHONE = "+8618688886666"
REPORTER_DIGITS = "18688886666"


@dataclass
class Story:
    confidential: str  # its number
    report: str
    attachment_id: int
    notification_ids: dict[str, int]  # username → one of their notices


def register(app, at: datetime, **fields) -> str:
    category_id, area_id = some_category_and_area(app)
    new = intake.NewCase(track=Track.HOTLINE, channel=Channel.PHONE, category_id=category_id, area_id=area_id,
                         **fields)
    with app.test_request_context():
        return intake.register(db.session, new, intake.Context(now=at, timezone=TZ, locale="zh")).number


def step(app, number: str, username: str, action: str, at: datetime, files=(), **fields) -> None:
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        storage = LocalStorage(app.config["HOTLINE_UPLOAD_DIR"]) if files else None
        handling.act(db.session, number, action, user, fields, handling.Context(now=at, timezone=TZ, storage=storage),
                     files=files)


def department(app, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Department.id).where(Department.code == code))


def live_through(app) -> Story:
    """A confidential complaint whose person wrote their name and number into it, with a lead (东湖区城管执法局)
    and a co-handler (西湖街道): urged with a note that names the person, supervised, replied with a photo,
    reviewed (the person is texted), called back unhappy with a note, redone; then deadlines swept and the heads'
    digest written. And a report (举报), not marked confidential, with the same departments."""
    start = datetime.now(UTC) - timedelta(days=3)
    number = register(
        app, start, kind=Kind.COMPLAINT, name=NAME, phone=PHONE, confidential=True,
        description=f"我是{NAME}，家门口的工地天天夜里施工。结果请打我电话 139 1234 5678，别让施工方知道是我反映的。",
        location_text=f"东湖区西湖路 88 号（{NAME}家对面）")
    lead, co = department(app, "dh-cgj"), department(app, "dh-xhj")
    at = start + timedelta(minutes=10)
    step(app, number, "dispatcher", "dispatch", at, lead_department_id=lead, co_department_ids=[co])
    step(app, number, "dh-cgj-staff", "sign", at + timedelta(minutes=20))
    step(app, number, "dh-xhj-staff", "sign", at + timedelta(minutes=30))
    step(app, number, "operator", "urge", at + timedelta(hours=2), note=f"{NAME}（{DIGITS}）再次来电催办")
    step(app, number, "supervisor", "supervise", at + timedelta(hours=3), note="群众反映强烈，予以督办")
    step(app, number, "dh-xhj-staff", "reply", at + timedelta(hours=5), text="已配合现场检查。", resolved="yes",
          contact="phone")
    step(app, number, "dh-cgj-staff", "reply", at + timedelta(hours=6), text="已责令工地停止夜间施工。",
          resolved="yes", contact="phone", files=[IncomingFile("现场照片.png", BytesIO(png_1x1()))])
    step(app, number, "dispatcher", "review-reply", at + timedelta(hours=7), decision="approve", note="")
    step(app, number, "operator", "callback", at + timedelta(hours=9), satisfaction="dissatisfied", resolved="no",
          note=f"{NAME}说夜里还在施工，请打 {DIGITS} 联系")
    step(app, number, "dispatcher", "redo", at + timedelta(hours=10), note=f"回访不满意（{NAME}），请重办")
    report = register(app, start + timedelta(hours=1), kind=Kind.REPORT, name=REPORTER, phone=REPORTER_PHONE,
                       description=f"举报工地无证夜间施工。举报人{REPORTER}，电话 {REPORTER_DIGITS}。")
    step(app, report, "dispatcher", "dispatch", start + timedelta(hours=2), lead_department_id=lead,
          co_department_ids=[co])
    with app.test_request_context():
        sweep.sweep(db.session, datetime.now(UTC) + timedelta(days=30))  # every clock has warned and breached
        digest.send_digests(db.session, datetime.now(UTC), TZ)
        sms_inbound.receive(db.session, sms_inbound.Inbound("SMconfidential1", PHONE, "+8610612345", "工地又在施工了"),
                            datetime.now(UTC), sms_inbound.Settings.from_config(app.config))
        attachment_id = db.session.scalar(select(Attachment.id).join(Case, Case.id == Attachment.case_id)
                                          .where(Case.number == number))
        notices = {}
        for username in ("dh-cgj-staff", "dh-cgj-head", "dh-xhj-staff", "supervisor", "operator"):
            notices[username] = db.session.scalar(
                select(Notification.id).join(User, User.id == Notification.user_id)
                .where(User.username == username).order_by(Notification.id).limit(1)) or 0
    return Story(number, report, attachment_id, notices)


def access_log_count(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AccessLog).join(User, User.id == AccessLog.user_id)
                                 .where(User.username == username, AccessLog.action.in_(
                                     ("view_personal_data", "view_caller_history", "view_sms_inbox",
                                      "download_attachment", "view_blocked_numbers"))))


_SPACING = re.compile(r"[\s\-\u00a0\u2009\u202f()（）.]")


def shows(body: str, name: str, digits: str) -> list[str]:
    """What of the person a response shows: their name, their number in any spacing (+86 139 1234 5678,
    139-1234-5678, …)."""
    found = [name] if name in body else []
    if digits in _SPACING.sub("", body):
        found.append(digits)
    return found


def page_urls(app, story: Story, username: str) -> list[str]:
    """Every page (GET) of the app, each route filled in with the story's case, file and notices, and the lists
    searched for the case, the person's name and number: a page added later is walked the day it is added."""
    values = {"number": story.confidential, "attachment_id": str(story.attachment_id), "code": "zh",
              "notification_id": str(story.notification_ids.get(username) or 1), "year": "2026",
              "dimension": "department", "department_id": str(department(app, "dh-cgj")),
              "key": str(department(app, "dh-cgj"))}
    with app.app_context():
        from hotline.models import SmsThread
        values["thread_id"] = str(db.session.scalar(select(func.max(SmsThread.id))) or 1)
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "auth.logout", "public.language") \
                or rule.endpoint.startswith(("api.", "twilio.")):
            continue
        names = ("dispatch", "returns", "extensions", "review", "callback", "overdue") \
            if rule.endpoint == "supervise.queue" else (None,)
        for queue in names:
            url = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m, q=queue: q if m.group(1) == "name" and q
                         else values.get(m.group(1), "1"), rule.rule)
            urls.append(url)
            if "<number>" in rule.rule:
                urls.append(re.sub(r"<(?:[^:<>]+:)?number>", story.report, rule.rule).replace(
                    "<attachment_id>", "1"))
    for q in (story.confidential, NAME, DIGITS, "施工"):
        urls += [f"/cases/?q={q}", f"/dept/inbox?q={q}", f"/cases/queue?q={q}", f"/dept/inbox?tab=overdue&q={q}"]
    urls += [f"/console?phone={DIGITS}", f"/console/caller?phone={DIGITS}", f"/console/duplicates?phone={DIGITS}",
             "/inbox?tab=open", "/inbox?tab=done"]
    return urls


def typed(url: str) -> list[str]:
    """What the person typed into the address (a search, a number to look up), as the page may echo it back in
    its search box and its language link: their own words, not something the page told them."""
    query = parse_qs(urlsplit(url).query)
    words = [v for values in query.values() for v in values]
    return [w for word in words for w in (word, quote(word), quote_plus(word))]


def unechoed(body: str, url: str) -> str:
    for word in sorted(typed(url), key=len, reverse=True):
        body = body.replace(word, "")
    return body


def api_urls(story: Story) -> list[str]:
    urls = []
    for number in (story.confidential, story.report):
        urls += [f"/cases/{number}", f"/cases/{number}/events"]
    urls += [f"/cases/{story.confidential}/attachments/{story.attachment_id}"]
    for q in ("", NAME, DIGITS, "施工", story.confidential):
        urls += [f"/cases?q={q}", f"/cases?q={q}&state=in_progress", f"/cases?q={q}&tab=overdue"]
    return urls
