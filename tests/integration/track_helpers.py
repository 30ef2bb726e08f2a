"""A citizen on the tracking pages, with the test client: ask for a code, read it from the development SMS outbox,
type it in."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import AccessLog, CaseEvent, SmsMessage
from tests.helpers import hidden_value

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def in_english(client) -> None:
    """The visitor chooses English: the tests read the English words, whatever the Chinese catalogue holds."""
    client.get("/?lang=en")


def newest_code(app, phone: str) -> str | None:
    """The code in the newest SMS with a code sent to `phone` (the development transport keeps them)."""
    with app.app_context():
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.to_phone == phone,
                                                               SmsMessage.purpose == "code")
                                 .order_by(SmsMessage.id.desc()).limit(1))
    match = CODE.search(body or "")
    return match.group(1) if match else None


def codes_sent(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.purpose == "code"))


def ask_sign_in(client, phone: str):
    page = client.get("/track").get_data(as_text=True)
    return client.post("/track/sign-in", data={"signin-csrf_token": hidden_value(page, "signin-csrf_token"),
                                               "signin-phone": phone})


def ask_case(client, number: str):
    page = client.get("/track").get_data(as_text=True)
    return client.post("/track/open", data={"open-csrf_token": hidden_value(page, "open-csrf_token"),
                                            "open-number": number})


def enter_code(client, code: str):
    page = client.get("/track/code").get_data(as_text=True)
    return client.post("/track/code", data={"csrf_token": hidden_value(page, "csrf_token"), "code": code})


def sign_in(client, app, phone: str, typed: str | None = None):
    """Signs in with `phone` (E.164; `typed` is how the person types it) and returns the response to the code."""
    assert ask_sign_in(client, typed or phone).status_code == 303
    return enter_code(client, newest_code(app, phone))


def open_case(client, app, number: str, phone: str):
    assert ask_case(client, number).status_code == 303
    return enter_code(client, newest_code(app, phone))


def page(client, number: str):
    return client.get(f"/track/case/{number}")


def csrf(client) -> str:
    """The session's CSRF token, as any form of the tracking pages carries it."""
    return hidden_value(client.get("/track").get_data(as_text=True), "signin-csrf_token")


def post_form(client, number: str, path: str, **fields):
    """Posts to the case's `path` (rate, reopen) as a browser whose page had that form would."""
    return client.post(f"/track/case/{number}/{path}", data={"csrf_token": csrf(client), **fields})


def rate(client, number: str, satisfaction: str, resolved: str, comment: str = ""):
    html = page(client, number).get_data(as_text=True)
    return client.post(f"/track/case/{number}/rate", data={
        "csrf_token": hidden_value(html, "csrf_token"), "version": hidden_value(html, "version"),
        "satisfaction": satisfaction, "resolved": resolved, "comment": comment})


def events(app, number: str) -> list[CaseEvent]:
    from hotline.models import Case
    with app.app_context():
        rows = db.session.scalars(select(CaseEvent).join(Case).where(Case.number == number)
                                  .order_by(CaseEvent.seq)).all()
        db.session.expunge_all()
        return rows


def access_log(app) -> list[AccessLog]:
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).order_by(AccessLog.id)).all()
        db.session.expunge_all()
        return rows
