from flask import abort, current_app, g, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from hotline.clock import now
from hotline.domain.access import sees_contact_unmasked
from hotline.domain.errors import NotFound
from hotline.domain.lifecycle import State
from hotline.domain.privacy import mask_name, mask_phone
from hotline.domain.roles import CENTRE_ROLES
from hotline.extensions import db
from hotline.models import SmsMessage
from hotline.services import audit, cases
from hotline.web.access import client_ip, roles_required
from hotline.web.cases import bp


@bp.route("/")
@roles_required(*CENTRE_ROLES)
def index():
    flt = cases.CaseFilter(
        q=request.args.get("q", "")[:100], state=request.args.get("state", ""),
        track=request.args.get("track", ""), page=request.args.get("page", 1, type=int),
    )
    rows, has_next = cases.search(db.session, current_user.actor, flt, current_app.config["HOTLINE_PHONE_REGION"])
    return render_template("cases/index.html", rows=rows, flt=flt, has_next=has_next, states=list(State),
                           mask_phone=mask_phone)


@bp.route("/<number>")
@login_required
def detail(number: str):
    try:
        case = cases.get_visible(db.session, current_user.actor, number)
    except NotFound:
        abort(404)
    person = case.person
    unmasked = person is not None and sees_contact_unmasked(current_user.actor, case.confidential)
    if unmasked:
        g.personal_data_shown = True
        audit.log_access(db.session, current_user, "view_personal_data", at=now(), case=case, ip=client_ip())
        db.session.commit()
    contact = None
    if person is not None:
        contact = {
            "name": person.name if unmasked else mask_name(person.name),
            "phone": person.phone if unmasked else mask_phone(person.phone),
            "masked": not unmasked,
        }
    messages = db.session.scalars(
        select(SmsMessage).where(SmsMessage.case_id == case.id).order_by(SmsMessage.id)
    ).all()
    if not unmasked:
        messages = []  # an SMS shows the number it went to
    return render_template("cases/detail.html", case=case, contact=contact, messages=messages)
