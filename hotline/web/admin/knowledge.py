"""The knowledge base's administration: the articles operators read out during a call.

Administrators and supervisors keep it (the supervisors run the floor and know what callers ask); everyone
else is refused (403). Operators search it from the console, where only valid articles are found."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from hotline.clock import local, now
from hotline.domain import knowledge as kb
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import Department, KnowledgeArticle
from hotline.services import knowledge
from hotline.web import labels
from hotline.web.access import roles_required, safe_next
from hotline.web.admin import bp
from hotline.web.admin.forms import PostForm
from hotline.web.admin.knowledge_forms import ArticleForm

KEEPERS = (Role.ADMIN, Role.SUPERVISOR)
PER_PAGE = 30
STATUS = {"valid": _l("Valid today"), "scheduled": _l("Not yet valid"), "expired": _l("Expired"),
          "retired": _l("Retired")}


def local_today() -> date:
    """Validity dates are the city's days, not UTC's."""
    return local(now(), current_app.config["HOTLINE_TIMEZONE"]).date()


def _article_or_404(article_id: int) -> KnowledgeArticle:
    try:
        return knowledge.get(db.session, article_id)
    except NotFound:
        abort(404)


def _int_arg(name: str) -> int | None:
    text = request.args.get(name, "")
    return int(text) if text.isdigit() and int(text) > 0 else None


@bp.route("/knowledge", endpoint="knowledge")
@roles_required(*KEEPERS)
def knowledge_page():
    q = (request.args.get("q") or "").strip()[:100]
    status = request.args.get("status", "") if request.args.get("status") in STATUS else ""
    department_id = _int_arg("department")
    today = local_today()
    listing = knowledge.listing(db.session, today, q=q, status=status, department_id=department_id,
                                page=_int_arg("page") or 1, per_page=PER_PAGE)
    departments = db.session.scalars(select(Department).where(Department.id.in_(
        select(KnowledgeArticle.owner_department_id).distinct())).order_by(Department.level, Department.code)).all()
    return render_template("admin/knowledge.html", listing=listing, q=q, status=status, department_id=department_id,
                           departments=departments, today=today, status_of=kb.status_on, statuses=STATUS,
                           name=labels.name,
                           filtered=bool(q or status or department_id), post=PostForm())


def _form_page(form: ArticleForm, article: KnowledgeArticle | None, status: int = 200, problem: str = ""):
    form.fill()
    return render_template("admin/knowledge_form.html", form=form, article=article, problem=problem,
                           today=local_today(), status_of=kb.status_on, statuses=STATUS,
                           post=PostForm()), status


def _refused(form: ArticleForm, article: KnowledgeArticle | None, problems: dict[str, str]):
    form.mark(problems)
    return _form_page(form, article, 422, _("The article was not saved. Correct the fields marked below."))


def _save(form: ArticleForm, article: KnowledgeArticle | None):
    if not form.validate_on_submit():
        return _form_page(form, article, 400, _("The form had expired. Nothing was saved; send it again."))
    fields, problems = form.fields()
    if problems:
        return _refused(form, article, problems)
    try:
        if article is None:
            saved = knowledge.create(db.session, current_user, fields, now())
        else:
            saved = knowledge.update(db.session, current_user, article.id, fields, now(),
                                     expected_version=form.expected_version())
    except InvalidFields as exc:
        return _refused(form, article, exc.detail)
    except Conflict as exc:
        db.session.rollback()
        by = exc.detail.get("by") or _("someone else")
        return _form_page(form, article, 409, _(
            "%(name)s changed this article while you were editing it. Nothing was saved; your text is still in "
            "the form. Open the article again in a new tab to see their version, then save yours over it if "
            "it is still right.", name=by))
    flash((_("Article added.") if article is None else _("Article saved.")) + " " + _(
        "Operators find it from now on while it is valid."), "success")
    return redirect(url_for("admin.knowledge_edit", article_id=saved.id))


@bp.route("/knowledge/new", methods=["GET", "POST"], endpoint="knowledge_new")
@roles_required(*KEEPERS)
def knowledge_new():
    form = ArticleForm()
    if request.method == "GET":
        return _form_page(form, None)
    return _save(form, None)


@bp.route("/knowledge/<int:article_id>/edit", methods=["GET", "POST"], endpoint="knowledge_edit")
@roles_required(*KEEPERS)
def knowledge_edit(article_id: int):
    article = _article_or_404(article_id)
    form = ArticleForm()
    if request.method == "GET":
        form.load(article)
        return _form_page(form, article)
    return _save(form, article)


def _switch(article_id: int, active: bool):
    article = _article_or_404(article_id)
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
@roles_required(*KEEPERS)
def knowledge_retire(article_id: int):
    return _switch(article_id, False)


@bp.route("/knowledge/<int:article_id>/restore", methods=["POST"], endpoint="knowledge_restore")
@roles_required(*KEEPERS)
def knowledge_restore(article_id: int):
    return _switch(article_id, True)
