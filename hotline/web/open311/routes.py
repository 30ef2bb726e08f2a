"""The GeoReport v2 resources: discovery, services, service definitions, requests (GET and POST), a request,
and a token. Each parses, checks the key where one is needed, calls one service and renders."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import gettext as _

from hotline.clock import now
from hotline.domain import api_keys as key_rules
from hotline.domain import open311 as spec
from hotline.extensions import db
from hotline.services import intake, open311, open311_filing, open311_requests
from hotline.web.open311 import keys
from hotline.web.open311.frame import Refusal, en, language, resource
from hotline.web.open311.render import respond
from hotline.web.open311.wording import word

CHANGESET = "2026-11-28T00:00:00+08:00"  # when this endpoint's behaviour last changed (the discovery document)


def _timezone() -> str:
    return current_app.config["HOTLINE_TIMEZONE"]


@resource("/discovery.<fmt>")
def discovery(fmt: str):
    production = current_app.config["HOTLINE_ENV"] == "production"
    body = {
        "changeset": CHANGESET,
        "contact": _("The 12345 hotline of %(city)s. Requests and their answers are public: never put a "
                     "person's name, number or home address in a description.", city=_city()),
        "key_service": _("API keys are given by the hotline's administrator; ask the 12345 hotline centre."),
        "endpoints": [{
            "specification": spec.SPECIFICATION,
            "url": url_for("open311.nothing_here", rest="v2", _external=True),
            "changeset": CHANGESET,
            "type": "production" if production else "test",
            "formats": [spec.FORMATS["xml"].split(";")[0], spec.FORMATS["json"].split(";")[0]],
        }],
    }
    return respond(fmt, "discovery", body)


def _city() -> str:
    return current_app.config["HOTLINE_CITY_NAME_EN" if en() else "HOTLINE_CITY_NAME"]


@resource("/v2/services.<fmt>")
def services(fmt: str):
    body = [{"service_code": s.code, "service_name": s.name, "description": s.description, "metadata": True,
             "type": "realtime", "keywords": s.keywords, "group": s.group}
            for s in open311.services(db.session, en=en())]
    return respond(fmt, "services", body)


@resource("/v2/services/<code>.<fmt>")
def service_definition(fmt: str, code: str):
    if open311.service(db.session, code, en=en()) is None:
        raise Refusal([(404, "service_code_unknown", "service_code")])
    attributes = [{
        "variable": a.variable, "code": a.code, "datatype": a.datatype, "required": a.required,
        "datatype_description": a.datatype_description or None, "order": a.order, "description": a.description,
        "values": [{"key": v.key, "name": v.name} for v in a.values],
    } for a in open311.attributes(db.session, en=en(), word=word)]
    return respond(fmt, "service_definition", {"service_code": code, "attributes": attributes})


@resource("/v2/requests.<fmt>", methods=("GET", "POST"))
def requests(fmt: str):
    if request.method == "POST":
        return _create(fmt)
    _may_read()
    query = _query()
    found = open311_requests.find(db.session, query)
    keys.made_or_read(found[0].id if len(found) == 1 else None)
    return respond(fmt, "service_requests",
                   open311_requests.records(db.session, found, en=en(), timezone=_timezone()))


@resource("/v2/requests/<number>.<fmt>")
def one_request(fmt: str, number: str):
    _may_read()
    case = open311_requests.one(db.session, number)
    if case is None:
        raise Refusal([(404, "request_not_found", "service_request_id")])
    keys.made_or_read(case.id)
    return respond(fmt, "service_requests",
                   open311_requests.records(db.session, [case], en=en(), timezone=_timezone()))


@resource("/v2/tokens/<token>.<fmt>")
def token(fmt: str, token: str):
    _may_read()
    case = open311_requests.by_token(db.session, token)
    if case is None:
        raise Refusal([(404, "token_not_found", "token")])
    keys.made_or_read(case.id)
    return respond(fmt, "service_requests", [{"service_request_id": case.number, "token": token}])


def _may_read() -> None:
    """Reading is public unless HOTLINE_OPEN311_PUBLIC_READ is off; then a key with requests:read is needed."""
    if current_app.config["HOTLINE_OPEN311_PUBLIC_READ"]:
        return
    if keys.current_key() is None:
        raise Refusal([(403, "api_key_missing" if not keys.raw_key() else "api_key_invalid", "api_key")])
    if key_rules.READ not in keys.scopes():
        raise Refusal([(403, "scope_read", "api_key")])


def _query() -> open311_requests.Query:
    args = request.args
    ids = spec.comma_list(args.get("service_request_id"))
    if ids:
        return open311_requests.Query(ids=tuple(ids))
    problems = []
    dates = {}
    for name in ("start_date", "end_date"):
        if (args.get(name) or "").strip():
            try:
                dates[name] = spec.parse_w3(args[name])
            except spec.BadDate:
                problems.append((400, "date_invalid", name))
    statuses = spec.comma_list(args.get("status"))
    if any(s not in spec.STATUSES for s in statuses):
        problems.append((400, "status_invalid", "status"))
    window = None
    if not problems:
        try:
            window = spec.window(dates.get("start_date"), dates.get("end_date"), now())
        except spec.WindowTooLong:
            problems.append((400, "window_too_long", "start_date,end_date"))
        except spec.WindowReversed:
            problems.append((400, "window_reversed", "start_date,end_date"))
    if problems:
        raise Refusal(problems)
    return open311_requests.Query(codes=tuple(spec.comma_list(args.get("service_code"))), window=window,
                                  statuses=tuple(statuses))


def _create(fmt: str):
    key = keys.current_key()
    if key is None:
        raise Refusal([(403, "api_key_missing", "api_key")])
    if key_rules.CREATE not in (key.scopes or ()):
        raise Refusal([(403, "scope_create", "api_key")])
    idempotency = request.headers.get("Idempotency-Key", "").strip()
    if len(idempotency) > spec.IDEMPOTENCY_KEY_MAX:
        raise Refusal([(400, "idempotency_key_too_long", "Idempotency-Key")])
    form = request.form
    sent = open311_filing.Submission(
        **{name: form.get(name, "") for name in _FIELDS},
        attributes={name: form.getlist(name) for name in form if name.startswith("attribute[")},
        idempotency_key=idempotency,
    )
    ctx = intake.Context(now=now(), timezone=_timezone(), locale=language())
    try:
        filed = open311_filing.file(db.session, key, sent, ctx, phone_region=current_app.config["HOTLINE_PHONE_REGION"])
    except open311_filing.Refused as exc:
        raise Refusal([(p.status, p.code, p.field) for p in exc.problems]) from None
    keys.made_or_read(filed.case.id)
    texted = filed.case.person is not None and bool(filed.case.person.phone)
    notice = _("The case number was also sent to the phone number given, by SMS.") if texted else None
    return respond(fmt, "service_requests", [{
        "service_request_id": filed.case.number, "token": filed.token, "service_notice": notice,
        "account_id": sent.account_id.strip() or None,
    }])


_FIELDS = ("service_code", "lat", "long", "address_string", "address_id", "first_name", "last_name", "phone",
           "email", "device_id", "account_id", "description")
