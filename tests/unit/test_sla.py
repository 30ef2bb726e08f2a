"""SLA policies as data (DOMAIN.md §2–§4): which policy applies, and the deadlines the default ones stamp on the
real 2026 calendar — the acceptance examples of issue 5 among them."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hotline.domain.calendar import CalendarEntry, DayKind, build
from hotline.domain.deadlines import Limit, Unit
from hotline.domain.kinds import KINDS_BY_TRACK, Track, Urgency
from hotline.domain.sla import CLOCKS_BY_TRACK, DEFAULT_POLICIES, Book, Clock, ClockPolicy, NoPolicy, missing_defaults
from tests.unit.calendars import calendar_for

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
REAL = calendar_for(2024, 2025, 2026)
BOOK = Book(DEFAULT_POLICIES, REAL, TZ)
H, P = Track.HOTLINE.value, Track.PETITION.value


def local(y, m, d, hh=0, mm=0, ss=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def end_of(y, m, d) -> datetime:
    return local(y, m, d, 23, 59, 59)


def hotline(clock: Clock, start: datetime, urgency: Urgency = Urgency.GENERAL, kind: str = "complaint"):
    return BOOK.stamp(clock, start, H, kind, urgency.value)


# --- the acceptance examples -------------------------------------------------------------------------

def test_a_general_complaint_dispatched_on_2026_09_30_at_10_is_due_on_2026_10_13():
    dispatched = local(2026, 9, 30, 10).astimezone(UTC)
    handle = hotline(Clock.HANDLE, dispatched)
    assert handle.due_at == end_of(2026, 10, 13) and handle.due_at.tzinfo is UTC
    assert handle.due_at.astimezone(SHANGHAI).isoformat() == "2026-10-13T23:59:59+08:00"
    assert handle.policy.limit == Limit(5, Unit.WORKING_DAYS) and handle.provisional is False
    # the other clocks of that dispatch: sign on the first working day after the week off, return one day later
    assert hotline(Clock.SIGN, dispatched).due_at == end_of(2026, 10, 8)
    assert hotline(Clock.RETURN, dispatched).due_at == end_of(2026, 10, 9)


def test_a_petition_received_on_2026_11_27_has_its_acceptance_notice_due_on_2026_12_14():
    received = local(2026, 11, 27, 15)
    notice = BOOK.stamp(Clock.ACCEPT, received, P, "grievance", "general")
    assert notice.policy.limit == Limit(15, Unit.CALENDAR_DAYS)
    assert notice.due_at == end_of(2026, 12, 14) and notice.provisional is False  # the 15th day is a Saturday
    three_days_left = end_of(2026, 12, 11)
    assert notice.warn_at == min(received + (notice.due_at - received) * 3 / 4, three_days_left)


def test_a_2027_deadline_is_provisional_until_the_calendar_is_entered():
    friday = local(2026, 12, 25, 10)
    weekends_only = hotline(Clock.HANDLE, friday)
    assert weekends_only.due_at == end_of(2027, 1, 1) and weekends_only.provisional is True
    assert weekends_only.describe()["provisional"] is True
    entered = build([*(CalendarEntry(d, k) for d, k in REAL.exceptions.items()),
                     CalendarEntry(local(2027, 1, 1).date(), DayKind.HOLIDAY, "元旦")], {*REAL.covered_years, 2027})
    stamped = replace(BOOK, calendar=entered).stamp(Clock.HANDLE, friday, H, "complaint", "general")
    assert stamped.due_at == end_of(2027, 1, 4) and stamped.provisional is False
    assert hotline(Clock.HANDLE, local(2027, 5, 10, 10)).provisional is True


# --- the defaults --------------------------------------------------------------------------------

def test_a_general_case_dispatched_on_a_friday():
    friday = local(2026, 11, 27, 10)
    assert hotline(Clock.SIGN, friday).due_at == end_of(2026, 11, 30)
    assert hotline(Clock.RETURN, friday).due_at == end_of(2026, 12, 1)
    assert hotline(Clock.HANDLE, friday).due_at == end_of(2026, 12, 4)
    assert hotline(Clock.HANDLE, friday, Urgency.COMPLEX).due_at == end_of(2026, 12, 18)


def test_hour_limits_run_through_nights_weekends_and_holidays():
    for start in (local(2026, 11, 28, 23), local(2026, 10, 1, 23)):
        assert hotline(Clock.SIGN, start, Urgency.URGENT).due_at == start + timedelta(minutes=15)
        assert hotline(Clock.HANDLE, start, Urgency.URGENT).due_at == start + timedelta(hours=2)
        assert hotline(Clock.SIGN, start, Urgency.UTILITIES).due_at == start + timedelta(minutes=30)
        assert hotline(Clock.HANDLE, start, Urgency.UTILITIES).due_at == start + timedelta(hours=24)
        assert hotline(Clock.SUPERVISION, start, Urgency.URGENT).due_at == start + timedelta(hours=4)
    # the return window is in working days whatever the urgency
    assert hotline(Clock.RETURN, local(2026, 11, 28, 23), Urgency.URGENT).due_at == end_of(2026, 12, 1)


def test_the_callback_is_due_three_working_days_after_the_review():
    review = local(2026, 12, 4, 15)
    callback = hotline(Clock.CALLBACK, review)
    assert callback.due_at == end_of(2026, 12, 9)
    assert callback.warn_at == min(review + (callback.due_at - review) * 3 / 4, end_of(2026, 12, 8))
    assert hotline(Clock.CALLBACK, local(2026, 9, 29, 15)).due_at == end_of(2026, 10, 9)  # over the holiday


def test_warnings_of_the_default_policies():
    monday = local(2026, 11, 30, 9)
    handle = hotline(Clock.HANDLE, monday)  # due the next Monday; one working day left at the end of Friday
    assert (handle.due_at, handle.warn_at) == (end_of(2026, 12, 7), end_of(2026, 12, 4))
    window = hotline(Clock.RETURN, monday)  # 50%, no "time left" threshold
    assert window.warn_at == monday + (window.due_at - monday) / 2
    urgent = hotline(Clock.SIGN, monday, Urgency.URGENT)  # 75% of 15 minutes
    assert urgent.warn_at == monday + timedelta(minutes=11, seconds=15)
    for clock in CLOCKS_BY_TRACK[Track.HOTLINE]:
        stamp = hotline(clock, monday)
        assert stamp.warn_at is None or monday < stamp.warn_at < stamp.due_at, clock
    for clock in CLOCKS_BY_TRACK[Track.PETITION]:
        stamp = BOOK.stamp(clock, monday, P, "grievance", "")
        assert stamp.warn_at is None or monday < stamp.warn_at < stamp.due_at, clock


def test_petition_clocks():
    accepted = local(2026, 10, 2, 10)
    assert BOOK.stamp(Clock.DECIDE, accepted, P, "grievance", "").due_at == end_of(2026, 12, 1)  # 60 日
    objection = BOOK.stamp(Clock.OBJECT, local(2026, 9, 30, 10), P, "grievance", "")              # 5 个工作日
    assert objection.due_at == end_of(2026, 10, 13)
    late_in_the_year = BOOK.stamp(Clock.DECIDE, local(2026, 11, 27, 10), P, "grievance", "")
    assert late_in_the_year.due_at == end_of(2027, 1, 26) and late_in_the_year.provisional is True
    for clock in (Clock.REVIEW_WINDOW, Clock.REVIEW, Clock.RE_REVIEW_WINDOW, Clock.RE_REVIEW):  # 30 日 each
        assert BOOK.stamp(clock, accepted, P, "grievance", "").due_at == end_of(2026, 11, 2)  # 11-01 is a Sunday


def test_a_petition_clock_lengthened_by_days():
    """Art. 34: an extension of at most 30 days; Art. 36: the hearing's days are not counted."""
    accepted = local(2026, 10, 2, 10)
    extended = BOOK.stamp_longer(Clock.DECIDE, accepted, P, "grievance", "", 30)
    assert extended.due_at == end_of(2026, 12, 31)
    assert BOOK.stamp_longer(Clock.DECIDE, accepted, P, "grievance", "", 0) == BOOK.stamp(
        Clock.DECIDE, accepted, P, "grievance", "")
    with pytest.raises(ValueError):  # minutes and hours are not lengthened by days
        BOOK.stamp_longer(Clock.SIGN, accepted, H, "complaint", "urgent", 1)


def test_a_stamp_describes_itself_for_the_event():
    stamp = hotline(Clock.HANDLE, local(2026, 9, 30, 10).astimezone(UTC))
    assert stamp.describe() == {"due": "2026-10-13T15:59:59+00:00", "warn": stamp.warn_at.isoformat(),
                                "limit": [5, "working_days"], "provisional": False}
    assert hotline(Clock.SIGN, local(2026, 11, 27, 23, 59, 59)).describe()["warn"] is not None


# --- extensions --------------------------------------------------------------------------------------

def test_an_extension_adds_working_days_from_the_old_deadline():
    old = end_of(2026, 12, 4).astimezone(UTC)  # Friday
    assert BOOK.extend(old, 3).at == end_of(2026, 12, 9)
    assert BOOK.extend(old, 10).at == end_of(2026, 12, 18)
    # not from the day it is approved: approving early does not shorten anything
    assert BOOK.extend(old, 1).at == end_of(2026, 12, 7) and BOOK.extend(old, 1).at.tzinfo is UTC
    assert BOOK.extend(end_of(2026, 9, 30), 1).at == end_of(2026, 10, 8)      # over National Day
    assert BOOK.extend(end_of(2026, 10, 9), 1).at == end_of(2026, 10, 10)     # onto the Saturday that is worked
    assert BOOK.extend(end_of(2026, 12, 31), 1).provisional is True


def test_an_extension_of_an_hour_deadline_ends_at_the_end_of_a_working_day():
    assert BOOK.extend(local(2026, 11, 28, 1, 0), 1).at == end_of(2026, 11, 30)


# --- which policy applies --------------------------------------------------------------------------

def policy(kind="", urgency="", amount=1, clock=Clock.HANDLE, track=H) -> ClockPolicy:
    return ClockPolicy(track, kind, urgency, clock, Limit(amount, Unit.WORKING_DAYS))


def test_the_most_specific_policy_wins_and_urgency_beats_kind():
    anything, complaint = policy(amount=5), policy("complaint", amount=3)
    urgent, both = policy(urgency="urgent", amount=1), policy("complaint", "urgent", amount=2)
    book = Book((anything, complaint, urgent), REAL, TZ)
    assert book.policy(Clock.HANDLE, H, "consult", "general") is anything
    assert book.policy(Clock.HANDLE, H, "complaint", "general") is complaint
    assert book.policy(Clock.HANDLE, H, "complaint", "urgent") is urgent     # urgency beats kind
    assert book.policy(Clock.HANDLE, H, "consult", "urgent") is urgent
    assert Book((both, urgent, complaint, anything), REAL, TZ).policy(Clock.HANDLE, H, "complaint", "urgent") is both
    assert (anything.specificity, complaint.specificity, urgent.specificity, both.specificity) == (0, 1, 2, 3)


def test_a_policy_of_another_track_or_clock_does_not_apply():
    book = Book((policy(track=P), policy(clock=Clock.SIGN)), REAL, TZ)
    with pytest.raises(NoPolicy):
        book.policy(Clock.HANDLE, H, "complaint", "general")
    with pytest.raises(NoPolicy):
        Book((), REAL, TZ).stamp(Clock.SIGN, local(2026, 11, 27, 10), H, "complaint", "general")


def test_a_clock_given_by_its_value_finds_its_policy():
    assert BOOK.policy("handle", H, "complaint", "general").limit == Limit(5, Unit.WORKING_DAYS)
    from_a_form = ClockPolicy(H, "", "", "sign", Limit(2, Unit.HOURS))
    assert from_a_form.clock is Clock.SIGN
    assert Book((from_a_form,), REAL, TZ).policy(Clock.SIGN, H, "complaint", "general") is from_a_form
    with pytest.raises(ValueError):
        ClockPolicy(H, "", "", "lunch", Limit(2, Unit.HOURS))


@pytest.mark.parametrize("track", list(Track))
def test_the_defaults_have_a_policy_for_every_clock_kind_and_urgency(track):
    assert missing_defaults(DEFAULT_POLICIES) == []
    for clock in CLOCKS_BY_TRACK[track]:
        for kind in ("", *KINDS_BY_TRACK[track]):
            for urgency in ("", *Urgency):
                assert BOOK.policy(clock, track.value, kind, urgency).clock is clock


def test_the_defaults_by_urgency():
    handle = {u: BOOK.policy(Clock.HANDLE, H, "complaint", u.value).limit for u in Urgency}
    assert handle == {Urgency.URGENT: Limit(2, Unit.HOURS), Urgency.UTILITIES: Limit(24, Unit.HOURS),
                      Urgency.GENERAL: Limit(5, Unit.WORKING_DAYS), Urgency.COMPLEX: Limit(15, Unit.WORKING_DAYS)}
    sign = {u: BOOK.policy(Clock.SIGN, H, "complaint", u.value).limit for u in Urgency}
    assert sign == {Urgency.URGENT: Limit(15, Unit.MINUTES), Urgency.UTILITIES: Limit(30, Unit.MINUTES),
                    Urgency.GENERAL: Limit(1, Unit.WORKING_DAYS), Urgency.COMPLEX: Limit(1, Unit.WORKING_DAYS)}


def test_what_is_missing_from_a_set_of_policies():
    without = [p for p in DEFAULT_POLICIES if not (p.track == P and p.clock is Clock.REVIEW)]
    assert missing_defaults(without) == [(P, Clock.REVIEW)]
    only_specific = [p for p in DEFAULT_POLICIES if p.urgency or p.kind]
    assert len(missing_defaults(only_specific)) == sum(len(c) for c in CLOCKS_BY_TRACK.values())
