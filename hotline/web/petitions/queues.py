"""Each organ's queue: the petitions that wait on it, by step — to accept (Art. 23), to decide (Arts. 32, 34),
reviews and re-reviews to decide (Arts. 35, 36) — each with its deadline. A department sees its own organ's; the
office picks an organ, or sees every organ with its counts. Through `cases.visible`: an accused unit never sees
the accusation and a recused person never sees the case."""
from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user

from hotline.clock import now
from hotline.domain.access import sees_contact_unmasked
from hotline.domain.masking import hide_identity
from hotline.domain.petition_intake import GROUP_SIZE
from hotline.extensions import db
from hotline.models import Case, Department
from hotline.services import petition_queries as queries
from hotline.web.access import roles_required
from hotline.web.cases import present
from hotline.web.petitions import bp
from hotline.web.petitions.registry import EVERYONE

EXCERPT = 80


def request_excerpt(case: Case) -> str:
    """The request in a line; to a reader who may not know the petitioners (an accusation, a confidential one,
    read by a department), with their names and numbers masked where they wrote them in."""
    text = case.description or ""
    if not sees_contact_unmasked(current_user.actor, case.confidential, case.kind):
        for person in case.petition.petitioners:
            text = hide_identity(text, person.name, person.phone)
            if person.id_number:
                text = text.replace(person.id_number, "*" * len(person.id_number))
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


@bp.route("/queue")
@roles_required(*EVERYONE)
def queue():
    moment = now()
    actor = current_user.actor
    counts, organ = None, None
    if current_user.in_centre:
        organ_id = request.args.get("organ", type=int)
        if organ_id:
            organ = db.session.get(Department, organ_id)
            if organ is None:
                abort(404)
        else:
            counts = queries.queue_counts(db.session, actor, moment)
    else:
        organ = current_user.department
        if organ is None:
            abort(403)
    steps = queries.organ_queue(db.session, actor, organ.id, moment) if organ is not None else None
    return render_template("petitions/queue.html", organ=organ, counts=counts, steps=steps, now=moment,
                           excerpt=request_excerpt, step_names=[s for s, _, _ in queries.QUEUE_STEPS],
                           organ_choices=present.department_choices(db.session) if current_user.in_centre else None,
                           is_head=current_user.role == "head", group_size=GROUP_SIZE)
