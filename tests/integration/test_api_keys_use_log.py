"""A key's use log on /admin/api-keys/<id>: every use written with api_keys.log_use, newest first, in pages,
filtered by the answer's class (2xx/4xx/5xx), the case it made or read linked to the case page."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from hotline.clock import now
from hotline.domain import api_keys as rules
from hotline.extensions import db
from hotline.models import ApiKey, Case
from hotline.services import api_keys
from tests.helpers import login
from tests.integration.lifecycle_helpers import new_case


def key_with_uses(app, statuses: list[int], case_number: str | None = None) -> tuple[int, list]:
    """A key and its uses, one a minute back from now in the order given (the first is the newest)."""
    with app.app_context():
        key, _raw = api_keys.create(db.session, "citizen app", [rules.CREATE], by=None, at=now())
        case_id = db.session.scalar(select(Case.id).where(Case.number == case_number)) if case_number else None
        start = now()
        for n, status in enumerate(statuses):
            api_keys.log_use(db.session, key, at=start - timedelta(minutes=n), method="POST" if n % 2 else "GET",
                             path=f"/open311/v2/requests.json?n={n}", status=status, ip="203.0.113.7",
                             case_id=case_id if n == 0 else None)
        db.session.commit()
        return key.id, statuses


def shown(page: str) -> list[tuple[int, int]]:
    """(n, status) of each use on the page, in the page's order."""
    return [(int(n), int(status)) for status, n in
            re.findall(r'<tr data-use="\d+" data-status="(\d+)">.*?\?n=(\d+)', page, re.S)]


def test_the_use_log_lists_every_use_newest_first_with_its_case_linked(app, client):
    number = new_case(app)
    key_id, statuses = key_with_uses(app, [201, 403, 200, 429, 500], case_number=number)
    login(client, "admin")
    page = client.get(f"/admin/api-keys/{key_id}").get_data(as_text=True)
    assert shown(page) == list(enumerate(statuses))
    assert f'<a href="/cases/{number}">{number}</a>' in page
    assert "203.0.113.7" in page and "POST /open311/v2/requests.json?n=1" in page


def test_the_use_log_is_filtered_by_the_class_of_the_answer(app, client):
    key_id, statuses = key_with_uses(app, [201, 403, 200, 429, 500, 404])
    other_id, _ = key_with_uses(app, [400, 400])
    login(client, "admin")
    for status_class, wanted in (("2xx", {200, 201}), ("4xx", {403, 429, 404}), ("5xx", {500})):
        page = client.get(f"/admin/api-keys/{key_id}?status={status_class}").get_data(as_text=True)
        assert shown(page) == [(n, s) for n, s in enumerate(statuses) if s in wanted], status_class
    everything = client.get(f"/admin/api-keys/{key_id}?status=nonsense").get_data(as_text=True)
    assert len(shown(everything)) == len(statuses)  # an unknown filter shows every answer
    assert shown(client.get(f"/admin/api-keys/{other_id}?status=2xx").get_data(as_text=True)) == []


def test_a_long_use_log_comes_in_pages(app, client):
    key_id, statuses = key_with_uses(app, [200] * 57)
    login(client, "admin")
    first = client.get(f"/admin/api-keys/{key_id}").get_data(as_text=True)
    second = client.get(f"/admin/api-keys/{key_id}?page=2").get_data(as_text=True)
    assert [n for n, _s in shown(first)] == list(range(50))
    assert [n for n, _s in shown(second)] == list(range(50, 57))
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    beyond = client.get(f"/admin/api-keys/{key_id}?page=9").get_data(as_text=True)
    assert [n for n, _s in shown(beyond)] == list(range(50, 57))  # past the end: the last page


def test_the_service_pages_and_filters_the_log(app):
    key_id, _statuses = key_with_uses(app, [200, 404, 502, 201])
    with app.app_context():
        page = api_keys.uses(db.session, key_id, status_class="2xx", page=1, per_page=1)
        assert (page.total, page.pages, page.page) == (2, 2, 1)
        assert [use.status for use, _number in page.rows] == [200]
        page = api_keys.uses(db.session, key_id, status_class="2xx", page=2, per_page=1)
        assert [use.status for use, _number in page.rows] == [201]
        assert api_keys.uses(db.session, key_id, status_class="5xx").total == 1
        assert api_keys.uses(db.session, key_id + 1000).rows == []
        key = db.session.get(ApiKey, key_id)
        assert api_keys.use_counts(db.session, [key.id], since=now() - timedelta(minutes=2, seconds=30)) \
            == {key.id: 3}
