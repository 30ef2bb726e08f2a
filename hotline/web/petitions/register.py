"""登记: the petition office registers a petition (信访工作条例 Arts. 17–20) — by letter, phone, fax, visit or
from the web — with its petitioners, and links the 12345 cases the same people filed about it, so one matter is
never handled twice (国办函〔2025〕66号). One form, sent back to the officer with everything as typed whenever
something is missing, wrong, or the same matter was concluded after 复核 (Art. 36)."""
from __future__ import annotations

import uuid

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from hotline.clock import now
from hotline.domain import petition_intake
from hotline.domain.access import sees_contact_unmasked
from hotline.domain.case_number import NUMBER_PATTERN
from hotline.domain.errors import Conflict, Forbidden, InvalidFields, NotFound
from hotline.domain.kinds import Channel, Kind, Track
from hotline.domain.lifecycle import INTAKE, OPEN_STATES
from hotline.domain.petition import PetitionAction
from hotline.domain.petition_intake import PetitionerIn
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.privacy import mask_phone
from hotline.extensions import db
from hotline.models import Case, Person
from hotline.services import audit, caller, cases, handling, petitions, sla
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.cases.present import department_choices
from hotline.web.fields import area_choices, category_choices
from hotline.web.petitions import bp
from hotline.web.petitions.register_forms import (
    ADD_ROW,
    KIND_HINT,
    LINK_MAX,
    LOOKUP,
    REMOVE_ROW,
    Do,
    RegisterForm,
    words,
)


@bp.route("/register", methods=["GET", "POST"])
@roles_required(*INTAKE)
def register():
    form = RegisterForm()
    form.fill_choices(category_choices(), area_choices(), department_choices(db.session))
    if request.method == "GET":
        return _fresh(form)
    do = Do.parse(request.form.get("do"))
    ticked = _ticked()
    if do.what == ADD_ROW:  # without JavaScript: one more row, nothing checked yet
        if len(form.petitioners.entries) < petition_intake.MAX_PETITIONERS:
            form.petitioners.append_entry()
        return _render(form, ticked)
    if do.what == REMOVE_ROW:
        if do.row is not None and do.row < len(form.petitioners.entries) and len(form.petitioners.entries) > 1:
            form.petitioners.entries.pop(do.row)
        return _render(form, ticked)
    if do.what == LOOKUP:
        form.check()  # a wrong phone number is said at once; the cases of the right ones are listed
        return _render(form, ticked)
    if not form.submission_key.data:
        form.submission_key.data = uuid.uuid4().hex
    if not form.check():
        _also_what_the_petition_lacks(form)
        return _render(form, ticked, status=422)
    already = db.session.scalar(select(Case).where(Case.submission_key == form.submission_key.data))
    if already is not None:  # sent twice (a double click, the back button): the one petition it made
        flash(_("This petition was already registered as %(number)s.", number=already.number), "info")
        return redirect(url_for("cases.detail", number=already.number), 303)
    try:
        case = petitions.register(db.session, _petition(form), _context(), current_user)
    except InvalidFields as exc:
        form.place_errors(exc.detail)
        return _render(form, ticked, status=422)
    except Conflict as exc:
        if exc.code != "same_matter_settled":
            raise
        if request.form.get("settled"):  # told once already, and still nothing new stated
            form.new_facts.errors.append(words("new_facts", "required"))
        return _render(form, ticked, status=409, settled=str((exc.detail or {}).get("case") or ""))
    _told(case)
    _link(case, ticked)
    return redirect(url_for("cases.detail", number=case.number), 303)


def _context() -> petitions.Context:
    cfg = current_app.config
    tz = cfg["HOTLINE_TIMEZONE"]
    # the petitioner's messages are in the city's language, whatever language the officer's screen is in
    return petitions.Context(now(), tz, book=sla.book(db.session, tz), locale=cfg["BABEL_DEFAULT_LOCALE"])


def _e164(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return to_e164(raw, current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        return None


def _people(form: RegisterForm) -> tuple[PetitionerIn, ...]:
    return tuple(PetitionerIn(name=row.name.data or "", id_number=row.id_number.data or "",
                              phone=_e164(row.phone.data), address=row.address.data or "",
                              representative=bool(row.representative.data)) for row in form.used_rows())


def _petition(form: RegisterForm) -> petitions.NewPetition:
    kind = Kind(form.kind.data)
    extra = {"from_case": form.from_case.data} if _hotline_number(form.from_case.data) else {}
    return petitions.NewPetition(
        kind=kind, channel=Channel(form.channel.data), request=form.request.data or "",
        facts=form.facts.data or "", reasons=form.reasons.data or "", petitioners=_people(form),
        group_size=form.group_size.data or 1, category_id=form.category_id.data, area_id=form.area_id.data,
        location_text=form.location_text.data or "", oral=bool(form.oral.data), major=bool(form.major.data),
        confidential=bool(form.confidential.data),
        accused_department_ids=tuple(i for i in (form.accused_department_ids.data or ()) if i),
        new_facts=form.new_facts.data or "", submission_key=form.submission_key.data or None, extra=extra)


def _also_what_the_petition_lacks(form: RegisterForm) -> None:
    """When the form itself is refused (a wrong phone number, no kind chosen), the officer also hears at once
    what Arts. 19–20 still want of the petitioners and the texts, rather than on the next round."""
    problems = petition_intake.petitioner_problems(list(_people(form)), form.group_size.data or 1)
    for name in ("request", "facts", "reasons"):
        if not (getattr(form, name).data or "").strip():
            problems[name] = "required"
    rows = form.used_rows()
    # a phone number typed wrong is said at the phone: "give an address or a phone" would only confuse
    taken = {key for key, code in problems.items() if _has_errors(form, key) or (
        code == "address_or_phone" and rows[int(key.split(".")[1])].phone.errors)}
    form.place_errors({k: v for k, v in problems.items() if k not in taken})


def _has_errors(form: RegisterForm, key: str) -> bool:
    parts = key.split(".")
    if len(parts) == 3:
        rows = form.used_rows()
        n = int(parts[1])
        return n < len(rows) and bool(getattr(rows[n], parts[2]).errors)
    field = getattr(form, key, None)
    return bool(field is not None and getattr(field, "errors", None))


def _told(case: Case) -> None:
    """The number, and what the office must know before it forwards the petition (Arts. 19, 25)."""
    flash(_("Petition %(number)s registered.", number=case.number), "success")
    petition = case.petition
    if petition.same_matter_kind == "open" and petition.same_matter_case_id:
        earlier = db.session.get(Case, petition.same_matter_case_id)
        organ = labels.name(earlier.lead_department) if earlier.lead_department else _("another organ")
        flash(_("The same matter is already accepted by %(organ)s as %(number)s (Art. 19): tell the petitioner, "
                "or refer it there, rather than forwarding it again.", organ=organ, number=earlier.number), "warn")
    elif petition.same_matter_kind == "settled" and petition.new_facts:
        flash(_("Registered on the new facts or reasons stated: the earlier matter was concluded after "
                "re-review (Art. 36)."), "info")
    if petition.major:
        flash(_("Major or urgent: the centre's leaders have been told (Art. 25)."), "warn")


def _link(case: Case, ticked: list[str]) -> None:
    """Each ticked 12345 case, one step each through handling.act: an open one is merged into the petition."""
    ctx = handling.Context(now=now(), timezone=current_app.config["HOTLINE_TIMEZONE"])
    for number in ticked:
        try:
            handling.act(db.session, case.number, PetitionAction.LINK, current_user,
                         {"case": number, "note": _("Linked when petition %(number)s was registered.",
                                                    number=case.number)}, ctx)
        except (InvalidFields, NotFound, Forbidden):
            flash(_("12345 case %(number)s could not be linked: it does not exist or you cannot see it.",
                    number=number), "error")
        except Conflict as exc:
            flash(_("12345 case %(number)s could not be linked: %(why)s.", number=number,
                    why=labels.of(labels.CONFLICT, exc.code)), "error")
        else:
            merged = db.session.scalar(select(Case.merged_into_id).where(Case.number == number)) == case.id
            flash(_("12345 case %(number)s was merged into the petition.", number=number) if merged
                  else _("12345 case %(number)s was linked to the petition.", number=number), "success")


def _hotline_number(text: str | None) -> str | None:
    number = "".join((text or "").split()).upper()
    found = NUMBER_PATTERN.match(number)
    return number if found and found.group(1) == "12345" else None


def _ticked() -> list[str]:
    numbers = [_hotline_number(n) for n in request.form.getlist("link")]
    return list(dict.fromkeys(n for n in numbers if n))[:LINK_MAX]


# --- the page ----------------------------------------------------------------------------------------------


def _fresh(form: RegisterForm):
    """A new registration; ?from=<12345 case> starts from that case, ticked to be linked."""
    form.submission_key.data = uuid.uuid4().hex
    number = _hotline_number(request.args.get("from", "")[:40])
    if request.args.get("from") and number is None:
        flash(_("A 12345 case number looks like 12345-20261127-000123."), "error")
    ticked = []
    if number:
        source = _source(number)
        if source is None:
            flash(_("There is no 12345 case %(number)s that you can see.", number=number), "error")
        else:
            _prefill(form, source)
            ticked = [source.number]
    return _render(form, ticked)


def _source(number: str) -> Case | None:
    try:
        case = cases.get_visible(db.session, current_user.actor, number)
    except NotFound:
        return None
    return case if case.track == Track.HOTLINE else None


def _prefill(form: RegisterForm, source: Case) -> None:
    form.from_case.data = source.number
    form.request.data = source.description
    form.category_id.data, form.area_id.data = source.category_id, source.area_id
    form.location_text.data = source.location_text
    if str(source.channel) in {value for value, _label in form.channel.choices}:
        form.channel.data = str(source.channel)
    form.confidential.data = source.confidential
    person = source.person
    if person is not None and sees_contact_unmasked(current_user.actor, source.confidential, source.kind):
        first = form.petitioners.entries[0].form
        first.name.data, first.phone.data = person.name or "", person.phone or ""
        g.personal_data_shown = True
        audit.log_access(db.session, current_user, "view_personal_data", at=now(), case=source, ip=client_ip(),
                         detail="petition registration")
        db.session.commit()


def _related(form: RegisterForm, ticked: list[str]) -> list[Case] | None:
    """The open and recent 12345 cases of the petitioners' numbers, and any ticked one: to link them. A look
    at people's cases by their numbers is a look at personal data, written down like the console's."""
    phones = sorted({p.phone for p in _people(form) if p.phone})
    if not phones and not ticked:
        return None
    moment = now()
    found: list[Case] = []
    if phones:
        query = (cases.visible(current_user.actor).join(Person, Case.person_id == Person.id)
                 .where(Person.phone.in_(phones), Case.track == Track.HOTLINE,
                        or_(Case.state.in_(list(OPEN_STATES)), Case.received_at >= moment - caller.RECENT))
                 .options(joinedload(Case.category), joinedload(Case.lead_department))
                 .order_by(Case.received_at.desc()).limit(caller.LIMIT))
        found = list(db.session.scalars(query).unique())
    missing = [n for n in ticked if n not in {c.number for c in found}]
    if missing:
        found += [c for c in db.session.scalars(cases.visible(current_user.actor)
                                                .where(Case.number.in_(missing), Case.track == Track.HOTLINE))]
    g.personal_data_shown = True
    audit.log_access(db.session, current_user, "view_caller_history", at=moment, ip=client_ip(),
                     detail=", ".join(mask_phone(p) for p in phones)[:160] + " (petition registration)")
    db.session.commit()
    return found


def _render(form: RegisterForm, ticked: list[str], status: int = 200, settled: str = ""):
    earlier = None
    if settled:
        try:
            earlier = cases.get_visible(db.session, current_user.actor, settled)
        except NotFound:
            earlier = None
    return render_template(
        "petitions/register.html", form=form, related=_related(form, ticked), ticked=set(ticked),
        settled=settled, earlier=earlier, open_states=OPEN_STATES, kind_hint=KIND_HINT,
        show_new_facts=bool(settled or form.new_facts.data or form.new_facts.errors),
        lang_next=url_for("petitions.register"),
    ), status
