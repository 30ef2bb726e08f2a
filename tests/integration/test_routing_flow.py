"""Routing in the flow, on screen: the case page says what the dispatch catalogue decided and why, the
timeline names the rule that dispatched, a suggestion fills the dispatcher's form (and says so), and the
dispatch queue names the rule behind a returned case."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.helpers import act
from tests.integration.test_screens_support import action_form, html_of, post_action, signed_in

STREET_VENDING = "商家在人行道上摆摊占道经营，行人只能走机动车道。"
NOISE = "工地每天夜里十一点以后还在施工，噪音很大，影响休息。"


def registered(app, category: str, area: str = "dh-xhj", description: str = NOISE, **fields) -> str:
    """An operator registers a call; the catalogue routes it as intake does for every case."""
    from hotline.clock import now
    from hotline.domain.kinds import Channel, Kind, Track
    from hotline.extensions import db
    from hotline.models import Area, Category
    from hotline.services import intake

    with app.test_request_context():
        new = intake.NewCase(
            track=Track.HOTLINE, kind=Kind(fields.pop("kind", "complaint")), channel=Channel.PHONE,
            description=description, location_text="东湖区西湖路 12 号", name="陈女士", phone="+8613900001111",
            category_id=db.session.scalar(select(Category.id).where(Category.code == category)),
            area_id=db.session.scalar(select(Area.id).where(Area.code == area)), **fields)
        return intake.register(db.session, new, intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")).number


def case_and_decision(app, number: str):
    from hotline.extensions import db
    from hotline.models import Case
    from hotline.services import routing

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        decision = routing.latest_decision(db.session, case.id)
        lead = case.lead_department.code if case.lead_department else None
        co = sorted(a.department.code for a in case.active_assignments if not a.lead)
        return case.state, lead, co, decision.outcome, decision.rule_name, decision.rule_position, decision.returned


def ids(app, *codes: str) -> list[str]:
    from tests.helpers import department_id

    return [str(department_id(app, c)) for c in codes]


def selected(form_html: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', form_html, re.S).group(1)
    return re.findall(r'<option[^>]*value="(\d+)"[^>]*selected', select_html) + \
        re.findall(r'<option selected[^>]*value="(\d+)"', select_html)


def routing_card(html: str) -> str:
    start = html.index('id="routing"')
    return html[start:html.index("</section>", start)]


def test_an_automatic_rule_dispatches_at_once_and_the_page_and_the_history_say_which_rule(app):
    number = registered(app, "city.street-vending", description=STREET_VENDING)
    state, lead, co, outcome, rule_name, position, _ = case_and_decision(app, number)
    assert (state, lead, co, outcome, rule_name) == ("dispatched", "dh-cgj", ["dh-xhj"], "dispatched", "占道经营")

    html = html_of(signed_in(app, "dispatcher").get(f"/cases/{number}"))
    card = routing_card(html)
    assert f"规则 {position}" in card and "占道经营" in card and "→ 东湖区城管执法局" in card
    assert "立即派单" in card and "目录第 1 版" in card
    dispatched = html[html.index('class="ev-dispatch"'):]
    dispatched = dispatched[:dispatched.index("</li>")]
    assert "派单目录" in dispatched and f"规则 {position}（目录第 1 版）" in dispatched
    assert "dispatch" not in {m for m in re.findall(r"/actions/([a-z-]+)", html)}  # nothing left to dispatch

    staff = html_of(signed_in(app, "dh-cgj-staff").get(f"/cases/{number}"))
    assert "占道经营" in routing_card(staff)  # the department sees why it got the case


def test_a_suggestion_fills_the_dispatch_form_and_says_so_and_the_dispatcher_sends_it(app):
    number = registered(app, "city.noise-construction")
    assert case_and_decision(app, number)[:4] == ("registered", None, [], "suggested")
    dispatcher = signed_in(app, "dispatcher")
    html = html_of(dispatcher.get(f"/cases/{number}"))
    form = action_form(html, number, "dispatch")
    assert selected(form, "dispatch-lead_department_id") == ids(app, "dh-cgj")
    assert selected(form, "dispatch-co_department_ids") == ids(app, "dh-zjj")
    assert "已按派单目录的建议预填" in form and "建筑施工噪声" in form
    assert "建议派单员" in routing_card(html)

    response = post_action(dispatcher, number, "dispatch", page=html, lead_department_id=ids(app, "dh-cgj")[0],
                           co_department_ids=ids(app, "dh-zjj"))
    assert response.status_code == 302
    assert case_and_decision(app, number)[:4] == ("dispatched", "dh-cgj", ["dh-zjj"], "suggested")


def test_a_form_sent_back_with_errors_keeps_what_the_dispatcher_chose_not_the_suggestion(app):
    number = registered(app, "city.noise-construction")
    dispatcher = signed_in(app, "dispatcher")
    response = post_action(dispatcher, number, "dispatch", lead_department_id=ids(app, "xs-cgj")[0],
                           co_department_ids=ids(app, "xs-cgj"))  # the lead again as co-handler: refused
    assert response.status_code == 422
    form = action_form(html_of(response), number, "dispatch")
    assert selected(form, "dispatch-lead_department_id") == ids(app, "xs-cgj")
    assert "已按派单目录的建议预填" not in form


def test_a_returned_case_shows_the_rule_that_sent_it_in_the_queue_and_is_not_prefilled_again(app):
    number = registered(app, "city.street-vending", description=STREET_VENDING)
    act(app, number, "dh-cgj-staff", "return", reason="该路段属于西山区，请改派")
    assert case_and_decision(app, number)[-1] is True  # counts against the rule
    position = case_and_decision(app, number)[5]
    queue = html_of(signed_in(app, "dispatcher").get("/cases/queue"))
    row = queue[queue.index(number):]
    row = row[:row.index("</tr>")]
    assert f"规则 {position} 派来" in row and "“占道经营”" in row and "该路段属于西山区" in row

    act(app, number, "dispatcher", "review-return", decision="uphold")
    html = html_of(signed_in(app, "dispatcher").get(f"/cases/{number}"))
    form = action_form(html, number, "dispatch")
    assert selected(form, "dispatch-lead_department_id") == [] and "派单目录选择的单位已退回此案件" in form
    assert "已退回：请检查该规则" in routing_card(html)


def test_the_queue_shows_what_the_catalogue_suggests_for_a_new_case(app):
    number = registered(app, "housing.house-leak")
    queue = html_of(signed_in(app, "dispatcher").get("/cases/queue"))
    row = queue[queue.index(number):]
    row = row[:row.index("</tr>")]
    assert "西湖街道" in row and "东湖区住建局" in row and "建议派单员" in row


def test_a_case_no_rule_matches_says_so_and_waits_for_the_dispatcher(app):
    from hotline.extensions import db
    from hotline.models import RoutingRule
    from hotline.services import routing

    with app.app_context():
        for rule in db.session.scalars(select(RoutingRule)):
            rule.active = False
        routing.save_version(db.session, None, "test: nothing routes")
        db.session.commit()
    number = registered(app, "utilities.power-outage")
    assert case_and_decision(app, number)[:4] == ("registered", None, [], "no_match")
    html = html_of(signed_in(app, "dispatcher").get(f"/cases/{number}"))
    assert "没有规则匹配" in routing_card(html) and "目录第 2 版" in routing_card(html)
    form = action_form(html, number, "dispatch")
    assert selected(form, "dispatch-lead_department_id") == []
    queue = html_of(signed_in(app, "dispatcher").get("/cases/queue"))
    assert "没有规则匹配" in queue[queue.index(number):]


def test_the_page_in_english(app):
    number = registered(app, "city.street-vending", description=STREET_VENDING)
    client = signed_in(app, "dispatcher")
    client.get("/language/en")
    html = html_of(client.get(f"/cases/{number}"))
    card = routing_card(html)
    assert "Dispatch catalogue" in card and "dispatched at once" in card and "Catalogue version 1" in card
    assert "Rule" in html[html.index('class="ev-dispatch"'):]
