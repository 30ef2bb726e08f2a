"""What an Open311 answer says in words, in the reader's language: the service definition's prompts and the
error descriptions (the spec: "meant to be seen by the user")."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hotline.domain import open311 as spec
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.services.open311_filing import DESCRIPTION_MIN, ID_MAX
from hotline.web import labels

PROMPT = {
    spec.KIND: _l("What kind of matter is this? A complaint if you are not sure."),
    spec.URGENCY: _l("How urgent is it? Urgent only when life or property is at risk."),
    spec.AREA: _l("The street where it happens. Not needed when lat/long or the address already name a street."),
    spec.CONFIDENTIAL: _l("Keep the person's identity and number from the departments (true or false)."),
}


def word(table: str, key: str) -> str:
    """For hotline.services.open311.attributes."""
    if table == "kind":
        return labels.of(labels.KIND, key)
    if table == "urgency":
        return labels.of(labels.URGENCY, key)
    if table == "yes_no":
        return labels.of(labels.YES_NO, key == "true")
    return str(PROMPT.get(key, key))


MESSAGES = {
    "jurisdiction_unknown": _l("jurisdiction_id was not found: this endpoint serves %(ours)s only."),
    "api_key_missing": _l("An api_key is required to create a service request."),
    "api_key_invalid": _l("Invalid api_key received: it is unknown or has been revoked."),
    "scope_create": _l("This api_key may not create service requests (it lacks the scope requests:create)."),
    "scope_read": _l("Reading service requests here needs an api_key with the scope requests:read."),
    "service_code_missing": _l("service_code was not provided."),
    "service_code_unknown": _l("service_code was not found: see services.xml for the services offered."),
    "location_missing": _l("A location is required: lat and long, address_string or address_id."),
    "lat_long_both": _l("lat and long must be sent together."),
    "coordinate_invalid": _l("%(field)s is not a valid WGS 84 coordinate."),
    "address_id_unknown": _l("address_id was not found in the city's gazetteer."),
    "outside_jurisdiction": _l("The location lies outside the city's districts."),
    "attribute_unknown": _l("attribute[%(field)s] is not an attribute of this service."),
    "attribute_invalid": _l("attribute[%(field)s] has a value that is not in its list of values."),
    "attribute_missing": _l("attribute[%(field)s] is required."),
    "area_missing": _l("attribute[area] is required unless the location names a street."),
    "required": _l("%(field)s is required."),
    "too_long": _l("%(field)s is too long: at most %(max)d characters."),
    "too_short": _l("%(field)s is too short: at least %(min)d characters."),
    "markup": _l("%(field)s may not contain HTML or script code."),
    "invalid_character": _l("%(field)s contains a character no text may hold (NUL)."),
    "phone_required": _l("phone is required, except for a suggestion or praise (attribute[kind])."),
    "phone_invalid": _l("phone is not a valid phone number."),
    "email_invalid": _l("email is not a valid e-mail address."),
    "idempotency_key_too_long": _l("The Idempotency-Key header is too long: at most %(max)d characters."),
    "date_invalid": _l("%(field)s must be a W3C datetime with its zone, e.g. 2026-11-28T00:00:00+08:00."),
    "window_too_long": _l("start_date and end_date may not be more than 90 days apart."),
    "window_reversed": _l("start_date is after end_date."),
    "status_invalid": _l("status must be open or closed, or both, comma separated."),
    "request_not_found": _l("service_request_id was not found."),
    "token_not_found": _l("token was not found."),
    "format_unknown": _l("Unknown format: add .xml or .json to the resource."),
    "not_found": _l("There is no such Open311 resource."),
    "method_not_allowed": _l("This method is not allowed here."),
    "rate_limited": _l("Too many requests. Wait a moment and try again."),
    "bad_request": _l("The request could not be understood."),
    "server_error": _l("Something went wrong on our side. The request may not have been saved."),
}
LIMITS = {"description": (DESCRIPTION_MIN, DESCRIPTION_MAX), "first_name,last_name": (0, NAME_MAX),
          "address_string": (0, ADDRESS_MAX), "device_id": (0, ID_MAX), "account_id": (0, ID_MAX)}


def message(code: str, field: str = "", **values) -> str:
    if code == "attribute_missing" and field == spec.AREA:
        code = "area_missing"
    low, high = LIMITS.get(field, (0, 0))
    text = str(MESSAGES.get(code) or MESSAGES["bad_request"])
    return text % {"field": field, "min": low, "max": high, **values} if "%(" in text else text
