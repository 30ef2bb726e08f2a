"""The supervision flags of June 2026, from cases driven through the real services: each flag names the
department and exactly the cases behind it, a department just under a rule is not flagged, what happened in May
stays in May, and the SQL counts what the domain's predicates say of each case."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from hotline.domain import flags as rules
from hotline.extensions import db
from hotline.models import Case
from hotline.services import flags
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.test_assessment_support import (
    MINUTE,
    MONTH,
    M,
    answered,
    due_of,
    listed_numbers,
    rated,
    received,
    signed,
)
from tests.integration.test_screens_support import html_of, signed_in

TZ = "Asia/Shanghai"


def extension(app, lead: str, number: str, at) -> None:
    step(app, number, f"{lead}-staff", "request-extension", at=at, days="3", reason="需协调多个单位现场核查")


def redone(app, lead: str, day: int, times: int) -> str:
    """Rated dissatisfied, then sent back `times` times, a day apart after the first deadline."""
    number = rated(app, lead, day, "dissatisfied", resolved=False)
    at = due_of(app, number) + timedelta(days=1)
    for n in range(times):
        step(app, number, "dispatcher", "redo", at=at, note="诉求人不满意，重办")
        if n + 1 < times:
            step(app, number, f"{lead}-staff", "reply", at=at + 60 * MINUTE, text="再次处理", resolved="yes",
                 contact="phone")
            step(app, number, "supervisor", "review-reply", at=at + 70 * MINUTE, decision="approve")
            step(app, number, "operator", "callback", at=at + 80 * MINUTE, satisfaction="dissatisfied",
                 resolved="no")
        at += timedelta(days=1)
    return number


def returned(app, lead: str, day: int, decision: str) -> str:
    at = local(2026, 6, day, 9)
    number = received(app, at)
    step(app, number, "dispatcher", "dispatch", at=at + MINUTE, lead_department_id=dept(app, lead),
         co_department_ids=[])
    step(app, number, f"{lead}-staff", "return", at=at + 60 * MINUTE, reason="不属于本单位职责")
    step(app, number, "dispatcher", "review-return", at=at + 120 * MINUTE, decision=decision,
         note="属于该单位职责，请办理" if decision == "refuse" else "")
    return number


@pytest.fixture
def june(app):
    c = {}
    # answered without contact: dh-cgj once in two answers; xs-cgj always phoned
    c["silent"] = answered(app, "dh-cgj", 2, contact="none")[0]
    c["phoned"] = answered(app, "dh-cgj", 3)[0]
    c["west_phoned"] = answered(app, "xs-cgj", 3)[0]
    # in the last hour: nj-cgj three of four answers; bt-cgj two of two (too few); a late answer is not rushed
    c["rushed"] = [answered(app, "nj-cgj", d, before_due=30 * MINUTE)[0] for d in (2, 3, 4)]
    c["calm"] = answered(app, "nj-cgj", 5, before_due=timedelta(days=2))[0]
    c["late"] = answered(app, "nj-cgj", 8, before_due=-30 * MINUTE)[0]
    c["bt_rushed"] = [answered(app, "bt-cgj", d, before_due=20 * MINUTE)[0] for d in (2, 3)]
    # extensions: xs-zjj on three cases it leads this month; dh-zjj on one
    c["extended"] = []
    for d in (2, 3, 4):
        number = signed(app, "xs-zjj", d)
        extension(app, "xs-zjj", number, local(2026, 6, d, 15))
        c["extended"].append(number)
    c["one_extension"] = signed(app, "dh-zjj", 2)
    extension(app, "dh-zjj", c["one_extension"], local(2026, 6, 2, 15))
    # asked twice for the same case: the request lapsed with a return the centre refused, then asked again
    number = signed(app, "nj-zjj", 2)
    extension(app, "nj-zjj", number, local(2026, 6, 2, 11))
    step(app, number, "nj-zjj-staff", "return", at=local(2026, 6, 2, 12), reason="非本单位职责")
    step(app, number, "dispatcher", "review-return", at=local(2026, 6, 2, 13), decision="refuse", note="属本单位")
    step(app, number, "nj-zjj-staff", "sign", at=local(2026, 6, 2, 14))
    extension(app, "nj-zjj", number, local(2026, 6, 2, 15))
    c["asked_twice"] = number
    # redone three times, and twice
    c["redone_thrice"] = redone(app, "bt-zjj", 2, 3)
    c["redone_twice"] = redone(app, "bt-zjj", 10, 2)
    # returns: bt-htj two of three refused; bt-lyj one of three
    c["refused"] = [returned(app, "bt-htj", d, "refuse") for d in (2, 3)]
    c["upheld"] = returned(app, "bt-htj", 4, "uphold")
    c["lyj"] = [returned(app, "bt-lyj", d, decision) for d, decision in ((2, "refuse"), (3, "uphold"), (4, "uphold"))]
    return c


def flagged(app) -> dict[str, dict[str, tuple]]:
    """kind → department code → (count, out_of)."""
    from hotline.models import Department

    with app.app_context():
        codes = dict(db.session.execute(select(Department.id, Department.code)).all())
        return {kind: {codes[f.department_id]: (f.count, f.out_of) for f in found}
                for kind, found in flags.raised(db.session, MONTH, TZ).items()}


def behind(app, kind: str, code: str) -> set[str]:
    with app.app_context():
        query = flags.cases_behind(db.session, kind, MONTH, TZ, dept(app, code))
        return set(db.session.scalars(query.with_only_columns(Case.number)))


def test_each_flag_names_the_department_and_the_cases_behind_it(app, june):
    found = flagged(app)
    assert found["no_contact"] == {"dh-cgj": (1, 2)}
    assert found["last_hour"] == {"nj-cgj": (3, 5)}
    assert found["extensions_many"] == {"xs-zjj": (3, 3)}
    assert found["extension_repeated"] == {"nj-zjj": (1, None)}
    assert found["redone"] == {"bt-zjj": (1, None)}
    assert found["returns_refused"] == {"bt-htj": (2, 3)}
    assert behind(app, "no_contact", "dh-cgj") == {june["silent"]}
    assert behind(app, "last_hour", "nj-cgj") == set(june["rushed"])
    assert behind(app, "extensions_many", "xs-zjj") == set(june["extended"])
    assert behind(app, "extension_repeated", "nj-zjj") == {june["asked_twice"]}
    assert behind(app, "redone", "bt-zjj") == {june["redone_thrice"]}
    assert behind(app, "returns_refused", "bt-htj") == set(june["refused"])


def test_the_departments_under_a_rule_are_counted_but_not_flagged(app, june):
    with app.app_context():
        tallies = {kind: {t.department_id: (t.count, t.out_of) for t in flags.tallies(db.session, kind, MONTH, TZ)}
                   for kind in rules.KINDS}
    assert tallies["last_hour"][dept(app, "bt-cgj")] == (2, 2)
    assert tallies["extensions_many"][dept(app, "dh-zjj")] == (1, 1)
    assert tallies["returns_refused"][dept(app, "bt-lyj")] == (1, 3)
    assert tallies["no_contact"][dept(app, "xs-cgj")] == (0, 1)
    assert dept(app, "bt-zjj") in tallies["redone"] and tallies["redone"][dept(app, "bt-zjj")] == (1, None)


def test_the_sql_counts_what_the_rules_say_of_each_case(app, june):
    """rules.without_contact and rules.in_last_hour over every answer of June, against the tallies."""
    from hotline.services.measures import month_bounds

    start, end = month_bounds(MONTH, TZ)
    with app.app_context():
        answers = db.session.execute(select(Case.lead_department_id, Case.replied_at, Case.reply_due_at,
                                            Case.reply_contact)
                                     .where(Case.replied_at >= start, Case.replied_at < end)).all()
        expected = {"no_contact": {}, "last_hour": {}}
        for d, replied_at, due_at, contact in answers:
            for kind, hit in (("no_contact", rules.without_contact(contact)),
                              ("last_hour", rules.in_last_hour(replied_at, due_at))):
                n, out_of = expected[kind].get(d, (0, 0))
                expected[kind][d] = (n + hit, out_of + (kind == "no_contact" or due_at is not None))
        for kind in expected:
            assert {t.department_id: (t.count, t.out_of) for t in flags.tallies(db.session, kind, MONTH, TZ)} \
                == expected[kind], kind


def answered_at(app, lead: str, received_at, replied_at) -> str:
    number = received(app, received_at)
    step(app, number, "dispatcher", "dispatch", at=received_at + MINUTE, lead_department_id=dept(app, lead),
         co_department_ids=[])
    step(app, number, f"{lead}-staff", "sign", at=received_at + 2 * MINUTE)
    step(app, number, f"{lead}-staff", "reply", at=replied_at, text="已处理", resolved="yes", contact="none")
    return number


def test_what_happened_in_may_stays_in_may(app):
    """Months are counted in local time: 00:30 on June 1 in Shanghai is still May 31 in UTC, and counts in June."""
    may = answered_at(app, "dh-cgj", local(2026, 5, 25, 10), local(2026, 5, 31, 23, 59))
    june = answered_at(app, "dh-cgj", local(2026, 5, 31, 22), local(2026, 6, 1, 0, 30))
    with app.app_context():
        in_june = flags.raised(db.session, MONTH, TZ)["no_contact"]
        in_may = flags.raised(db.session, MONTH.replace(month=5), TZ)["no_contact"]
    assert [(f.count, f.out_of) for f in in_june] == [(1, 1)] and [(f.count, f.out_of) for f in in_may] == [(1, 1)]
    assert behind(app, "no_contact", "dh-cgj") == {june}
    with app.app_context():
        query = flags.cases_behind(db.session, "no_contact", MONTH.replace(month=5), TZ, dept(app, "dh-cgj"))
        assert list(db.session.scalars(query.with_only_columns(Case.number))) == [may]


def test_the_flags_page_lists_each_flag_with_its_cases(app, june):
    client = signed_in(app, "supervisor")
    html = html_of(client.get(f"/supervise/assessment/flags?month={M}"))
    for kind, code in (("no_contact", "dh-cgj"), ("last_hour", "nj-cgj"), ("extensions_many", "xs-zjj"),
                       ("extension_repeated", "nj-zjj"), ("redone", "bt-zjj"), ("returns_refused", "bt-htj")):
        section = html[html.index(f'id="flag-{kind}"'):]
        section = section[:section.index("</section>")]
        assert f'data-department="{code}"' in section, kind
        assert len(re.findall(r"<tr data-department=", section)) == 1, kind
    section = html[html.index('id="flag-last_hour"'):]
    for number in june["rushed"]:
        assert number in section[:section.index("</section>")]
    page = html_of(client.get(f"/supervise/assessment/flags/returns_refused/{dept(app, 'bt-htj')}?month={M}"))
    assert set(listed_numbers(page)) == set(june["refused"])
    assert client.get(f"/supervise/assessment/flags/nothing/{dept(app, 'bt-htj')}?month={M}").status_code == 404


def test_the_department_report_carries_its_flags(app, june):
    page = html_of(signed_in(app, "supervisor").get(f"/supervise/assessment/departments/{dept(app, 'nj-cgj')}"
                                                     f"?month={M}"))
    assert 'data-flag="last_hour"' in page and 'data-flag="no_contact"' not in page
    assert june["late"] in page  # answered late: among the cases to look at
