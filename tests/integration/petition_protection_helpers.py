"""An accusation (检举控告) against 东湖区城管执法局 (dh-cgj) taken through every step that leaves a trace somewhere — a
12345 case about the same matter once handled by the accused unit merged into it, notes that repeat the accuser's
name and number, documents texted to the accuser, warnings and breaches swept, the heads' digest, a text from the
accuser — and a walk over every page and API answer, to look for the accuser and the accusation in what comes back
(信访工作条例 Arts. 28, 30, 46(五)). (No tests here.)"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from hotline.domain.flags import KINDS as FLAG_KINDS
from hotline.domain.kinds import Kind
from hotline.domain.petition_intake import PetitionerIn
from hotline.extensions import db
from hotline.models import Case, Notification, PetitionDocument, SmsThread, User
from hotline.services import digest, sms_inbound, sweep
from tests.integration.confidentiality_helpers import department, register, step, unechoed
from tests.integration.petition_helpers import new_petition

TZ = "Asia/Shanghai"
ACCUSER = "慕容清秋"  # four characters: never part of an ordinary word on a page
ACCUSER_ID = "320102198001011238"
ACCUSER_PHONE = "+8618677775555"
ACCUSER_DIGITS = "18677775555"
WORDS = "违规收取摊位押金"  # what the accusation is about: written nowhere else
ACCUSED, ORGAN = "dh-cgj", "dh-gov"  # the unit accused; the organ the accusation is forwarded to
ACCUSED_USERS = ("dh-cgj-staff", "dh-cgj-head")
HANDLERS = ("dh-gov-staff", "dh-gov-head")
CENTRE = ("operator", "supervisor")

_SPACING = re.compile(r"[\s\-\u00a0\u2009\u202f()（）.]")


@dataclass
class Story:
    accusation: str  # its number
    merged: str  # the 12345 case about the same matter, once with the accused unit, merged into it
    case_id: int
    documents: list[int]
    notification_ids: dict[str, int]
    thread_id: int
    linked: str = ""  # a closed 12345 case of the accused unit, linked to the accusation


def identity(body: str) -> list[str]:
    """What of the accuser a response shows: the name, the phone number and the ID number in any spacing."""
    plain = _SPACING.sub("", body)
    found = [ACCUSER] if ACCUSER in body else []
    found += [ACCUSER_DIGITS] if ACCUSER_DIGITS in plain else []
    found += [ACCUSER_ID] if ACCUSER_ID in plain.upper() else []
    return found


def traces(body: str, number: str) -> list[str]:
    """The accuser, and the accusation itself: its number and what it is about."""
    return identity(body) + [w for w in (number, WORDS) if w in body]


def live_through(app) -> Story:
    start = datetime.now(UTC) - timedelta(days=5)
    at = (start + timedelta(minutes=10 * n) for n in itertools.count(1))
    # a 12345 complaint about the same stalls, by someone else, with the accused unit
    merged = register(app, start, kind=Kind.COMPLAINT, name="赵大海", phone="+8613512340000",
                      description="西湖路夜市摊位收费不明，城管收了钱不给收据。")
    step(app, merged, "dispatcher", "dispatch", next(at), lead_department_id=department(app, ACCUSED),
         co_department_ids=[])
    step(app, merged, "dh-cgj-staff", "sign", next(at))
    # and one the accused unit answered and closed before: linked, it stays the unit's own (and in its sight)
    closed = register(app, start, kind=Kind.COMPLAINT, name="钱小梅", phone="+8613512341111",
                      description="夜市摊位被城管收费，问收费依据，答复说是管理费。")
    for username, action, fields in (
            ("dispatcher", "dispatch", {"lead_department_id": department(app, ACCUSED), "co_department_ids": []}),
            ("dh-cgj-staff", "sign", {}), ("dh-cgj-staff", "reply", {"text": "系临时管理费。", "resolved": "yes"}),
            ("dispatcher", "review-reply", {"decision": "approve", "note": ""}),
            ("operator", "callback", {"satisfaction": "satisfied", "resolved": "yes", "note": ""})):
        step(app, closed, username, action, next(at), **fields)
    accuser = PetitionerIn(name=ACCUSER, id_number=ACCUSER_ID, phone=ACCUSER_PHONE, address="江川市东湖区西湖路12号")
    number = new_petition(
        app, next(at), kind=Kind.ACCUSATION, people=(accuser,), major=True,
        accused_department_ids=(department(app, ACCUSED),),
        request=f"举报东湖区城管执法局{WORDS}。举报人{ACCUSER}，电话 186 7777 5555，身份证 {ACCUSER_ID}。",
        facts=f"2026年10月起，城管执法局对西湖路夜市每个摊位{WORDS}500元，不开收据。{ACCUSER}可提供转账记录。",
        reasons=f"{WORDS}没有依据，请求查处。联系 186-7777-5555。")
    step(app, number, "dispatcher", "forward", next(at), organ_id=department(app, ORGAN), forwarding="assign",
         note=f"{ACCUSER}举报{WORDS}，转区政府")
    step(app, number, "operator", "link", next(at), case=merged, note=f"{ACCUSER}反映的是同一事项")
    step(app, number, "operator", "link", next(at), case=closed, note=f"{ACCUSER}（{ACCUSER_DIGITS}）举报的是同一事项")
    step(app, number, "operator", "urge", next(at), note=f"{ACCUSER}（{ACCUSER_DIGITS}）来电催问")
    step(app, number, "dh-gov-staff", "accept", next(at), decision="accept", note="")
    step(app, number, "dh-gov-staff", "request-extension", next(at), days=20, reason=f"需调取{WORDS}的收费台账")
    step(app, number, "dh-gov-head", "decide-extension", next(at), decision="approve")
    with app.test_request_context():
        sweep.sweep(db.session, datetime.now(UTC) + timedelta(days=120))  # every clock has warned and breached
        digest.send_digests(db.session, datetime.now(UTC), TZ)
        sms_inbound.receive(db.session, sms_inbound.Inbound("SMaccuser1", ACCUSER_PHONE, "+8610612345",
                                                            f"我是{ACCUSER}，{WORDS}的事查了吗"),
                            datetime.now(UTC), sms_inbound.Settings.from_config(app.config))
    step(app, number, "dh-gov-staff", "decide", next(at), outcome="support", facts=f"经查，{WORDS}属实。",
         basis="《行政处罚法》", text=f"已责令退还{WORDS}。")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        documents = list(db.session.scalars(select(PetitionDocument.id).where(PetitionDocument.case_id == case.id)
                                            .order_by(PetitionDocument.id)))
        notices = {u: db.session.scalar(select(Notification.id).join(User, User.id == Notification.user_id)
                                        .where(User.username == u).order_by(Notification.id).limit(1)) or 0
                   for u in (*ACCUSED_USERS, *HANDLERS, *CENTRE)}
        thread_id = db.session.scalar(select(SmsThread.id).where(SmsThread.phone == ACCUSER_PHONE)) or 1
        return Story(number, merged, case.id, documents, notices, thread_id, closed)


def _values(app, story: Story, username: str) -> dict[str, list[str]]:
    """What each route argument is filled with: the story's cases, documents and notices, and both units."""
    units = [department(app, ACCUSED), department(app, ORGAN)]
    return {
        "number": [n for n in (story.accusation, story.merged, story.linked) if n], "case_number": [story.accusation],
        "document_id": [str(d) for d in story.documents] or ["1"], "id": [str(d) for d in story.documents] or ["1"],
        "notification_id": [str(story.notification_ids.get(username) or 1)], "thread_id": [str(story.thread_id)],
        "department_id": [str(u) for u in units], "key": [str(u) for u in units], "organ_id": [str(u) for u in units],
        "code": [ACCUSED, ORGAN], "organ": [ACCUSED, ORGAN], "department": [ACCUSED, ORGAN],
        "year": [str(datetime.now(UTC).year)], "dimension": ["department"], "kind": list(FLAG_KINDS),
    }


SKIPPED = ("static", "auth.logout", "public.language")


def page_urls(app, story: Story, username: str, searches: tuple[str, ...] | None = None) -> list[str]:
    """Every page (GET) of the app, each route filled in with every value of the story for its arguments, and
    every page without arguments searched for the person and the case (`searches`), and for each unit: a page
    added later is walked the day it is added."""
    values = _values(app, story, username)
    urls: list[str] = []
    searches = searches or (ACCUSER, ACCUSER_DIGITS, "186 7777 5555", ACCUSER_ID, story.accusation, WORDS)
    phone = next((s for s in searches if s.isdigit() and len(s) == 11), ACCUSER_DIGITS)
    month = datetime.now(UTC).strftime("%Y-%m")  # the assessment's month: this one, where the story happened
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED or rule.endpoint.startswith(("api.", "twilio.")):
            continue
        names = sorted(rule.arguments)
        choices = [["dispatch", "returns", "extensions", "review", "callback", "overdue"]
                   if name == "name" and rule.endpoint == "supervise.queue" else values.get(name, ["1"])
                   for name in names]
        for combination in itertools.product(*choices):
            filled = dict(zip(names, combination, strict=True))
            url = re.sub(r"<(?:[^:<>]+:)?(\w+)>", lambda m, f=filled: f[m.group(1)], rule.rule)
            urls += [url, f"{url}?month={month}"] if names else [url]
        if not names:
            urls += [f"{rule.rule}?q={q}" for q in searches] + [f"{rule.rule}?text={searches[-1]}"]
            urls += [f"{rule.rule}?track=petition"] + [f"{rule.rule}?{name}={value}" for name in ("organ", "department")
                                                       for value in values["organ_id"] + values["code"]]
    urls += [f"/dept/inbox?tab={tab}&q={q}" for tab in ("pending", "in_progress", "overdue", "replied")
             for q in searches[:1] + (story.accusation,)]
    urls += [f"/console?phone={phone}", f"/console/caller?phone={phone}",
             f"/console/duplicates?phone={phone}&text={searches[-1]}", "/inbox?tab=open", "/inbox?tab=done"]
    return urls


def api_urls(story: Story) -> list[str]:
    urls = []
    for number in (n for n in (story.accusation, story.merged, story.linked) if n):
        urls += [f"/cases/{number}", f"/cases/{number}/events", f"/cases/{number}/attachments/1"]
    for q in ("", ACCUSER, ACCUSER_DIGITS, "186 7777 5555", ACCUSER_ID, story.accusation, WORDS):
        urls += [f"/cases?q={q}", f"/cases?q={q}&track=petition", f"/cases?q={q}&state=closed",
                 f"/cases?q={q}&tab=overdue", f"/cases?q={q}&department={ORGAN}"]
    return urls


def body_of(response) -> str:
    """The answer as text; JSON as its characters (the API writes 慕容清秋 as \\u6155…, which no search for the
    name would find)."""
    body = response.get_data(as_text=True) if response.mimetype.startswith(("text/", "application/json")) else ""
    response.close()  # a download is a file left open otherwise
    if response.mimetype == "application/json" and body:
        body = json.dumps(json.loads(body), ensure_ascii=False)
    return body


def echoed(body: str, url: str, status: int) -> str:
    """The answer without what the person typed into the address: the words of a search, and — on a refusal or a
    redirect, which repeat the address in their links — the address itself. A page that opens (200) at an address
    naming the case is itself what is looked at."""
    body = unechoed(body, url)
    if status != 200:
        for part in sorted(urlsplit(url).path.split("/"), key=len, reverse=True):
            if len(part) > 3:
                body = body.replace(part, "")
    return body


def walk(client, urls, seen) -> dict[str, list[str]]:
    """{url: what `seen` finds in it} for every url whose answer shows something."""
    found = {}
    for url in urls:
        response = client.get(url)
        hit = seen(echoed(body_of(response), url, response.status_code))
        if hit:
            found[url] = hit
    return found
