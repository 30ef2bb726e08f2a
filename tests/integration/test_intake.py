"""A citizen files a complaint on the web; bad input is explained, kept, and writes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import Case, CaseEvent, OutboxJob, Person, SmsMessage
from tests.helpers import case_number_from, complaint, file_complaint


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_filed_complaint_gets_a_number_an_event_and_a_queued_sms(app, client):
    response = file_complaint(client, complaint(app))
    assert response.status_code == 302
    number = case_number_from(response)
    receipt = client.get(f"/filed/{number}")
    assert receipt.status_code == 200
    assert number in receipt.get_data(as_text=True)

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        assert case.state == "registered" and case.channel == "web" and case.kind == "complaint"
        assert case.person.phone == "+8613812345678"  # stored in E.164 whatever was typed
        assert case.received_at.tzinfo is not None
        assert [(e.seq, e.action, e.to_state, e.actor_label) for e in case.events] == [
            (1, "register", "registered", "citizen")]
        message = db.session.scalar(select(SmsMessage).where(SmsMessage.case_id == case.id))
        assert message.status == "queued" and number in message.body and message.to_phone == "+8613812345678"
        job = db.session.scalar(select(OutboxJob))
        assert job.job == "deliver_sms" and job.payload == {"message_id": message.id} and job.status == "pending"


def test_case_numbers_count_up_within_the_local_day(app, client):
    first = case_number_from(file_complaint(client, complaint(app)))
    second = case_number_from(file_complaint(client, complaint(app)))
    assert first.startswith("12345-") and second.startswith(first[:15])
    assert int(second[-6:]) == int(first[-6:]) + 1


def test_the_receipt_is_shown_only_to_the_browser_that_filed(app, client):
    number = case_number_from(file_complaint(client, complaint(app)))
    assert app.test_client().get(f"/filed/{number}").status_code == 404


def test_submitting_the_same_form_twice_creates_one_case(app, client):
    from tests.helpers import hidden_value
    from tests.integration.filing_helpers import sign_in_as_citizen

    sign_in_as_citizen(client, complaint(app)["phone"])  # no code step: test_filing.py sends the code twice too
    page = client.get("/file").get_data(as_text=True)
    form = {"csrf_token": hidden_value(page, "csrf_token"), "submission_key": hidden_value(page, "submission_key"),
            **complaint(app)}
    first = client.post("/file", data=form)
    second = client.post("/file", data=form)  # double tap, or the back button and send again
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app, Case) == 1 and count(app, SmsMessage) == 1


BAD_INPUT = [
    ("description", "", "Describe the matter."),
    ("description", "x" * 20_000, "Between 10 and 2000 characters"),
    ("description", "<script>alert('x')</script> 噪音很大很大很大", "Please remove the HTML tags"),
    ("phone", "12345", "Enter a valid phone number"),
    ("phone", "", "Enter a phone number"),
    ("name", "<b>张三</b>", "Please remove the HTML tags"),
    ("location_text", "<img src=x onerror=alert(1)>", "Please remove the HTML tags"),
    ("location_text", "路" * 201, "At most 200 characters"),
    ("category_id", "", "Choose the subject"),
    ("category_id", "999999", "Not a valid choice"),
    ("area_id", "", "Choose where it happens"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_is_explained_next_to_the_field_keeps_what_was_typed_and_writes_nothing(
        app, client, field, value, message):
    data = complaint(app, **{field: value})
    client.get("/language/en")
    response = file_complaint(client, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    field_id = field
    # the message sits in the field's own block, right after its input
    block = html.split(f'id="{field_id}"', 1)[1].split('class="field', 1)[0]
    assert message in block
    assert 'aria-invalid="true"' in html
    # what the person typed in the other fields is still there
    assert "东湖区西湖路 88 号工地" in html or field == "location_text"
    assert "王小明" in html or field == "name"
    assert count(app, Case) == 0 and count(app, Person) == 0 and count(app, CaseEvent) == 0
    assert count(app, SmsMessage) == 0 and count(app, OutboxJob) == 0


def test_markup_is_never_rendered_back_as_markup(app, client):
    response = file_complaint(client, complaint(app, description="<script>alert(1)</script>"))
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_expired_or_forged_form_is_refused(app, client):
    client.get("/file")
    response = client.post("/file", data=complaint(app))  # no CSRF token
    assert response.status_code == 400
    assert count(app, Case) == 0


def test_filing_is_rate_limited_per_address(app, client):
    app.config["HOTLINE_RATE_FILE"] = "2 per hour"
    try:
        codes = [file_complaint(client, complaint(app)).status_code for _ in range(3)]
    finally:
        app.config["HOTLINE_RATE_FILE"] = "10 per hour;30 per day"
    assert codes == [302, 302, 429]
    assert count(app, Case) == 2


def test_the_form_is_in_simplified_chinese_by_default_and_english_on_request(app, client):
    chinese = client.get("/file").get_data(as_text=True)
    assert 'lang="zh-CN"' in chinese and "提交" in chinese and "File a complaint" not in chinese
    assert "File a complaint or request" in client.get("/file?lang=en").get_data(as_text=True)


def test_the_service_refuses_a_top_level_or_retired_subject_and_writes_nothing(app):
    from hotline.clock import now
    from hotline.domain.kinds import Channel, Kind, Track
    from hotline.models import Category
    from hotline.services import intake

    with app.test_request_context():
        top = db.session.scalar(select(Category).where(Category.code == "city"))
        new = intake.NewCase(track=Track.HOTLINE, kind=Kind.COMPLAINT, channel=Channel.WEB,
                             description="一个只选了大类的诉求", category_id=top.id)
        ctx = intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")
        with pytest.raises(intake.UnknownReference, match="category"):
            intake.register(db.session, new, ctx)
    assert count(app, Case) == 0 and count(app, OutboxJob) == 0
