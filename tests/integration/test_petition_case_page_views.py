"""What a petition's page shows: its particulars and petitioners — masked for an organ's staff on an accusation or a
confidential petition, and every unmasked view in the access log —, the same matter flagged (Arts. 19, 36), the
statutory clocks with their articles, states and warning colours, the documents, and a history in words."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from hotline.clock import now
from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import AccessLog, PetitionDocument, User
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import ID_NUMBER, new_petition, petitioner
from tests.integration.test_petition_case_page import STAFF, english
from tests.integration.test_screens_support import html_of, register_case, signed_in

NAME, DIGITS, ADDRESS = "李建国", "13900001111", "江川市东湖区解放路1号"
TOLD = f"请{NAME}收，电话{DIGITS}，身份证{ID_NUMBER}。"


def _views(app, username: str) -> int:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        return len(db.session.scalars(select(AccessLog).where(AccessLog.action == "view_personal_data",
                                                              AccessLog.user_id == user_id)).all())


def _leaks(html: str) -> list[str]:
    spaced = re.sub(r"\D", "", html)  # a number split by spaces or dashes is still the number
    found = [w for w in (NAME, ID_NUMBER, ADDRESS) if w in html]
    return found + ([DIGITS] if DIGITS in spaced else [])


@pytest.mark.parametrize("kind, confidential", [(Kind.ACCUSATION, False), (Kind.GRIEVANCE, True)])
def test_an_organs_staff_see_the_petitioners_masked(app, kind, confidential):
    accused = (dept(app, "dh-cgj"),) if kind is Kind.ACCUSATION else ()
    number = new_petition(app, now(), kind=kind, confidential=confidential, accused_department_ids=accused,
                          facts=TOLD, people=(petitioner(representative=True), petitioner(name="王秀英", phone=None,
                                                                                          id_number="")),
                          group_size=2)
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    html = html_of(signed_in(app, STAFF).get(f"/cases/{number}"))
    assert _leaks(html) == [] and "李**" in html and "王**" in html
    assert html.count('class="badge ok"') >= 1  # the representative is still marked as one
    assert "Kept away" not in html and "东湖区城市管理综合执法局" not in html  # nor which unit is accused
    assert _views(app, STAFF) == 0

    office = html_of(signed_in(app, "dispatcher").get(f"/cases/{number}"))
    assert [w for w in (NAME, ID_NUMBER, ADDRESS, TOLD) if w not in office] == []
    assert _views(app, "dispatcher") == 1  # the unmasked view, in the access log
    if kind is Kind.ACCUSATION:
        assert "东湖区城市管理综合执法局" in office.split('class="accused"')[1].split("</dd>")[0]


def test_an_organ_sees_a_plain_grievances_petitioners_and_the_view_is_logged(app):
    number = new_petition(app, now())
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    html = html_of(signed_in(app, STAFF).get(f"/cases/{number}"))
    assert NAME in html and ID_NUMBER in html and ADDRESS in html
    assert _views(app, STAFF) == 1


def test_the_same_matter_is_flagged_with_a_link(app):
    first = new_petition(app, now())
    step(app, first, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    step(app, first, STAFF, "accept", decision="accept")
    second = new_petition(app, now())
    flag = html_of(english(app, "dispatcher").get(f"/cases/{second}")).split('id="same-matter"')[1]
    assert "already accepted" in flag and f'href="/cases/{first}"' in flag and "Donghu District People" in flag


def test_a_matter_concluded_after_re_review_shows_the_new_facts_stated(app):
    first = new_petition(app, now())
    organ, city, top = dept(app, "dh-gov"), dept(app, "cgw"), dept(app, "zjw")
    decision = dict(facts="已核实。", basis="条例", text="维持。")
    step(app, first, "dispatcher", "forward", organ_id=organ, forwarding="forward")
    step(app, first, STAFF, "accept", decision="accept")
    step(app, first, STAFF, "decide", outcome="reject", **decision)
    step(app, first, "operator", "request-review", organ_id=city, note="请求复查")
    step(app, first, "cgw-staff", "decide-review", outcome="uphold", **decision)
    step(app, first, "operator", "request-re-review", organ_id=top, note="请求复核")
    step(app, first, "zjw-staff", "decide-re-review", outcome="uphold", **decision)
    second = new_petition(app, now(), new_facts="2026年10月新发现补偿协议存在笔误。")
    flag = html_of(english(app, "operator").get(f"/cases/{second}")).split('id="same-matter"')[1]
    assert "concluded after re-review (Art. 36)" in flag and first in flag
    assert "2026年10月新发现补偿协议存在笔误。" in flag


def _clock(html: str, clock: str) -> str:
    return re.search(rf'<tr class="clock clock-{clock} [^"]*"[^>]*>.*?</tr>', html, re.S).group(0)


def test_the_clocks_say_where_each_step_stands_with_the_warning_colours(app):
    with time_machine.travel(local(2026, 3, 2, 10), tick=False) as moment:
        number = new_petition(app, now())  # the forward clock: 15 days, warned when 3 are left (Art. 22)
        office = english(app, "dispatcher")
        html = html_of(office.get(f"/cases/{number}"))
        forward = _clock(html, "forward")
        assert 'data-status="running"' in forward and "is-due-soon" not in forward and "Art. 22" in forward
        assert "2026-03-17" in forward and "15 days" in forward  # Tuesday 03-17
        assert 'data-status="not_started"' in _clock(html, "accept") and "Arts. 32, 34" in _clock(html, "decide")

        moment.move_to(local(2026, 3, 16, 10))
        html = html_of(office.get(f"/cases/{number}"))
        assert "is-due-soon" in _clock(html, "forward") and 'data-card="due_soon"' in html.split("</h1>")[1][:400]
        moment.move_to(local(2026, 3, 18, 10))
        html = html_of(office.get(f"/cases/{number}"))
        forward = _clock(html, "forward")
        assert "is-overdue" in forward and 'data-status="overdue"' in forward
        assert 'data-card="overdue"' in html.split("</h1>")[1][:400]

        step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
        html = html_of(office.get(f"/cases/{number}"))
        assert 'data-status="late"' in _clock(html, "forward") and "done on 2026-03-18" in _clock(html, "forward")
        assert "5 working days" in _clock(html, "object") and 'data-status="open"' in _clock(html, "object")


def test_the_decision_clock_shows_its_extension_and_the_re_review_clock_its_hearing(app):
    number = new_petition(app, now())
    organ, city, top = dept(app, "dh-gov"), dept(app, "cgw"), dept(app, "zjw")
    step(app, number, "dispatcher", "forward", organ_id=organ, forwarding="forward")
    step(app, number, STAFF, "accept", decision="accept")
    step(app, number, STAFF, "request-extension", days=20, reason="需现场核查")
    step(app, number, "dh-gov-head", "decide-extension", decision="approve")
    office = english(app, "dispatcher")
    assert "Includes an extension of 20 days (Art. 34)" in _clock(html_of(office.get(f"/cases/{number}")), "decide")
    decision = dict(facts="已核实。", basis="条例", text="维持。")
    step(app, number, STAFF, "decide", outcome="reject", **decision)
    step(app, number, "operator", "request-review", organ_id=city, note="请求复查")
    step(app, number, "cgw-staff", "decide-review", outcome="uphold", **decision)
    step(app, number, "operator", "request-re-review", organ_id=top, note="请求复核")
    step(app, number, "zjw-staff", "start-hearing", note="听证")
    html = html_of(office.get(f"/cases/{number}"))
    assert 'data-status="paused"' in _clock(html, "re_review") and "Art. 36" in _clock(html, "re_review")
    step(app, number, "zjw-staff", "end-hearing", now() + timedelta(days=2))
    html = html_of(office.get(f"/cases/{number}"))
    re_review = _clock(html, "re_review")
    assert 'data-status="running"' in re_review and "3 days of hearings not counted (Art. 36)" in re_review
    assert "3 hearing days not counted" in html.split('class="timeline"')[1]


def test_the_documents_are_listed_with_their_pages_and_corrections(app):
    number = new_petition(app, now())
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    step(app, number, STAFF, "accept", decision="accept")
    with app.app_context():
        first = db.session.scalar(select(PetitionDocument))
        first_id, first_number = first.id, first.number
    step(app, number, STAFF, "correct-document", document=first_number, text="更正办理期限。")
    html = html_of(english(app, STAFF).get(f"/cases/{number}"))
    documents = html.split('class="card petition-documents"')[1].split("</section>")[0]
    assert f'href="/cases/{number}/documents/{first_id}"' in documents
    assert f'href="/cases/{number}/documents/{first_id}.pdf"' in documents
    assert documents.count("Acceptance notice") == 2 and f"Corrects {first_number}" in documents
    assert "Corrected by " in documents


def test_the_history_is_in_words(app):
    number = new_petition(app, now())
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="assign")
    step(app, number, STAFF, "accept", decision="accept")
    step(app, number, "operator", "urge", note="请加快")
    html = html_of(english(app, "operator").get(f"/cases/{number}"))
    history = html.split('class="timeline"')[1]
    assert "Forwarded to the organ" in history and "Organ: Donghu District People" in history
    assert "Assign (交办)" in history and "Registered, to be forwarded → Forwarded, awaiting acceptance" in history
    assert "Tell acceptance by 20" in history and "Document 〔20" in history and "Urged 1 times" in history
    assert not re.search(r"[{}]|organ_id|'due'|deadlines", history)


def test_a_conflicts_reason_is_the_centres_to_know(app):
    number = new_petition(app, now())
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    with app.app_context():
        head = db.session.scalar(select(User).where(User.username == "dh-gov-head"))
        head_id, head_name = head.id, head.display_name
    step(app, number, "supervisor", "record-conflict", user_id=head_id, reason="其配偶为信访人")
    staff = html_of(signed_in(app, STAFF).get(f"/cases/{number}"))
    assert "其配偶为信访人" not in staff and head_name not in staff
    office = html_of(signed_in(app, "operator").get(f"/cases/{number}"))
    assert "其配偶为信访人" in office and head_name in office.split('class="card petition-recusals"')[1]


def test_a_work_order_offers_the_centres_intake_a_way_to_register_it_as_a_petition(app):
    number = register_case(app)
    link = f'href="/petitions/register?from={number}"'
    for username in ("operator", "dispatcher", "supervisor"):
        assert link in html_of(signed_in(app, username).get(f"/cases/{number}")), username
    assert link not in html_of(signed_in(app, "admin").get(f"/cases/{number}"))
    petition = new_petition(app, now())
    assert "/petitions/register?from=" not in html_of(signed_in(app, "operator").get(f"/cases/{petition}"))


def test_the_case_list_says_a_petitions_state_in_its_own_words(app):
    petition, work_order = new_petition(app, now()), register_case(app)
    html = html_of(english(app, "dispatcher").get("/cases/"))
    def row(number):
        return re.search(rf"{number}.*?</tr>", html, re.S).group(0)
    assert "Registered, to be forwarded" in row(petition) and "Awaiting dispatch" in row(work_order)


def test_a_work_order_linked_to_an_accusation_says_nothing_of_it_to_the_accused_unit(app):
    work_order = register_case(app)  # the unit answered it and it closed: linked, it stays the unit's own
    for username, action, fields in (
            ("dispatcher", "dispatch", {"lead_department_id": dept(app, "dh-cgj"), "co_department_ids": []}),
            ("dh-cgj-staff", "sign", {}), ("dh-cgj-staff", "reply", {"text": "系临时管理费。", "resolved": "yes"}),
            ("dispatcher", "review-reply", {"decision": "approve", "note": ""}),
            ("operator", "callback", {"satisfaction": "satisfied", "resolved": "yes", "note": ""})):
        step(app, work_order, username, action, **fields)
    accusation = new_petition(app, now(), kind=Kind.ACCUSATION, accused_department_ids=(dept(app, "dh-cgj"),))
    step(app, accusation, "operator", "link", case=work_order, note=f"{NAME}反映的是同一事项")
    unit = html_of(signed_in(app, "dh-cgj-staff").get(f"/cases/{work_order}"))
    assert 'class="ev-callback"' in unit and 'class="ev-linked"' not in unit
    assert accusation not in unit and NAME not in unit
    centre = html_of(signed_in(app, "operator").get(f"/cases/{work_order}"))
    assert f'href="/cases/{accusation}"' in centre.split('class="ev-linked"')[1]


def test_a_texted_document_link_is_cut_short_where_the_reader_may_not_read_the_document(app):
    """The link in a petitioner's SMS is their key to the document: a unit handling an accusation sees the
    message was sent, never the key; the centre sees it only while messages stay in the development outbox."""
    from datetime import timedelta

    from hotline.clock import now
    from hotline.domain.kinds import Kind
    from hotline.models import SmsMessage
    from tests.helpers import login
    from tests.integration.lifecycle_helpers import dept, step
    from tests.integration.petition_helpers import new_petition

    start = now() - timedelta(days=2)
    number = new_petition(app, start, kind=Kind.ACCUSATION)
    step(app, number, "dispatcher", "forward", start + timedelta(hours=1), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", start + timedelta(days=1), decision="accept")
    with app.app_context():
        from sqlalchemy import select

        from hotline.extensions import db
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.purpose == "petition_document"))
        token = body.rsplit("/petition-documents/", 1)[1].split("?")[0]
        db.session.execute(SmsMessage.__table__.update().values(transport="dev"))
        db.session.commit()
    organ = app.test_client()
    login(organ, "dh-gov-staff")
    assert token not in organ.get(f"/cases/{number}").get_data(as_text=True)
    centre = app.test_client()
    login(centre, "supervisor")
    assert token in centre.get(f"/cases/{number}").get_data(as_text=True)  # the development outbox: the demo
    with app.app_context():                                                # follows the link from here
        db.session.execute(SmsMessage.__table__.update().values(transport="twilio"))
        db.session.commit()
    page = centre.get(f"/cases/{number}").get_data(as_text=True)
    assert token not in page and "/petition-documents/…" in page
