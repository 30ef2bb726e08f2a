"""The department heads' daily digest (each morning, workers/schedule.py): for each head, how many of the
department's cases wait to be signed for, are due soon, are overdue, and are under 督办 — counted with the
inbox tabs' own conditions (services.cases), so the digest says what the inbox shows.

Once per head and local day: a second run the same day (a retry, a second clock) adds nothing.
"""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hotline.domain.roles import Role
from hotline.models import Department, Notification, User
from hotline.services import cases

COUNTS = ("pending", "due_soon", "overdue", "supervised")


def local_day_bounds(now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """The local day `now` falls in, as a UTC range [start, end)."""
    tz = ZoneInfo(timezone)
    day = now.astimezone(tz).date()
    start = datetime.combine(day, time.min, tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def send_digests(session: Session, now: datetime, timezone: str) -> int:
    """Writes today's digest for every active head who has none yet; returns how many were written."""
    # the heads' rows are locked while their digests are decided (PostgreSQL; SQLite writes one at a time):
    # two runs at once wait for each other instead of both writing
    heads = session.execute(select(User.id, User.department_id)
                            .where(User.role == Role.HEAD, User.active, User.department_id.is_not(None))
                            .order_by(User.id).with_for_update()).all()
    if not heads:
        session.commit()
        return 0
    start, end = local_day_bounds(now, timezone)
    done = set(session.scalars(select(Notification.user_id).where(
        Notification.kind == "digest", Notification.user_id.in_([h.id for h in heads]),
        Notification.created_at >= start, Notification.created_at < end)))
    waiting = [h for h in heads if h.id not in done]
    if not waiting:
        session.commit()
        return 0
    department_ids = {h.department_id for h in waiting}
    counts = cases.department_counts(session, COUNTS, now, department_ids)
    departments = {d.id: d for d in session.scalars(select(Department).where(Department.id.in_(department_ids)))}
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    rows = []
    for head in waiting:
        department = departments[head.department_id]
        rows.append({"user_id": head.id, "kind": "digest", "created_at": now, "data": {
            "day": day, "department_id": department.id, "department": department.short_name,
            "department_en": department.name_en,
            "counts": counts.get(department.id, dict.fromkeys(COUNTS, 0))}})
    session.execute(insert(Notification), rows)
    session.commit()
    return len(rows)
