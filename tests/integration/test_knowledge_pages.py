"""The knowledge-base administration pages: who may use them, the list and its filters, adding and editing
(what was typed stays on an error or a conflict), retiring and restoring."""
from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from tests.helpers import hidden_value, login
from tests.integration.knowledge_helpers import article_id, articles_kept, ids  # noqa: F401

pytestmark = pytest.mark.usefixtures("articles_kept")


def english(client, username="admin"):
    login(client, username)
    client.get("/language/en")


def form_data(page: str, **values) -> dict:
    data = {"csrf_token": hidden_value(page, "csrf_token"), "title": "", "body": "", "keywords": "",
            "category_id": "", "owner_department_id": "", "valid_from": "", "valid_until": ""}
    match = re.search(r'name="version"[^>]*value="([^"]*)"', page)
    if match:
        data["version"] = match.group(1)
    data.update(values)
    return data


def article(app, title: str):
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    with app.app_context():
        found = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.title == title))
        if found is not None:
            db.session.expunge(found)
        return found


@pytest.mark.parametrize("username, listed, added", [
    ("admin", 200, 200), ("supervisor", 200, 200), ("dispatcher", 403, 403), ("operator", 403, 403),
    ("cgw-head", 200, 200), ("cgw-staff", 200, 403),
])
def test_who_may_open_and_keep_the_knowledge_base(client, username, listed, added):
    login(client, username)
    assert client.get("/admin/knowledge").status_code == listed
    assert client.get("/admin/knowledge/new").status_code == added


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get("/admin/knowledge")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_searches_in_chinese_and_filters_by_validity(client):
    english(client)
    page = client.get("/admin/knowledge").get_data(as_text=True)
    assert "临时停水通知" in page and "社保卡补办" in page and "Valid today" in page
    found = client.get("/admin/knowledge?q=家里停水了怎么办").get_data(as_text=True)
    assert "临时停水通知" in found and "社保卡补办" not in found
    expired = client.get("/admin/knowledge?status=expired").get_data(as_text=True)
    assert "春节期间生活垃圾清运时间调整" in expired and "临时停水通知" not in expired
    valid = client.get("/admin/knowledge?status=valid&q=垃圾").get_data(as_text=True)
    assert "垃圾分类投放时间" in valid and "春节期间生活垃圾清运时间调整" not in valid
    assert "No article matches" in client.get("/admin/knowledge?q=量子纠缠").get_data(as_text=True)


def test_the_list_filters_by_owner_department(app, client):
    english(client)
    rsj = ids(app, "rsj")["rsj"]
    page = client.get(f"/admin/knowledge?department={rsj}").get_data(as_text=True)
    assert "社保卡补办" in page and "养老金领取资格认证" in page and "临时停水通知" not in page


def test_adding_an_article(app, client):
    english(client, "supervisor")
    codes = ids(app, "utilities.water-outage", "zlsjt")
    page = client.get("/admin/knowledge/new").get_data(as_text=True)
    response = client.post("/admin/knowledge/new", data=form_data(
        page, title="南江区停水通知", body="南江区滨江街道明天停水。", keywords="停水，没水",
        category_id=str(codes["utilities.water-outage"]), owner_department_id=str(codes["zlsjt"]),
        valid_from="2026-01-01", valid_until="2099-12-31"))
    assert response.status_code == 302
    saved = article(app, "南江区停水通知")
    assert saved.keywords == "停水 没水" and saved.owner_department_id == codes["zlsjt"]
    assert response.headers["Location"].endswith(f"/admin/knowledge/{saved.id}/edit")
    assert "Article added." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "南江区停水通知" in client.get("/admin/knowledge?q=停水").get_data(as_text=True)


def test_errors_keep_what_was_typed(app, client):
    english(client)
    page = client.get("/admin/knowledge/new").get_data(as_text=True)
    response = client.post("/admin/knowledge/new", data=form_data(
        page, title="", body="只写了正文，没有标题。", keywords="没水 停水",
        valid_from="2026-05-10", valid_until="2026-05-01"))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Give the article a title." in text
    assert "The last day cannot be before the first day." in text
    assert "只写了正文，没有标题。" in text and 'value="没水 停水"' in text and 'value="2026-05-01"' in text
    assert article(app, "") is None


def test_a_date_that_cannot_be_read_is_refused(client):
    english(client)
    page = client.get("/admin/knowledge/new").get_data(as_text=True)
    response = client.post("/admin/knowledge/new", data=form_data(page, title="标题", body="正文。",
                                                                   valid_from="2026-13-45"))
    assert response.status_code == 422
    assert "Enter a date as YYYY-MM-DD" in response.get_data(as_text=True)
    assert 'value="2026-13-45"' in response.get_data(as_text=True)


def test_editing_an_article(app, client):
    english(client)
    social = article_id(app, "社保卡补办")
    page = client.get(f"/admin/knowledge/{social}/edit").get_data(as_text=True)
    assert "社保卡丢失请先挂失" in page
    before = article(app, "社保卡补办")
    response = client.post(f"/admin/knowledge/{social}/edit", data=form_data(
        page, title="社保卡补办和挂失", body=before.body + "周六上午也可办理。", keywords=before.keywords,
        category_id=str(before.category_id), owner_department_id=str(before.owner_department_id)))
    assert response.status_code == 302
    after = article(app, "社保卡补办和挂失")
    assert after.id == social and after.version == before.version + 1 and "周六上午" in after.search_text


def test_a_stale_edit_keeps_the_text_and_saves_nothing(app, client):
    english(client)
    social = article_id(app, "社保卡补办")
    page = client.get(f"/admin/knowledge/{social}/edit").get_data(as_text=True)
    other = app.test_client()
    login(other, "supervisor")
    other_page = other.get(f"/admin/knowledge/{social}/edit").get_data(as_text=True)
    before = article(app, "社保卡补办")
    assert other.post(f"/admin/knowledge/{social}/edit", data=form_data(
        other_page, title="社保卡补办", body="主管的新版本。")).status_code == 302
    response = client.post(f"/admin/knowledge/{social}/edit", data=form_data(
        page, title="社保卡补办", body="管理员的旧稿，还在表单里。", keywords=before.keywords))
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "changed this article while you were editing it" in text and "孙浩" in text
    assert "管理员的旧稿，还在表单里。" in text
    assert article(app, "社保卡补办").body == "主管的新版本。"


def test_retiring_and_restoring_from_the_list(app, client):
    english(client)
    water = article_id(app, "临时停水通知")
    page = client.get("/admin/knowledge").get_data(as_text=True)
    response = client.post(f"/admin/knowledge/{water}/retire", data={
        "csrf_token": hidden_value(page, "csrf_token"), "next": "/admin/knowledge?q=停水"})
    assert response.status_code == 302 and unquote(response.headers["Location"]).endswith("/admin/knowledge?q=停水")
    assert article(app, article_title(app, water)).active is False
    retired = client.get("/admin/knowledge?status=retired").get_data(as_text=True)
    assert "临时停水通知" in retired and "Restore" in retired
    client.post(f"/admin/knowledge/{water}/restore", data={"csrf_token": hidden_value(page, "csrf_token"),
                                                          "next": "https://evil.example/"})
    assert article(app, article_title(app, water)).active is True


def test_an_unknown_article_is_404(client):
    login(client, "admin")
    assert client.get("/admin/knowledge/999999/edit").status_code == 404


def article_title(app, article_id_: int) -> str:
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    with app.app_context():
        return db.session.get(KnowledgeArticle, article_id_).title


def test_the_pages_render_in_chinese(client):
    login(client, "admin")
    page = client.get("/admin/knowledge/new").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and 'type="date"' in page
