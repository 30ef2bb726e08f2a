"""Properties of the calendar arithmetic, on every year the chinese-calendar package covers (2004–2026) and a
little beyond (weekends-only), checked day by day against is_working_day rather than against each other."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hotline.domain.deadlines import Limit, OfficeHours, Unit, before, due, warning_at
from hotline.domain.kinds import KINDS_BY_TRACK, Track, Urgency
from hotline.domain.sla import CLOCKS_BY_TRACK, DEFAULT_POLICIES, Book, Clock, ClockPolicy
from tests.unit.calendars import days, package_calendar

TZ = "Asia/Shanghai"
SHANGHAI = ZoneInfo(TZ)
CAL = package_calendar()

# no example database: a property run leaves nothing behind in the working tree
PROPERTY = settings(database=None, deadline=None, max_examples=300)

any_day = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=60)
positive = st.integers(min_value=1, max_value=60)


def working_days_in(first: date, last: date) -> int:
    """How many working days in [first, last], counted one by one."""
    return sum(1 for d in days(first, last) if CAL.is_working_day(d))


@st.composite
def moments(draw, first=date(2004, 1, 1), last=date(2028, 12, 31)) -> datetime:
    day = draw(st.dates(min_value=first, max_value=last))
    seconds = draw(st.integers(min_value=0, max_value=24 * 3600 - 1))
    return datetime.combine(day, time(), SHANGHAI) + timedelta(seconds=seconds)


@st.composite
def office_hours(draw) -> OfficeHours:
    opens = draw(st.integers(min_value=6 * 60, max_value=11 * 60))
    closes = draw(st.integers(min_value=opens + 30, max_value=min(opens + 12 * 60, 23 * 60 + 59)))
    return OfficeHours(time(opens // 60, opens % 60), time(closes // 60, closes % 60))


limits = st.builds(Limit, st.integers(min_value=1, max_value=40), st.sampled_from(list(Unit)))


# --- working days --------------------------------------------------------------------------------------

@PROPERTY
@given(any_day, positive)
def test_adding_n_working_days_lands_on_a_working_day_with_exactly_n_working_days_after_the_start(day, n):
    result = CAL.add_working_days(day, n)
    assert result > day and CAL.is_working_day(result)
    assert working_days_in(day + timedelta(days=1), result) == n


@PROPERTY
@given(any_day, counts)
def test_counting_working_days_undoes_adding_them(day, n):
    assert CAL.working_days_between(day, CAL.add_working_days(day, n)) == n


@PROPERTY
@given(any_day, st.integers(min_value=0, max_value=400))
def test_adding_the_count_of_working_days_between_reaches_the_working_day(first, apart):
    last = first + timedelta(days=apart)
    assume(CAL.is_working_day(last))
    assert CAL.add_working_days(first, CAL.working_days_between(first, last)) == last
    assert CAL.working_days_between(last, first) == -CAL.working_days_between(first, last)


@PROPERTY
@given(any_day, counts, counts)
def test_more_working_days_is_later(day, n, m):
    assume(n != m)
    low, high = sorted((n, m))
    assert CAL.add_working_days(day, low) < CAL.add_working_days(day, high)


@PROPERTY
@given(any_day, positive)
def test_negative_working_days_go_back(day, n):
    result = CAL.add_working_days(day, -n)
    assert result < day and CAL.is_working_day(result)
    assert working_days_in(result, day - timedelta(days=1)) == n
    if CAL.is_working_day(day):  # back and forth again from a working day
        assert CAL.add_working_days(result, n) == day
        assert CAL.working_days_between(day, result) == -n


# --- calendar days -----------------------------------------------------------------------------------

@PROPERTY
@given(any_day, st.integers(min_value=1, max_value=90))
def test_calendar_days_roll_to_the_next_working_day(day, n):
    result = CAL.add_calendar_days(day, n)
    last_day = day + timedelta(days=n)
    assert result >= last_day and CAL.is_working_day(result)
    assert not any(CAL.is_working_day(d) for d in days(last_day, result - timedelta(days=1)))


# --- working hours -----------------------------------------------------------------------------------

@st.composite
def in_office(draw, office: OfficeHours) -> datetime:
    """A moment in [opens, closes) of a working day."""
    day = draw(any_day)
    assume(CAL.is_working_day(day))
    opens = datetime.combine(day, office.opens, SHANGHAI)
    span = int((datetime.combine(day, office.closes, SHANGHAI) - opens).total_seconds())
    return opens + timedelta(seconds=draw(st.integers(min_value=0, max_value=span - 1)))


@PROPERTY
@given(st.data(), office_hours(), st.integers(min_value=1, max_value=200))
def test_working_hours_forwards_then_backwards_come_back_to_the_start(data, office, n):
    start = data.draw(in_office(office))
    limit = Limit(n, Unit.WORKING_HOURS)
    end = due(start, limit, CAL, TZ, office).at
    assert end > start and CAL.is_working_day(end.date())
    assert office.opens < end.timetz().replace(tzinfo=None) <= office.closes
    assert before(end, limit, CAL, TZ, office) == start


# --- deadlines and warnings --------------------------------------------------------------------------

@PROPERTY
@given(moments(), limits, office_hours())
def test_a_deadline_is_after_its_start_and_provisional_only_beyond_the_calendar(start, limit, office):
    stamped = due(start, limit, CAL, TZ, office)
    assert stamped.at > start
    if limit.unit in (Unit.MINUTES, Unit.HOURS):
        assert not stamped.provisional
    else:
        assert stamped.provisional == (stamped.at.year > 2026 or start.year > 2026)


@PROPERTY
@given(moments(), limits, st.one_of(st.none(), st.integers(min_value=1, max_value=99)),
       st.one_of(st.none(), limits))
def test_a_warning_falls_strictly_between_the_start_and_the_deadline(start, limit, percent, left):
    deadline = due(start, limit, CAL, TZ).at
    warn = warning_at(start, deadline, percent, left, CAL, TZ)
    if warn is not None:
        assert start < warn < deadline
        candidates = []
        if percent:
            candidates.append(start + (deadline - start) * percent / 100)
        if left:
            candidates.append(before(deadline, left, CAL, TZ))
        assert warn == min(c for c in candidates if start < c < deadline)
    elif percent:
        # a share of the time always falls inside it, unless the span is too short to split
        assert deadline - start <= timedelta(microseconds=100)


# --- policies ----------------------------------------------------------------------------------------

KINDS = ["", "complaint", "consult"]
URGENCIES = ["", "urgent", "general"]
scopes = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(URGENCIES)), min_size=1, unique=True)


@PROPERTY
@given(scopes, st.sampled_from(KINDS[1:]), st.sampled_from(URGENCIES[1:]))
def test_the_most_specific_matching_policy_is_picked_and_urgency_beats_kind(scope, kind, urgency):
    policies = tuple(ClockPolicy("hotline", k, u, Clock.HANDLE, Limit(1 + i, Unit.WORKING_DAYS))
                     for i, (k, u) in enumerate(scope))
    matching = [p for p in policies if p.kind in ("", kind) and p.urgency in ("", urgency)]
    assume(matching)
    picked = Book(policies, CAL, TZ).policy(Clock.HANDLE, "hotline", kind, urgency)
    assert picked in matching
    if any(p.urgency for p in matching):
        assert picked.urgency == urgency  # an urgency-only policy beats a kind-only one
    if any(p.kind and p.urgency for p in matching):
        assert (picked.kind, picked.urgency) == (kind, urgency)
    if any(p.kind for p in matching) and not any(p.urgency for p in matching):
        assert picked.kind == kind


@settings(PROPERTY, max_examples=150)
@given(st.sampled_from(list(Track)), st.data(), moments())
def test_the_default_policies_never_fail(track, data, start):
    """Whatever kind or urgency a case carries, even one no policy names, for every clock of its track."""
    clock = data.draw(st.sampled_from(CLOCKS_BY_TRACK[track]))
    kind = data.draw(st.sampled_from(["", *KINDS_BY_TRACK[track]]) | st.text("abcxyz_", max_size=8))
    urgency = data.draw(st.sampled_from(["", *Urgency]) | st.text("abcxyz_", max_size=8))
    stamp = Book(DEFAULT_POLICIES, CAL, TZ).stamp(clock, start, track.value, kind, urgency)
    assert stamp.due_at > start and stamp.policy.clock is clock
    assert stamp.warn_at is None or start < stamp.warn_at < stamp.due_at
