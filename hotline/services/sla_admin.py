"""Keeping the SLA policies (DOMAIN.md §2–§3: limits are configurable defaults, editable by an administrator).

A policy is one clock's limit for a track × kind × urgency ("" = any), with its warning thresholds. The rules
for a change, beyond the database's own:
- the limit is a whole number from 1 up (at most MAX_AMOUNT) in one of deadlines.Unit;
- the warning at a share of the time is 1–99 %, or none; the warning at "this much left" names an amount and
  a unit together, or neither, and is shorter than the limit (compared on a nominal scale: a working day
  as a day, a working hour as an hour);
- a kind must be a kind of the track; one policy per track × kind × urgency × clock;
- the track-wide row ("any kind", "any urgency") of every clock is what every other case falls back to: it
  can be edited but never deleted or narrowed.

Each change records who and when on the row (updated_by_id, updated_at) and in the access log, in the same
transaction. A change never moves a deadline already stamped on a case: the next dispatch, extension,
review or redo stamps with the new limits (hotline.services.sla notices the change), and an open case gets
them only through an explicit recompute (services.recompute).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain.actions import whole_number
from hotline.domain.deadlines import Unit
from hotline.domain.errors import Conflict, InvalidFields, NotFound
from hotline.domain.kinds import KINDS_BY_TRACK, Track, Urgency
from hotline.domain.sla import CLOCKS_BY_TRACK, Clock
from hotline.models import AccessLog, SlaPolicy, User
from hotline.services import audit

MAX_AMOUNT = 10000
NOMINAL_MINUTES = {Unit.MINUTES: 1, Unit.HOURS: 60, Unit.WORKING_HOURS: 60, Unit.WORKING_DAYS: 1440,
                   Unit.CALENDAR_DAYS: 1440}
SCOPE = ("track", "kind", "urgency", "clock")


@dataclass(frozen=True)
class Spec:
    track: str
    kind: str
    urgency: str
    clock: str
    amount: int
    unit: str
    warn_percent: int | None
    warn_left_amount: int | None
    warn_left_unit: str | None

    def scope(self) -> tuple[str, str, str, str]:
        return self.track, self.kind, self.urgency, self.clock


def is_default(row: SlaPolicy) -> bool:
    """The track-wide policy of a clock, which every other case of the track falls back to."""
    return not row.kind and not row.urgency


def listing(session: Session) -> list[tuple[SlaPolicy, User | None]]:
    """Every policy by track and clock, the track-wide row first, then kind, then urgency."""
    clock_order = {c.value: n for n, c in enumerate(Clock)}
    track_order = {t.value: n for n, t in enumerate(Track)}
    urgency_order = {u.value: n for n, u in enumerate(Urgency)}
    rows = session.execute(select(SlaPolicy, User).outerjoin(User, User.id == SlaPolicy.updated_by_id)).tuples().all()
    return sorted(rows, key=lambda r: (track_order.get(r[0].track, 9), clock_order.get(r[0].clock, 9),
                                       r[0].kind, urgency_order.get(r[0].urgency, -1) if r[0].urgency else -1))


def get(session: Session, policy_id: int) -> SlaPolicy:
    row = session.get(SlaPolicy, policy_id)
    if row is None:
        raise NotFound("policy")
    return row


def stamp(row: SlaPolicy) -> str:
    """What the edit form carries, to notice a change made by someone else meanwhile."""
    return row.updated_at.isoformat() if row.updated_at else ""


def spec_of(row: SlaPolicy) -> dict:
    return {"track": row.track, "kind": row.kind, "urgency": row.urgency, "clock": row.clock,
            "amount": row.amount, "unit": row.unit, "warn_percent": row.warn_percent,
            "warn_left_amount": row.warn_left_amount, "warn_left_unit": row.warn_left_unit}


def _code(raw: dict, name: str) -> str:
    value = raw.get(name)
    return value.strip() if isinstance(value, str) else ""


def clean(raw: dict) -> Spec:
    """The fields as a Spec, or InvalidFields naming every problem of the fields themselves."""
    errors: dict[str, str] = {}
    track, kind, urgency, clock = (_code(raw, n) for n in SCOPE)
    unit, left_unit = _code(raw, "unit"), _code(raw, "warn_left_unit") or None
    if track not in {t.value for t in Track}:
        errors["track"] = "required" if not track else "invalid_choice"
    elif kind and kind not in {k.value for k in KINDS_BY_TRACK[Track(track)]}:
        errors["kind"] = "kind_not_in_track"
    if urgency and urgency not in {u.value for u in Urgency}:
        errors["urgency"] = "invalid_choice"
    if clock not in {c.value for c in Clock}:
        errors["clock"] = "required" if not clock else "invalid_choice"
    elif track in {t.value for t in Track} and clock not in {c.value for c in CLOCKS_BY_TRACK[Track(track)]}:
        errors["clock"] = "clock_not_in_track"  # a petition has no callback; a work order no re-review
    amount = whole_number(raw, "amount", errors, 1, MAX_AMOUNT, required=True)
    if unit not in {u.value for u in Unit}:
        errors["unit"] = "required" if not unit else "invalid_choice"
    percent = whole_number(raw, "warn_percent", errors, 1, 99, required=False)
    left = whole_number(raw, "warn_left_amount", errors, 1, MAX_AMOUNT, required=False)
    if left_unit is not None and left_unit not in {u.value for u in Unit}:
        errors["warn_left_unit"] = "invalid_choice"
    elif (left is None) != (left_unit is None) and "warn_left_amount" not in errors:
        errors["warn_left_amount" if left is None else "warn_left_unit"] = "incomplete"
    elif left is not None and amount is not None and "unit" not in errors and \
            left * NOMINAL_MINUTES[Unit(left_unit)] >= amount * NOMINAL_MINUTES[Unit(unit)]:
        errors["warn_left_amount"] = "not_smaller"
    if errors:
        raise InvalidFields("fields", errors)
    return Spec(track, kind, urgency, clock, amount, unit, percent, left, left_unit if left else None)


def _taken(session: Session, spec: Spec, other_than: int | None) -> bool:
    query = select(SlaPolicy.id).where(SlaPolicy.track == spec.track, SlaPolicy.kind == spec.kind,
                                       SlaPolicy.urgency == spec.urgency, SlaPolicy.clock == spec.clock)
    if other_than is not None:
        query = query.where(SlaPolicy.id != other_than)
    return session.scalar(query.limit(1)) is not None


def describe(row: SlaPolicy | Spec) -> str:
    """One line for the access log: scope, limit and warnings, in codes."""
    warn = []
    if row.warn_percent:
        warn.append(f"{row.warn_percent}%")
    if row.warn_left_amount:
        warn.append(f"{row.warn_left_amount} {row.warn_left_unit} left")
    return (f"{row.track}/{row.kind or '*'}/{row.urgency or '*'}/{row.clock}: {row.amount} {row.unit}"
            f"{'; warn ' + ', '.join(warn) if warn else ''}")


def _fill(row: SlaPolicy, spec: Spec, user: User, now: datetime) -> None:
    row.track, row.kind, row.urgency, row.clock = spec.scope()
    row.amount, row.unit, row.warn_percent = spec.amount, spec.unit, spec.warn_percent
    row.warn_left_amount, row.warn_left_unit = spec.warn_left_amount, spec.warn_left_unit
    row.updated_at, row.updated_by_id = now, user.id


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # the same scope saved by someone else at the same moment
        session.rollback()
        raise InvalidFields("fields", {"clock": "duplicate"}) from None


def create(session: Session, user: User, raw: dict, now: datetime) -> SlaPolicy:
    spec = clean(raw)
    if _taken(session, spec, None):
        raise InvalidFields("fields", {"clock": "duplicate"})
    row = SlaPolicy()
    _fill(row, spec, user, now)
    session.add(row)
    session.flush()
    audit.log_access(session, user, "sla_policy_added", at=now, detail=f"#{row.id} {describe(row)}")
    _commit(session)
    return row


def update(session: Session, user: User, policy_id: int, raw: dict, now: datetime,
           expected_stamp: str | None = None) -> SlaPolicy:
    row = get(session, policy_id)
    if expected_stamp is not None and expected_stamp != stamp(row):
        raise Conflict("stale", {"by": _name(session, row.updated_by_id)})
    if is_default(row):  # its scope is not the form's to change: it is fixed on screen, and here
        raw = {**raw, **{n: getattr(row, n) for n in SCOPE if raw.get(n) in (None, "")}}
    spec = clean(raw)
    if is_default(row) and spec.scope() != (row.track, row.kind, row.urgency, row.clock):
        raise InvalidFields("fields", {"kind": "default_scope"})
    if _taken(session, spec, row.id):
        raise InvalidFields("fields", {"clock": "duplicate"})
    before = describe(row)
    _fill(row, spec, user, now)
    audit.log_access(session, user, "sla_policy_changed", at=now, detail=f"#{row.id} {before} → {describe(row)}")
    _commit(session)
    return row


def delete(session: Session, user: User, policy_id: int, now: datetime) -> None:
    row = get(session, policy_id)
    if is_default(row):
        raise Conflict("default_row")
    audit.log_access(session, user, "sla_policy_deleted", at=now, detail=f"#{row.id} {describe(row)}")
    session.delete(row)
    session.commit()


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.display_name if user else ""


def history(session: Session, limit: int = 10) -> list[tuple]:
    """The latest changes to the policies, from the access log: (AccessLog, User | None)."""
    return list(session.execute(
        select(AccessLog, User).outerjoin(User, User.id == AccessLog.user_id)
        .where(AccessLog.action.in_(("sla_policy_added", "sla_policy_changed", "sla_policy_deleted")))
        .order_by(AccessLog.id.desc()).limit(limit)).tuples().all())
