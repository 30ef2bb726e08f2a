"""The assessment page a supervisor reads: the month's measures per department and for the city, every number a
link to exactly the cases behind it, the definitions beside the figures, the red and black lists; the CSV of the
table; wrong months and numbers no cases are behind."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import AccessLog
from tests.integration.test_assessment_support import M, answered, cell_numbers, links_of, listed_numbers, rated, signed
from tests.integration.test_screens_support import html_of, signed_in


@pytest.fixture
def june(app):
    """dh-cgj: one case answered on time (satisfied), one late (dissatisfied, unresolved), one basically satisfied
    after a visit. xs-cgj: one answered without contact, one signed but never answered, one signed two days late."""
    return {
        "happy": rated(app, "dh-cgj", 2),
        "late": rated(app, "dh-cgj", 3, "dissatisfied", resolved=False, before_due=-timedelta(hours=2)),
        "basic": rated(app, "dh-cgj", 4, "basically", contact="visit"),
        "silent": answered(app, "xs-cgj", 4, contact="none")[0],
        "idle": signed(app, "xs-cgj", 5),
        "slow": signed(app, "xs-cgj", 8, sign_after=timedelta(days=2)),
    }


def listed(client, href: str) -> list[str]:
    response = client.get(href)
    assert response.status_code == 200, href
    html = html_of(response)
    numbers = listed_numbers(html)
    assert int(re.search(r'data-total="(\d+)"', html).group(1)) == len(numbers), href
    return numbers


def test_each_department_is_counted_and_every_number_lists_exactly_its_cases(app, june):
    client = signed_in(app, "supervisor")
    html = html_of(client.get(f"/supervise/assessment?month={M}"))
    east, west, city = cell_numbers(html, "dh-cgj"), cell_numbers(html, "xs-cgj"), cell_numbers(html, "")
    assert {k: east[k] for k in ("received", "closed", "signed_on_time", "sign_due", "completed_on_time",
                                 "completion_due", "completed_on_time-missed", "responded", "replied", "resolved",
                                 "rated", "satisfied", "basically", "dissatisfied")} == {
        "received": 3, "closed": 2, "signed_on_time": 3, "sign_due": 3, "completed_on_time": 2, "completion_due": 3,
        "completed_on_time-missed": 1, "responded": 3, "replied": 3, "resolved": 2, "rated": 3, "satisfied": 1,
        "basically": 1, "dissatisfied": 1}
    assert west["received"] == 3 and west["responded-missed"] == 1 and west["signed_on_time-missed"] == 1
    assert city["received"] == 6 and city["completed_on_time-missed"] == 3  # late, idle, and slow's deadline passed
    # every number on the page is a link to as many cases as it says (one per dispatch here: each was dispatched once)
    for code, numbers in (("dh-cgj", east), ("xs-cgj", west), ("", city)):
        for measure, href in links_of(html, code).items():
            assert len(listed(client, href)) == numbers[measure], (code, measure)
    links = links_of(html, "dh-cgj")
    assert listed(client, links["completed_on_time-missed"]) == [june["late"]]
    assert listed(client, links["dissatisfied"]) == [june["late"]]
    assert listed(client, links["received"]) == [june["basic"], june["late"], june["happy"]]  # newest first
    west_links = links_of(html, "xs-cgj")
    assert listed(client, west_links["responded-missed"]) == [june["silent"]]
    assert listed(client, west_links["signed_on_time-missed"]) == [june["slow"]]
    assert set(listed(client, links_of(html, "")["completed_on_time-missed"])) == {june["late"], june["idle"],
                                                                                   june["slow"]}


def test_the_definitions_and_the_formula_are_next_to_the_figures(app, june):
    html = html_of(signed_in(app, "supervisor").get(f"/supervise/assessment?month={M}"))
    figures, definitions = html.index('id="figures"'), html.index('id="definitions"')
    assert figures < definitions
    for anchor in ("received", "closed", "on_time_sign", "on_time_completion", "response", "resolution",
                   "satisfaction", "overdue", "score", "handling_hours"):
        assert f'href="#def-{anchor}"' in html[figures:definitions] and f'id="def-{anchor}"' in html[definitions:]
    assert "× " in html[html.index('id="def-score"'):]  # the weights, as the formula uses them


def test_the_red_and_black_lists_follow_the_policy_in_force(app, june):
    from hotline.models import AssessmentPolicy

    html = html_of(signed_in(app, "supervisor").get(f"/supervise/assessment?month={M}"))
    assert 'class="rank"' not in html  # nobody has 10 cases: nobody is ranked
    with app.app_context():
        db.session.add(AssessmentPolicy(settings={"min_cases": 1, "list_size": 1}, note="试点",
                                        created_at=now()))
        db.session.commit()
    html = html_of(signed_in(app, "supervisor").get(f"/supervise/assessment?month={M}"))
    red = html[html.index('id="list-red"'):html.index('id="list-black"')]
    black = html[html.index('id="list-black"'):html.index('id="figures"')]
    # dh-cgj answers everyone after contact and most on time; xs-cgj answered one of three, without contact
    assert 'data-department="dh-cgj"' in red and 'data-department="xs-cgj"' in black
    assert html.index('<tr data-department="dh-cgj"') < html.index('<tr data-department="xs-cgj"')


def test_the_csv_holds_the_table_and_no_personal_data(app, june):
    client = signed_in(app, "supervisor")
    response = client.get(f"/supervise/assessment/export.csv?month={M}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    by_code = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert set(by_code) == {"dh-cgj", "xs-cgj", ""}
    page = cell_numbers(html_of(client.get(f"/supervise/assessment?month={M}")), "dh-cgj")
    assert int(by_code["dh-cgj"][head[2]]) == page["received"] == 3
    assert "王小明" not in text and "13812345678" not in text and "5678" not in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)
                                 .where(AccessLog.action == "assessment_export")) == 1


@pytest.mark.parametrize("month, status", [("2026-13", 422), ("June", 422), ("2999-01", 422), ("1999-12", 422),
                                           ("", 200), ("2026-06", 200)])
def test_a_month_that_cannot_be_is_said_next_to_the_field(app, month, status):
    response = signed_in(app, "supervisor").get(f"/supervise/assessment?month={month}")
    assert response.status_code == status
    html = html_of(response)
    if status == 422:
        assert 'id="month-msg"' in html and 'aria-invalid="true"' in html
        assert f'value="{month}"' in html  # what was typed stays


@pytest.mark.parametrize("query", ["measure=handling_hours", "measure=nothing", "measure=received&missed=1",
                                   "measure=dissatisfied&missed=1", "measure=received&department=999999",
                                   "measure=received&month=2026-13"])
def test_a_number_no_cases_are_behind_is_not_found(app, query):
    if "month=" not in query:
        query += f"&month={M}"
    assert signed_in(app, "supervisor").get(f"/supervise/assessment/cases?{query}").status_code == 404


def test_every_count_and_rate_has_its_words(app):
    from hotline.domain import flags, kpis
    from hotline.services.measures import DENOMINATOR
    from hotline.web.supervise import assessment_labels as words

    counted = set(kpis.COUNTS) - {"handling_hours"}
    assert counted <= set(words.MEASURE) and set(kpis.COUNTS) <= set(words.DEFINITION)
    assert set(words.RATE) == set(words.RATE_SHORT) == set(words.PARTS) == set(kpis.RATES)
    assert set(DENOMINATOR) == set(words.MISSED) and set(flags.KINDS) == set(words.FLAG)
    with app.test_request_context():
        assert all(words.flag_rule(kind) for kind in flags.KINDS)
