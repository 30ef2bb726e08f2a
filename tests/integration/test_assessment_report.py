"""Each department's monthly assessment report: a printable page and a CSV with the month, the month before and
the city side by side, its score and rank, and the numbers of the cases to look at — never a person."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hotline.clock import now
from hotline.extensions import db
from hotline.models import AccessLog, AssessmentPolicy
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.test_assessment_support import M, due_of, rated, received, signed
from tests.integration.test_screens_support import html_of, signed_in


@pytest.fixture
def months(app):
    """dh-cgj: in May one satisfied case; in June one satisfied, one late and dissatisfied, one never answered.
    xs-cgj: one satisfied case in June. Ranked from one case, so both are ranked."""
    with app.app_context():
        db.session.add(AssessmentPolicy(settings={"min_cases": 1}, note="试行", created_at=now()))
        db.session.commit()
    return {
        "happy": rated(app, "dh-cgj", 2),
        "late": rated(app, "dh-cgj", 3, "dissatisfied", resolved=False, before_due=-timedelta(hours=3)),
        "idle": signed(app, "dh-cgj", 4),
        "west": rated(app, "xs-cgj", 2),
    }


def report_of(app, code: str, month: str = M):
    return signed_in(app, "supervisor").get(f"/supervise/assessment/departments/{dept(app, code)}?month={month}")


def test_the_report_shows_the_month_beside_the_city_with_its_rank_and_the_cases_to_look_at(app, months):
    response = report_of(app, "dh-cgj")
    assert response.status_code == 200
    html = html_of(response)
    assert 'href="/static/css/assessment.css"' in html  # its print rules with it
    assert re.search(r'data-count="received-this">3<', html) and re.search(r'data-count="overdue-this">2<', html)
    rank = re.search(r"data-rank>([^<]*)<", html).group(1)
    assert re.findall(r"\d+", rank) == ["2", "2"]  # second of two: xs-cgj answered its one case well
    overdue = html[html.index('data-missed="completed_on_time"'):html.index('data-missed="responded"')]
    assert months["late"] in overdue and months["idle"] in overdue and months["happy"] not in overdue
    dissatisfied = html[html.index('data-missed="dissatisfied"'):]
    assert months["late"] in dissatisfied[:dissatisfied.index("</div>")]
    assert "王小明" not in html and "5678" not in html


def test_the_month_before_is_beside_it(app, months):
    at = local(2026, 5, 12, 9)
    number = received(app, at)
    step(app, number, "dispatcher", "dispatch", at=at, lead_department_id=dept(app, "dh-cgj"), co_department_ids=[])
    step(app, number, "dh-cgj-staff", "sign", at=at + timedelta(minutes=5))
    step(app, number, "dh-cgj-staff", "reply", at=due_of(app, number) - timedelta(days=1), text="已处理",
         resolved="yes", contact="phone")
    html = html_of(report_of(app, "dh-cgj"))
    assert re.search(r'data-count="received-this">3<', html) and re.search(r'data-count="received-before">1<', html)
    assert re.search(r'data-count="received-city">4<', html)


def test_the_report_as_csv(app, months):
    client = signed_in(app, "supervisor")
    response = client.get(f"/supervise/assessment/departments/{dept(app, 'dh-cgj')}.csv?month={M}")
    assert response.status_code == 200 and response.get_data().startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][2] == M and len(rows[1]) == 4
    assert rows[2][1:] == ["3", "0", "4"]  # received: this month, the month before, the city
    numbers = " ".join(" ".join(r) for r in rows)
    assert months["late"] in numbers and months["idle"] in numbers
    assert "王小明" not in numbers and "13812345678" not in numbers
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog)
                                 .where(AccessLog.action == "assessment_export")) == 1


def test_a_department_without_cases_gets_an_empty_report(app, months):
    html = html_of(report_of(app, "nj-cgj"))
    assert re.search(r'data-count="received-this">0<', html) and re.search(r"data-rank>\s*—\s*<", html)


@pytest.mark.parametrize("path", ["/supervise/assessment/departments/999999?month=2026-06",
                                  "/supervise/assessment/departments/999999.csv?month=2026-06"])
def test_an_unknown_department_is_not_found(app, path):
    assert signed_in(app, "supervisor").get(path).status_code == 404


def test_a_month_that_cannot_be_is_not_found(app):
    client = signed_in(app, "supervisor")
    assert client.get(f"/supervise/assessment/departments/{dept(app, 'dh-cgj')}?month=2026-00").status_code == 404
