"""Open311 API keys: the keys in force and revoked, creating one (shown once), revoking one, and each key's use
log. An administrator's work only ("an administrator creates, scopes and revokes keys"): every other role is
refused (403). The service writes every creation and revocation to the access log.

Also the Integrations section's tabs (API keys · Webhooks · Places · API documentation), which the pages of
every part of the section include: integration_tabs() gives the tabs whose page exists and that the signed-in
user may open."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hotline.clock import now
from hotline.domain.roles import Role
from hotline.extensions import db
from hotline.models import ApiKey
from hotline.services import api_keys
from hotline.web.access import client_ip, roles_required
from hotline.web.admin import bp
from hotline.web.admin.api_key_forms import SCOPE_LABELS, NewKeyForm
from hotline.web.admin.forms import PostForm

KEEPERS = (Role.ADMIN,)
PER_PAGE = 50
STATES = ("active", "revoked")
RECENT = timedelta(days=30)  # the list's "requests in the last 30 days"

# (tab, endpoint, endpoint prefix of its pages, text, roles that may open it — None: anyone signed in). The roles
# repeat the guards of the pages (webhooks: hotline/web/admin/webhooks.py; places: hotline/web/admin/places.py) so
# that nobody is shown a tab that answers 403.
TABS = (
    ("keys", "admin.api_keys", "admin.api_key", _l("API keys"), (Role.ADMIN,)),
    ("webhooks", "admin.webhooks", "admin.webhook", _l("Webhooks"), (Role.ADMIN, Role.HEAD)),
    ("places", "admin.places", "admin.place", _l("Places"), (Role.ADMIN, Role.SUPERVISOR, Role.DISPATCHER)),
    ("docs", "apidocs.docs", "apidocs.", _l("API documentation"), None),
)


@bp.app_context_processor
def integration_globals():
    return {"integration_tabs": _integration_tabs, "integration_section": _in_section}


def _integration_tabs() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    here = request.endpoint or ""
    return [{"key": key, "href": url_for(endpoint), "text": text, "active": here.startswith(prefix)}
            for key, endpoint, prefix, text, roles in TABS
            if endpoint in current_app.view_functions and (roles is None or current_user.role in roles)]


def _in_section(endpoint: str) -> bool:
    return any(endpoint.startswith(prefix) for _key, _endpoint, prefix, _text, _roles in TABS)


def _page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


def _key_or_404(key_id: int) -> ApiKey:
    key = db.session.get(ApiKey, key_id)
    if key is None:
        abort(404)
    return key


@bp.route("/api-keys", endpoint="api_keys")
@roles_required(*KEEPERS)
def api_keys_page():
    state = request.args.get("state", "") if request.args.get("state") in STATES else ""
    listing = api_keys.listing(db.session, state=state, page=_page_number(), per_page=PER_PAGE)
    return render_template(
        "admin/api_keys.html", listing=listing, state=state, people=api_keys.people(db.session, listing.rows),
        recent=api_keys.use_counts(db.session, [k.id for k in listing.rows], since=now() - RECENT),
        scope_labels=SCOPE_LABELS, default_rate=current_app.config["HOTLINE_RATE_API_KEY"])


@bp.route("/api-keys/new", methods=["GET", "POST"], endpoint="api_key_new")
@roles_required(*KEEPERS)
def api_key_new():
    form = NewKeyForm()
    if form.validate_on_submit():
        key, raw = api_keys.create(db.session, form.name.data, form.scopes.data, by=current_user, at=now(),
                                   rate_limit=form.rate_limit.data or "", note=form.note.data or "", ip=client_ip())
        # the key itself is in this answer only: never stored, never cached, never shown again
        page = render_template("admin/api_keys_created.html", key=key, raw=raw, scope_labels=SCOPE_LABELS,
                               default_rate=current_app.config["HOTLINE_RATE_API_KEY"])
        return page, 201, {"Cache-Control": "no-store"}
    status = 422 if form.is_submitted() else 200
    return render_template("admin/api_keys_new.html", form=form, scope_labels=SCOPE_LABELS,
                           default_rate=current_app.config["HOTLINE_RATE_API_KEY"]), status


@bp.route("/api-keys/<int:key_id>", endpoint="api_key")
@roles_required(*KEEPERS)
def api_key_page(key_id: int):
    key = _key_or_404(key_id)
    status_class = request.args.get("status", "")
    status_class = status_class if status_class in api_keys.STATUS_CLASSES else ""
    log = api_keys.uses(db.session, key.id, status_class=status_class, page=_page_number(), per_page=PER_PAGE)
    return render_template(
        "admin/api_keys_key.html", key=key, log=log, status_class=status_class, status_classes=api_keys.STATUS_CLASSES,
        people=api_keys.people(db.session, [key]), scope_labels=SCOPE_LABELS,
        default_rate=current_app.config["HOTLINE_RATE_API_KEY"])


@bp.route("/api-keys/<int:key_id>/revoke", methods=["GET", "POST"], endpoint="api_key_revoke")
@roles_required(*KEEPERS)
def api_key_revoke(key_id: int):
    key = _key_or_404(key_id)
    if not key.active:
        flash(_("This key was revoked already."), "info")
        return redirect(url_for("admin.api_key", key_id=key.id))
    form = PostForm()
    if form.validate_on_submit():
        api_keys.revoke(db.session, key.id, by=current_user, at=now(), ip=client_ip())
        flash(_("The key “%(name)s” was revoked. Requests made with it are refused from now on.", name=key.name),
              "info")
        return redirect(url_for("admin.api_key", key_id=key.id))
    status = 400 if form.is_submitted() else 200  # a POST without a valid CSRF token revokes nothing
    return render_template("admin/api_keys_revoke.html", key=key, post=form, scope_labels=SCOPE_LABELS), status
