"""GET /categories/suggest?text= (any signed-in role): the likeliest subjects for a complaint's text.
POST /categories/suggest/retrain (administrator, supervisor): retrain the suggester now, in a worker."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask import jsonify, request

from hotline.clock import now
from hotline.domain.errors import InvalidFields
from hotline.domain.roles import Role
from hotline.domain.text import DESCRIPTION_MAX
from hotline.extensions import db
from hotline.services.serialize import ref, when
from hotline.web.api import bp
from hotline.web.api.auth import require_role
from hotline.web.api.body import refuse_nul_in_query

if TYPE_CHECKING:
    from hotline.services.suggest import ModelInfo

K_MAX = 10


def model_json(model: ModelInfo | None) -> dict | None:
    return {"version": model.version, "trained_at": when(model.trained_at)} if model else None


def _k(errors: dict) -> int:
    raw = request.args.get("k", "3")
    if not raw.isdigit() or not 1 <= int(raw) <= K_MAX:
        errors["k"] = "out_of_range"
        return 3
    return int(raw)


@bp.get("/categories/suggest")
def suggest_categories():
    refuse_nul_in_query()
    errors: dict[str, str] = {}
    text = request.args.get("text", "")
    if len(text) > DESCRIPTION_MAX:
        errors["text"] = "too_long"
    k = _k(errors)
    if errors:
        raise InvalidFields("fields", errors)
    from hotline.services import suggest  # scikit-learn loads in the processes that suggest, not in every one

    found = suggest.suggest(db.session, text, now(), k=k)
    items = [{**ref(s.category), "parent": {"code": s.category.parent.code, "name": s.category.parent.name}
              if s.category.parent else None, "score": round(s.score, 4)} for s in found.items]
    return jsonify({"suggestions": items, "model": model_json(found.model)})


@bp.post("/categories/suggest/retrain")
def retrain_suggester():
    require_role(Role.ADMIN, Role.SUPERVISOR)
    from hotline.services import suggest

    job, created = suggest.request_retrain(db.session)
    row = suggest.latest(db.session)
    current = {"version": row.version, "trained_at": when(row.trained_at)} if row else None
    return jsonify({"job": job.id, "status": job.status, "already_queued": not created, "model": current}), 202
