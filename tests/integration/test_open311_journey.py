"""An outside GeoReport v2 client from the first call to the closed request with the official answer; and what
must hold around it: no personal data in any GET, an idempotent POST, keys that are limited, revoked, scoped and
logged, and a request that carries only a point routed to its street's departments."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from hotline.domain import api_keys as key_rules
from hotline.domain import open311 as spec
from tests.integration.lifecycle_helpers import dept, new_case, step
from tests.integration.petition_helpers import new_petition
from tests.integration.test_open311_support import (
    GAZETTEER_NAME,
    HOME,
    NAME_FIRST,
    NAME_LAST,
    PHONE,
    XIHU_POINT,
    make_key,
    post,
    read,
    revoke,
    text,
)

ANSWER = f"已责令施工单位夜间停工，{NAME_LAST}{NAME_FIRST}反映的问题已解决，如有反复请拨打{PHONE}。"


def _case(app, number: str):
    from hotline.extensions import db
    from hotline.models import Case

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        db.session.expunge(case)
        return case


def test_a_client_lists_reads_posts_follows_and_sees_the_answer(app, client):
    services = read(client.get("/open311/v2/services.xml"))
    assert "city.noise-construction" in [s["service_code"] for s in services]
    definition = read(client.get("/open311/v2/services/city.noise-construction.json"))
    assert {a["code"] for a in definition["attributes"]} >= {"kind", "urgency", "area"}

    raw = make_key(app)
    (made,) = read(post(client, raw, "xml", **{"attribute[area]": "dh-xhj"}))
    number = made["service_request_id"]
    for fmt in ("xml", "json"):
        (request,) = read(client.get(f"/open311/v2/requests/{number}.{fmt}"))
        assert request["status"] == "open" and request["status_notes"] is None

    case = _case(app, number)
    assert (case.channel, case.state, case.submission_key) == ("open311", "registered", "o311:" + made["token"])
    step(app, number, "dispatcher", "dispatch", lead_department_id=dept(app, "cgw"))
    step(app, number, "cgw-staff", "sign")
    step(app, number, "cgw-staff", "reply", text=ANSWER, resolved=True)
    step(app, number, "dispatcher", "review-reply", decision="approve")
    assert step(app, number, "operator", "callback", satisfaction="satisfied", resolved="yes") == "closed"

    case = _case(app, number)
    for fmt in ("xml", "json"):
        (request,) = read(client.get(f"/open311/v2/requests/{number}.{fmt}"))
        assert request["status"] == "closed"
        assert request["status_notes"] == "已责令施工单位夜间停工，欧阳某反映的问题已解决，如有反复请拨打〔电话〕。"
        assert request["agency_responsible"] == "市城市管理委员会"  # the lead department's name
        assert request["expected_datetime"] == spec.w3(case.reply_due_at, "Asia/Shanghai")
        assert request["updated_datetime"] == spec.w3(case.closed_at, "Asia/Shanghai")
        (listed,) = read(client.get(f"/open311/v2/requests.{fmt}?status=closed&service_code=city.noise-construction"))
        assert listed == request
        assert read(client.get(f"/open311/v2/requests.{fmt}?status=open")) == []


def _every_get(client, numbers: list[str], tokens: list[str]) -> list[str]:
    paths = ["/open311/v2/requests.{fmt}", "/open311/v2/requests.{fmt}?status=open,closed",
             "/open311/v2/requests.{fmt}?service_request_id=" + ",".join(numbers)]
    paths += [f"/open311/v2/requests/{n}.{{fmt}}" for n in numbers]
    paths += [f"/open311/v2/tokens/{t}.{{fmt}}" for t in tokens]
    bodies = []
    for path in paths:
        for fmt in ("xml", "json"):
            for lang in ("zh", "en"):
                response = client.get(path.format(fmt=fmt) + ("&" if "?" in path else "?") + f"lang={lang}")
                assert response.status_code == 200, path
                bodies.append(response.get_data(as_text=True))
    return bodies


def test_no_personal_data_in_any_get(app, client):
    from hotline.extensions import db
    from hotline.models import Publication

    raw = make_key(app)
    filed = [read(post(client, raw, **{"attribute[area]": "dh-xhj"}))[0],
             read(post(client, raw, **{"attribute[confidential]": "true"}))[0],
             read(post(client, raw, **{"attribute[kind]": "report"}))[0]]
    by_phone = new_case(app)  # filed by phone by 王小明, +8613812345678: not an Open311 request
    published = new_case(app)
    with app.app_context():
        case = _case(app, published)
        db.session.add(Publication(case_id=case.id, status="published", title="夜间施工",
                                   question="西湖路工地夜间施工，王小明多次反映。", answer="已责令停工。",
                                   published_at=datetime.now(UTC)))
        db.session.commit()
    numbers = [f["service_request_id"] for f in filed] + [by_phone, published]
    bodies = _every_get(client, numbers, [f["token"] for f in filed])
    planted = [NAME_LAST + NAME_FIRST, "王小明", PHONE, "138 1234 5678", "+86" + PHONE, HOME, "501",
               f"{GAZETTEER_NAME}{HOME}", "xiaoming@example.com", "device-778899", "acct-4455"]
    for body in bodies:
        for secret in planted:
            assert secret not in body, (secret, body[:300])

    requests = {r["service_request_id"]: r for r in read(client.get("/open311/v2/requests.json"))}
    assert requests[filed[0]["service_request_id"]]["description"]  # filed through Open311: public, redacted
    for hidden in (filed[1], filed[2]):  # confidential; a report (its reporter is protected)
        request = requests[hidden["service_request_id"]]
        assert request["description"] is None and request["status_notes"] is None
    assert requests[by_phone]["description"] is None  # never offered for publication
    assert requests[published]["description"] == "西湖路工地夜间施工，王某多次反映。"
    assert requests[published]["status_notes"] == "已责令停工。"


def test_petitions_are_never_open311_requests(app, client):
    number = new_petition(app, datetime.now(UTC))
    assert read(client.get("/open311/v2/requests.json")) == []
    assert client.get(f"/open311/v2/requests/{number}.json").status_code == 404
    assert read(client.get(f"/open311/v2/requests.json?service_request_id={number}")) == []


def test_a_retried_post_with_the_same_idempotency_key_is_the_same_request(app, client):
    from hotline.extensions import db
    from hotline.models import Case

    raw = make_key(app)
    first = read(post(client, raw, headers={"Idempotency-Key": "order-1"}))
    again = read(post(client, raw, "xml", headers={"Idempotency-Key": "order-1"}))
    other = read(post(client, raw, headers={"Idempotency-Key": "order-2"}))
    plain = [read(post(client, raw))[0]["service_request_id"] for _ in range(2)]
    assert first[0]["service_request_id"] == again[0]["service_request_id"] and first[0]["token"] == again[0]["token"]
    assert other[0]["service_request_id"] != first[0]["service_request_id"] and plain[0] != plain[1]
    another_key = read(post(client, make_key(app, name="other app"), headers={"Idempotency-Key": "order-1"}))
    assert another_key[0]["service_request_id"] != first[0]["service_request_id"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Case)) == 5


def test_a_request_with_only_a_point_goes_to_its_streets_departments(app, client):
    from hotline.extensions import db
    from hotline.models import Area, Assignment, Department

    lat, long = XIHU_POINT
    (made,) = read(post(client, make_key(app), service_code="city.garbage", address_string=None, lat=lat,
                        long=long, description="小区门口的垃圾桶三天没有清运，臭味很大。"))
    case = _case(app, made["service_request_id"])
    with app.app_context():
        street = db.session.scalar(select(Area).where(Area.code == "dh-xhj"))
        office = db.session.scalar(select(Department).where(Department.area_id == street.id,
                                                            Department.level == 3))
        assigned = set(db.session.scalars(select(Assignment.department_id).where(Assignment.case_id == case.id)))
    assert case.area_id == street.id and (case.latitude, case.longitude) == (30.005, 114.985)
    assert case.state == "dispatched" and case.lead_department_id == office.id and office.id in assigned
    (request,) = read(client.get(f"/open311/v2/requests/{case.number}.json"))
    assert request["agency_responsible"] == office.name and request["address"] == "东湖区西湖街道"
    assert (request["lat"], request["long"], request["address_id"]) == (30.005, 114.985, None)


def test_each_key_has_its_own_rate_limit(app, client):
    limited, other = make_key(app, rate_limit="2 per minute"), make_key(app, name="other")
    statuses = [client.get(f"/open311/v2/services.json?api_key={limited}").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get(f"/open311/v2/services.xml?api_key={limited}&lang=en")
    assert response.status_code == 429 and "Too many requests" in read(response)[0]["description"]
    assert int(response.headers["Retry-After"]) > 0
    assert client.get(f"/open311/v2/services.json?api_key={other}").status_code == 200
    assert _uses(app, limited)[-2:] == [("GET", "/open311/v2/services.json", 429, None),
                                        ("GET", "/open311/v2/services.xml", 429, None)]


def test_reads_without_a_key_are_limited_per_address(app, client):
    app.config["HOTLINE_RATE_OPEN311_READ"] = "3 per minute"
    try:
        statuses = [client.get("/open311/v2/requests.json").status_code for _ in range(4)]
        other = app.test_client().get("/open311/v2/requests.json", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    finally:
        app.config["HOTLINE_RATE_OPEN311_READ"] = "60 per minute;1000 per hour"
    assert statuses == [200, 200, 200, 429] and other.status_code == 200


def test_a_revoked_key_is_refused(app, client):
    raw = make_key(app)
    assert post(client, raw).status_code == 200
    revoke(app, raw)
    response = post(client, raw, headers={"Accept-Language": "en"})
    assert response.status_code == 403 and "api_key" in read(response)[0]["description"]


def test_reading_can_require_a_key_with_the_read_scope(app, client):
    reader, writer = make_key(app, scopes=(key_rules.READ,)), make_key(app, scopes=(key_rules.CREATE,))
    number = read(post(client, writer))[0]["service_request_id"]
    app.config["HOTLINE_OPEN311_PUBLIC_READ"] = False
    try:
        assert client.get("/open311/v2/requests.json").status_code == 403
        assert client.get(f"/open311/v2/requests/{number}.xml").status_code == 403
        assert client.get(f"/open311/v2/requests.json?api_key={writer}").status_code == 403
        assert client.get(f"/open311/v2/requests/{number}.json?api_key={reader}").status_code == 200
        assert client.get("/open311/v2/services.json").status_code == 200  # the services stay public
    finally:
        app.config["HOTLINE_OPEN311_PUBLIC_READ"] = True
    assert client.get("/open311/v2/requests.json").status_code == 200


def _uses(app, raw: str) -> list[tuple]:
    from hotline.extensions import db
    from hotline.models import ApiKey, ApiKeyUse

    with app.app_context():
        key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == key_rules.digest(raw)))
        return [(u.method, u.path, u.status, u.case_id) for u in db.session.scalars(
            select(ApiKeyUse).where(ApiKeyUse.api_key_id == key.id).order_by(ApiKeyUse.id))]


def test_every_use_of_a_key_is_logged_with_its_case_and_an_unknown_key_in_the_access_log(app, client):
    from hotline.extensions import db
    from hotline.models import AccessLog

    raw = make_key(app)
    made = read(post(client, raw))[0]
    case = _case(app, made["service_request_id"])
    client.get(f"/open311/v2/requests/{case.number}.json?api_key={raw}")
    post(client, raw, service_code="")
    client.get(f"/open311/v2/tokens/{made['token']}.xml?api_key={raw}")
    assert _uses(app, raw) == [("POST", "/open311/v2/requests.json", 200, case.id),
                               ("GET", f"/open311/v2/requests/{case.number}.json", 200, case.id),
                               ("POST", "/open311/v2/requests.json", 400, None),
                               ("GET", f"/open311/v2/tokens/{made['token']}.xml", 200, case.id)]
    wrong = "h311_" + "x" * 40
    assert client.get(f"/open311/v2/services.json?api_key={wrong}").status_code == 403
    with app.app_context():
        (entry,) = db.session.scalars(select(AccessLog).where(AccessLog.action == "open311_unknown_key"))
        assert entry.detail == "GET /open311/v2/services.json 403 key h311_xxxxxxx" and wrong not in entry.detail


def test_contact_details_are_kept_with_the_first_event(app, client):
    from hotline.extensions import db
    from hotline.models import CaseEvent

    made = read(post(client, make_key(app)))[0]
    case = _case(app, made["service_request_id"])
    with app.app_context():
        event = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.seq == 1))
        kept = event.data["open311"]
    assert kept["email"] == "xiaoming@example.com" and kept["device_id"] == "device-778899"
    assert kept["account_id"] == "acct-4455" and kept["address_id"] == "dh-xhj-04" and kept["how"] == "gazetteer"
    assert case.person_id is not None and text(case.location_text) == f"{GAZETTEER_NAME}{HOME}"


def test_the_contact_details_are_in_no_event_the_api_shows(app, client):
    from tests.api_helpers import Api

    number = read(post(client, make_key(app)))[0]["service_request_id"]
    for user in ("dispatcher", "supervisor"):
        body = Api.as_user(app, user).get(f"/cases/{number}/events").get_data(as_text=True)
        assert number in body and "gazetteer" in body  # the register event and how the place was found
        for secret in ("xiaoming@example.com", "device-778899", "acct-4455"):
            assert secret not in body
