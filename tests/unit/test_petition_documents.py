"""What a petition document writes for each code, and how it writes dates: without an app or a database."""
from __future__ import annotations

import pytest

from hotline.config import ConfigError, load
from hotline.domain.kinds import Kind
from hotline.domain.petition import LegalRoute, Outcome, ReviewOutcome
from hotline.services import petition_documents as documents


@pytest.mark.parametrize("iso, written", [("2026-12-01", "2026年12月1日"), ("2027-03-17", "2027年3月17日"),
                                          ("2027-10-10T09:00:00+08:00", "2027年10月10日"), (None, ""), ("", "")])
def test_dates_are_written_as_official_documents_write_them(iso, written):
    assert documents.cn_date(iso) == written


def test_every_code_a_step_records_has_its_words():
    assert set(documents.WORDS["outcome"]) == {o.value for o in Outcome}
    assert set(documents.WORDS["review"]) == {o.value for o in ReviewOutcome}
    assert set(documents.WORDS["route"]) == {r.value for r in LegalRoute}
    assert {Kind.PETITION_SUGGESTION, Kind.ACCUSATION, Kind.GRIEVANCE} <= set(documents.WORDS["petition_kind"])
    words = [w for table in documents.WORDS.values() for w in table.values()]
    assert all(w and w.isascii() is False for w in words)


def test_every_kind_has_a_title_a_counter_and_its_own_word_in_the_number():
    assert set(documents.TITLES) == set(documents.KINDS)
    prefixes = [prefix for prefix, _ in documents.KINDS.values()]
    words = [word for _, word in documents.KINDS.values()]
    assert len(set(prefixes)) == len(prefixes) and len(set(words)) == len(words)
    assert all(title.startswith("信访事项") and title.endswith("书") for title in documents.TITLES.values())


def test_the_font_stack_starts_with_the_installed_chinese_font():
    assert documents.font_stack().startswith('"WenQuanYi Zen Hei", ') and documents.font_stack().endswith("sans-serif")


@pytest.mark.parametrize("token, looks_right", [
    ("Ab3_-" * 6 + "xy", True), ("a" * 20, True), ("a" * 19, False), ("a" * 65, False), ("a" * 30 + ".pdf", False),
    ("../../etc/passwd", False), ("", False), ("a b" * 10, False),
])
def test_only_what_could_be_a_link_token_is_looked_up(token, looks_right):
    assert bool(documents.TOKEN.fullmatch(token)) is looks_right


def test_the_link_token_is_kept_as_a_hash():
    assert documents.token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_the_documents_rate_limit_is_a_setting(tmp_path):
    assert load(str(tmp_path), {})["HOTLINE_RATE_DOCUMENTS"] == "20 per minute;200 per day"
    assert load(str(tmp_path), {"HOTLINE_RATE_DOCUMENTS": "5 per minute"})["HOTLINE_RATE_DOCUMENTS"] == "5 per minute"
    with pytest.raises(ConfigError, match="HOTLINE_RATE_DOCUMENTS"):
        load(str(tmp_path), {"HOTLINE_RATE_DOCUMENTS": "lots"})
