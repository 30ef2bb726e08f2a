"""The demo articles are seeded once per test session: a test that adds, edits or retires articles leaves them
as it found them (`articles_kept`)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update

COLUMNS = ("title", "body", "keywords", "category_id", "owner_department_id", "valid_from", "valid_until", "active",
           "search_text", "updated_by_id", "updated_at", "version")


@pytest.fixture
def articles_kept(app):
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    def state():
        return {a.id: {c: getattr(a, c) for c in COLUMNS} for a in db.session.scalars(select(KnowledgeArticle))}

    with app.app_context():
        before = state()
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(delete(KnowledgeArticle).where(KnowledgeArticle.id.not_in(before)))
        for article_id, values in state().items():
            if values != before[article_id]:  # bypassing the ORM: the version goes back too
                db.session.execute(update(KnowledgeArticle.__table__).where(KnowledgeArticle.id == article_id)
                                   .values(**before[article_id]))
        db.session.commit()


def ids(app, *codes: str) -> dict[str, int]:
    from hotline.extensions import db
    from hotline.models import Category, Department

    with app.app_context():
        found = {c.code: c.id for c in db.session.scalars(select(Category).where(Category.code.in_(codes)))}
        found |= {d.code: d.id for d in db.session.scalars(select(Department).where(Department.code.in_(codes)))}
        return found


def article_id(app, title_start: str) -> int:
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    with app.app_context():
        return db.session.scalar(select(KnowledgeArticle.id).where(KnowledgeArticle.title.startswith(title_start)))


def fields(**overrides) -> dict:
    values = {"title": "测试文章", "body": "这是一篇测试用的文章。", "keywords": "", "category_id": None,
              "owner_department_id": None, "valid_from": None, "valid_until": None}
    values.update(overrides)
    return values


def today() -> date:
    from hotline.clock import local, now

    return local(now(), "Asia/Shanghai").date()
