"""A new case from a JSON body, checked as the web form checks it (hotline/web/public/forms.py):
the same limits, no markup, a phone number that parses, a subject and a place that are in use."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Kind, Track, Urgency
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.extensions import db
from hotline.models import Area, Category
from hotline.services import intake
from hotline.web.api.body import choice, flag, text

DESCRIPTION_MIN = 10  # as the web form
SUBMISSION_KEY_MAX = 64


def new_case(body: dict) -> intake.NewCase:
    errors: dict[str, str] = {}
    kind = choice(body, "kind", tuple(str(k) for k in KINDS_BY_TRACK[Track.HOTLINE]), errors)
    category = category_by_code(text(body, "category", errors, required=True, limit=64), errors)
    area = area_by_code(text(body, "area", errors, required=True, limit=32), errors)
    location = text(body, "location_text", errors, required=True, limit=ADDRESS_MAX, no_markup=True)
    description = text(body, "description", errors, required=True, limit=DESCRIPTION_MAX, minimum=DESCRIPTION_MIN,
                       no_markup=True)
    name = text(body, "name", errors, required=True, limit=NAME_MAX, no_markup=True)
    phone = _phone(text(body, "phone", errors, required=True, limit=32), errors)
    confidential = flag(body, "confidential", errors)
    urgency = choice(body, "urgency", tuple(str(u) for u in Urgency), errors, default=str(Urgency.GENERAL))
    channel = choice(body, "channel", tuple(str(c) for c in Channel), errors, default=str(Channel.PHONE))
    key = text(body, "submission_key", errors, required=False, limit=SUBMISSION_KEY_MAX)
    if errors:
        raise InvalidFields("fields", errors)
    return intake.NewCase(
        track=Track.HOTLINE, kind=Kind(kind), channel=Channel(channel), urgency=Urgency(urgency),
        description=description, category_id=category, area_id=area, location_text=location,
        name=name, phone=phone, confidential=confidential, submission_key=key or None,
    )


def category_by_code(code: str, errors: dict) -> int | None:
    if not code:
        return None
    category = db.session.scalar(select(Category).where(Category.code == code))
    if category is None or not category.active or category.level != 2:
        errors["category"] = "unknown"
        return None
    return category.id


def area_by_code(code: str, errors: dict) -> int | None:
    if not code:
        return None
    area = db.session.scalar(select(Area).where(Area.code == code))
    if area is None or not area.active:
        errors["area"] = "unknown"
        return None
    return area.id


def _phone(raw: str, errors: dict) -> str | None:
    if not raw:
        return None
    try:
        return to_e164(raw, current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        errors["phone"] = "invalid_phone"
        return None
