"""The published questions and answers: what citizens asked and the official answer, with every personal detail
removed and checked by a supervisor (hotline.services.publications). Searchable by words, filtered by subject."""
from __future__ import annotations

from flask import abort, render_template, request

from hotline.domain.errors import NotFound
from hotline.extensions import db
from hotline.services import publications
from hotline.web import labels
from hotline.web.opengov import bp, words
from hotline.web.opengov.public import cached, limited

PER_PAGE = 20
QUERY_MAX = 100


def _int_arg(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


@bp.get("/questions")
@limited
def questions():
    q = (request.args.get("q") or "").strip()[:QUERY_MAX]
    category_id = _int_arg("category")
    page = _int_arg("page") or 1
    found = publications.search(db.session, q, category_id, page, PER_PAGE)
    return cached(render_template("opengov/questions.html", found=found, q=q, category_id=category_id,
                                  categories=publications.categories(db.session), name=labels.name, words=words,
                                  filtered=bool(q or category_id)))


@bp.get("/questions/<int:publication_id>")
@limited
def question(publication_id: int):
    try:
        publication = publications.published(db.session, publication_id)
    except NotFound:
        abort(404)
    return cached(render_template("opengov/question.html", p=publication, name=labels.name, words=words))
