"""Shared by the Open311 tests: keys made as an administrator makes them, requests sent as a 311 client sends
them, and answers read back the same way from XML and from JSON (the Spark convention: a repeated element is an
array), so that one check covers both formats."""
from __future__ import annotations

import json
from xml.etree import ElementTree

from sqlalchemy import select

from hotline.domain import api_keys as key_rules

JURISDICTION = "jiangchuan.12345.example"
LISTS = {"services", "service_requests", "errors", "attributes", "values", "endpoints", "formats"}
# 西湖路156号 in 西湖街道 (dh-xhj), and a point inside that street
GAZETTEER_ID, GAZETTEER_NAME = "dh-xhj-04", "西湖路156号"
XIHU_POINT = ("30.005", "114.985")
OUTSIDE_POINT = ("39.9", "116.4")  # Beijing: no district of 江川市
NAME_FIRST, NAME_LAST = "小明", "欧阳"
PHONE = "13812345678"
HOME = "幸福里小区7号楼2单元501室"


def make_key(app, scopes=(key_rules.CREATE, key_rules.READ), rate_limit: str = "", name: str = "311 app") -> str:
    from hotline.clock import now
    from hotline.extensions import db
    from hotline.models import User
    from hotline.services import api_keys

    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        _, raw = api_keys.create(db.session, name, list(scopes), by=admin, at=now(), rate_limit=rate_limit)
        return raw


def revoke(app, raw: str) -> None:
    from hotline.clock import now
    from hotline.domain.api_keys import digest
    from hotline.extensions import db
    from hotline.models import ApiKey
    from hotline.services import api_keys

    with app.app_context():
        key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest(raw)))
        api_keys.revoke(db.session, key.id, by=None, at=now())


def request_fields(raw: str | None, **overrides) -> dict:
    """A complete, valid POST: a complaint at a gazetteer address, with a name and a mobile number."""
    fields = {
        "jurisdiction_id": JURISDICTION, "service_code": "city.noise-construction",
        "address_string": f"{GAZETTEER_NAME}{HOME}",
        "first_name": NAME_FIRST, "last_name": NAME_LAST, "phone": PHONE, "email": "xiaoming@example.com",
        "device_id": "device-778899", "account_id": "acct-4455",
        "description": (f"工地每天夜里十一点以后还在施工，噪音很大。"
                        f"我是{NAME_LAST}{NAME_FIRST}，电话{PHONE}，住{HOME}。"),
        "attribute[kind]": "complaint", "attribute[urgency]": "general",
    }
    if raw is not None:
        fields["api_key"] = raw
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post(client, raw: str | None, fmt: str = "json", headers=None, **overrides):
    return client.post(f"/open311/v2/requests.{fmt}", data=request_fields(raw, **overrides), headers=headers or {})


def _element(element: ElementTree.Element):
    children = list(element)
    if element.tag in LISTS:
        return [_element(child) for child in children]
    if children:
        return {child.tag: _element(child) for child in children}
    return element.text if element.text not in (None, "") else None


def read(response):
    """The answer as Python data, whichever format; XML leaves are strings (or None when empty)."""
    data = response.get_data()
    if response.content_type.startswith("text/xml"):
        assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>'), data[:60]
        data.decode("utf-8")  # UTF-8 throughout
        return _element(ElementTree.fromstring(data))
    assert response.content_type == "application/json; charset=utf-8", response.content_type
    return json.loads(data.decode("utf-8"))


def root_tag(response) -> str:
    return ElementTree.fromstring(response.get_data()).tag


def text(value) -> str | None:
    """A field as text in either format: JSON's true/1.5 read as XML's "true"/"1.5"."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
