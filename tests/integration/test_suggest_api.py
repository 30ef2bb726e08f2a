"""GET /api/v1/categories/suggest and POST /api/v1/categories/suggest/retrain."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Category, OutboxJob
from tests.api_helpers import Api

NOISE = "工地每天夜里十一点以后还在打桩，噪音很大，整栋楼都睡不着"


@pytest.fixture
def staff(app):
    return Api.as_user(app, "dh-cgj-staff")  # a department's clerk: any signed-in role may ask


def test_suggestions_need_a_token(client):
    response = client.get("/api/v1/categories/suggest", query_string={"text": NOISE})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorized"


def test_suggestions_are_ranked_subjects_with_their_parent_score_and_the_model(staff):
    response = staff.get("/categories/suggest", text=NOISE)
    assert response.status_code == 200
    body = response.get_json()
    first = body["suggestions"][0]
    assert first == {"code": "city.noise-construction", "name": "建筑施工噪声", "name_en": "Construction noise",
                     "parent": {"code": "city", "name": "城市管理"}, "score": first["score"]}
    assert len(body["suggestions"]) == 3
    scores = [s["score"] for s in body["suggestions"]]
    assert scores == sorted(scores, reverse=True) and 0.3 < scores[0] <= 1 and sum(scores) <= 1.0001
    assert body["model"]["version"] >= 1 and body["model"]["trained_at"].endswith("+00:00")


def test_k_asks_for_more_or_fewer(staff):
    assert len(staff.get("/categories/suggest", text=NOISE, k=5).get_json()["suggestions"]) == 5
    assert len(staff.get("/categories/suggest", text=NOISE, k=1).get_json()["suggestions"]) == 1


def test_an_empty_text_gets_no_suggestions(staff):
    for text in ("", "   ", "噪"):
        response = staff.get("/categories/suggest", text=text)
        assert response.status_code == 200 and response.get_json()["suggestions"] == []


@pytest.mark.parametrize(("params", "field", "code"), [
    ({"text": NOISE, "k": "0"}, "k", "out_of_range"),
    ({"text": NOISE, "k": "11"}, "k", "out_of_range"),
    ({"text": NOISE, "k": "three"}, "k", "out_of_range"),
    ({"text": "噪" * 2001}, "text", "too_long"),
])
def test_bad_parameters_are_422_naming_the_field(staff, params, field, code):
    response = staff.get("/categories/suggest", **params)
    assert response.status_code == 422
    assert response.get_json()["fields"] == {field: code}


def test_a_retired_subject_is_never_suggested(app, staff):
    with app.app_context():
        db.session.scalar(select(Category).where(Category.code == "city.noise-construction")).active = False
        db.session.commit()
    try:
        codes = [s["code"] for s in staff.get("/categories/suggest", text=NOISE).get_json()["suggestions"]]
        assert codes and "city.noise-construction" not in codes
    finally:
        with app.app_context():
            db.session.scalar(select(Category).where(Category.code == "city.noise-construction")).active = True
            db.session.commit()


@pytest.mark.parametrize("username", ["operator", "dispatcher", "dh-cgj-staff"])
def test_only_administrators_and_supervisors_may_retrain(app, username):
    response = Api.as_user(app, username).post("/categories/suggest/retrain")
    assert response.status_code == 403 and response.get_json()["reason"] == "role"


@pytest.mark.parametrize("username", ["admin", "supervisor"])
def test_retraining_is_queued_through_the_outbox_once(app, username):
    api = Api.as_user(app, username)
    first = api.post("/categories/suggest/retrain")
    assert first.status_code == 202
    body = first.get_json()
    assert body["status"] == "pending" and body["already_queued"] is False and body["model"]["version"] >= 1
    second = api.post("/categories/suggest/retrain").get_json()
    assert second["job"] == body["job"] and second["already_queued"] is True  # a second press queues nothing more
    with app.app_context():
        rows = db.session.scalars(select(OutboxJob)).all()
        assert [(r.id, r.job, r.payload) for r in rows] == [(body["job"], "retrain_classifier", {})]
