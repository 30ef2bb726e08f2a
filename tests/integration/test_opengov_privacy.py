"""No public page or CSV contains a phone number, a name or an identity-card number: every page and download
reachable from the open-government pages, in both languages, is scanned, with questions and answers published
from cases whose text was full of personal data."""
from __future__ import annotations

import re
from collections import deque
from datetime import UTC, datetime, timedelta
from html import unescape

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import User
from hotline.services import publications, rollup
from tests.helpers import login
from tests.integration.lifecycle_helpers import TZ, step
from tests.integration.opengov_helpers import PEOPLE, build_history, dispatch, file_case

PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
ID = "110101199003071234"


def names() -> list[str]:
    """Every person on the cases, whole and by given name."""
    given = [name[2:] if len(name) == 4 else name[1:] for name, _ in PEOPLE]
    return [name for name, _ in PEOPLE] + [g for g in given if len(g) >= 2]


def leaks(text: str) -> list[str]:
    text = unescape(text)
    return PHONE.findall(text) + ID_NUMBER.findall(text) + [n for n in names() if n in text]


def publish_everything(app, now) -> None:
    """Publishes each offered case with the draft the moderator is given, as a hurried moderator would."""
    with app.app_context():
        supervisor = db.session.scalar(select(User).where(User.username == "supervisor"))
        for case, _ in publications.queue(db.session, "awaiting").rows:
            draft = publications.draft(case)
            publications.decide(db.session, supervisor, case.number, "publish",
                                {"title": draft.title, "question": draft.question, "answer": draft.answer}, now, 0)


def crawl(client, start: str) -> dict[str, str]:
    """Every /open page and download reachable from `start` (the moderation pages are not public)."""
    seen: dict[str, str] = {}
    todo = deque([start])
    while todo and len(seen) < 400:
        url = todo.popleft()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        seen[url] = body
        if response.mimetype == "text/html":
            for link in re.findall(r'href="(/open/[^"#]*)"', body):
                link = unescape(link)
                if not link.startswith("/open/moderation") and link not in seen:
                    todo.append(link)
    return seen


def test_no_public_page_or_download_shows_a_phone_number_a_name_or_an_id_number(app):
    build_history(app)
    # a person who wrote everything about themselves and others, and a department that answered likewise
    worst = file_case(app, datetime.now(UTC) - timedelta(hours=1), person=2, consent=True, description=(
        f"我是欧阳娜娜，身份证号{ID}，手机 150 1111 2222，邮箱 nana@example.com。"
        "住湖滨路18号3单元502室，楼下夜市噪音扰民，李秀英和王小明也反映过。"))
    step(app, worst, "dispatcher", "dispatch", **dispatch(app, "cgw"))
    step(app, worst, "cgw-staff", "sign")
    step(app, worst, "cgw-staff", "reply", text="已联系欧阳娜娜（15011112222）并现场处理，张伟科长负责跟进。",
         resolved=True, contact="phone")
    step(app, worst, "dispatcher", "review-reply", decision="approve")
    step(app, worst, "operator", "callback", satisfaction="satisfied", resolved=True)
    now = datetime.now(UTC)
    publish_everything(app, now)
    with app.app_context():
        rollup.run(db.session, now, TZ)
        assert len(publications.search(db.session).rows) == 3  # happy, last-happy, and the worst one

    pages: dict[str, str] = {}
    app.config["HOTLINE_RATE_OPEN"] = "10000 per minute"  # the crawler reads every page in a few seconds
    try:
        for lang in ("zh", "en"):
            client = app.test_client()
            client.get(f"/language/{lang}")
            for start_url in ("/open/", "/open/questions", "/open/questions?q=噪音"):
                pages.update({f"{lang} {url}": body for url, body in crawl(client, start_url).items()})
    finally:
        del app.config["HOTLINE_RATE_OPEN"]
    assert any(".csv" in url for url in pages) and any("/open/questions/" in url for url in pages)
    assert sum("/open/figures/department/" in url for url in pages) >= 3
    found = {url: leaks(body) for url, body in pages.items() if leaks(body)}
    assert found == {}

    # the scan would have seen them: the case page, which only the centre may open, holds them all
    moderator = app.test_client()
    login(moderator, "supervisor")
    assert {"欧阳娜娜", "李秀英", ID} <= set(leaks(moderator.get(f"/cases/{worst}").get_data(as_text=True)))
