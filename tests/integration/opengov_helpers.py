"""A few months of cases with every outcome the figures distinguish, driven through the real services at past
moments; and an independent count of the figures from the raw rows, in plain Python, to check the rollup by."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from hotline.domain import kpis
from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.models import Area, Assignment, Case, Category, Department
from hotline.services import intake
from tests.integration.lifecycle_helpers import TZ, step

ZONE = ZoneInfo(TZ)
H = timedelta(hours=1)
D = timedelta(days=1)

# the people on the cases: no public page or download may ever show them
PEOPLE = [("王小明", "+8613812345678"), ("李秀英", "+8613987654321"), ("欧阳娜娜", "+8615011112222"),
          ("张伟", "+8618633334444")]


def ref(app, model, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.code == code))


def file_case(app, at: datetime, *, category="city.noise-construction", area="dh-xhj", kind=Kind.COMPLAINT,
              person=0, consent=False, confidential=False, description="西湖路工地夜间施工，噪音很大。") -> str:
    name, phone = PEOPLE[person % len(PEOPLE)]
    with app.test_request_context():
        new = intake.NewCase(track=Track.HOTLINE, kind=kind, channel=Channel.PHONE, description=description,
                             category_id=ref(app, Category, category), area_id=ref(app, Area, area), name=name,
                             phone=phone, confidential=confidential, publish_consent=consent, route=False)
        return intake.register(db.session, new, intake.Context(now=at, timezone=TZ, locale="zh")).number


def run(app, number: str, start: datetime, steps) -> str:
    """Each step (hours after `start`, user, action, fields), in order; returns the last state."""
    state = ""
    for hours, user, action, fields in steps:
        state = step(app, number, user, action, at=start + hours * H, **fields)
    return state


def dispatch(app, lead: str, *co: str) -> dict:
    return {"lead_department_id": ref(app, Department, lead),
            "co_department_ids": [ref(app, Department, c) for c in co]}


def answered(reply_hours: float, contact: str = "phone", staff: str = "cgw-staff", resolved=True):
    text = "已到现场核实并责令施工单位整改，夜间停止施工。"
    return [(reply_hours, staff, "reply", {"text": text, "resolved": resolved, "contact": contact}),
            (reply_hours + 2, "dispatcher", "review-reply", {"decision": "approve"})]


def rated(hours: float, satisfaction: str, resolved: bool):
    return [(hours, "operator", "callback", {"satisfaction": satisfaction, "resolved": resolved})]


def month_start(now: datetime, back: int) -> datetime:
    local = now.astimezone(ZONE)
    index = local.year * 12 + local.month - 1 - back
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=ZONE)


def build_history(app, now: datetime | None = None) -> dict[str, str]:
    """About fifteen cases over three months, named by what happened to them."""
    now = now or datetime.now(UTC)
    old = month_start(now, 2) + 2 * D + 10 * H  # the 3rd, 10:00: whatever the month, weeks of the past follow
    last = month_start(now, 1) + 2 * D + 10 * H
    recent = max(now - 2 * H, month_start(now, 0) + 5 * 60 * timedelta(seconds=1))
    cases: dict[str, str] = {}

    def case(label, at, steps=(), **filed):
        cases[label] = file_case(app, at, **filed)
        run(app, cases[label], at, steps)

    base = [(0.5, "dispatcher", "dispatch", dispatch(app, "cgw")), (1, "cgw-staff", "sign", {})]
    case("happy", old, base + answered(20) + rated(30, "satisfied", True), consent=True)
    case("basically", old + H, base + answered(26, "visit") + rated(40, "basically", True), area="xs-cpj",
         person=1)
    case("redone", old + 2 * H, base + answered(20, "none") + rated(30, "dissatisfied", False)
         + [(31, "dispatcher", "redo", {"note": "群众不满意"})] + answered(50, "sms")
         + rated(60, "satisfied", True), person=2)
    case("late", old + 3 * H, [(0.5, "dispatcher", "dispatch", dispatch(app, "zjw")),
                               (6 * 24, "zjw-staff", "sign", {})] + answered(20 * 24, "none", staff="zjw-staff"),
         category="housing.property-service", area="nj")
    case("overdue", old + 4 * H, base, category="housing.house-leak", area="nj-bjj", person=3)
    case("terminated", old + 5 * H, base + [(3, "supervisor", "terminate", {"note": "已进入诉讼程序"})])
    case("merged", old + 6 * H, [(1, "operator", "merge", {"into": cases["overdue"]})])
    case("direct", old + 7 * H, [(0.2, "operator", "answer-directly", {"note": "已告知办理地点"})],
         kind=Kind.CONSULT, area="xs-cpj")
    case("redispatched", old + 8 * H, [(0.5, "dispatcher", "dispatch", dispatch(app, "cgw")),
                                       (2, "cgw-staff", "return", {"reason": "不属于本单位职责"}),
                                       (3, "dispatcher", "review-return", {"decision": "uphold"}),
                                       (4, "dispatcher", "dispatch", dispatch(app, "jtw")),
                                       (5, "jtw-staff", "sign", {})] + answered(30, staff="jtw-staff"),
         category="transport.bus-route", area="bt-htj")
    case("cohandled", old + 9 * H, [(0.5, "dispatcher", "dispatch", dispatch(app, "cgw", "zjw")),
                                    (1, "cgw-staff", "sign", {}), (5 * 24, "zjw-staff", "sign", {})]
         + answered(6 * 24) + rated(7 * 24, "satisfied", False), consent=True, kind=Kind.SUGGESTION)
    case("extended", last, base + [(2, "cgw-staff", "request-extension", {"days": 5, "reason": "需协调多个部门"}),
                                   (3, "supervisor", "decide-extension", {"decision": "approve"})]
         + answered(8 * 24), area="bt-lyj")
    case("last-happy", last + H, base + answered(10, "phone") + rated(12, "satisfied", True), person=1,
         consent=True, description="我叫李秀英，电话13987654321，住东湖区湖滨路18号3单元502室，楼下夜市噪音扰民。")
    case("last-registered", last + 2 * H, category="transport.bus-route", area="nj")
    case("report", last + 3 * H, base + answered(10) + rated(12, "satisfied", True), kind=Kind.REPORT,
         consent=True, person=3)
    case("recent", recent, [(0.1, "dispatcher", "dispatch", dispatch(app, "cgw"))], confidential=True)
    return cases


# --- the independent count -----------------------------------------------------------------------------------

ANSWERED = ("replied", "closed", "terminated")
CONTACTED = ("phone", "visit", "sms")


def _local_month(moment: datetime):
    local = moment.astimezone(ZONE)
    return local.date().replace(day=1)


def expected_figures(app, now: datetime, policy: kpis.Policy | None = None) -> dict[tuple, kpis.Counts]:
    """{(month, dimension, key): Counts}, counted case by case from the rows, as DOMAIN.md §7 and
    hotline.domain.kpis.COUNTS define them."""
    policy = policy or kpis.Policy()
    excluded = {"merged", *({"terminated"} if policy.exclude_terminated else set())}
    totals: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    with app.app_context():
        categories = {c.id: c for c in db.session.scalars(select(Category))}
        areas = {a.id: a for a in db.session.scalars(select(Area))}
        assignments = defaultdict(list)
        for a in db.session.scalars(select(Assignment)):
            assignments[a.case_id].append(a)
        for c in db.session.scalars(select(Case)):
            if c.track != "hotline" or c.state in excluded:
                continue
            month = _local_month(c.received_at)
            category = categories.get(c.category_id)
            area = areas.get(c.area_id)
            keys = {"city": 0, "department": c.lead_department_id,
                    "category": (category.parent_id or category.id) if category else None,
                    "district": (area.parent_id or area.id) if area else None}
            answer = c.replied_at is not None and c.dispatch_count > 0 and c.state in ANSWERED
            rated_ = c.callback_satisfaction is not None
            flags = {
                "received": True, "closed": c.state == "closed",
                "completion_due": c.reply_due_at is not None and (answer or c.reply_due_at <= now),
                "completed_on_time": answer and c.reply_due_at is not None and c.replied_at <= c.reply_due_at,
                "replied": answer, "responded": answer and c.reply_contact in CONTACTED,
                "rated": rated_, "satisfied": c.callback_satisfaction == "satisfied",
                "basically": c.callback_satisfaction == "basically",
                "resolved": rated_ and c.callback_resolved is True, "redone": c.redo_count > 0,
            }
            hours = (c.replied_at - c.received_at).total_seconds() / 3600 if answer else 0.0
            for dimension, key in keys.items():
                if key is None:
                    continue
                row = totals[(month, dimension, key)]
                for name, flag in flags.items():
                    row[name] += int(bool(flag))
                row["handling_hours"] += hours
            for a in assignments[c.id]:
                due = a.sign_due_at is not None
                sign_due = due and (a.signed_at is not None or (a.active and a.sign_due_at <= now))
                on_time = due and a.signed_at is not None and a.signed_at <= a.sign_due_at
                for dimension, key in {**keys, "department": a.department_id}.items():
                    if key is None:
                        continue
                    row = totals[(month, dimension, key)]
                    row["sign_due"] += int(sign_due)
                    row["signed_on_time"] += int(on_time)
    return {place: kpis.Counts(**{name: (value if name == "handling_hours" else int(value))
                                  for name, value in row.items()}) for place, row in totals.items()}


def rolled_up(app) -> dict[tuple, kpis.Counts]:
    from hotline.models import MonthlyFigure
    from hotline.services.rollup import FIELDS

    with app.app_context():
        return {(r.month, r.dimension, r.key_id): kpis.Counts(**{f: getattr(r, f) for f in FIELDS})
                for r in db.session.scalars(select(MonthlyFigure))}
