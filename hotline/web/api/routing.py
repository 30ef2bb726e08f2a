"""GET /routing/preview: what the dispatch catalogue would decide for a case with these facts — the same
decision intake makes when the case is registered (services.routing), before the case exists."""
from __future__ import annotations

from flask import jsonify, request
from sqlalchemy import select

from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import KINDS_BY_TRACK, Track, Urgency
from hotline.domain.roles import CENTRE_ROLES
from hotline.domain.text import DESCRIPTION_MAX
from hotline.extensions import db
from hotline.models import Area, Category
from hotline.services import routing, serialize
from hotline.web import routing_text
from hotline.web.api import bp
from hotline.web.api.auth import require_role
from hotline.web.api.body import choice, refuse_nul_in_query, text


@bp.get("/routing/preview")
def routing_preview():
    require_role(*CENTRE_ROLES)
    refuse_nul_in_query()
    args, errors = request.args.to_dict(), {}
    track = choice(args, "track", tuple(str(t) for t in Track), errors, default=str(Track.HOTLINE))
    kinds = KINDS_BY_TRACK[Track(track)] if track else ()
    kind = choice(args, "kind", tuple(str(k) for k in kinds), errors)
    urgency = choice(args, "urgency", tuple(str(u) for u in Urgency), errors, default=str(Urgency.GENERAL))
    category = _by_code(Category, text(args, "category", errors, required=False, limit=64), "category", errors)
    area = _by_code(Area, text(args, "area", errors, required=False, limit=32), "area", errors)
    description = text(args, "text", errors, required=False, limit=DESCRIPTION_MAX)
    if category is not None and category.level != 2:
        errors["category"] = "unknown"  # cases take a sub-category, so a preview does too
    if errors:
        raise InvalidFields("fields", errors)
    decision = routing.preview(db.session, track, kind, urgency, category, area, description)
    explanation = routing.explain_decision(db.session, decision)
    version = routing.catalogue(db.session).version
    rule = decision.rule
    return jsonify({
        "mode": decision.mode,
        "lead": serialize.department_ref(explanation.lead),
        "co": [serialize.department_ref(d) for d in explanation.co],
        "rule": {"id": rule.id, "position": rule.position, "name": rule.name, "version": version} if rule else None,
        "matched": [[m.on, m.value] for m in decision.matched],
        "skipped": [{"rule": rule_id, "reason": why} for rule_id, why in decision.skipped],
        "explanation": routing_text.describe(explanation),
        "version": version,
    })


def _by_code(model, code: str, name: str, errors: dict):
    """An active row by its code, or None (and `unknown` when a code was given)."""
    if not code or name in errors:
        return None
    row = db.session.scalar(select(model).where(model.code == code))
    if row is None or not row.active:
        errors[name] = "unknown"
        return None
    return row
