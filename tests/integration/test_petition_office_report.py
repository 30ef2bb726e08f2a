"""The annual report (Art. 41): its counts worked out by hand for a small office, and recomputed in plain Python from
the raw rows (the case histories) for the demo petitions; the year's edges in local time; the CSV."""
from __future__ import annotations

import csv
import io
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import AccusedDepartment, Case, Department, User
from hotline.seed import petitions as demo
from hotline.services import petition_report
from tests.integration.lifecycle_helpers import local
from tests.integration.petition_helpers import new_petition
from tests.integration.test_petition_office_support import Browsers, build_office

TZ = "Asia/Shanghai"


def _report(app, year: int, username: str = "supervisor") -> dict:
    """{department code (or "all"): (counts, kinds)} and the months, as plain values."""
    with app.app_context():
        actor = db.session.scalar(select(User).where(User.username == username)).actor
        r = petition_report.annual(db.session, actor, year, TZ)
        lines = {line.department.code: ({k: v for k, v in line.counts.items() if v}, dict(+line.kinds))
                 for line in r.lines}
        lines["all"] = ({k: v for k, v in r.totals.counts.items() if v}, dict(+r.totals.kinds))
        return {"lines": lines, "order": [line.department.code for line in r.lines], "received": r.received,
                "months": [sum(m.values()) for m in r.months], "kinds": dict(r.kinds)}


def test_a_small_offices_year_counted_by_hand(app):
    build_office(app)
    seen = _report(app, 2026)
    assert seen["received"] == 6 and seen["kinds"] == {"grievance": 5, "accusation": 1}
    assert seen["months"] == [0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 3, 0]  # June, August, September, three in November
    assert seen["lines"]["dh-zjj"] == (
        # forwarded: the extension, the one under review, the one in re-review; it accepted all three; the decision of
        # 10-20 came after its 60 days from 08-05 (10-04), the one of 07-01 within them (08-01); two went on to
        # review (neither changed), one to re-review; the extension is still awaiting its head
        {"forwarded": 3, "accepted": 3, "on_time": 1, "late": 1, "reviewed": 2, "re_reviewed": 1},
        {"grievance": 3})
    assert seen["lines"]["dh-gov"] == ({"forwarded": 2}, {"grievance": 1, "accusation": 1})
    assert seen["lines"]["dh-cgj"] == ({"accused": 1}, {})
    assert seen["order"][:2] == ["dh-zjj", "dh-gov"] and set(seen["order"]) == {"dh-zjj", "dh-gov", "dh-cgj"}
    assert seen["lines"]["all"][0] == {"forwarded": 5, "accused": 1, "accepted": 3, "on_time": 1, "late": 1,
                                       "reviewed": 2, "re_reviewed": 1}


def test_the_year_ends_at_local_midnight(app):
    late = new_petition(app, local(2025, 12, 31, 23, 30))
    early = new_petition(app, local(2026, 1, 1, 0, 10))
    assert late and early
    assert _report(app, 2025)["months"][11] == 1 and _report(app, 2025)["received"] == 1
    assert _report(app, 2026)["months"][0] == 1 and _report(app, 2026)["received"] == 1


def _recount(app, year: int) -> dict:
    """The report again, from the raw rows: each petition's own history read event by event."""
    zone = ZoneInfo(TZ)
    with app.app_context():
        codes = dict(db.session.execute(select(Department.id, Department.code)).tuples().all())
        counts: dict[str, Counter] = {}
        kinds: dict[str, Counter] = {}
        months = [0] * 12
        cases = [c for c in db.session.scalars(select(Case).where(Case.track == "petition"))
                 if c.received_at.astimezone(zone).year == year]
        for case in cases:
            months[case.received_at.astimezone(zone).month - 1] += 1
            organ = None
            for e in case.events:
                data = e.data or {}
                by = codes.get(e.department_id)
                if e.action == "forward":
                    organ = codes[data["organ"]]
                elif e.action == "accept":
                    counts.setdefault(by, Counter())["accepted" if e.to_state == "accepted" else "not_accepted"] += 1
                elif e.action == "decide":
                    counts.setdefault(by, Counter())["late" if data["late"] else "on_time"] += 1
                elif e.action == "decide-extension" and data["decision"] == "approve":
                    counts.setdefault(by, Counter())["extended"] += 1
            if organ is None:
                continue
            mine = counts.setdefault(organ, Counter())
            mine["forwarded"] += 1
            kinds.setdefault(organ, Counter())[case.kind] += 1
            mine["reviewed"] += sum(e.action == "request-review" for e in case.events)
            mine["re_reviewed"] += sum(e.action == "request-re-review" for e in case.events)
            mine["changed"] += sum(e.action == "decide-review" and e.data["outcome"] in ("change", "revoke")
                                   for e in case.events)
        ids = {c.id for c in cases}
        for row in db.session.scalars(select(AccusedDepartment)):
            if row.case_id in ids:
                counts.setdefault(codes[row.department_id], Counter())["accused"] += 1
        return {"lines": {code: ({k: v for k, v in c.items() if v}, dict(+kinds.get(code, Counter())))
                          for code, c in counts.items()},
                "months": months, "received": len(cases)}


def test_the_demo_years_report_matches_its_raw_rows(app):
    now = local(2026, 11, 28, 12)
    with app.app_context():
        tally = demo.seed_petitions(db.session, now, TZ)
    assert tally.petitions == len(demo.PLANS)
    seen, again = _report(app, 2026), _recount(app, 2026)
    lines = dict(seen["lines"])
    totals = lines.pop("all")
    assert lines == again["lines"]
    assert seen["months"] == again["months"] and seen["received"] == again["received"] == len(demo.PLANS)
    assert totals[0]["forwarded"] == sum(c.get("forwarded", 0) for c, _ in lines.values())
    # what the plans say: the district bureau accused four times, none of them handled by it
    assert lines["dh-cgj"][0]["accused"] == 4
    assert lines["xs-zjj"][0]["accused"] == 1 and lines["nj-scjgj"][0]["accused"] == 1
    assert totals[0]["changed"] == 2  # one review changed a decision, one revoked it
    # the most complained about first
    totals_in_order = [lines[code][0].get("forwarded", 0) + lines[code][0].get("accused", 0) for code in seen["order"]]
    assert totals_in_order == sorted(totals_in_order, reverse=True)


def test_the_page_and_its_csv(app):
    build_office(app)
    see = Browsers(app)
    status, html = see("dispatcher", "/petitions/report?year=2026")
    assert status == 200 and "东湖区住房和城乡建设局" in html and "<svg" in html
    response = see.response("dispatcher", "/petitions/report.csv?year=2026")
    body = response.data.decode("utf-8")
    assert response.mimetype == "text/csv" and body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    by_organ = {r[0]: r for r in rows if r}
    # organ, complaints, forwarded, the three kinds, then accused … re-reviewed
    assert by_organ["东湖区住房和城乡建设局"][:5] == ["东湖区住房和城乡建设局", "3", "3", "0", "0"]
    assert by_organ["2026-11"][1] == "3"
    for year in ("1999", "20x6", "3000"):
        assert see("dispatcher", f"/petitions/report?year={year}")[0] == 404
    with app.app_context():
        from hotline.models import AccessLog
        logged = db.session.scalars(select(AccessLog.detail).where(AccessLog.action == "petition_report_export"))
        assert list(logged) == ["2026"]
