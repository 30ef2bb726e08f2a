"""POST requests: a 311 client files a matter for a person, with an API key. Checked as the web form checks what a
person types (the same limits, no markup, a number that parses), located (hotline.services.locate), and made
a case through intake.register like any other, so routing, the SLA clocks and the acknowledgement SMS follow.

Idempotent: the request's token is derived from the key and the client's Idempotency-Key, and is the case's
submission key, so a retried POST finds the case the first one made."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import filing as filing_rules
from hotline.domain import open311 as spec
from hotline.domain.kinds import Channel, Kind, Track, Urgency
from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX, clean, contains_markup
from hotline.models import ApiKey, Area, Case
from hotline.services import intake, locate, open311

DESCRIPTION_MIN = 10  # as the web form
ID_MAX = 100  # device_id, account_id
EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Problem:
    status: int  # 400, or 404 for a service_code we do not offer
    code: str  # what is wrong: the web layer says it in the reader's language
    field: str = ""  # the parameter(s) concerned


class Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(", ".join(f"{p.code}:{p.field}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Submission:
    """The POST's fields as sent (strings, "" when absent) and every attribute[code] field with its values."""
    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    description: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    idempotency_key: str = ""


@dataclass(frozen=True)
class Filed:
    case: Case
    token: str


def file(session: Session, key: ApiKey, sent: Submission, ctx: intake.Context, *, phone_region: str) -> Filed:
    """The case this POST made (or, retried with the same Idempotency-Key, made before). Refused: every
    problem found, nothing written."""
    token = spec.token_for(key.id, sent.idempotency_key or secrets.token_hex(16))
    earlier = session.scalar(select(Case).where(Case.submission_key == spec.SUBMISSION_PREFIX + token))
    if earlier is not None:
        return Filed(earlier, token)
    problems: list[Problem] = []
    category = _category(session, sent.service_code, problems)
    located = _locate(session, sent, problems)
    street = located.street_code if located is not None else None
    answers = spec.read_attributes(sent.attributes, open311.attributes(session, en=False),
                                   not_required=frozenset({spec.AREA}) if street else frozenset())
    problems += [Problem(400, "attribute_unknown", c) for c in answers.unknown]
    problems += [Problem(400, "attribute_invalid", c) for c in answers.invalid]
    problems += [Problem(400, "attribute_missing", c) for c in answers.missing]
    kind = Kind(answers.values.get(spec.KIND, Kind.COMPLAINT))
    description = _text(sent.description, "description", problems, limit=DESCRIPTION_MAX, minimum=DESCRIPTION_MIN,
                        required=True)
    name = _name(sent, problems)
    phone = _phone(sent.phone, kind, phone_region, problems)
    contact = _contact(sent, problems)
    place = _text(sent.address_string, "address_string", problems, limit=ADDRESS_MAX)
    if problems:
        raise Refused(sorted(problems, key=lambda p: (p.status != 404, p.code, p.field)))
    area_code = answers.values.get(spec.AREA) or street
    area_id = session.scalar(select(Area.id).where(Area.code == area_code))
    if located is not None and located.address_id:
        contact.update(address_id=located.address_id, place=located.address)
        place = place or located.address
    new = intake.NewCase(
        track=Track.HOTLINE, kind=kind, channel=Channel.OPEN311, description=description,
        category_id=category.id, area_id=area_id, location_text=place,
        urgency=Urgency(answers.values.get(spec.URGENCY, Urgency.GENERAL)),
        name=name, phone=phone, confidential=answers.values.get(spec.CONFIDENTIAL) == "true",
        anonymous=filing_rules.may_be_anonymous(kind) and not phone and not name,
        submission_key=spec.SUBMISSION_PREFIX + token,
        latitude=located.latitude if located else None, longitude=located.longitude if located else None,
        event_data={"open311": {"api_key": key.id, "how": located.how if located else "none", **contact}},
    )
    return Filed(intake.register(session, new, ctx), token)


def _category(session: Session, code: str, problems: list[Problem]):
    code = code.strip()
    if not code:
        problems.append(Problem(400, "service_code_missing", "service_code"))
        return None
    found = open311.category(session, code)
    if found is None:
        problems.append(Problem(404, "service_code_unknown", "service_code"))
    return found


def _coordinate(raw: str, name: str, low: float, high: float, problems: list[Problem]) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or value != value or not low <= value <= high:  # value != value: NaN
        problems.append(Problem(400, "coordinate_invalid", name))
        return None
    return value


def _locate(session: Session, sent: Submission, problems: list[Problem]):
    lat_given, long_given = bool(sent.lat.strip()), bool(sent.long.strip())
    if lat_given != long_given:
        problems.append(Problem(400, "lat_long_both", "lat,long"))
        return None
    lat = _coordinate(sent.lat.strip(), "lat", -90, 90, problems) if lat_given else None
    long = _coordinate(sent.long.strip(), "long", -180, 180, problems) if long_given else None
    address_id, address = sent.address_id.strip(), clean(sent.address_string)
    if not (lat_given or address_id or address):
        problems.append(Problem(400, "location_missing", "lat,long,address_string,address_id"))
        return None
    if (lat_given and (lat is None or long is None)) or len(address) > ADDRESS_MAX or len(address_id) > 32:
        return None  # the coordinate's own problem is said; an address too long is said by the text check
    try:
        return locate.resolve(session, lat=lat, long=long, address=address or None, address_id=address_id or None)
    except locate.UnknownAddressId:
        problems.append(Problem(400, "address_id_unknown", "address_id"))
    except locate.OutsideJurisdiction:
        problems.append(Problem(400, "outside_jurisdiction", "lat,long"))
    return None


def _text(raw: str, name: str, problems: list[Problem], *, limit: int, minimum: int = 0,
          required: bool = False) -> str:
    value = clean(raw)
    if not value:
        if required:
            problems.append(Problem(400, "required", name))
    elif len(value) > limit:
        problems.append(Problem(400, "too_long", name))
    elif len(value) < minimum:
        problems.append(Problem(400, "too_short", name))
    elif contains_markup(value):
        problems.append(Problem(400, "markup", name))
    return value


def _name(sent: Submission, problems: list[Problem]) -> str:
    first, last = clean(sent.first_name), clean(sent.last_name)
    # 王 + 小明 → 王小明; John + Smith → John Smith
    name = last + first if _CJK.search(first + last) else " ".join(p for p in (first, last) if p)
    before = len(problems)
    _text(name, "first_name,last_name", problems, limit=NAME_MAX)
    return name if len(problems) == before else ""


def _phone(raw: str, kind: Kind, region: str, problems: list[Problem]) -> str | None:
    raw = clean(raw)
    if not raw:
        if not filing_rules.may_be_anonymous(kind):  # as the web form: only a suggestion or praise needs no number
            problems.append(Problem(400, "phone_required", "phone"))
        return None
    if len(raw) > 32:
        problems.append(Problem(400, "phone_invalid", "phone"))
        return None
    try:
        return to_e164(raw, region)
    except InvalidPhone:
        problems.append(Problem(400, "phone_invalid", "phone"))
        return None


def _contact(sent: Submission, problems: list[Problem]) -> dict:
    """The contact details kept with the first event (never shown in GET): e-mail, device and account ids."""
    kept = {}
    email = clean(sent.email)
    if email:
        if len(email) > EMAIL_MAX or not _EMAIL.match(email):
            problems.append(Problem(400, "email_invalid", "email"))
        else:
            kept["email"] = email
    for name in ("device_id", "account_id"):
        value = _text(getattr(sent, name), name, problems, limit=ID_MAX)
        if value:
            kept[name] = value
    return kept
