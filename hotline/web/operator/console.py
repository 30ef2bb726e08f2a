"""The operator's call console: the screen an operator lives in during a call. One form holds the call; the
panels beside it (the caller's history, subject suggestions, an emergency prompt, likely duplicates, the
knowledge base) are fragments fetched as the operator types (static/js/console.js), and rendered into the page
itself when it comes back from the server, so the console also works without JavaScript."""
from __future__ import annotations

import uuid

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import local, now
from hotline.domain import duplicates as duplicate_rules
from hotline.domain import emergency
from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import Kind, Urgency
from hotline.domain.lifecycle import State
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.privacy import mask_phone
from hotline.domain.roles import Role
from hotline.domain.text import DESCRIPTION_MAX
from hotline.extensions import db
from hotline.services import audit, caller, duplicates, intake, knowledge
from hotline.services import console as calls
from hotline.web import field_errors
from hotline.web.access import client_ip, roles_required
from hotline.web.fields import area_choices, category_choices
from hotline.web.operator import bp
from hotline.web.operator.console_forms import ANSWER, MERGE, SEARCH, TRANSFER, CallForm, Do

CONSOLE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR)
SUGGEST_MIN_SCORE = 0.05
KNOWLEDGE_HITS = 5


@bp.route("/console", methods=["GET", "POST"])
@roles_required(*CONSOLE_ROLES)
def console():
    form = CallForm()
    form.fill_choices(category_choices(), area_choices())
    if request.method == "GET":
        return _fresh(form)
    do = Do.parse(request.form.get("do"))
    if do.what in ("lookup", SEARCH):  # without JavaScript: the panels, and nothing saved
        return _render(form, do)
    if not form.check(do):
        return _render(form, do, status=422)
    try:
        outcome = _carry_out(do, _call(form), form)
    except intake.UnknownReference as exc:
        getattr(form, f"{exc}_id").errors.append(_("Choose one of the options."))
        return _render(form, do, status=422)
    except InvalidFields as exc:
        for name, code in exc.detail.items():
            form.form_errors.append(field_errors.message(name, code))
        return _render(form, do, status=422)
    except calls.NotClosed as exc:
        flash(_("The call was registered as %(number)s, but could not be closed: %(why)s It waits in the "
                "dispatch queue.", number=exc.case.number, why=_why(exc.error)), "error")
        return redirect(url_for("operator.console", done=exc.case.number))
    case = outcome.case
    if case.state == State.REGISTERED and current_user.role in (Role.DISPATCHER, Role.SUPERVISOR):
        flash(_("Saved as %(number)s. The dispatch catalogue did not dispatch it: choose the department below.",
                number=case.number), "success")
        return redirect(url_for("cases.detail", number=case.number, open="dispatch", _anchor="action-dispatch"))
    return redirect(url_for("operator.console", done=case.number))


def _carry_out(do: Do, call: calls.Call, form: CallForm) -> calls.Outcome:
    cfg = current_app.config
    ctx = calls.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"])
    if do.what == ANSWER:
        try:
            article_id = int(do.value)
        except ValueError:
            raise InvalidFields("fields", {"article_id": "unknown"}) from None
        return calls.answer(db.session, call, current_user, ctx, article_id, form.answer_note.data or "")
    if do.what == TRANSFER:
        return calls.transfer(db.session, call, current_user, ctx, do.value)
    if do.what == MERGE:
        return calls.merge(db.session, call, current_user, ctx, do.value)
    return calls.save(db.session, call, current_user, ctx)


def _call(form: CallForm) -> calls.Call:
    return calls.Call(
        kind=Kind(form.kind.data), description=form.description.data, phone=_e164(form.phone.data),
        name=form.name.data or "", category_id=form.category_id.data, area_id=form.area_id.data,
        location_text=form.location_text.data or "", urgency=Urgency(form.urgency.data),
        confidential=bool(form.confidential.data), submission_key=form.submission_key.data or None,
        thread_id=form.thread_id(), voicemail_id=form.voicemail_id(),
    )


def _why(error: Exception) -> str:
    detail = getattr(error, "detail", None) or {}
    if isinstance(error, InvalidFields) and detail:
        return " ".join(field_errors.message(name, code) for name, code in detail.items())
    return _("the case changed meanwhile.")


def _fresh(form: CallForm):
    """A new call: from a screen-pop (?phone=), or from an inbox item (?thread=, ?voicemail=)."""
    form.submission_key.data = uuid.uuid4().hex
    thread_id, voicemail_id = _int_arg("thread"), _int_arg("voicemail")
    phone, text = calls.prefill(db.session, thread_id, voicemail_id)
    form.thread.data = str(thread_id) if thread_id and phone else ""
    form.voicemail.data = str(voicemail_id) if voicemail_id and phone and not thread_id else ""
    form.phone.data = phone or request.args.get("phone", "")[:32]
    form.description.data = text[:DESCRIPTION_MAX]
    done = request.args.get("done", "")
    return _render(form, None, result=calls.result(db.session, done) if done else None)


def _render(form: CallForm, do: Do | None, status: int = 200, result: calls.Result | None = None):
    moment = now()
    phone = _e164(form.phone.data)
    history = _history(phone) if phone else None
    text = form.description.data or ""
    call = duplicate_rules.Call(phone=phone, category_id=form.category_id.data, area_id=form.area_id.data,
                                text=f"{text} {form.location_text.data or ''}".strip())
    query = form.q.data or ""
    hits = _knowledge(query) if query else None
    return render_template(
        "operator/console.html", form=form, history=history, now=moment, result=result,
        prompt=emergency.suggest(text, form.urgency.data) if text else None,
        duplicates=duplicates.find(db.session, call, moment, viewer=current_user) if (text or phone) else None,
        hits=hits, query=query, searched=do is not None and do.what == SEARCH,
        source=_source(form),
    ), status


def _source(form: CallForm) -> tuple[str, int] | None:
    if form.thread_id():
        return "thread", form.thread_id()
    if form.voicemail_id():
        return "voicemail", form.voicemail_id()
    return None


def _history(phone: str):
    g.personal_data_shown = True  # the caller's names and cases: never cached
    found = caller.history(db.session, phone, now(), current_user, client_ip())
    db.session.commit()  # the access log entry
    return found


def _knowledge(query: str):
    today = local(now(), current_app.config["HOTLINE_TIMEZONE"]).date()
    return knowledge.search(db.session, query[:200], today, limit=KNOWLEDGE_HITS)


def _e164(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return to_e164(raw, current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        return None


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- the panels, fetched while the operator types --------------------------------------------------------


@bp.get("/console/caller")
@roles_required(*CONSOLE_ROLES)
def console_caller():
    phone = _e164(request.args.get("phone", "")[:32])
    if phone is None:
        return render_template("operator/_console_message.html",
                               message=_("Enter a valid phone number, for example 138 1234 5678.")), 422
    return render_template("operator/_caller.html", history=_history(phone))


@bp.get("/console/knowledge")
@roles_required(*CONSOLE_ROLES)
def console_knowledge():
    query = request.args.get("q", "").strip()[:200]
    return _fragment("operator/_console_knowledge.html", hits=_knowledge(query) if query else None, query=query,
                     searched=True)


@bp.get("/console/duplicates")
@roles_required(*CONSOLE_ROLES)
def console_duplicates():
    call = duplicate_rules.Call(phone=_e164(request.args.get("phone", "")[:32]),
                                category_id=_int_arg("category_id"), area_id=_int_arg("area_id"),
                                text=request.args.get("text", "")[:DESCRIPTION_MAX])
    found = duplicates.find(db.session, call, now(), viewer=current_user)
    if call.phone and any("phone" in d.reasons for d in found):
        # the caller's own open cases, found by their number: a look at their history, like the caller panel
        audit.log_access(db.session, current_user, "view_caller_history", at=now(), ip=client_ip(),
                         detail=f"{mask_phone(call.phone)} (likely duplicates)")
        db.session.commit()
    return _fragment("operator/_console_duplicates.html", duplicates=found)


@bp.get("/console/suggest")
@roles_required(*CONSOLE_ROLES)
def console_suggest():
    """The likeliest subjects for what the operator has typed (the public form's suggester, without the public
    rate limit: a centre's operators share one address)."""
    from hotline.services import suggest

    text = request.args.get("text", "")[:DESCRIPTION_MAX]
    found = suggest.suggest(db.session, text, now(), k=3, min_score=SUGGEST_MIN_SCORE) if text.strip() else None
    return _fragment("operator/_console_suggest.html", suggestions=found.items if found else [])


@bp.get("/console/emergency")
@roles_required(*CONSOLE_ROLES)
def console_emergency():
    prompt = emergency.suggest(request.args.get("text", "")[:DESCRIPTION_MAX], request.args.get("urgency"))
    return _fragment("operator/_console_emergency.html", prompt=prompt)


def _fragment(template: str, **values):
    response = current_app.make_response(render_template(template, **values))
    response.headers["Cache-Control"] = "no-store"  # what a caller said stays out of caches
    return response

