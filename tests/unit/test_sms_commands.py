"""Texts read without an operator (issue 6 §3): CX / 查询 with a case number, and the 1/2/3 answer to a callback
request, as people type them on a phone; everything else is a message for the operators."""
from __future__ import annotations

import pytest

from hotline.domain.sms_commands import Query, Rating, Text, case_number, parse

NUMBER = "12345-20261127-000123"


@pytest.mark.parametrize("body", [
    "CX 12345-20261127-000123", "cx 12345-20261127-000123", "CX12345-20261127-000123", "CX 1234520261127000123",
    "查询 12345-20261127-000123", "查询：12345-20261127-000123", "查询12345 20261127 000123",
    "ＣＸ　１２３４５－２０２６１１２７－０００１２３",  # full-width letters, digits, space and hyphen
    " CX  12345—20261127—000123 ", "Cx:12345-20261127-000123。",
])
def test_a_query_names_its_case_however_it_is_typed(body):
    assert parse(body) == Query(NUMBER)


def test_a_query_without_a_readable_number_asks_for_one():
    assert parse("CX") == Query(None)
    assert parse("查询") == Query(None)
    assert parse("CX 12345-2026") == Query(None)


@pytest.mark.parametrize("body", ["查询公积金提取需要什么材料", "CXL 的快递到了吗", "查一下我家的停水通知"])
def test_a_question_that_starts_like_a_command_goes_to_the_operators(body):
    assert parse(body) == Text(body)


@pytest.mark.parametrize("body, satisfaction", [
    ("1", "satisfied"), ("2", "basically"), ("3", "dissatisfied"), ("３", "dissatisfied"), (" 1 ", "satisfied"),
    ("1满意", "satisfied"), ("2 基本满意", "basically"), ("3。", "dissatisfied"), ("不满意", "dissatisfied"),
    ("满意", "satisfied"), ("基本满意", "basically"),
])
def test_the_answer_to_a_callback_request(body, satisfaction):
    rating = parse(body)
    assert rating == Rating(satisfaction)
    assert rating.resolved is (satisfaction != "dissatisfied")


@pytest.mark.parametrize("body", ["1 12345-20261127-000123", "1，12345-20261127-000123", "1 1234520261127000123",
                                  "１　１２３４５－２０２６１１２７－０００１２３", "满意 12345-20261127-000123"])
def test_a_rating_may_name_its_case(body):
    assert parse(body) == Rating("satisfied", NUMBER)


@pytest.mark.parametrize("body", ["12", "1 满意吗", "3号楼漏水", "4", "1 不满意", "110", "", "谢谢"])
def test_other_texts_are_not_ratings(body):
    assert isinstance(parse(body), Text)


def test_case_numbers_with_and_without_hyphens():
    assert case_number("1234520261127000123") == NUMBER
    assert case_number("xf-20261127-000007") == "XF-20261127-000007"
    assert case_number("12345-20261127-00012") is None
    assert case_number("99999-20261127-000123") is None
