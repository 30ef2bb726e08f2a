"""The knowledge base's pages: the articles operators read out during a call, and who keeps them.

The centre (admin, supervisor) keeps every article. A department keeps its own: its head adds, edits, retires
and restores them, its staff read them (`hotline.domain.knowledge_access`). Another department's article is
404 to a department, as another department's case is; reading without keeping is 403 on every change.
Operators and dispatchers search the valid articles from the console and do not come here (403)."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hotline.clock import local, now
from hotline.domain import knowledge as kb
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.knowledge_access import OPENERS, Scope
from hotline.extensions import db
from hotline.models import Department, KnowledgeArticle
from hotline.services import knowledge
from hotline.web import labels
from hotline.web.access import roles_required, safe_next
from hotline.web.admin import bp
from hotline.web.admin.forms import PostForm
from hotline.web.admin.knowledge_forms import ArticleForm

PER_PAGE = 30
STATUS = {"valid": _l("Valid today"), "scheduled": _l("Not yet valid"), "expired": _l("Expired"),
          "retired": _l("Retired")}
FILTERS = {"expiring": _l("Ending within 7 days"), **STATUS}


def local_today() -> date:
    """Validity dates are the city's days, not UTC's."""
    return local(now(), current_app.config["HOTLINE_TIMEZONE"]).date()


def _scope() -> Scope:
    try:
        return knowledge.scope_of(current_user)
    except Forbidden:
        abort(403)  # a department user with no department: nothing of theirs to keep


def _article_or_404(article_id: int, scope: Scope) -> KnowledgeArticle:
    try:
        return knowledge.get(db.session, article_id, scope)
    except NotFound:
        abort(404)


def _kept_or_403(article_id: int, scope: Scope) -> KnowledgeArticle:
    """Not seen: 404 (another department's article does not exist for them); seen but only read: 403."""
    article = _article_or_404(article_id, scope)
    if not scope.keeps(article.owner_department_id):
        abort(403)
    return article


def _int_arg(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isdigit() and int(text) > 0 else None


def _shown(scope: Scope, today: date) -> dict:
    """What every knowledge page needs to draw an article's badges and buttons."""
    return {"scope": scope, "today": today, "status_of": kb.status_on, "days_left": kb.days_left,
            "expiring": kb.expiring, "statuses": STATUS, "name": labels.name, "post": PostForm()}


@bp.route("/knowledge", endpoint="knowledge")
@roles_required(*OPENERS)
def knowledge_page():
    scope = _scope()
    q = (request.args.get("q") or "").strip()[:100]
    status = request.args.get("status", "") if request.args.get("status") in FILTERS else ""
    department_id = _int_arg("department") if scope.chooses_owner else None
    today = local_today()
    listing = knowledge.listing(db.session, scope, today, q=q, status=status, department_id=department_id,
                                page=_int_arg("page") or 1, per_page=PER_PAGE)
    departments = []
    if scope.chooses_owner:
        departments = db.session.scalars(select(Department).where(Department.id.in_(
            select(KnowledgeArticle.owner_department_id).distinct())).order_by(Department.level,
                                                                               Department.code)).all()
    ending = knowledge.expiring_count(db.session, scope, today) if status != "expiring" else 0
    own = None if scope.everything else db.session.get(Department, scope.department_id)
    return render_template("admin/knowledge.html", listing=listing, q=q, status=status, department_id=department_id,
                           departments=departments, filters=FILTERS, ending=ending, own=own,
                           filtered=bool(q or status or department_id), **_shown(scope, today))


@bp.route("/knowledge/<int:article_id>", endpoint="knowledge_article")
@roles_required(*OPENERS)
def knowledge_article(article_id: int):
    """The whole article as operators find it: what a department's staff read, and the keepers' preview."""
    scope = _scope()
    article = _article_or_404(article_id, scope)
    return render_template("admin/knowledge_article.html", article=article, **_shown(scope, local_today()))


def _form_page(form: ArticleForm, article: KnowledgeArticle | None, scope: Scope, status: int = 200,
               problem: str = ""):
    form.fill()
    own = None if scope.chooses_owner else db.session.get(Department, scope.department_id)
    return render_template("admin/knowledge_form.html", form=form, article=article, problem=problem, own=own,
                           **_shown(scope, local_today())), status


def _form(scope: Scope) -> ArticleForm:
    form = ArticleForm()
    if not scope.chooses_owner:
        form.without_owner()  # a department's articles are its own: nothing to choose
    return form


def _refused(form: ArticleForm, article: KnowledgeArticle | None, scope: Scope, problems: dict[str, str]):
    form.mark(problems)
    return _form_page(form, article, scope, 422, _("The article was not saved. Correct the fields marked below."))


def _save(form: ArticleForm, article: KnowledgeArticle | None, scope: Scope):
    if not form.validate_on_submit():
        return _form_page(form, article, scope, 400, _("The form had expired. Nothing was saved; send it again."))
    fields, problems = form.fields()
    if problems:
        return _refused(form, article, scope, problems)
    try:
        if article is None:
            saved = knowledge.create(db.session, current_user, fields, now())
        else:
            saved = knowledge.update(db.session, current_user, article.id, fields, now(),
                                     expected_version=form.expected_version())
    except InvalidFields as exc:
        return _refused(form, article, scope, exc.detail)
    except Conflict as exc:
        db.session.rollback()
        by = exc.detail.get("by") or _("someone else")
        return _form_page(form, article, scope, 409, _(
            "%(name)s changed this article while you were editing it. Nothing was saved; your text is still in "
            "the form. Open the article again in a new tab to see their version, then save yours over it if "
            "it is still right.", name=by))
    flash((_("Article added.") if article is None else _("Article saved.")) + " " + _(
        "Operators find it from now on while it is valid."), "success")
    return redirect(url_for("admin.knowledge_edit", article_id=saved.id))


@bp.route("/knowledge/new", methods=["GET", "POST"], endpoint="knowledge_new")
@roles_required(*OPENERS)
def knowledge_new():
    scope = _scope()
    if not scope.may_keep:
        abort(403)
    form = _form(scope)
    if request.method == "GET":
        return _form_page(form, None, scope)
    return _save(form, None, scope)


@bp.route("/knowledge/<int:article_id>/edit", methods=["GET", "POST"], endpoint="knowledge_edit")
@roles_required(*OPENERS)
def knowledge_edit(article_id: int):
    scope = _scope()
    article = _kept_or_403(article_id, scope)
    form = _form(scope)
    if request.method == "GET":
        form.load(article)
        return _form_page(form, article, scope)
    return _save(form, article, scope)


def _switch(article_id: int, active: bool):
    scope = _scope()
    article = _kept_or_403(article_id, scope)
    if not PostForm().validate_on_submit():
        abort(400)
    if active:
        knowledge.restore(db.session, current_user, article.id, now())
        flash(_("“%(title)s” is restored: operators find it again while it is valid.", title=article.title),
              "success")
    else:
        knowledge.retire(db.session, current_user, article.id, now())
        flash(_("“%(title)s” is retired: operators no longer find it. Cases answered with it keep the link.",
                title=article.title), "success")
    return redirect(safe_next(request.form.get("next"), url_for("admin.knowledge_edit", article_id=article.id)))


@bp.route("/knowledge/<int:article_id>/retire", methods=["POST"], endpoint="knowledge_retire")
@roles_required(*OPENERS)
def knowledge_retire(article_id: int):
    return _switch(article_id, False)


@bp.route("/knowledge/<int:article_id>/restore", methods=["POST"], endpoint="knowledge_restore")
@roles_required(*OPENERS)
def knowledge_restore(article_id: int):
    return _switch(article_id, True)
