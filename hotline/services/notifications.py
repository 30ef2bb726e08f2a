"""What people working in hotline are told: warnings and breaches (written by the sweep), 督办, and the heads'
daily digest. A notification is stored as data (kind, clock, case number, due time) and put into words when
it is read, in the reader's language and the hotline's time zone; each person reads and clears only their own.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, func, insert, select, update
from sqlalchemy.orm import Session

from hotline.clock import local
from hotline.domain.roles import Role
from hotline.models import Case, Notification, Recusal, User

PAGE_SIZE = 30
UNREAD_CAP = 99  # the bell says "99+" beyond this, so counting stops there


def _not_recused(user_id: int) -> ColumnElement[bool]:
    """Someone recused from a case (信访工作条例 Art. 28) no longer reads what they were told of it before."""
    return ~exists().where(Recusal.case_id == Notification.case_id, Recusal.user_id == user_id)


def unread_count(session: Session, user_id: int, cap: int = UNREAD_CAP) -> int:
    """One range of the (user_id, read_at, id) index, cut after cap + 1 rows: the bell costs the same for
    5 unread notices as for 50,000."""
    unread = (select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None),
                                            _not_recused(user_id))
              .limit(cap + 1).subquery())
    return session.scalar(select(func.count()).select_from(unread)) or 0


def page(session: Session, user_id: int, number: int = 1, per_page: int = PAGE_SIZE) -> tuple[list[Notification], bool]:
    """One page of the user's notifications, newest first, and whether there is a next page."""
    number = max(number, 1)
    rows = list(session.scalars(select(Notification).where(Notification.user_id == user_id, _not_recused(user_id))
                                .order_by(Notification.id.desc()).offset((number - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page


def mark_read(session: Session, user_id: int, notification_id: int, now: datetime) -> Notification | None:
    """None when there is no such notification for this user: another person's is never touched (nor confirmed)."""
    row = session.scalar(select(Notification).where(Notification.id == notification_id,
                                                    Notification.user_id == user_id, _not_recused(user_id)))
    if row is not None and row.read_at is None:
        row.read_at = now
        session.commit()
    return row


def mark_all_read(session: Session, user_id: int, now: datetime) -> int:
    result = session.execute(update(Notification)
                             .where(Notification.user_id == user_id, Notification.read_at.is_(None))
                             .values(read_at=now))
    session.commit()
    return result.rowcount or 0


def _free_of(case: Case) -> ColumnElement[bool]:
    """Not recused from the case: someone kept away from it is not told of it (Art. 28)."""
    return ~exists().where(Recusal.case_id == case.id, Recusal.user_id == User.id)


def tell_supervised(session: Session, case: Case, now: datetime) -> int:
    """督办: the lead department's staff and head learn that the case is supervised and by when they must answer.
    Called in the transaction of the step (hotline.services.effects), which commits it."""
    lead = next((a for a in case.active_assignments if a.lead), None)
    if lead is None or case.supervision_due_at is None:
        return 0
    users = session.scalars(select(User.id).where(User.department_id == lead.department_id, User.active,
                                                  User.role.in_([Role.STAFF, Role.HEAD]), _free_of(case))).all()
    data = {"number": case.number, "due": case.supervision_due_at.isoformat()}
    rows = [{"user_id": u, "case_id": case.id, "kind": "supervision", "clock": "supervision", "data": data,
             "created_at": now} for u in users]
    if rows:
        session.execute(insert(Notification), rows)
    return len(rows)


def tell_major_petition(session: Session, case: Case, now: datetime) -> int:
    """Art. 25: a major or urgent petition is reported to the centre's leaders (its supervisors) at once.
    Called in the registration's transaction."""
    users = session.scalars(select(User.id).where(User.active, User.role == Role.SUPERVISOR, _free_of(case))).all()
    data = {"number": case.number}
    rows = [{"user_id": u, "case_id": case.id, "kind": "major_petition", "clock": "", "data": data,
             "created_at": now} for u in users]
    if rows:
        session.execute(insert(Notification), rows)
    return len(rows)


# kind → clock → the words. "" is the clock's fallback for the kind.
def _warning(clock: str) -> str:
    return {
        "sign": _("Case %(number)s is due soon: sign for it by %(due)s."),
        "handle": _("Case %(number)s is due soon: reply by %(due)s."),
        "return": _("Case %(number)s: the time to return it to the centre ends at %(due)s."),
        "supervision": _("Case %(number)s is under supervision and due soon: answer by %(due)s."),
        "callback": _("Case %(number)s: call the person back by %(due)s."),
        "forward": _("Petition %(number)s is due soon: forward it by %(due)s."),
        "accept": _("Petition %(number)s is due soon: tell the petitioner whether it is accepted by %(due)s."),
        "object": _("Petition %(number)s: the time to object that it is not yours ends at %(due)s."),
        "decide": _("Petition %(number)s is due soon: issue the written decision by %(due)s."),
        "review": _("Petition %(number)s is due soon: issue the review decision by %(due)s."),
        "re_review": _("Petition %(number)s is due soon: issue the re-review decision by %(due)s."),
    }.get(clock, _("Case %(number)s is due soon: %(due)s."))


def _breach(clock: str) -> str:
    return {
        "sign": _("Case %(number)s is overdue: it was not signed for by %(due)s."),
        "handle": _("Case %(number)s is overdue: no reply by %(due)s."),
        "supervision": _("Case %(number)s is overdue under supervision: no answer by %(due)s."),
        "callback": _("Case %(number)s: the time to call the person back ended at %(due)s."),
        "forward": _("Petition %(number)s is overdue: it was not forwarded by %(due)s."),
        "accept": _("Petition %(number)s is overdue: the petitioner was not told of acceptance by %(due)s."),
        "decide": _("Petition %(number)s is overdue: no written decision by %(due)s."),
        "review": _("Petition %(number)s is overdue: no review decision by %(due)s."),
        "re_review": _("Petition %(number)s is overdue: no re-review decision by %(due)s."),
    }.get(clock, _("Case %(number)s is overdue since %(due)s."))


def text(row: Notification, timezone: str, locale: str = "zh") -> str:
    """The notification in words, in the current (the reader's) language; times in `timezone`."""
    data = row.data or {}
    due = ""
    if data.get("due"):
        due = local(datetime.fromisoformat(data["due"]), timezone).strftime("%Y-%m-%d %H:%M")
    number = data.get("number") or ""
    if row.kind == "warning":
        return _warning(row.clock) % {"number": number, "due": due}
    if row.kind == "breach":
        return _breach(row.clock) % {"number": number, "due": due}
    if row.kind == "supervision":
        return _("Case %(number)s has been put under supervision (督办): answer by %(due)s.") % {
            "number": number, "due": due}
    if row.kind == "major_petition":
        return _("Major or urgent petition %(number)s has been registered (Art. 25).") % {"number": number}
    if row.kind == "digest":
        counts = data.get("counts") or {}
        name = (data.get("department_en") if locale == "en" else None) or data.get("department") or ""
        return _("Daily summary for %(department)s: %(pending)d to sign for, %(due_soon)d due soon, "
                 "%(overdue)d overdue, %(supervised)d under supervision.",
                 department=name, pending=counts.get("pending", 0), due_soon=counts.get("due_soon", 0),
                 overdue=counts.get("overdue", 0), supervised=counts.get("supervised", 0))
    return row.body or row.kind


def case_number(row: Notification) -> str | None:
    return (row.data or {}).get("number")
