"""网上信访: a citizen files a petition on the web (信访工作条例 Arts. 17, 19) — their name and address, the request,
the facts and the reasons — after proving their mobile number with a code, as on the 12345 form (/file): the form
waits in a FilingDraft (services/filing.py) until the code is right, then becomes a petition registered by
services/petitions.py. A browser that proved the number lately (signed in to follow its cases) files at once.

The draft is named by a token keyed from the form's submission key, and the petition carries it as its
submission key: however often the form or the code is sent, one petition. Art. 36: the same facts and reasons
as a petition concluded after 复核 are not accepted again — the person is told so, and may state what is new."""
from __future__ import annotations

import uuid

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from hotline.clock import now
from hotline.domain.errors import Conflict, InvalidFields
from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Kind, Track
from hotline.domain.petition_intake import PetitionerIn, valid_id_number
from hotline.domain.phone import to_e164
from hotline.domain.privacy import mask_phone
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.extensions import db, limiter
from hotline.models import FilingDraft
from hotline.services import filing, otp, petitions, sla
from hotline.web import uploads
from hotline.web.fields import no_markup, phone_number, strip
from hotline.web.petitions import bp
from hotline.web.petitions.register_forms import FACTS_MAX, KIND, KIND_HINT, words
from hotline.web.public import citizen
from hotline.web.public.forms import CodeForm

DRAFTS_KEY = "petition_drafts"  # the drafts this browser made: only it sees their code page
FILED_KEY = "filed_petitions"  # the petitions this browser filed: only it sees the receipt
KEEP = 20


def _rate(name: str):
    return lambda: current_app.config[name]


def _code_was_sent(response) -> bool:
    return bool(g.get("code_sent"))


def _id_number(form, field) -> None:
    if field.data and not valid_id_number(field.data):
        raise ValidationError(_l("This is not a valid ID number: 18 characters, the last a digit or X."))


def _text(label, required: str, limit: int, rows: int):
    return TextAreaField(label, filters=[strip], render_kw={"rows": rows, "maxlength": limit}, validators=[
        DataRequired(required), Length(max=limit, message=_l("At most %(max)d characters.")), no_markup])


class OnlineForm(FlaskForm):
    kind = RadioField(_l("What kind of petition is it?"), validate_choice=False)
    request = _text(_l("What do you ask for? (请求)"), _l("Write what you ask for (Art. 19)."), DESCRIPTION_MAX, 3)
    facts = _text(_l("What happened? (事实)"), _l("Write the facts (Art. 19)."), FACTS_MAX, 6)
    reasons = _text(_l("Why? (理由)"), _l("Write your reasons (Art. 19)."), FACTS_MAX, 4)
    name = StringField(_l("Your name"), filters=[strip], validators=[
        DataRequired(_l("Enter your name (Art. 19).")), Length(max=NAME_MAX), no_markup])
    id_number = StringField(_l("ID number (optional)"), validators=[_id_number],
                            filters=[lambda v: "".join(v.split()).upper() if isinstance(v, str) else v],
                            render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": 21})
    phone = StringField(_l("Mobile phone"), filters=[strip], validators=[
        DataRequired(_l("Enter your mobile number: a code is sent to it.")), Length(max=32), phone_number],
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
    address = StringField(_l("Your address"), filters=[strip], validators=[
        DataRequired(_l("Enter your address: the written answer is sent there (Art. 19).")),
        Length(max=ADDRESS_MAX), no_markup], render_kw={"autocomplete": "street-address"})
    confidential = BooleanField(_l("Keep my identity confidential"))
    new_facts = TextAreaField(_l("What is new (新的事实或理由)"), filters=[strip],
                              validators=[Length(max=FACTS_MAX), no_markup], render_kw={"rows": 4})
    submission_key = HiddenField()

    def fill(self) -> None:
        self.kind.choices = [(str(k), KIND[k]) for k in KINDS_BY_TRACK[Track.PETITION]]

    def check(self) -> bool:
        ok = self.validate()
        if self.kind.data not in {value for value, _label in self.kind.choices}:
            self.kind.errors.append(_l("Choose the kind of petition."))
            ok = False
        return ok

    def fields(self) -> dict:
        return {k: getattr(self, k).data or "" for k in ("kind", "request", "facts", "reasons", "name",
                                                          "id_number", "address", "new_facts")} | {
            "confidential": bool(self.confidential.data)}


@bp.route("/file", methods=["GET", "POST"])
@limiter.limit(_rate("HOTLINE_RATE_FILE"), methods=["POST"])
@limiter.shared_limit(_rate("HOTLINE_RATE_CODE_REQUESTS"), scope="citizen-codes", methods=["POST"],
                      deduct_when=_code_was_sent)
def file_online():
    form = OnlineForm()
    form.fill()
    if request.method == "GET":
        draft = _own_draft(request.args.get("draft", ""))
        if draft is not None:  # back from the code page to change something
            form.process(data={**draft.data, "phone": draft.phone})
        form.submission_key.data = form.submission_key.data or uuid.uuid4().hex
        return _form(form)
    form.submission_key.data = form.submission_key.data or uuid.uuid4().hex
    token = filing.token_for(current_app.secret_key, "petition\x1f" + form.submission_key.data)
    already = filing.filed_case(db.session, token)
    if already is not None:  # sent again after it was registered
        return _receipt(already.number)
    if not form.check():
        return _form(form, status=422)
    phone = to_e164(form.phone.data, current_app.config["HOTLINE_PHONE_REGION"])
    filing.hold(db.session, uploads.storage(), token, now(), fields=form.fields(), phone=phone, complete=True)
    _remember(DRAFTS_KEY, token)
    if citizen.phone() == phone:  # proven in this browser lately
        return _register(token)
    if filing.resend_wait(db.session, filing.live_draft(db.session, token, now()), now()):
        return redirect(url_for("petitions.file_online_verify", token=token))  # the code on its way still holds
    try:
        filing.request_code(db.session, token, now(), otp.Settings.from_config(current_app.config),
                            locale=str(get_locale()))
    except otp.NotMobile:
        form.phone.errors.append(_("A code can only be sent to a mobile number. Enter a mobile number."))
        return _form(form, status=422)
    except otp.TooManyCodes:
        form.phone.errors.append(_("Too many codes were sent to this number lately. Try again in a few minutes."))
        return _form(form, status=429)
    g.code_sent = True
    return redirect(url_for("petitions.file_online_verify", token=token))


@bp.route("/file/verify/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("HOTLINE_RATE_LOGIN"), methods=["POST"])
def file_online_verify(token: str):
    if token not in session.get(DRAFTS_KEY, []):
        abort(404)
    already = filing.filed_case(db.session, token)
    if already is not None:
        return _receipt(already.number)
    draft = filing.live_draft(db.session, token, now())
    if draft is None or not draft.phone:
        return render_template("public/file_expired.html"), 404
    form = CodeForm()
    if form.validate_on_submit():
        phone = draft.phone
        if filing.verify(db.session, token, form.code.data, now(), otp.Settings.from_config(current_app.config)) \
                or filing.proven(db.session, token, now()):
            citizen.sign_in(phone)
            return _register(token)
        form.code.errors = [_("That is not the code we sent, or it has expired. Check the SMS, or ask for a new "
                              "one below.")]
    return _verify(form, token, 422 if request.method == "POST" else 200)


@bp.post("/file/verify/<token>/resend")
@limiter.shared_limit(_rate("HOTLINE_RATE_CODE_REQUESTS"), scope="citizen-codes", deduct_when=_code_was_sent)
def file_online_resend(token: str):
    if token not in session.get(DRAFTS_KEY, []):
        abort(404)
    draft = filing.live_draft(db.session, token, now())
    if draft is None or not draft.phone:
        return render_template("public/file_expired.html"), 404
    wait = filing.resend_wait(db.session, draft, now())
    if wait:
        return _verify(CodeForm(formdata=None), token, 429,
                       notice=_("Please wait %(n)d seconds before asking for another code.", n=wait))
    try:
        filing.request_code(db.session, token, now(), otp.Settings.from_config(current_app.config),
                            locale=str(get_locale()))
    except otp.TooManyCodes:
        return _verify(CodeForm(formdata=None), token, 429,
                       notice=_("Too many codes were sent to this number lately. Try again in a few minutes."))
    g.code_sent = True
    return redirect(url_for("petitions.file_online_verify", token=token))


@bp.get("/filed/<number>")
def file_online_filed(number: str):
    if number not in session.get(FILED_KEY, []):
        abort(404)
    g.personal_data_shown = True
    return render_template("petitions/online_filed.html", number=number)


def _register(token: str):
    """The draft becomes the petition; the draft goes once it has. Refused (Art. 36) or wrong: the form again,
    as the person wrote it, with the phone now proven."""
    draft = filing.live_draft(db.session, token, now())
    if draft is None:
        return render_template("public/file_expired.html"), 404
    data = dict(draft.data)
    tz = current_app.config["HOTLINE_TIMEZONE"]
    new = petitions.NewPetition(
        kind=Kind(data["kind"]), channel=Channel.WEB, request=data["request"], facts=data["facts"],
        reasons=data["reasons"], confidential=bool(data.get("confidential")), new_facts=data.get("new_facts", ""),
        petitioners=(PetitionerIn(name=data["name"], id_number=data.get("id_number", ""), phone=draft.phone,
                                  address=data.get("address", "")),),
        submission_key=token, extra={"online": True})
    ctx = petitions.Context(now(), tz, book=sla.book(db.session, tz), locale=str(get_locale()))
    form = OnlineForm(formdata=None, data={**data, "phone": draft.phone, "submission_key": ""})
    form.fill()
    try:
        case = petitions.register(db.session, new, ctx, None)
    except InvalidFields as exc:
        db.session.rollback()
        for key, code in exc.detail.items():
            field = getattr(form, key.rsplit(".", 1)[-1], None)
            if field is not None:
                field.errors = [*field.errors, words(key.rsplit(".", 1)[-1], code)]
        return _form(form, status=422, token=token)
    except Conflict as exc:
        if exc.code != "same_matter_settled":
            raise
        db.session.rollback()
        if request.form.get("settled"):  # told once already, and still nothing new stated
            form.new_facts.errors = [words("new_facts", "required")]
        return _form(form, status=409, token=token, settled=str((exc.detail or {}).get("case") or ""))
    _drop(token)
    return _receipt(case.number)


def _drop(token: str) -> None:
    """The draft, no longer needed: what it holds (a name, an ID number) is not kept twice."""
    draft = db.session.scalar(select(FilingDraft).where(FilingDraft.token == token))
    if draft is not None:
        db.session.delete(draft)
        db.session.commit()


def _receipt(number: str):
    _remember(FILED_KEY, number)
    return redirect(url_for("petitions.file_online_filed", number=number), 303)


def _form(form: OnlineForm, status: int = 200, token: str = "", settled: str = ""):
    return render_template("petitions/online.html", form=form, kind_hint=KIND_HINT, settled=settled,
                           token=token, show_new_facts=bool(settled or form.new_facts.data)), status


def _verify(form: CodeForm, token: str, status: int, notice: str = ""):
    draft = filing.live_draft(db.session, token, now())
    if draft is None:
        return render_template("public/file_expired.html"), 404
    return render_template("petitions/online_verify.html", form=form, token=token, phone=mask_phone(draft.phone),
                           notice=notice, digits=otp.DIGITS, wait=filing.resend_wait(db.session, draft, now()),
                           minutes=current_app.config["HOTLINE_CODE_MINUTES"]), status


def _own_draft(token: str):
    if not token or token not in session.get(DRAFTS_KEY, []):
        return None
    return filing.live_draft(db.session, token, now())


def _remember(key: str, value: str) -> None:
    kept = [v for v in session.get(key, []) if v != value][-(KEEP - 1):]
    session[key] = [*kept, value]
