"""SLA policies as data (DOMAIN.md §2–§4): per track × kind × urgency, a limit for each clock, and when
to warn before it runs out. An empty kind or urgency means "any"; the most specific policy wins, and an
urgency is more specific than a kind (the urgency sets the clock: 15 minutes to sign a gas leak).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from hotline.domain import deadlines
from hotline.domain.calendar import Calendar
from hotline.domain.deadlines import Limit, OfficeHours, Unit
from hotline.domain.kinds import Track


class Clock(StrEnum):
    SIGN = "sign"                # 签收
    RETURN = "return"            # the window in which a department may return (退单) a case
    HANDLE = "handle"            # 办理: until the department's reply
    CALLBACK = "callback"        # 回访: the centre asks the person, or the case closes unrated
    SUPERVISION = "supervision"  # 督办: a breach escalated, answered by the department's reply
    # the petition's clocks (信访工作条例)
    FORWARD = "forward"                    # the petition office forwards or assigns it (Art. 22)
    ACCEPT = "accept"                      # the organ tells the petitioner whether it accepts (Art. 23)
    OBJECT = "object"                      # the window in which the organ may say "not our remit" (Art. 23)
    DECIDE = "decide"                      # the organ's written decision (Arts. 32, 34)
    REVIEW_WINDOW = "review_window"        # the petitioner may ask for review (复查, Art. 35)
    REVIEW = "review"                      # the review decision (Art. 35)
    RE_REVIEW_WINDOW = "re_review_window"  # the petitioner may ask for re-review (复核, Art. 36)
    RE_REVIEW = "re_review"                # the re-review decision; a hearing is not counted (Art. 36)


CLOCKS_BY_TRACK: dict[Track, tuple[Clock, ...]] = {
    Track.HOTLINE: (Clock.SIGN, Clock.RETURN, Clock.HANDLE, Clock.CALLBACK, Clock.SUPERVISION),
    Track.PETITION: (Clock.FORWARD, Clock.ACCEPT, Clock.OBJECT, Clock.DECIDE, Clock.REVIEW_WINDOW, Clock.REVIEW,
                     Clock.RE_REVIEW_WINDOW, Clock.RE_REVIEW),
}


@dataclass(frozen=True)
class ClockPolicy:
    track: str
    kind: str  # "" = any kind
    urgency: str  # "" = any urgency
    clock: Clock
    limit: Limit
    warn_percent: int | None = 75  # warn when this share of the time has gone …
    warn_left: Limit | None = None  # … or when only this much is left, whichever comes first

    def __post_init__(self):
        object.__setattr__(self, "clock", Clock(self.clock))  # "sign" from a form or a row is Clock.SIGN

    @property
    def specificity(self) -> int:
        return 2 * bool(self.urgency) + bool(self.kind)

    def matches(self, track: str, kind: str, urgency: str) -> bool:
        return self.track == track and self.kind in ("", kind) and self.urgency in ("", urgency)


@dataclass(frozen=True)
class Stamp:
    clock: Clock
    started_at: datetime
    due_at: datetime
    warn_at: datetime | None
    provisional: bool
    policy: ClockPolicy

    def describe(self) -> dict:
        """What the event that stamped it records."""
        return {"due": self.due_at.isoformat(), "warn": self.warn_at.isoformat() if self.warn_at else None,
                "limit": [self.policy.limit.amount, str(self.policy.limit.unit)], "provisional": self.provisional}


class NoPolicy(LookupError):
    pass


@dataclass(frozen=True)
class Book:
    """The policies in force, and the calendar and office hours they are counted on."""
    policies: tuple[ClockPolicy, ...]
    calendar: Calendar
    timezone: str = "Asia/Shanghai"
    office: OfficeHours = OfficeHours()

    def policy(self, clock: Clock, track: str, kind: str, urgency: str) -> ClockPolicy:
        found = [p for p in self.policies if p.clock == clock and p.matches(track, kind, urgency)]
        if not found:
            raise NoPolicy(f"no {clock} policy for {track}/{kind}/{urgency}")
        return max(found, key=lambda p: p.specificity)

    def stamp(self, clock: Clock, start: datetime, track: str, kind: str, urgency: str) -> Stamp:
        policy = self.policy(clock, track, kind, urgency)
        due = deadlines.due(start, policy.limit, self.calendar, self.timezone, self.office)
        return Stamp(clock, start, due.at, self.warning(policy, start, due.at), due.provisional, policy)

    def warning(self, policy: ClockPolicy, start: datetime, due_at: datetime) -> datetime | None:
        return deadlines.warning_at(start, due_at, policy.warn_percent, policy.warn_left, self.calendar,
                                    self.timezone, self.office)

    def stamp_longer(self, clock: Clock, start: datetime, track: str, kind: str, urgency: str,
                     extra_days: int) -> Stamp:
        """The policy's limit and `extra_days` more of its own unit, from `start`: a petition's approved
        extension (Art. 34), or a re-review whose hearing days are not counted (Art. 36)."""
        policy = self.policy(clock, track, kind, urgency)
        if extra_days and policy.limit.unit not in (Unit.CALENDAR_DAYS, Unit.WORKING_DAYS):
            raise ValueError("only a limit in days can be lengthened by days")
        limit = Limit(policy.limit.amount + extra_days, policy.limit.unit)
        due = deadlines.due(start, limit, self.calendar, self.timezone, self.office)
        return Stamp(clock, start, due.at, self.warning(policy, start, due.at), due.provisional, policy)

    def extend(self, due_at: datetime, working_days: int) -> deadlines.Due:
        """An approved extension moves a deadline by working days from where it stood."""
        return deadlines.due(due_at, Limit(working_days, Unit.WORKING_DAYS), self.calendar, self.timezone,
                             self.office)


def _p(track, kind, urgency, clock, amount, unit, percent=75, left=None) -> ClockPolicy:
    return ClockPolicy(track, kind, urgency, Clock(clock), Limit(amount, Unit(unit)), percent,
                       Limit(*left) if left else None)


H, P = Track.HOTLINE.value, Track.PETITION.value
ONE_WORKING_DAY = (1, Unit.WORKING_DAYS)

# The demo city's defaults (DOMAIN.md §2, §3), seeded into the sla_policy table and editable there.
DEFAULT_POLICIES: tuple[ClockPolicy, ...] = (
    # 12345 work orders: sign and handle by urgency (Tianjin, Beijing, Shandong, Jinan, Weifang)
    _p(H, "", "", "sign", 1, "working_days"),
    _p(H, "", "urgent", "sign", 15, "minutes"),
    _p(H, "", "utilities", "sign", 30, "minutes"),
    _p(H, "", "", "handle", 5, "working_days", left=ONE_WORKING_DAY),
    _p(H, "", "urgent", "handle", 2, "hours"),
    _p(H, "", "utilities", "handle", 24, "hours"),
    _p(H, "", "complex", "handle", 15, "working_days", left=(2, Unit.WORKING_DAYS)),
    _p(H, "", "", "return", 2, "working_days", percent=50),
    _p(H, "", "", "callback", 3, "working_days", left=ONE_WORKING_DAY),
    _p(H, "", "", "supervision", 2, "working_days", percent=50),
    _p(H, "", "urgent", "supervision", 4, "hours"),
    _p(H, "", "utilities", "supervision", 4, "hours"),
    # petitions (信访工作条例; 日 are calendar days, 工作日 working days): 15 日 to forward (Art. 22) and to tell
    # acceptance (Art. 23), 5 个工作日 to object (Art. 23), 60 日 to decide (Art. 32), 30 日 to ask for review
    # and to decide it (Art. 35), 30 日 to ask for re-review and to decide it (Art. 36)
    _p(P, "", "", "forward", 15, "calendar_days", left=(3, Unit.CALENDAR_DAYS)),
    _p(P, "", "", "accept", 15, "calendar_days", left=(3, Unit.CALENDAR_DAYS)),
    _p(P, "", "", "object", 5, "working_days", left=ONE_WORKING_DAY),
    _p(P, "", "", "decide", 60, "calendar_days", left=(10, Unit.CALENDAR_DAYS)),
    _p(P, "", "", "review_window", 30, "calendar_days", percent=None),
    _p(P, "", "", "review", 30, "calendar_days", left=(5, Unit.CALENDAR_DAYS)),
    _p(P, "", "", "re_review_window", 30, "calendar_days", percent=None),
    _p(P, "", "", "re_review", 30, "calendar_days", left=(5, Unit.CALENDAR_DAYS)),
)


def missing_defaults(policies: Iterable[ClockPolicy]) -> list[tuple[str, Clock]]:
    """Every track needs an any-kind, any-urgency policy for every clock, so that a lookup never fails."""
    have = {(p.track, p.clock) for p in policies if not p.kind and not p.urgency}
    return [(t.value, c) for t in Track for c in CLOCKS_BY_TRACK[t] if (t.value, c) not in have]
