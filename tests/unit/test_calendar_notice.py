"""Reading a holiday notice as an administrator types it (hotline/domain/calendar_notice.py): the forms a date
and a period come in, the lines it cannot read (named by number, nothing guessed), and writing days back
as text that reads the same."""
from __future__ import annotations

from datetime import date

import pytest

from hotline.domain.calendar import check_notice
from hotline.domain.calendar_notice import HOLIDAYS, WORKING_DAYS, format_days, parse, periods
from tests.unit.calendars import calendar_for, days


def holiday_days(text: str, year: int = 2027) -> list[tuple[date, str]]:
    parsed = parse(year, text, "")
    assert parsed.problems == ()
    return list(parsed.holidays)


def spring(name: str = "春节") -> list[tuple[date, str]]:
    return [(d, name) for d in days(date(2027, 2, 6), date(2027, 2, 13))]


@pytest.mark.parametrize("line", [
    "2027-02-06..2027-02-13 春节",
    "2027-02-06 .. 2027-02-13 春节",
    "2027-02-06至2027-02-13 春节",
    "2027-02-06 至 2027-02-13：春节",
    "2027-02-06 ~ 2027-02-13 春节",
    "2027-02-06～2027-02-13 春节",
    "2027-02-06 - 2027-02-13 春节",
    "2027-02-06-2027-02-13 春节",
    "2027-02-06 — 2027-02-13 春节",
    "2027/2/6..2027/2/13 春节",
    "2027.02.06..2027.02.13 春节",
    "2027年2月6日至2027年2月13日 春节",
    "2月6日至13日 春节",
    "2月6日（星期六）至2月13日（星期六） 春节",
    "02-06..02-13 春节",
    "  2027-02-06..02-13   春节  ",
])
def test_a_period_is_read_in_every_usual_form(line):
    assert holiday_days(line) == spring()


def test_several_dates_on_one_line_share_the_name():
    parsed = parse(2027, "", "2月20日（星期六）、2月28日（星期日） 春节\n2027-10-09(周六), 2027-10-10 国庆节")
    assert parsed.problems == ()
    assert list(parsed.working_days) == [(date(2027, 2, 20), "春节"), (date(2027, 2, 28), "春节"),
                                         (date(2027, 10, 9), "国庆节"), (date(2027, 10, 10), "国庆节")]


def test_blank_lines_and_comments_are_skipped_and_a_name_may_be_missing():
    parsed = parse(2027, "# 2027 年\n\n2027-01-01\n   \n# 元旦之后\n2027-05-01..2027-05-05 劳动节\n", "")
    assert parsed.problems == ()
    assert parsed.holidays[0] == (date(2027, 1, 1), "")
    assert [d for d, _ in parsed.holidays] == [date(2027, 1, 1), *days(date(2027, 5, 1), date(2027, 5, 5))]


def test_a_period_spanning_new_year_keeps_the_years_it_names():
    assert [d for d, _ in holiday_days("2026-12-31..2027-01-02 元旦")] == [
        date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 2)]


@pytest.mark.parametrize(("line", "code"), [
    ("元旦 2027-01-01", "no_date"),
    ("hello", "no_date"),
    ("2027-02-30 春节", "bad_date"),
    ("2027-13-01 春节", "bad_date"),
    ("2月30日 春节", "bad_date"),
    ("2027-02-06..2月30日 春节", "bad_date"),
    ("2027-02-06 至 春节", "bad_date"),
    ("2027-02-06 2027-02-08 春节", "bad_date"),  # two dates with nothing between: not guessed
    ("2027-02-13..2027-02-06 春节", "reversed_range"),
    ("2027-02-06..2027-12-13 春节", "range_too_long"),
    ("2027-02-06 " + "春" * 65, "name_too_long"),
])
def test_a_line_it_cannot_read_is_named_by_box_and_number_and_gives_no_days(line, code):
    parsed = parse(2027, f"2027-01-01 元旦\n\n{line}\n2027-10-01..2027-10-07 国庆节", "2027-02-20\nnonsense")
    assert [(p.section, p.line, p.code) for p in parsed.problems] == [
        (HOLIDAYS, 3, code), (WORKING_DAYS, 2, "no_date")]
    assert parsed.problems[0].text == line.strip()
    assert [d for d, _ in parsed.holidays] == [date(2027, 1, 1), *days(date(2027, 10, 1), date(2027, 10, 7))]
    assert [d for d, _ in parsed.working_days] == [date(2027, 2, 20)]


def test_repeated_days_are_kept_so_that_the_notice_check_can_name_them():
    parsed = parse(2027, "2027-02-06..2027-02-08 春节\n2027-02-08 春节", "2027-02-08")
    assert [d for d, _ in parsed.holidays].count(date(2027, 2, 8)) == 2
    codes = {(p.code, p.day) for p in check_notice(2027, [d for d, _ in parsed.holidays],
                                                   [d for d, _ in parsed.working_days])}
    assert codes == {("duplicate", date(2027, 2, 8)), ("both", date(2027, 2, 8)),
                     ("makeup_not_weekend", date(2027, 2, 8))}


def test_the_year_of_the_notice_fills_in_a_date_without_one():
    assert holiday_days("10月1日至7日 国庆节", 2026)[0] == (date(2026, 10, 1), "国庆节")
    assert holiday_days("10月1日至7日 国庆节", 2031)[-1] == (date(2031, 10, 7), "国庆节")


def test_days_written_back_as_text_read_the_same():
    written = format_days([*spring(), (date(2027, 1, 1), "元旦"), (date(2027, 1, 2), "元旦"), (date(2027, 4, 5), "")])
    assert written == "2027-01-01..2027-01-02 元旦\n2027-02-06..2027-02-13 春节\n2027-04-05"
    again = parse(2027, written, "")
    assert sorted(again.holidays) == sorted([*spring(), (date(2027, 1, 1), "元旦"), (date(2027, 1, 2), "元旦"),
                                             (date(2027, 4, 5), "")])


def test_the_real_2026_calendar_survives_a_round_trip_and_passes_the_notice_check():
    """The package's 2026 days, written as an administrator would type them, read back to the same days."""
    calendar = calendar_for(2026)
    holidays = [(d, "") for d, kind in calendar.exceptions.items() if kind == "holiday"]
    working = [(d, "") for d, kind in calendar.exceptions.items() if kind == "working_day"]
    parsed = parse(2026, format_days(holidays), format_days(working))
    assert parsed.problems == ()
    assert sorted(parsed.holidays) == sorted(holidays) and sorted(parsed.working_days) == sorted(working)
    assert check_notice(2026, [d for d, _ in parsed.holidays], [d for d, _ in parsed.working_days]) == []
    assert (date(2026, 9, 20), "") in parsed.working_days and (date(2026, 10, 10), "") in parsed.working_days


def test_periods_group_consecutive_days_of_one_name():
    found = periods([*spring(), (date(2027, 2, 20), "春节"), (date(2027, 1, 1), "元旦")])
    assert [(p.first, p.last, p.name, p.days) for p in found] == [
        (date(2027, 1, 1), date(2027, 1, 1), "元旦", 1), (date(2027, 2, 6), date(2027, 2, 13), "春节", 8),
        (date(2027, 2, 20), date(2027, 2, 20), "春节", 1)]
