"""A new petition from a JSON body (`"track": "petition"`), checked as the registration form checks it
(hotline/web/petitions/register_forms.py): the same limits, no markup, phone numbers that parse, codes that are in
use. What a petition needs beyond that (信访工作条例 Arts. 19, 20, 36) is the service's to say, with the same field
codes: `petitioners.0.name`, `representatives`, …"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from hotline.domain.errors import InvalidFields
from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Kind, Track
from hotline.domain.petition_intake import MAX_PETITIONERS, PetitionerIn
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.extensions import db
from hotline.models import Department
from hotline.services import petitions
from hotline.web.api.body import choice, flag, text
from hotline.web.api.filing import SUBMISSION_KEY_MAX, area_by_code, category_by_code

FACTS_MAX = 4000  # a letter's worth, as the registration form
GROUP_MAX = 100_000
ID_NUMBER_MAX = 18

# the service's names for what the API names by code
API_FIELD = {"accused_department_ids": "accused_departments", "category_id": "category", "area_id": "area"}


def new_petition(body: dict) -> petitions.NewPetition:
    errors: dict[str, str] = {}
    kind = choice(body, "kind", tuple(str(k) for k in KINDS_BY_TRACK[Track.PETITION]), errors)
    channel = choice(body, "channel", tuple(str(c) for c in petitions.PETITION_CHANNELS), errors)
    request = text(body, "request", errors, required=True, limit=DESCRIPTION_MAX, no_markup=True)
    facts = text(body, "facts", errors, required=True, limit=FACTS_MAX, no_markup=True)
    reasons = text(body, "reasons", errors, required=True, limit=FACTS_MAX, no_markup=True)
    people = _petitioners(body.get("petitioners"), errors)
    group_size = _group_size(body.get("group_size", 1), errors)
    category = category_by_code(text(body, "category", errors, required=False, limit=64), errors)
    area = area_by_code(text(body, "area", errors, required=False, limit=32), errors)
    location = text(body, "location_text", errors, required=False, limit=ADDRESS_MAX, no_markup=True)
    oral, major = flag(body, "oral", errors), flag(body, "major", errors)
    confidential = flag(body, "confidential", errors)
    accused = _departments(body.get("accused_departments", []), errors)
    new_facts = text(body, "new_facts", errors, required=False, limit=FACTS_MAX, no_markup=True)
    key = text(body, "submission_key", errors, required=False, limit=SUBMISSION_KEY_MAX)
    if errors:
        raise InvalidFields("fields", errors)
    return petitions.NewPetition(
        kind=Kind(kind), channel=Channel(channel), request=request, facts=facts, reasons=reasons,
        petitioners=tuple(people), group_size=group_size, category_id=category, area_id=area, location_text=location,
        oral=oral, major=major, confidential=confidential, accused_department_ids=tuple(accused),
        new_facts=new_facts, submission_key=key or None,
    )


def api_fields(detail: dict[str, str]) -> dict[str, str]:
    return {API_FIELD.get(k, k): v for k, v in detail.items()}


def _petitioners(raw, errors: dict) -> list[PetitionerIn]:
    """Each petitioner's problems under `petitioners.<n>.<field>`, as the service reports its own."""
    if raw is None:
        return []  # the service says `required`, with what else is missing
    if not isinstance(raw, list):
        errors["petitioners"] = "not_a_list"
        return []
    if len(raw) > MAX_PETITIONERS:
        errors["petitioners"] = "too_many"
        return []
    people = []
    for n, item in enumerate(raw):
        if not isinstance(item, dict):
            errors[f"petitioners.{n}"] = "not_an_object"
            continue
        mine: dict[str, str] = {}
        name = text(item, "name", mine, required=False, limit=NAME_MAX, no_markup=True)
        id_number = _id_number(item.get("id_number"), mine)
        phone = _phone(text(item, "phone", mine, required=False, limit=32), mine)
        address = text(item, "address", mine, required=False, limit=ADDRESS_MAX, no_markup=True)
        representative = flag(item, "representative", mine)
        errors.update({f"petitioners.{n}.{field}": code for field, code in mine.items()})
        people.append(PetitionerIn(name=name, id_number=id_number, phone=phone, address=address,
                                   representative=representative))
    return people


def _id_number(value, errors: dict) -> str:
    """People type ID numbers with spaces and a lower-case x; the service checks the check digit."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors["id_number"] = "not_a_string"
        return ""
    value = "".join(value.split()).upper()
    if len(value) > ID_NUMBER_MAX:
        errors["id_number"] = "invalid_id_number"
        return ""
    return value


def _phone(raw: str, errors: dict) -> str | None:
    if not raw or "phone" in errors:
        return None
    try:
        return to_e164(raw, current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        errors["phone"] = "invalid_phone"
        return None


def _group_size(value, errors: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        errors["group_size"] = "not_a_number"
        return 1
    if not 1 <= value <= GROUP_MAX:
        errors["group_size"] = "out_of_range"
        return 1
    return value


def _departments(value, errors: dict) -> list[int]:
    """Department codes → ids; any code not of an active department is `unknown`."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors["accused_departments"] = "not_a_list"
        return []
    if not value:
        return []
    ids = dict(db.session.execute(select(Department.code, Department.id)
                                  .where(Department.code.in_(set(value)), Department.active)).tuples().all())
    if any(code not in ids for code in value):
        errors["accused_departments"] = "unknown"
        return []
    return [ids[code] for code in value]
