"""A petition's case page offers each person exactly the steps of the petition procedure they may take now, and each
step's form moves the case through handling.act — with the same refusals as a work order's page: 422 keeps what
was typed and says what is wrong, 409 says why not now, 403 and 404."""
from __future__ import annotations

import re

import pytest
import time_machine
from sqlalchemy import func, select

from hotline.clock import now
from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import Case, PetitionDocument, Recusal, User
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition
from tests.integration.test_screens_support import (
    action_form,
    event_count,
    html_of,
    offered,
    post_action,
    post_unoffered,
    register_case,
    signed_in,
    typed_value,
)

STAFF, HEAD = "dh-gov-staff", "dh-gov-head"
REVIEWER = "cgw-staff"  # the city commission reviews dh-gov's decisions in these tests


def english(app, username: str):
    """Signed in and reading English: the words asserted here do not change when the Chinese is edited."""
    client = signed_in(app, username)
    client.get("/language/en")
    return client


def _state(app, number: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Case.state).where(Case.number == number))


def _forwarded(app) -> str:
    number = new_petition(app, now())
    step(app, number, "dispatcher", "forward", organ_id=dept(app, "dh-gov"), forwarding="forward")
    return number


def _accepted(app) -> str:
    number = _forwarded(app)
    step(app, number, STAFF, "accept", decision="accept")
    return number


def _decided(app) -> str:
    number = _accepted(app)
    step(app, number, STAFF, "decide", outcome="explain", facts="已核实。", basis="条例第三十二条",
         text="予以解释说明。")
    return number


def _extension_asked(app) -> str:
    number = _accepted(app)
    step(app, number, STAFF, "request-extension", days=10, reason="需会同住建部门核实")
    return number


# what each person is offered, state by state (信访工作条例 as domain/petition.py's table has it); "—" = no page
OFFERED = {
    new_petition: {
        "operator": {"link", "withdraw"}, "dispatcher": {"forward", "refer", "link", "withdraw"},
        "supervisor": {"forward", "refer", "link", "withdraw", "record-conflict"}, "admin": set(), STAFF: "—",
    },
    _forwarded: {
        "operator": {"link", "withdraw", "urge"}, "dispatcher": {"link", "withdraw", "urge"},
        "supervisor": {"link", "withdraw", "urge", "record-conflict"},
        STAFF: {"object", "accept", "declare-conflict", "correct-document"},
        HEAD: {"object", "accept", "declare-conflict", "correct-document"}, "cgw-staff": "—",
    },
    _accepted: {
        "operator": {"link", "withdraw", "urge"},
        STAFF: {"request-extension", "decide", "declare-conflict", "correct-document"},
        HEAD: {"request-extension", "decide", "declare-conflict", "correct-document"},
    },
    _extension_asked: {
        STAFF: {"decide", "declare-conflict", "correct-document"},
        HEAD: {"decide-extension", "decide", "declare-conflict", "correct-document"},
    },
    _decided: {
        "operator": {"request-review", "link"}, "dispatcher": {"request-review", "link"},
        "supervisor": {"request-review", "link", "record-conflict"},  # closing waits for the window to lapse
        STAFF: {"declare-conflict", "correct-document"},
    },
}


@pytest.mark.parametrize("build", list(OFFERED), ids=lambda b: b.__name__.strip("_"))
def test_each_person_is_offered_exactly_the_petition_steps_they_may_take(app, build):
    number = build(app) if build is not new_petition else new_petition(app, now())
    for username, expected in OFFERED[build].items():
        response = signed_in(app, username).get(f"/cases/{number}")
        if expected == "—":
            assert response.status_code == 404, username
            continue
        html = html_of(response)
        assert offered(html, number) == expected, username
        assert "dispatch" not in offered(html, number)  # a work order's step, never a petition's


def test_a_grievance_walks_through_every_level_from_its_page(app):
    number = new_petition(app, now())
    organ, city = str(dept(app, "dh-gov")), str(dept(app, "cgw"))
    office = signed_in(app, "dispatcher")
    assert post_action(office, number, "forward", organ_id=organ, forwarding="assign", note="请核实").status_code == 302
    assert _state(app, number) == "forwarded"
    staff, head = signed_in(app, STAFF), signed_in(app, HEAD)
    assert post_action(staff, number, "accept", decision="accept", note="").status_code == 302
    assert post_action(staff, number, "request-extension", days="15", reason="需要现场核查").status_code == 302
    assert post_action(head, number, "decide-extension", decision="approve", note="").status_code == 302
    page = html_of(staff.get(f"/cases/{number}"))
    assert typed_value(action_form(page, number, "decide"), "decide-next_authority") == "江川市人民政府"
    assert post_action(staff, number, "decide", page=page, outcome="reject", facts="经查，补偿已足额发放。",
                       basis="《国有土地上房屋征收与补偿条例》第二十五条", text="不予支持。",
                       next_authority="江川市人民政府").status_code == 302
    assert _state(app, number) == "decided"

    operator = signed_in(app, "operator")
    assert post_action(operator, number, "request-review", organ_id=city, note="请求复查").status_code == 302
    reviewer = signed_in(app, REVIEWER)
    assert post_action(reviewer, number, "decide-review", outcome="uphold", facts="原认定事实清楚。",
                       basis="条例第三十五条", text="维持原处理意见。", next_authority="").status_code == 302
    assert _state(app, number) == "reviewed"
    assert post_action(operator, number, "request-re-review", organ_id=str(dept(app, "zjw")),
                       note="请求复核").status_code == 302
    organ3 = signed_in(app, "zjw-staff")
    assert post_action(organ3, number, "start-hearing", note="召开听证会").status_code == 302
    assert offered(html_of(organ3.get(f"/cases/{number}")), number) >= {"end-hearing"}
    assert post_action(organ3, number, "end-hearing", note="").status_code == 302
    assert post_action(organ3, number, "decide-re-review", outcome="uphold", facts="经听证，事实清楚。",
                       basis="条例第三十六条", text="维持复查意见。").status_code == 302
    assert _state(app, number) == "closed"

    html = html_of(office.get(f"/cases/{number}"))
    kinds = re.findall(r'class="document document-([a-z_]+)"', html)
    assert kinds == ["acceptance", "extension", "decision", "review_decision", "re_review_decision"]
    assert re.findall(r'data-status="([a-z_]+)"', html) == ["met", "met", "closed", "met", "used", "met", "used", "met"]


def test_the_office_refers_a_matter_to_its_legal_route(app):
    number = new_petition(app, now())
    office = signed_in(app, "dispatcher")
    response = post_action(office, number, "refer", legal_route="litigation", note="请向东湖区人民法院起诉。")
    assert response.status_code == 302 and _state(app, number) == "not_accepted"
    html = html_of(office.get(f"/cases/{number}"))
    assert 'class="document document-referral"' in html and "请向东湖区人民法院起诉。" in html


@pytest.mark.parametrize("decision, after", [("uphold", "registered"), ("refuse", "forwarded")])
def test_an_organ_objects_and_the_office_decides(app, decision, after):
    number = _forwarded(app)
    response = post_action(signed_in(app, STAFF), number, "object", reason="属住建部门职责")
    assert response.status_code == 302 and _state(app, number) == "objected"
    office = signed_in(app, "dispatcher")
    assert "属住建部门职责" in action_form(html_of(office.get(f"/cases/{number}")), number, "decide-objection")
    response = post_action(office, number, "decide-objection", decision=decision, note="" if decision == "uphold"
                           else "仍属区政府职责")
    assert response.status_code == 302 and _state(app, number) == after


def test_withdraw_urge_and_link_from_the_page(app):
    number, hotline_case = _forwarded(app), register_case(app, description="拆迁补偿款未发放")
    operator = signed_in(app, "operator")
    assert post_action(operator, number, "urge", note="请加快办理").status_code == 302
    assert post_action(operator, number, "link", case=hotline_case.lower(), note="同一事项").status_code == 302
    html = html_of(operator.get(f"/cases/{number}"))
    assert f'href="/cases/{hotline_case}"' in html.split('class="card petition-linked"')[1]
    other = html_of(operator.get(f"/cases/{hotline_case}"))
    assert 'state state-merged' in other and f'href="/cases/{number}"' in other
    assert post_action(operator, number, "withdraw", note="信访人已与单位和解").status_code == 302
    assert _state(app, number) == "closed"


def test_conflicts_of_interest_are_declared_and_recorded_from_the_page(app):
    number = _forwarded(app)
    staff = signed_in(app, STAFF)
    response = post_action(staff, number, "declare-conflict", reason="申请人系本人亲属")
    assert response.status_code == 302 and f"/cases/{number}" not in response.headers["Location"]
    assert staff.get(f"/cases/{number}").status_code == 404  # kept away from it now (Art. 28)
    with app.app_context():
        head_id = str(db.session.scalar(select(User.id).where(User.username == HEAD)))
    supervisor = signed_in(app, "supervisor")
    assert post_action(supervisor, number, "record-conflict", user_id=head_id, reason="曾参与原处理").status_code == 302
    html = html_of(supervisor.get(f"/cases/{number}"))
    recusals = html.split('class="card petition-recusals"')[1]
    assert "申请人系本人亲属" in recusals and "曾参与原处理" in recusals
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Recusal)) == 2


def test_an_organ_corrects_its_document_with_a_new_one(app):
    number = _accepted(app)
    staff = english(app, STAFF)
    page = html_of(staff.get(f"/cases/{number}"))
    with app.app_context():
        first = db.session.scalar(select(PetitionDocument.number))
    assert first in action_form(page, number, "correct-document")
    response = post_action(staff, number, "correct-document", page=page, document=first, text="办理期限更正。")
    assert response.status_code == 302
    html = html_of(staff.get(f"/cases/{number}"))
    assert html.count('class="document document-acceptance"') == 2 and "Corrects " + first in html


def test_the_supervisor_closes_a_decision_once_the_review_window_lapsed(app):
    with time_machine.travel(local(2026, 1, 5, 10), tick=False) as moment:
        number = _decided(app)
        moment.move_to(local(2026, 2, 20, 10))
        supervisor = signed_in(app, "supervisor")
        assert "close" in offered(html_of(supervisor.get(f"/cases/{number}")), number)
        assert post_action(supervisor, number, "close", note="复查期限届满").status_code == 302
        assert _state(app, number) == "closed"


def test_what_was_typed_stays_and_each_problem_is_said_in_words(app):
    number = _accepted(app)
    staff = english(app, STAFF)
    before = event_count(app, number)
    response = post_action(staff, number, "decide", outcome="", facts="经查，补偿款已发放。", basis="", text="",
                           next_authority="市政府")
    assert response.status_code == 422
    html = html_of(response)
    form = action_form(html, number, "decide")
    assert typed_value(form, "decide-facts") == "经查，补偿款已发放。"
    assert 'value="市政府"' in form
    for words in ("Choose the outcome.", "Name the legal basis.", "Write the opinion."):
        assert words in form
    assert 'id="action-decide" open' in html and event_count(app, number) == before

    response = post_action(staff, number, "request-extension", days="45", reason="复杂")
    assert response.status_code == 422 and "Between 1 and 30 days." in html_of(response)
    response = post_action(english(app, "operator"), number, "link", case="12345-20200101-999999", note="")
    assert response.status_code == 422 and "There is no 12345 case with this number" in html_of(response)
    assert event_count(app, number) == before


def test_too_late_says_why_and_keeps_the_text(app):
    number = _forwarded(app)
    staff = english(app, STAFF)
    page = html_of(staff.get(f"/cases/{number}"))
    step(app, number, STAFF, "accept", decision="accept")  # meanwhile, another clerk accepted it
    response = post_action(staff, number, "object", page=page, reason="不属本机关职责")
    assert response.status_code == 409
    html = html_of(response)
    assert "This case was just decided on for acceptance by" in html
    assert "What you typed (not saved):" in html and "不属本机关职责" in html


def test_a_review_asked_after_its_30_days_is_refused_in_words(app):
    with time_machine.travel(local(2026, 1, 5, 10), tick=False) as moment:
        number = _decided(app)
        moment.move_to(local(2026, 2, 20, 10))
        operator = english(app, "operator")
        page = html_of(operator.get(f"/cases/{number}"))
        assert "request-review" not in offered(page, number)
        response = post_unoffered(operator, number, "request-review", page, organ_id=str(dept(app, "cgw")),
                                  note="请求复查")
        assert response.status_code == 409
        assert "the 30 days to ask for review after the written decision have passed" in html_of(response)


def test_refusals_answer_404_and_403(app):
    number = new_petition(app, now())
    dispatcher = signed_in(app, "dispatcher")
    page = html_of(dispatcher.get(f"/cases/{number}"))
    for name in ("dispatch", "sign", "reply", "review-reply", "register", "no-such-step"):
        assert post_unoffered(dispatcher, number, name, page).status_code == 404, name
    work_order = register_case(app)
    other = html_of(dispatcher.get(f"/cases/{work_order}"))
    assert post_unoffered(dispatcher, work_order, "forward", other).status_code == 404
    operator = signed_in(app, "operator")
    page = html_of(operator.get(f"/cases/{number}"))
    assert post_unoffered(operator, number, "forward", page, organ_id=str(dept(app, "dh-gov")),
                          forwarding="forward").status_code == 403
    assert _state(app, number) == "registered"


def test_the_accused_unit_gets_no_page_and_no_step(app):
    accused = dept(app, "dh-cgj")
    number = new_petition(app, now(), kind=Kind.ACCUSATION, accused_department_ids=(accused,))
    office = signed_in(app, "dispatcher")
    page = html_of(office.get(f"/cases/{number}"))
    assert f'value="{accused}"' not in action_form(page, number, "forward")  # never offered as the organ
    clerk = signed_in(app, "dh-cgj-staff")
    assert clerk.get(f"/cases/{number}").status_code == 404
    inbox = html_of(clerk.get("/dept/inbox"))  # a page of their own, for the CSRF token
    assert post_unoffered(clerk, number, "object", inbox, reason="x").status_code == 404
