"""The tracking pages: a citizen signs in with their phone and a code sent by SMS and sees all their cases, or opens
one case by its number and a code sent to the case's phone; reads its public timeline; rates the answer; asks for it
to be handled again. What a page says never depends on whether a number has cases or a case number exists."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from hotline.clock import now
from hotline.domain.errors import InvalidFields
from hotline.domain.phone import to_e164
from hotline.domain.privacy import mask_phone
from hotline.extensions import db, limiter
from hotline.services import citizen_cases, otp
from hotline.web import labels
from hotline.web.access import client_ip
from hotline.web.public import bp, citizen
from hotline.web.public import track_labels as words
from hotline.web.public.track_forms import (
    CaseNumberForm,
    CodeForm,
    PhoneForm,
    RatingForm,
    ReopenForm,
    ResendForm,
    SignOutForm,
)

PENDING = "citizen_code"  # {"purpose": "sign_in"|"case", "phone" or "number", "sent_at": ISO moment}
RESEND_AFTER = timedelta(seconds=60)  # a second code only after this: the first one is usually just slow
CODE_SCOPE = "citizen-codes"  # one budget per visitor for every code asked for on these pages


def _code_limit() -> str:
    return current_app.config["HOTLINE_RATE_CODE_REQUESTS"]


def _check_limit() -> str:
    return current_app.config["HOTLINE_RATE_CODE_CHECKS"]


def _settings() -> otp.Settings:
    return otp.Settings.from_config(current_app.config)


def _tz() -> str:
    return current_app.config["HOTLINE_TIMEZONE"]


def _landing(phone_form: PhoneForm | None = None, number_form: CaseNumberForm | None = None, status: int = 200):
    phone_form = phone_form or PhoneForm(prefix="signin", formdata=None)
    number_form = number_form or CaseNumberForm(prefix="open", formdata=None,
                                                data={"number": request.args.get("number", "")[:40]})
    signed_in = citizen.phone()
    return render_template("public/track.html", phone_form=phone_form, number_form=number_form,
                           signed_in=mask_phone(signed_in) if signed_in else None,
                           lang_next=url_for("public.track")), status


@bp.get("/track")
def track():
    return _landing()


@bp.post("/track/sign-in")
@limiter.shared_limit(_code_limit, scope=CODE_SCOPE)
def track_sign_in():
    form = PhoneForm(prefix="signin")
    if not form.validate_on_submit():
        return _landing(phone_form=form, status=422)
    phone = to_e164(form.phone.data, current_app.config["HOTLINE_PHONE_REGION"])
    try:
        citizen_cases.send_sign_in_code(db.session, phone, now(), _settings(), str(get_locale()))
    except otp.NotMobile:
        form.phone.errors.append(_("Codes are sent by SMS: enter a mobile number."))
        return _landing(phone_form=form, status=422)
    except otp.TooManyCodes:
        form.phone.errors.append(_("Too many codes have been sent to this number. Please try again later."))
        return _landing(phone_form=form, status=429)
    _pending("sign_in", phone=phone)
    return redirect(url_for("public.track_code"), 303)


@bp.post("/track/open")
@limiter.shared_limit(_code_limit, scope=CODE_SCOPE)
def track_open():
    form = CaseNumberForm(prefix="open")
    if not form.validate_on_submit():
        return _landing(number_form=form, status=422)
    number = citizen_cases.normalise_number(form.number.data)
    if _visible(number) is not None:  # their own case, or one already opened: no code needed
        return redirect(url_for("public.track_case", number=number), 303)
    citizen_cases.send_case_code(db.session, number, now(), _settings(), str(get_locale()))
    _pending("case", number=number)
    return redirect(url_for("public.track_code"), 303)


def _pending(purpose: str, **about) -> None:
    session[PENDING] = {"purpose": purpose, **about, "sent_at": now().isoformat()}


def _held() -> dict | None:
    held = session.get(PENDING)
    return held if isinstance(held, dict) and held.get("purpose") in ("sign_in", "case") else None


def _code_page(held: dict, form: CodeForm, status: int = 200):
    return render_template("public/track_code.html", form=form, resend=ResendForm(prefix="resend"),
                           purpose=held["purpose"],
                           phone=mask_phone(held.get("phone")), number=held.get("number", ""),
                           minutes=current_app.config["HOTLINE_CODE_MINUTES"],
                           wait=int(RESEND_AFTER.total_seconds()), lang_next=url_for("public.track_code")), status


@bp.route("/track/code", methods=["GET", "POST"])
@limiter.limit(_check_limit, methods=["POST"])
def track_code():
    held = _held()
    if held is None:
        return redirect(url_for("public.track"))
    form = CodeForm()
    if not form.validate_on_submit():
        return _code_page(held, form, 422 if request.method == "POST" else 200)
    if held["purpose"] == "sign_in":
        if citizen_cases.confirm_sign_in(db.session, held["phone"], form.code.data, now(), _settings(), client_ip()):
            session.pop(PENDING, None)
            citizen.sign_in(held["phone"])
            return redirect(url_for("public.track_cases"), 303)
    elif citizen_cases.confirm_case(db.session, held["number"], form.code.data, now(), _settings(), client_ip()):
        session.pop(PENDING, None)
        citizen.open_case(held["number"])
        return redirect(url_for("public.track_case", number=held["number"]), 303)
    form.code.errors.append(_("This code is not right, or it has expired. Check the SMS, or ask for a new code."))
    return _code_page(held, form, 422)


@bp.post("/track/code/resend")
@limiter.shared_limit(_code_limit, scope=CODE_SCOPE)
def track_resend():
    held = _held()
    if held is None or not ResendForm(prefix="resend").validate_on_submit():
        return redirect(url_for("public.track"))
    waited = now() - datetime.fromisoformat(held["sent_at"])
    if waited < RESEND_AFTER:
        left = int((RESEND_AFTER - waited).total_seconds()) + 1
        flash(_("Please wait %(n)d seconds before asking for a new code.", n=left), "error")
        return redirect(url_for("public.track_code"), 303)
    if held["purpose"] == "sign_in":
        try:
            citizen_cases.send_sign_in_code(db.session, held["phone"], now(), _settings(), str(get_locale()))
        except (otp.NotMobile, otp.TooManyCodes):
            flash(_("Too many codes have been sent to this number. Please try again later."), "error")
            return redirect(url_for("public.track_code"), 303)
    else:
        citizen_cases.send_case_code(db.session, held["number"], now(), _settings(), str(get_locale()))
    _pending(held["purpose"], **{k: v for k, v in held.items() if k in ("phone", "number")})
    flash(_("A new code is on its way. Only the newest code works."), "info")
    return redirect(url_for("public.track_code"), 303)


@bp.get("/track/cases")
def track_cases():
    phone = citizen.phone()
    if phone is None:
        return redirect(url_for("public.track"))
    g.personal_data_shown = True  # the person's own cases: kept out of shared caches
    moment = now()
    rows = [(case, *citizen_cases.status_and_due(case, moment))
            for case in citizen_cases.cases_of(db.session, phone)]
    return render_template("public/track_cases.html", rows=rows, phone=mask_phone(phone), now=moment,
                           words=words, sign_out=SignOutForm(), limit=citizen_cases.LIST_LIMIT)


@bp.post("/track/sign-out")
def track_sign_out():
    if SignOutForm().validate_on_submit():
        citizen.sign_out()
        flash(_("You have signed out of case tracking."), "info")
    return redirect(url_for("public.track"), 303)


def _visible(number: str):
    number = citizen_cases.normalise_number(number)
    return citizen_cases.visible_case(db.session, number, citizen.phone(), citizen.has_opened(number))


def _case_page(case, rating: RatingForm | None = None, reopen: ReopenForm | None = None, status: int = 200):
    g.personal_data_shown = True
    moment = now()
    tracked = citizen_cases.track(db.session, case, moment)
    if rating is None:
        rating = RatingForm(formdata=None, data={"version": str(case.version)})
    if reopen is None:
        reopen = ReopenForm(formdata=None, data={"comment": _own_rating_comment(tracked)})
    names = {i: labels.name(d) for i, d in tracked.departments.items()}
    joiner = ", " if str(get_locale()) == "en" else "、"
    # a petition reads as its own procedure: its deadlines, its documents, and no rating (review is asked instead)
    template = "public/track_petition.html" if case.track == "petition" else "public/track_case.html"
    return render_template(template, case=case, tracked=tracked, view=tracked.view, now=moment,
                           words=words, names_of=lambda ids: joiner.join(names[i] for i in ids if i in names),
                           rating=rating, reopen=reopen, signed_in=citizen.phone() is not None,
                           lang_next=url_for("public.track_case", number=case.number)), status


def _own_rating_comment(tracked) -> str:
    """What the person wrote with an unhappy rating on this page: the start of their request for a redo."""
    rated = [e for e in tracked.view.entries if e.kind in ("rated", "reopened")]
    return rated[-1].text if rated and rated[-1].kind == "rated" else ""


@bp.get("/track/case/<number>")
def track_case(number: str):
    case = _visible(number)
    if case is None:
        return redirect(url_for("public.track", number=number[:40]))
    return _case_page(case)


@bp.post("/track/case/<number>/rate")
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_FILE"])
def track_rate(number: str):
    case = _visible(number)
    if case is None:
        return redirect(url_for("public.track", number=number[:40]))
    form = RatingForm()
    if not form.validate_on_submit():
        return _case_page(case, rating=form, status=422)
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        rated = citizen_cases.rate(db.session, case.number, form.satisfaction.data, form.resolved.data == "yes",
                                   form.comment.data or "", now(), _tz(), version)
    except citizen_cases.Refused as exc:
        flash(str(words.REFUSED.get(exc.code, words.REFUSED["moved_on"])), "error")
        return redirect(url_for("public.track_case", number=case.number), 303)
    except InvalidFields:
        form.comment.errors.append(_("Please check this field."))
        return _case_page(_visible(number), rating=form, status=422)
    flash(_("Thank you. Your rating has been recorded."), "success")
    anchor = "reopen" if rated.state == "replied" else None
    return redirect(url_for("public.track_case", number=rated.number, _anchor=anchor), 303)


@bp.post("/track/case/<number>/reopen")
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_FILE"])
def track_reopen(number: str):
    case = _visible(number)
    if case is None:
        return redirect(url_for("public.track", number=number[:40]))
    form = ReopenForm()
    if not form.validate_on_submit():
        return _case_page(case, reopen=form, status=422)
    try:
        reopened = citizen_cases.reopen(db.session, case.number, form.comment.data, now(), _tz())
    except citizen_cases.Refused as exc:
        flash(str(words.REFUSED.get(exc.code, words.REFUSED["moved_on"])), "error")
        return redirect(url_for("public.track_case", number=case.number), 303)
    except InvalidFields:
        form.comment.errors.append(_("Please check this field."))
        return _case_page(_visible(number), reopen=form, status=422)
    flash(_("Your case goes back to the department to be handled again. You will be told its new answer."),
          "success")
    return redirect(url_for("public.track_case", number=reopened.number), 303)
