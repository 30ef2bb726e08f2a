"""What an integrator does with the REST API, done with the test client."""
from __future__ import annotations

from sqlalchemy import select

from tests.helpers import DEMO_PASSWORD


def token_for(app, username: str) -> str:
    """A token issued the way POST /api/v1/tokens issues it, without spending the rate limit."""
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import tokens

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        return tokens.issue(db.session, user, "test", at=now())[1]


class Api:
    """A client that sends one user's bearer token with every request."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    @classmethod
    def as_user(cls, app, username: str) -> Api:
        return cls(app.test_client(), token_for(app, username))

    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **params):
        return self.client.get("/api/v1" + path, query_string=params, headers=self.headers())

    def post(self, path: str, body: dict | None = None):
        return self.client.post("/api/v1" + path, json=body if body is not None else {}, headers=self.headers())

    def delete(self, path: str):
        return self.client.delete("/api/v1" + path, headers=self.headers())

    def act(self, number: str, action: str, **fields):
        return self.post(f"/cases/{number}/actions/{action}", fields)

    def file(self, **overrides) -> str:
        response = self.post("/cases", case_body(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["number"]


def case_body(**overrides) -> dict:
    body = {
        "kind": "complaint", "category": "city.noise-construction", "area": "dh-xhj",
        "location_text": "东湖区西湖路 88 号工地",
        "description": "工地每天夜里十一点以后还在施工，噪音很大，影响休息。",
        "name": "王小明", "phone": "138 1234 5678",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def request_token(client, username: str, password: str = DEMO_PASSWORD, **extra):
    return client.post("/api/v1/tokens", json={"username": username, "password": password, **extra})


# Fields that pass validation for each action, so that what the API answers is the lifecycle's verdict.
VALID_FIELDS = {
    "dispatch": {"lead_department": "dh-cgj", "co_departments": ["dh-xhj"]},
    "sign": {},
    "return": {"reason": "不属于本单位职责范围"},
    "review-return": {"decision": "refuse", "note": "属于你单位职责，请继续办理"},
    "request-extension": {"days": 3, "reason": "需要协调多个单位现场查看"},
    "decide-extension": {"decision": "approve"},
    "reply": {"text": "已责令施工单位夜间停工。", "resolved": True},
    "review-reply": {"decision": "approve"},
    "callback": {"satisfaction": "satisfied", "resolved": True},
    "close": {},
    "redo": {"note": "市民不满意，重新办理"},
    "merge": {"into": "12345-20260101-000001"},
    "answer-directly": {"note": "已电话解答"},
    "transfer": {"service": "119", "note": "来电称楼道冒烟"},
    "terminate": {"note": "属于诉讼途径"},
    "urge": {"note": "请尽快办理"},
    "supervise": {"note": "督办"},
    "close-unrated": {},
    "restamp": {"note": "节假日安排已录入，重新计算时限"},
}
