import uuid

from flask import abort, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from hotline.clock import now
from hotline.domain.kinds import Channel, Kind, Track
from hotline.domain.phone import to_e164
from hotline.domain.text import DESCRIPTION_MAX
from hotline.extensions import db, limiter
from hotline.services import intake
from hotline.web import labels
from hotline.web.access import safe_next
from hotline.web.fields import area_choices, category_choices
from hotline.web.public import bp
from hotline.web.public.forms import ComplaintForm

FILED_KEY = "filed_cases"  # the case numbers this browser filed, so only it sees the receipt
SUGGEST_MIN_SCORE = 0.05  # below this a suggestion is a guess, and a citizen would take it for advice


@bp.route("/")
def index():
    return render_template("public/index.html")


@bp.route("/file", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_FILE"], methods=["POST"])
def file_complaint():
    form = ComplaintForm()
    form.fill_choices(category_choices(), area_choices())
    if request.method == "GET":
        form.submission_key.data = uuid.uuid4().hex
    if form.validate_on_submit():
        new = intake.NewCase(
            track=Track.HOTLINE, kind=Kind(form.kind.data), channel=Channel.WEB,
            description=form.description.data, category_id=form.category_id.data, area_id=form.area_id.data,
            location_text=form.location_text.data, name=form.name.data,
            phone=to_e164(form.phone.data, current_app.config["HOTLINE_PHONE_REGION"]),
            confidential=form.confidential.data, submission_key=(form.submission_key.data or None),
        )
        try:
            case = intake.register(db.session, new, _context())
        except intake.UnknownReference as exc:  # retired between showing the form and sending it
            field = getattr(form, f"{exc}_id")
            field.errors.append(field.gettext("Not a valid choice."))
        else:
            filed = session.get(FILED_KEY, [])[-19:]
            session[FILED_KEY] = [*filed, case.number]
            return redirect(url_for("public.filed", number=case.number))
    status = 422 if request.method == "POST" else 200
    return render_template("public/file.html", form=form), status


@bp.get("/file/suggest")
@limiter.limit(lambda: current_app.config["HOTLINE_RATE_SUGGEST"])
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
    return render_template("public/filed.html", number=number)


@bp.route("/language/<code>")
def language(code: str):
    if code in ("zh", "en"):
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("public.index")))


def _context() -> intake.Context:
    cfg = current_app.config
    return intake.Context(now=now(), timezone=cfg["HOTLINE_TIMEZONE"], locale=str(get_locale()))
