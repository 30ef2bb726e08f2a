"""The Open311 rules that need no app: status, datetimes, the query window, attributes, tokens."""
from datetime import UTC, datetime, timedelta

import pytest

from hotline.domain import open311 as spec
from hotline.domain.lifecycle import State

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("state", list(State))
def test_every_state_is_open_or_closed(state):
    expected = "closed" if state in (State.CLOSED, State.MERGED, State.TERMINATED) else "open"
    assert spec.status_of(state) == expected


def test_datetimes_are_w3_with_the_city_offset():
    assert spec.w3(datetime(2026, 11, 28, 12, 0, 0, 123456, tzinfo=UTC), "Asia/Shanghai") == "2026-11-28T20:00:00+08:00"
    assert spec.w3(None, "Asia/Shanghai") is None


@pytest.mark.parametrize("text, expected", [
    ("2010-01-01T00:00:00Z", datetime(2010, 1, 1, tzinfo=UTC)),
    ("2026-11-28T20:00:00+08:00", datetime(2026, 11, 28, 12, tzinfo=UTC)),
    ("2026-11-28T20:00+08:00", datetime(2026, 11, 28, 12, tzinfo=UTC)),
])
def test_w3_dates_are_read_with_their_zone(text, expected):
    assert spec.parse_w3(text) == expected


@pytest.mark.parametrize("text", ["2026-11-28", "2026-11-28T20:00:00", "yesterday", "2026-13-01T00:00:00Z", ""])
def test_a_date_without_zone_or_not_a_date_is_refused(text):
    with pytest.raises(spec.BadDate):
        spec.parse_w3(text)


def test_the_default_window_is_the_last_90_days():
    assert spec.window(None, None, NOW) == spec.Window(NOW - timedelta(days=90), NOW)
    start = NOW - timedelta(days=200)
    assert spec.window(start, None, NOW) == spec.Window(start, start + timedelta(days=90))
    assert spec.window(None, start, NOW) == spec.Window(start - timedelta(days=90), start)


def test_a_window_longer_than_90_days_or_reversed_is_refused():
    with pytest.raises(spec.WindowTooLong):
        spec.window(NOW - timedelta(days=91), NOW, NOW)
    with pytest.raises(spec.WindowReversed):
        spec.window(NOW, NOW - timedelta(days=1), NOW)


def test_coordinates_are_rounded_to_about_100_metres():
    assert spec.rounded(30.0056789) == 30.006 and spec.rounded(None) is None


def test_the_token_depends_on_the_key_and_the_idempotency_key():
    token = spec.token_for(7, "abc")
    assert token == spec.token_for(7, "abc") and len(token) == 32 and spec.valid_token(token)
    assert token != spec.token_for(8, "abc") and token != spec.token_for(7, "abd")
    assert not spec.valid_token("../../etc") and not spec.valid_token(token.upper())


DEFINITION = (
    spec.Attribute("kind", "singlevaluelist", False, "", 1, (spec.Value("complaint", ""), spec.Value("praise", "")),
                   default="complaint"),
    spec.Attribute("area", "singlevaluelist", True, "", 2, (spec.Value("dh-xhj", ""),)),
)


def test_attributes_are_read_with_their_defaults():
    answers = spec.read_attributes({"attribute[area]": ["dh-xhj"], "description": ["x"]}, DEFINITION)
    assert answers.ok and answers.values == {"kind": "complaint", "area": "dh-xhj"}


def test_unknown_codes_values_outside_the_list_and_missing_required_are_named():
    answers = spec.read_attributes({"attribute[colour]": ["red"], "attribute[kind]": ["anger"]}, DEFINITION)
    assert (answers.unknown, answers.invalid, answers.missing) == (["colour"], ["kind"], ["area"])
    assert not answers.ok


def test_a_single_value_list_takes_one_value():
    answers = spec.read_attributes({"attribute[kind][]": ["complaint", "praise"], "attribute[area]": ["dh-xhj"]},
                                   DEFINITION)
    assert answers.invalid == ["kind"]


def test_a_required_attribute_the_location_made_unnecessary_may_be_left_out():
    answers = spec.read_attributes({}, DEFINITION, not_required=frozenset({"area"}))
    assert answers.ok and "area" not in answers.values
