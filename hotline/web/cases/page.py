"""The case page: the matter, the person, deadlines, assignments, the timeline, and exactly the actions
the current user may take now — each as its own small form. A petition's page shows its particulars, its
petitioners, the statutory clocks and the documents issued (petition_present)."""
from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, g, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from hotline.clock import local, now
from hotline.domain import tracks
from hotline.domain.access import can_view_case, sees_contact_unmasked
from hotline.domain.errors import Conflict, NotFound
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import INTAKE, Action, State
from hotline.domain.masking import hide_identity
from hotline.domain.privacy import mask_name, mask_phone
from hotline.extensions import db
from hotline.models import Case, SmsMessage
from hotline.services import audit, cases, petition_documents
from hotline.web import labels
from hotline.web.access import client_ip
from hotline.web.cases import forms, petition_forms, petition_present, present, routing_view


def render_case(number: str, status: int = 200, sent: tuple | None = None, problem: str = ""):
    """`sent` is an (action, form) that came back with errors (422) or too late (409): shown again as typed."""
    try:
        case = cases.get_visible(db.session, current_user.actor, number)
    except NotFound:
        abort(404)
    moment = now()
    petition = case.track == Track.PETITION
    # always the case's own procedure: a petition shares state names with a work order, not its rules
    allowed = tracks.of(case.track).book.allowed(case.view(moment), current_user.actor)
    if petition:
        choices = petition_forms.options(db.session, case, current_user, allowed)
    else:
        choices = present.department_choices(db.session) if Action.DISPATCH in allowed else {}
    routed = None if petition else routing_view.for_case(db.session, case)
    action_forms, unsent = [], []
    if sent and sent[0] not in allowed:  # no longer possible: still show what was typed, to copy
        unsent = [(f.label.text, f.data) for f in sent[1]
                  if f.type in ("TextAreaField", "StringField") and f.short_name != "version" and f.data]
    for action in allowed:
        if sent and sent[0] is action:
            form = sent[1]
            form.fill(choices)
            form.version.data = str(case.version)  # sent again, it applies to the case as it is now
        else:
            form = forms.blank(action, case.version, choices, case.track)
            if petition:
                form.start(choices)
            elif action is Action.DISPATCH and routed and routed.prefills(case):
                form.prefill(routed.row.lead_department_id, routed.row.co_department_ids or [])
        action_forms.append((action, form))
    assignments = case.assignments
    depts = present.departments(db.session, [a.department_id for a in assignments])
    who = present.people(db.session, [a.signed_by_id for a in assignments] + [a.replied_by_id for a in assignments])
    unmasked = sees_contact_unmasked(current_user.actor, case.confidential, case.kind)
    if petition:
        shown = petition_present.shown(case, current_user.actor)
        timeline = petition_present.timeline(db.session, case, current_user.actor)
        particulars = petition_present.page(db.session, case, current_user.actor, moment, timeline)
        if unmasked and case.petition.petitioners:
            _log_personal_data_view(case)
    else:
        shown, particulars = _shown(case), None
        timeline = petition_present.hide_unseen(present.timeline(db.session, case), current_user.actor)
    reply_files, co_reply_files = present.reply_files(timeline)
    return render_template(
        "cases/detail.html", case=case, now=moment, contact=None if petition else _contact(case),
        messages=_messages(case), shown=shown, petition=particulars,
        documents_readable=bool(petition) and not petition_documents.names_withheld(current_user.actor, case),
        deadlines=[] if petition else present.case_deadlines(case, moment), timeline=timeline,
        reply_files=reply_files, co_reply_files=co_reply_files,
        assignments=assignments, depts=depts, who=who, action_forms=action_forms,
        # ?open=<action>: a link that lands on an action's form opens it (the console's "dispatch it now")
        open_action=sent[0].value if sent else request.args.get("open", ""), problem=problem, unsent=unsent,
        routed=routed, routing_outcome=routing_view.outcome_label,
        lang_next=url_for("cases.detail", number=case.number),  # also after a POST that rendered this page
        merged_into=_merged_into(case),
        last_return=present.last_returns(db.session, [case.id]).get(case.id) if Action.REVIEW_RETURN in allowed
        else None,
        # a 12345 matter that turns out to be a petition is registered as one, from this case, by the centre's intake
        register_petition_url=petition_present.link_to("petitions.register", **{"from": case.number})
        if not petition and case.state != State.MERGED and current_user.actor.role in INTAKE else None,
    ), status


def _contact(case: Case) -> dict | None:
    person = case.person
    if person is None:
        return None
    unmasked = sees_contact_unmasked(current_user.actor, case.confidential, case.kind)
    if unmasked:
        _log_personal_data_view(case)
    return {
        "name": person.name if unmasked else mask_name(person.name),
        "phone": person.phone if unmasked else mask_phone(person.phone),
        "masked": not unmasked,
    }


def _merged_into(case: Case) -> Case | None:
    """The case this one was merged into, if this reader may see it (a petition may be an accusation of theirs)."""
    target = db.session.get(Case, case.merged_into_id) if case.merged_into_id else None
    return target if target is not None and can_view_case(current_user.actor, target.scope) else None


def _log_personal_data_view(case: Case) -> None:
    """Who saw whose personal data, and when (个人信息保护法): one row per page shown, never cached."""
    g.personal_data_shown = True
    audit.log_access(db.session, current_user, "view_personal_data", at=now(), case=case, ip=client_ip())
    db.session.commit()


def _messages(case: Case) -> list[SmsMessage]:
    if case.person is None or not sees_contact_unmasked(current_user.actor, case.confidential, case.kind):
        return []  # an SMS shows the number it went to
    return list(db.session.scalars(select(SmsMessage).where(SmsMessage.case_id == case.id).order_by(SmsMessage.id)))


def _shown(case: Case):
    """How the case's free texts are shown to this reader: as written, or — to someone who sees the person masked —
    with the person's name and number masked where they were written into them."""
    person = case.person
    if person is None or sees_contact_unmasked(current_user.actor, case.confidential, case.kind):
        return lambda text: text or ""
    return lambda text: hide_identity(text, person.name, person.phone)


def conflict_message(exc: Conflict) -> str:
    """"This case was just signed for by 东湖区城管执法局承办人 at 14:02 — reload the page to see the change.\""""
    last = exc.detail or {}
    if last.get("by") and last.get("at"):
        at = datetime.fromisoformat(last["at"])
        tz = current_app.config["HOTLINE_TIMEZONE"]
        same_day = local(at, tz).date() == local(now(), tz).date()
        when = format_datetime(at, "HH:mm" if same_day else "yyyy-MM-dd HH:mm")
        who = labels.of(labels.ACTOR, last["by"]) if last["by"] in labels.ACTOR else last["by"]
        told = _("This case was just %(what)s by %(who)s at %(time)s — reload the page to see the change.",
                 what=labels.of(labels.JUST, last.get("action")), who=who, time=when)
    else:
        told = _("This case has changed — reload the page to see the change.")
    if exc.code == "stale":
        return told
    return _("This cannot be done now: %(why)s.", why=labels.of(labels.CONFLICT, exc.code)) + " " + told

