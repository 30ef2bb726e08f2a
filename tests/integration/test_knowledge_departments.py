"""Each owner department keeps its own knowledge-base articles: the water company's head keeps its water-cut
notices and nothing else, its staff read them, another department's article is 404 to them; the centre keeps
everything. And what ends within 7 days is flagged so a department renews it in time."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.helpers import hidden_value, login
from tests.integration.knowledge_helpers import article_id, articles_kept, fields, ids, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("articles_kept")

HEAD, STAFF = "zlsjt-head", "zlsjt-staff"  # 江川自来水集团: owns the water-cut notice
WATER, SOCIAL = "临时停水通知", "社保卡补办"  # the second is 市人社局's


def english(client, username):
    login(client, username)
    client.get("/language/en")


def token(client) -> str:
    return hidden_value(client.get("/").get_data(as_text=True), "csrf_token")


def stored(app, article_id_: int):
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    with app.app_context():
        found = db.session.get(KnowledgeArticle, article_id_)
        db.session.expunge(found)
        return found


def by_title(app, title: str):
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    with app.app_context():
        found = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.title == title))
        if found is not None:
            db.session.expunge(found)
        return found


def logged(app) -> list[tuple[str, str, str]]:
    from hotline.extensions import db
    from hotline.models import AccessLog, User

    with app.app_context():
        return [(r.action, r.detail, db.session.get(User, r.user_id).username) for r in db.session.scalars(
            select(AccessLog).where(AccessLog.action.startswith("knowledge_")).order_by(AccessLog.id))]


def form_data(page: str, **values) -> dict:
    data = {"csrf_token": hidden_value(page, "csrf_token"), "title": "", "body": "", "keywords": "",
            "category_id": "", "valid_from": "", "valid_until": ""}
    match = re.search(r'name="version"[^>]*value="([^"]*)"', page)
    if match:
        data["version"] = match.group(1)
    data.update(values)
    return data


def test_a_head_sees_only_their_departments_articles(app, client):
    english(client, HEAD)
    rsj = ids(app, "rsj")["rsj"]
    page = client.get("/admin/knowledge").get_data(as_text=True)
    assert WATER in page and SOCIAL not in page and "垃圾分类投放时间" not in page and "12345受理范围" not in page
    assert "New article" in page and 'name="department"' not in page  # their own: nothing to choose
    assert "<small>1 article</small>" in page
    # neither a search nor a department named in the address reaches another department's articles
    assert SOCIAL not in client.get("/admin/knowledge?q=社保卡").get_data(as_text=True)
    other = client.get(f"/admin/knowledge?department={rsj}").get_data(as_text=True)
    assert SOCIAL not in other and WATER in other


def test_another_departments_article_is_not_found_and_cannot_be_changed(app, client):
    login(client, HEAD)
    social = article_id(app, SOCIAL)
    before = stored(app, social)
    csrf = token(client)
    for path in (f"/admin/knowledge/{social}", f"/admin/knowledge/{social}/edit"):
        assert client.get(path).status_code == 404, path
    for action in ("edit", "retire", "restore"):
        response = client.post(f"/admin/knowledge/{social}/{action}", data={
            "csrf_token": csrf, "title": "改掉", "body": "改掉。", "version": str(before.version)})
        assert response.status_code == 404, action
    after = stored(app, social)
    assert (after.title, after.body, after.active, after.version) == (before.title, before.body, True,
                                                                      before.version)
    assert logged(app) == []


def test_a_head_adds_an_article_owned_by_their_department_whatever_the_form_says(app, client):
    english(client, HEAD)
    codes = ids(app, "zlsjt", "rsj", "utilities.water-outage")
    page = client.get("/admin/knowledge/new").get_data(as_text=True)
    assert 'name="owner_department_id"' not in page and "Your department keeps this article." in page
    response = client.post("/admin/knowledge/new", data=form_data(
        page, title="南江区管网冲洗通知", body="南江区管网冲洗，水质可能发黄。", keywords="水黄 冲洗",
        category_id=str(codes["utilities.water-outage"]), owner_department_id=str(codes["rsj"])))
    assert response.status_code == 302
    saved = by_title(app, "南江区管网冲洗通知")
    assert saved.owner_department_id == codes["zlsjt"]
    assert response.headers["Location"].endswith(f"/admin/knowledge/{saved.id}/edit")
    assert "南江区管网冲洗通知" in client.get("/admin/knowledge").get_data(as_text=True)
    assert logged(app) == [("knowledge_added", f"#{saved.id} 南江区管网冲洗通知", HEAD)]


def test_a_head_edits_retires_and_restores_their_own_audited(app, client):
    english(client, HEAD)
    codes = ids(app, "zlsjt", "rsj")
    water = article_id(app, WATER)
    before = stored(app, water)
    page = client.get(f"/admin/knowledge/{water}/edit").get_data(as_text=True)
    assert "Ends in 3 days" in page
    until = (today() + timedelta(days=10)).isoformat()
    response = client.post(f"/admin/knowledge/{water}/edit", data=form_data(
        page, title=before.title, body=before.body + "停水延长一周。", keywords=before.keywords,
        category_id=str(before.category_id), valid_from=before.valid_from.isoformat(), valid_until=until,
        owner_department_id=str(codes["rsj"])))
    assert response.status_code == 302
    after = stored(app, water)
    assert after.valid_until.isoformat() == until and after.owner_department_id == codes["zlsjt"]
    assert after.version == before.version + 1 and "停水延长一周" in after.search_text
    csrf = token(client)
    assert client.post(f"/admin/knowledge/{water}/retire", data={"csrf_token": csrf}).status_code == 302
    assert stored(app, water).active is False
    assert client.post(f"/admin/knowledge/{water}/restore", data={"csrf_token": csrf}).status_code == 302
    assert stored(app, water).active is True
    detail = f"#{water} {before.title}"
    assert logged(app) == [("knowledge_changed", detail, HEAD), ("knowledge_retired", detail, HEAD),
                           ("knowledge_restored", detail, HEAD)]


def test_staff_read_their_departments_articles_and_change_nothing(app, client):
    english(client, STAFF)
    water, social = article_id(app, WATER), article_id(app, SOCIAL)
    page = client.get("/admin/knowledge").get_data(as_text=True)
    assert WATER in page and SOCIAL not in page
    assert "New article" not in page and "/edit" not in page and "/retire" not in page
    assert "Your department head keeps them up to date." in page
    article = client.get(f"/admin/knowledge/{water}").get_data(as_text=True)
    assert "0999-86096116" in article and "/edit" not in article  # the whole text, read-only
    assert client.get(f"/admin/knowledge/{social}").status_code == 404
    assert client.get(f"/admin/knowledge/{water}/edit").status_code == 403
    csrf = token(client)
    before = stored(app, water)
    assert client.post("/admin/knowledge/new", data={"csrf_token": csrf, "title": "员工", "body": "员工。"}
                       ).status_code == 403
    for action in ("edit", "retire", "restore"):
        response = client.post(f"/admin/knowledge/{water}/{action}", data={
            "csrf_token": csrf, "title": "员工改的", "body": "员工改的。", "version": str(before.version)})
        assert response.status_code == 403, action
    assert stored(app, water).version == before.version and stored(app, water).active
    assert by_title(app, "员工") is None and logged(app) == []


def test_the_centre_sees_and_keeps_every_department_article(app, client):
    english(client, "admin")
    rsj = ids(app, "rsj")["rsj"]
    page = client.get("/admin/knowledge").get_data(as_text=True)
    assert WATER in page and SOCIAL in page and "12345受理范围" in page and 'name="department"' in page
    assert client.get(f"/admin/knowledge/{article_id(app, SOCIAL)}/edit").status_code == 200
    assert client.get(f"/admin/knowledge/{article_id(app, WATER)}").status_code == 200
    by_rsj = client.get(f"/admin/knowledge?department={rsj}").get_data(as_text=True)
    assert SOCIAL in by_rsj and WATER not in by_rsj


def test_the_expiring_filter_and_badge(app, client):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import knowledge

    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == HEAD))
        for title, days in (("七天后结束的通知", 7), ("八天后结束的通知", 8), ("今天结束的通知", 0)):
            knowledge.create(db.session, head, fields(title=title, body="测试。",
                                                      valid_until=today() + timedelta(days=days)), now())
    english(client, HEAD)
    page = client.get("/admin/knowledge").get_data(as_text=True)
    assert "3 articles end within 7 days." in page and "Last day today" in page and "Ends in 7 days" in page
    ending = client.get("/admin/knowledge?status=expiring").get_data(as_text=True)
    assert [t for t in ("今天结束的通知", WATER, "七天后结束的通知", "八天后结束的通知") if t in ending] == [
        "今天结束的通知", WATER, "七天后结束的通知"]  # the soonest to end first
    assert ending.index("今天结束的通知") < ending.index(WATER) < ending.index("七天后结束的通知")
    supervisor = app.test_client()
    english(supervisor, "supervisor")
    centre = supervisor.get("/admin/knowledge?status=expiring").get_data(as_text=True)
    assert WATER in centre and "七天后结束的通知" in centre and SOCIAL not in centre
    rsj = ids(app, "rsj")["rsj"]
    assert "No article ends within 7 days." in supervisor.get(
        f"/admin/knowledge?status=expiring&department={rsj}").get_data(as_text=True)


def test_the_service_filters_in_the_query(app):
    """The department's page and count are of its own articles: filtered by the database, not after."""
    from hotline.clock import now
    from hotline.domain.errors import Forbidden, NotFound
    from hotline.domain.knowledge_access import scope_of
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle, User
    from hotline.services import knowledge

    codes = ids(app, "rsj")
    water, social = article_id(app, WATER), article_id(app, SOCIAL)  # before: SQLite allows one writer at a time
    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == "rsj-head"))
        staff = db.session.scalar(select(User).where(User.username == "rsj-staff"))
        scope = scope_of(head.actor)
        own = db.session.scalars(select(KnowledgeArticle.id).where(
            KnowledgeArticle.owner_department_id == codes["rsj"])).all()
        listing = knowledge.listing(db.session, scope, today(), per_page=1)
        assert listing.total == len(own) == 2 and listing.has_next and len(listing.rows) == 1
        assert listing.rows[0].article.owner_department_id == codes["rsj"]
        with pytest.raises(NotFound):
            knowledge.get(db.session, water, scope)
        with pytest.raises(NotFound):
            knowledge.retire(db.session, head, water, now())
        with pytest.raises(Forbidden):
            knowledge.retire(db.session, staff, social, now())
        operator = db.session.scalar(select(User).where(User.username == "operator"))
        with pytest.raises(Forbidden):
            knowledge.create(db.session, operator, fields(), now())


def test_department_users_find_the_knowledge_base_in_the_menu(client):
    english(client, STAFF)
    page = client.get("/dept/inbox").get_data(as_text=True)
    assert 'href="/admin/knowledge"' in page and "Knowledge base" in page
