"""The knowledge-base service on a real database: search in Chinese, validity, and keeping the base (audited,
with a version check)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.integration.knowledge_helpers import article_id, articles_kept, fields, ids, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("articles_kept")


def search(app, query, **kwargs):
    from hotline.extensions import db
    from hotline.services import knowledge

    with app.app_context():
        return [(h.article.title, h.excerpt) for h in knowledge.search(db.session, query, today(), **kwargs)]


def titles(app, query, **kwargs) -> list[str]:
    return [title for title, _ in search(app, query, **kwargs)]


def user(session, username="admin"):
    from hotline.models import User

    return session.scalar(select(User).where(User.username == username))


def logged(app) -> list[tuple[str, str]]:
    from hotline.extensions import db
    from hotline.models import AccessLog

    with app.app_context():
        return [(r.action, r.detail) for r in db.session.scalars(
            select(AccessLog).where(AccessLog.action.startswith("knowledge_")).order_by(AccessLog.id))]


def add(app, **overrides) -> int:
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.services import knowledge

    with app.app_context():
        return knowledge.create(db.session, user(db.session), fields(**overrides), now()).id


@pytest.mark.parametrize("query", ["停水", "家里停水了怎么办", "临时停水", "ＡＢ停水"])
def test_a_search_in_chinese_finds_the_water_cut_notice(app, query):
    found = search(app, query)
    assert found[0][0].startswith("临时停水通知")
    assert "停水" in found[0][1]  # the excerpt is the sentence around the match


def test_the_demo_base_is_seeded_once_and_answers_common_questions(app):
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle
    from hotline.services import knowledge

    with app.app_context():
        assert db.session.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.active).limit(1))
        assert knowledge.seed_demo_articles(db.session, today()) == 0  # by title: nothing twice
        count = len(db.session.scalars(select(KnowledgeArticle.id)).all())
    assert count >= 15
    assert titles(app, "社保卡丢了")[0] == "社保卡补办"
    assert titles(app, "12345不受理什么")[0].startswith("12345受理范围")
    assert titles(app, "公积金怎么提取")[0] == "住房公积金提取材料"


def test_filler_words_alone_find_nothing(app):
    assert search(app, "怎么办") == []
    assert search(app, "   ") == []


def test_only_articles_valid_today_are_found(app):
    day = today()
    add(app, title="明天起施行的新规", body="新规说明。", valid_from=day + timedelta(days=1))
    add(app, title="昨天结束的旧规", body="旧规说明。", valid_until=day - timedelta(days=1))
    add(app, title="今天最后一天的规定", body="规定说明。", valid_from=day, valid_until=day)
    assert titles(app, "新规") == []
    assert titles(app, "旧规") == []
    assert titles(app, "规定") == ["今天最后一天的规定"]
    assert "春节期间生活垃圾清运时间调整" not in titles(app, "垃圾清运")  # the seeded expired article


def test_a_retired_article_is_not_found_and_a_restored_one_is(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.services import knowledge

    water = article_id(app, "临时停水通知")
    with app.app_context():
        knowledge.retire(db.session, user(db.session), water, now())
    assert not any(t.startswith("临时停水通知") for t in titles(app, "停水"))
    with app.app_context():
        knowledge.restore(db.session, user(db.session, "supervisor"), water, now())
    assert titles(app, "停水")[0].startswith("临时停水通知")
    actions = [a for a, _ in logged(app)]
    assert actions == ["knowledge_retired", "knowledge_restored"]


def test_like_wildcards_in_a_query_are_taken_literally(app):
    add(app, title="abc 规则", body="第一种。")
    add(app, title="a_c 规则", body="第二种。")
    add(app, title="xzzy 规则", body="第三种。")
    assert titles(app, "a_c") == ["a_c 规则"]
    assert titles(app, "x%y") == []
    add(app, title="x%y 规则", body="第四种。")
    assert titles(app, "x%y") == ["x%y 规则"]


def test_a_category_narrows_the_search(app):
    codes = ids(app, "utilities.water-outage", "utilities", "labour.social-insurance")
    assert titles(app, "停水", category_id=codes["utilities.water-outage"])[0].startswith("临时停水通知")
    # a top level: its subcategories
    assert titles(app, "停水", category_id=codes["utilities"])[0].startswith("临时停水通知")
    assert titles(app, "停水", category_id=codes["labour.social-insurance"]) == []


def test_limit(app):
    for n in range(5):
        add(app, title=f"测试限额文章{n}", body="限额。")
    assert len(titles(app, "测试限额", limit=3)) == 3
    assert len(titles(app, "测试限额")) == 5


def test_create_and_update_keep_search_text_in_step_and_are_audited(app):
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle
    from hotline.services import knowledge

    codes = ids(app, "utilities.heating", "rljt")
    new = add(app, title="供热管道检修通知", body="检修期间暂停供热。", keywords="暖气 检修",
              category_id=codes["utilities.heating"], owner_department_id=codes["rljt"])
    assert titles(app, "管道检修") == ["供热管道检修通知"]
    with app.app_context():
        article = db.session.get(KnowledgeArticle, new)
        assert article.version == 1 and article.created_by_id == user(db.session).id
        knowledge.update(db.session, user(db.session, "supervisor"), new,
                         fields(title="换热站维修通知", body="维修期间暂停供热。"), now(), expected_version=1)
        article = db.session.get(KnowledgeArticle, new)
        assert article.version == 2 and article.search_text.startswith("换热站维修通知")
        assert article.category_id is None  # the form sends every field: an emptied one is emptied
    assert titles(app, "管道检修") == []
    assert titles(app, "换热站") == ["换热站维修通知"]
    assert logged(app) == [("knowledge_added", f"#{new} 供热管道检修通知"),
                           ("knowledge_changed", f"#{new} 换热站维修通知")]


def test_a_stale_edit_is_refused_with_who_changed_it(app):
    from hotline.clock import now
    from hotline.domain.errors import Conflict
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle
    from hotline.services import knowledge

    new = add(app)
    with app.app_context():
        knowledge.update(db.session, user(db.session, "supervisor"), new, fields(body="主管改过。"), now(),
                         expected_version=1)
        with pytest.raises(Conflict) as caught:
            knowledge.update(db.session, user(db.session), new, fields(body="管理员的旧稿。"), now(),
                             expected_version=1)
        assert caught.value.detail["by"] == user(db.session, "supervisor").display_name
        db.session.rollback()
        assert db.session.get(KnowledgeArticle, new).body == "主管改过。"


def test_an_edit_racing_another_between_read_and_write_is_refused(app):
    """The check before writing passed, but someone saved in between: the versioned UPDATE matches nothing."""
    from hotline.clock import now
    from hotline.domain.errors import Conflict
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle
    from hotline.services import knowledge

    new = add(app)
    with app.app_context():
        article = db.session.get(KnowledgeArticle, new)  # read: version 1
        # the other writer's row, changed under the loaded object (a second connection would wait on SQLite's lock)
        db.session.execute(update(KnowledgeArticle.__table__).where(KnowledgeArticle.id == new)
                           .values(body="别人的修改。", version=2))
        with pytest.raises(Conflict):
            knowledge.update(db.session, user(db.session), article.id, fields(body="我的修改。"), now(),
                             expected_version=1)
        assert db.session.get(KnowledgeArticle, new).body != "我的修改。"


@pytest.mark.parametrize("overrides, problem", [
    ({"title": ""}, {"title": "required"}),
    ({"body": "  "}, {"body": "required"}),
    ({"title": "长" * 201}, {"title": "too_long"}),
    ({"category": "utilities"}, {"category_id": "invalid_choice"}),  # a top level is not a subject
    ({"category_id": 999999}, {"category_id": "invalid_choice"}),
    ({"owner_department_id": 999999}, {"owner_department_id": "invalid_choice"}),
])
def test_invalid_fields_are_refused_and_nothing_is_written(app, overrides, problem):
    from hotline.clock import now
    from hotline.domain.errors import InvalidFields
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle
    from hotline.services import knowledge

    if "category" in overrides:
        overrides = {"category_id": ids(app, overrides.pop("category"))["utilities"]}
    with app.app_context():
        before = len(db.session.scalars(select(KnowledgeArticle.id)).all())
        with pytest.raises(InvalidFields) as caught:
            knowledge.create(db.session, user(db.session), fields(**overrides), now())
        assert caught.value.detail == problem
        db.session.rollback()
        assert len(db.session.scalars(select(KnowledgeArticle.id)).all()) == before
    assert logged(app) == []
