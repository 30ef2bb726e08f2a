"""Open311 GeoReport v2 (../shared/reference/open311-georeport-v2.md): how our cases read to a 311 client.

The spec's rules kept here: a request is `open` or `closed`; datetimes are W3C ISO 8601 with an offset; a
query covers at most 90 days and 1,000 records; attributes are answered as `attribute[code]=value` from the
service definition's list of values. Pure: the caller passes `now`, the time zone and the allowed values.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hotline.domain.lifecycle import OPEN_STATES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
WINDOW = timedelta(days=90)  # the default span of GET requests, and the longest a query may ask for
MAX_RECORDS = 1000
STATUSES = ("open", "closed")
COORDINATE_DIGITS = 3  # ≈ 100 m: where a problem is, not whose door it is
TOKEN_LENGTH = 32
SUBMISSION_PREFIX = "o311:"
IDEMPOTENCY_KEY_MAX = 200

# The order of a request's fields in a GET answer, as the spec's tables list them.
REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url")
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords", "group")
ATTRIBUTE_FIELDS = ("variable", "code", "datatype", "required", "datatype_description", "order", "description",
                    "values")

# attribute codes
KIND, URGENCY, AREA, CONFIDENTIAL = "kind", "urgency", "area", "confidential"
ATTRIBUTE_CODE = re.compile(r"^attribute\[([^\[\]]*)\](\[\])?$")


def status_of(state: str) -> str:
    """Every state a case can still move out of is open; closed, merged, terminated (and a petition's ends,
    which GET never shows) are closed."""
    return "open" if state in OPEN_STATES else "closed"


def w3(moment: datetime | None, timezone: str) -> str | None:
    """2026-11-28T20:00:00+08:00: seconds, with the offset of the city's time zone."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(timezone)).replace(microsecond=0).isoformat()


class BadDate(ValueError):
    pass


_W3 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def parse_w3(text: str) -> datetime:
    """A W3C datetime with its zone (Z or ±hh:mm), as the spec requires of start_date and end_date."""
    text = (text or "").strip()
    if not _W3.match(text):
        raise BadDate(text)
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadDate(text) from None


def comma_list(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


class WindowTooLong(ValueError):
    pass


class WindowReversed(ValueError):
    pass


def window(start: datetime | None, end: datetime | None, now: datetime) -> Window:
    """The 90 days the spec allows: ending at `end` (or now), starting at `start` (or 90 days before the end);
    only `start` given: the 90 days from it."""
    if start is not None and end is None:
        end = start + WINDOW
    end = end or now
    start = start or end - WINDOW
    if start > end:
        raise WindowReversed()
    if end - start > WINDOW:
        raise WindowTooLong()
    return Window(start, end)


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DIGITS)


def token_for(key_id: int, idempotency_key: str) -> str:
    """The request's token: the same key and Idempotency-Key give the same token, so a retried POST finds
    the case the first one made (Case.submission_key = SUBMISSION_PREFIX + token)."""
    return hashlib.sha256(f"{key_id}:{idempotency_key}".encode()).hexdigest()[:TOKEN_LENGTH]


def valid_token(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(c in "0123456789abcdef" for c in token)


@dataclass(frozen=True)
class Value:
    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # singlevaluelist here; the spec also knows string, number, datetime, text, multivaluelist
    required: bool
    description: str
    order: int
    values: tuple[Value, ...] = ()
    datatype_description: str = ""
    variable: bool = True
    default: str | None = None  # what a request that leaves it out gets

    def allowed(self) -> frozenset[str]:
        return frozenset(v.key for v in self.values)


@dataclass
class Answers:
    """What a POST said to the definition's attributes, and what was wrong with it."""
    values: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # codes the definition does not have
    invalid: list[str] = field(default_factory=list)  # codes answered with a value outside their list
    missing: list[str] = field(default_factory=list)  # required codes left out

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.invalid or self.missing)


def read_attributes(form: dict[str, list[str]], definition: tuple[Attribute, ...],
                    not_required: frozenset[str] = frozenset()) -> Answers:
    """`form`: every field of the POST with all its values. Only attribute[code]=value fields are read; a
    singlevaluelist takes one value. `not_required`: codes the request made unnecessary (the area, when the
    location already names a street)."""
    by_code = {a.code: a for a in definition}
    answers = Answers()
    for name, sent in form.items():
        match = ATTRIBUTE_CODE.match(name)
        if not match:
            continue
        code = match.group(1)
        attribute = by_code.get(code)
        if attribute is None:
            answers.unknown.append(code)
            continue
        values = [v.strip() for v in sent if v is not None and v.strip()]
        if not values:
            continue
        if len(values) > 1 or (attribute.values and values[0] not in attribute.allowed()):
            answers.invalid.append(code)
            continue
        answers.values[code] = values[0]
    for attribute in definition:
        if attribute.code in answers.values or attribute.code in answers.invalid:
            continue
        if attribute.default is not None:
            answers.values[attribute.code] = attribute.default
        elif attribute.required and attribute.code not in not_required:
            answers.missing.append(attribute.code)
    answers.unknown.sort()
    answers.invalid.sort()
    return answers
