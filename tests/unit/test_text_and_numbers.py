from datetime import date

import pytest

from hotline.domain.case_number import format_number, looks_like_number
from hotline.domain.kinds import Track
from hotline.domain.text import clean, contains_markup


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "<b>x</b>", "a <img src=x>", "</div>",
                                  "<!-- x -->", "javascript:alert(1)", "&#60;script", "< script>"])
def test_markup_is_recognised(text):
    assert contains_markup(text)


@pytest.mark.parametrize("text", ["温度<0度", "3 < 5 and 7 > 2", "A&B 公司", "价格<=100元", ""])
def test_ordinary_text_with_angle_brackets_is_not_markup(text):
    assert not contains_markup(text)


def test_clean_normalises_and_drops_control_characters():
    assert clean("  噪音\x00很大\r\n第二行\u200b ") == "噪音很大\n第二行"
    assert clean(None) == ""


def test_case_numbers():
    assert format_number(Track.HOTLINE, date(2026, 11, 27), 123) == "12345-20261127-000123"
    assert format_number(Track.PETITION, date(2026, 1, 2), 7) == "XF-20260102-000007"
    assert format_number(Track.HOTLINE, date(2026, 1, 2), 1234567) == "12345-20260102-1234567"
    assert looks_like_number("12345-20261127-000123") and not looks_like_number("12345-2026-1")
