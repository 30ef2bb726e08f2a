import io
import uuid

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, send_file, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from hotline.clock import now
from hotline.domain import filing as photo_rules
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.text import DESCRIPTION_MAX
from hotline.extensions import db, limiter
from hotline.models import Case
from hotline.services import filing, intake, otp
from hotline.web import labels, uploads
from hotline.web.access import safe_next
from hotline.web.fields import area_choices, category_choices
from hotline.web.public import bp, citizen
from hotline.web.public.filing_text import category_index, masked_phone, photo_message
from hotline.web.public.forms import CodeForm, ComplaintForm, ResendForm

FILED_KEY = "filed_cases"  # the case numbers this browser filed, so only it sees the receipt
DRAFTS_KEY = "filing_drafts"  # the drafts this browser made, so only it sees their code page and photos
KEEP = 20  # of each, the newest
SUGGEST_MIN_SCORE = 0.05  # below this a suggestion is a guess, and a citizen would take it for advice
PHOTO_LIMITS = {"photos": photo_rules.MAX_PHOTOS, "bytes": photo_rules.MAX_BYTES,
                "mb": photo_rules.MAX_BYTES // (1024 * 1024)}
TRACK_ENDPOINT = "public.track"  # where a citizen follows their cases (hotline/web/public/track.py)


def _rate(name: str):
    return lambda: current_app.config[name]


def _code_was_sent(response) -> bool:
    return bool(g.get("code_sent"))


@bp.route("/")
def index():
    return render_template("public/index.html")


@bp.route("/file", methods=["GET", "POST"])
@limiter.limit(_rate("HOTLINE_RATE_FILE"), methods=["POST"])
@limiter.shared_limit(_rate("HOTLINE_RATE_CODE_REQUESTS"), scope="citizen-codes", methods=["POST"],
                      deduct_when=_code_was_sent)
def file_complaint():
    form = ComplaintForm()
    form.fill_choices(category_choices(), area_choices())
    if request.method == "GET":
        draft = _own_draft(request.args.get("draft", ""))
        if draft is not None:  # back from the code page to change something
            form.process(data=_form_data(draft.data))
        else:
            form.submission_key.data = uuid.uuid4().hex
        return _render_form(form, draft)

    if not form.submission_key.data:  # a form from a page that had none still becomes one draft
        form.submission_key.data = uuid.uuid4().hex
    token = filing.token_for(current_app.secret_key, form.submission_key.data)
    already = filing.filed_case(db.session, token)
    if already is not None:  # sent again after it was registered: the back button, a second tap
        return _receipt(already.number)
    valid = form.validate_on_submit()
    phone = _e164(form.phone.data) if not form.phone.errors else None
    held = filing.hold(
        db.session, uploads.storage(), token, now(), fields=form.fields(), phone=phone or "",
        photos=uploads.incoming(form.photos.data or []), remove=request.form.getlist("remove_photo"),
        keep_location=bool(form.keep_location.data), complete=valid)
    _remember(DRAFTS_KEY, token)
    if held.problems:
        form.photos.errors = [photo_message(p) for p in held.problems]
    if not valid or held.problems:
        return _render_form(form, held.draft, 422)

    if phone is not None and citizen.phone() == phone:  # proven in this browser lately: no code needed
        return _register(token, form)
    if filing.resend_wait(db.session, held.draft, now()):
        # The same form again within a minute (a double tap, or a change made from the code page): the code
        # already on its way still holds, and a new one would make the SMS the person is reading useless.
        return redirect(url_for("public.file_verify", token=token))
    try:
        filing.request_code(db.session, token, now(), otp.Settings.from_config(current_app.config),
                            locale=str(get_locale()))
    except otp.NotMobile:
        form.phone.errors = [_("A code can only be sent to a mobile number. Enter a mobile number.")]
        return _render_form(form, held.draft, 422)
    except otp.TooManyCodes:
        form.phone.errors = [_("Too many codes were sent to this number lately. Try again in a few minutes.")]
        return _render_form(form, held.draft, 429)
    g.code_sent = True
    return redirect(url_for("public.file_verify", token=token))


@bp.route("/file/verify/<token>", methods=["GET", "POST"])
@limiter.limit(_rate("HOTLINE_RATE_LOGIN"), methods=["POST"])
def file_verify(token: str):
    if token not in session.get(DRAFTS_KEY, []):
        abort(404)
    already = filing.filed_case(db.session, token)
    if already is not None:  # the code sent twice, or the page reloaded after it was filed
        return _receipt(already.number)
    draft = filing.live_draft(db.session, token, now())
    if draft is None or not draft.phone:
        return render_template("public/file_expired.html"), 404
    form = CodeForm()
    if form.validate_on_submit():
        state = filing.code_state(db.session, draft, now())
        settings = otp.Settings.from_config(current_app.config)
        # A second tap of the right code finds it used by the first, which may still be registering the case:
        # it registers too, and the one case that results is the answer to both.
        phone = draft.phone  # read before the commits below, after which another request may have removed it
        if filing.verify(db.session, token, form.code.data, now(), settings) or filing.proven(db.session, token, now()):
            citizen.sign_in(phone)
            return _register(token, None)
        form.code.errors = [_code_error(state)]
    status = 422 if request.method == "POST" else 200
    return _render_verify(form, token, status)


@bp.post("/file/verify/<token>/resend")
@limiter.shared_limit(_rate("HOTLINE_RATE_CODE_REQUESTS"), scope="citizen-codes", deduct_when=_code_was_sent)
def file_resend(token: str):
    if token not in session.get(DRAFTS_KEY, []):
        abort(404)
    already = filing.filed_case(db.session, token)
    if already is not None:
        return _receipt(already.number)
    draft = filing.live_draft(db.session, token, now())
    if draft is None or not draft.phone:
        return render_template("public/file_expired.html"), 404
    form = ResendForm()
    form.validate_on_submit()  # CSRF is checked before the view; nothing else to check
    wait = filing.resend_wait(db.session, draft, now())
    if wait:
        return _render_verify(CodeForm(formdata=None), token, 429,
                              notice=_("Please wait %(n)d seconds before asking for another code.", n=wait))
    try:
        filing.request_code(db.session, token, now(), otp.Settings.from_config(current_app.config),
                            locale=str(get_locale()))
    except otp.TooManyCodes:
        return _render_verify(CodeForm(formdata=None), token, 429, notice=_(
            "Too many codes were sent to this number lately. Try again in a few minutes."))
    g.code_sent = True
    flash(_("We have sent a new code."), "success")
    return redirect(url_for("public.file_verify", token=token))


@bp.get("/file/photo/<token>/<sha256>")
def file_photo(token: str, sha256: str):
    """A photo held with a draft, shown back to the browser that sent it, as re-encoded (nothing else of it)."""
    if token not in session.get(DRAFTS_KEY, []):
        abort(404)
    draft = filing.live_draft(db.session, token, now())
    photo = next((p for p in filing.photos_of(draft) if p["sha256"] == sha256), None)
    if photo is None:
        abort(404)
    try:
        with uploads.storage().open(photo["key"]) as stream:
            data = stream.read()  # a re-encoded photo of at most a few MB
    except FileNotFoundError:
        abort(404)
    g.personal_data_shown = True  # Cache-Control: no-store
    response = send_file(io.BytesIO(data), mimetype=photo["type"], conditional=False, etag=False, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/file/suggest")
@limiter.limit(_rate("HOTLINE_RATE_SUGGEST"))
def suggest_subjects():
    """The form's subject suggestions while the person describes the matter (static/js/suggest.js)."""
    from hotline.services import suggest  # scikit-learn loads in the processes that suggest, not in every one

    text = request.args.get("text", "")[:DESCRIPTION_MAX]
    found = suggest.suggest(db.session, text, now(), k=3, min_score=SUGGEST_MIN_SCORE)
    response = jsonify({"suggestions": [
        {"id": s.category.id, "code": s.category.code, "name": labels.name(s.category),
         "parent": labels.name(s.category.parent), "score": round(s.score, 3)} for s in found.items]})
    response.headers["Cache-Control"] = "no-store"  # what a person typed stays out of caches
    return response


@bp.route("/filed/<number>")
def filed(number: str):
    if number not in session.get(FILED_KEY, []):
        abort(404)
    anonymous = db.session.scalar(db.select(Case.anonymous).where(Case.number == number))
    if anonymous is None:
        abort(404)
    g.personal_data_shown = True  # a case number is the key to a person's matter: kept out of caches
    return render_template("public/filed.html", number=number, anonymous=anonymous, track_url=_track_url())


@bp.route("/language/<code>")
def language(code: str):
    if code in ("zh", "en"):
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("public.index")))


def _register(token: str, form: ComplaintForm | None):
    try:
        case = filing.register(db.session, uploads.storage(), token, _context())
    except filing.DraftGone:
        return render_template("public/file_expired.html"), 404
    except intake.UnknownReference as exc:  # retired between showing the form and registering it
        draft = filing.live_draft(db.session, token, now())
        if form is None:
            form = ComplaintForm(formdata=None, data=_form_data(draft.data if draft else {}))
            form.fill_choices(category_choices(), area_choices())
        field = getattr(form, f"{exc}_id")
        field.errors = [*field.errors, field.gettext("Not a valid choice.")]
        return _render_form(form, draft, 422)
    return _receipt(case.number)


def _receipt(number: str):
    _remember(FILED_KEY, number)
    return redirect(url_for("public.filed", number=number))


def _render_form(form: ComplaintForm, draft, status: int = 200):
    return render_template("public/file.html", form=form, held=filing.photos_of(draft),
                           token=draft.token if draft is not None else "",
                           categories=category_index(), limits=PHOTO_LIMITS), status


def _render_verify(form: CodeForm, token: str, status: int, notice: str = ""):
    draft = filing.live_draft(db.session, token, now())
    if draft is None:
        return render_template("public/file_expired.html"), 404
    return render_template(
        "public/file_verify.html", form=form, token=token, phone=masked_phone(draft.phone), notice=notice,
        digits=otp.DIGITS,
        wait=filing.resend_wait(db.session, draft, now()), minutes=current_app.config["HOTLINE_CODE_MINUTES"],
        anonymous=bool(draft.data.get("anonymous"))), status


def _code_error(state: str) -> str:
    if state == "expired":
        return _("This code has expired. Ask for a new one below.")
    if state == "used_up":
        return _("Too many wrong tries for this code. Ask for a new one below.")
    if state == "none":
        return _("There is no code waiting for this form. Ask for a new one below.")
    return _("That is not the code we sent. Check the SMS and try again.")


def _own_draft(token: str):
    if not token or token not in session.get(DRAFTS_KEY, []):
        return None
    return filing.live_draft(db.session, token, now())


def _form_data(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "photos"}


def _remember(key: str, value: str) -> None:
    kept = [v for v in session.get(key, []) if v != value][-(KEEP - 1):]
    session[key] = [*kept, value]


def _e164(typed: str | None) -> str | None:
    try:
        return to_e164(typed or "", current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        return None


def _track_url() -> str | None:
    try:
        return url_for(TRACK_ENDPOINT)
    except BuildError:  # an app built without the tracking pages still files and shows the receipt
        return None


def _context() -> intake.Context:
    cfg = current_app.config
    return intake.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], locale=str(get_locale()))
