"""What a text to the hotline asks for, read without an operator.

Two commands work on their own: `CX <case number>` (or `查询 <case number>`) asks for a case's state, and the
answer to a callback request (`1` satisfied, `2` basically satisfied, `3` dissatisfied, optionally followed by
the case number) rates the handling (DOMAIN.md §2, 回访). Everything else is a message for the operators.
People type on phones with Chinese keyboards: full-width digits, letters and spaces, Chinese punctuation and any
kind of dash are read like their ASCII forms, and the hyphens of a case number may be left out."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−－﹣"), "-")
_CASE = r"(12345|XF)[-\s]?(\d{8})[-\s]?(\d{6,})"
CASE_NUMBER = re.compile(rf"^{_CASE}$")
_QUERY = re.compile(r"^(?:CX|查询)[\s:：,，.。]*(.*)$")
_NUMBERISH = re.compile(r"^(?:XF)?[\d\s-]*$")  # what someone meant as a case number, typed wrong or not
_SEP = r"[\s:：,，.。、]*"
_RATING = re.compile(rf"^([123]){_SEP}(满意|基本满意|不满意)?{_SEP}(?:{_CASE})?{_SEP}$")
_RATING_WORD = re.compile(rf"^(满意|基本满意|不满意|非常满意){_SEP}(?:{_CASE})?{_SEP}$")

SATISFACTION_BY_DIGIT = {"1": "satisfied", "2": "basically", "3": "dissatisfied"}
SATISFACTION_BY_WORD = {"满意": "satisfied", "非常满意": "satisfied", "基本满意": "basically",
                        "不满意": "dissatisfied"}


@dataclass(frozen=True)
class Query:
    """CX: the state of one case. `number` is None when none was given or it cannot be a case number."""
    number: str | None


@dataclass(frozen=True)
class Rating:
    """The answer to a callback request; `number` names the case when the sender has several awaiting one."""
    satisfaction: str  # satisfied, basically, dissatisfied (hotline.domain.actions.SATISFACTION)
    number: str | None = None

    @property
    def resolved(self) -> bool:
        return self.satisfaction != "dissatisfied"


@dataclass(frozen=True)
class Text:
    """Anything else: a message for the operators' inbox."""
    body: str


Command = Query | Rating | Text


def normalise(body: str) -> str:
    """NFKC (full-width → ASCII), one kind of dash, single spaces, upper case."""
    text = unicodedata.normalize("NFKC", body or "").translate(DASHES)
    return " ".join(text.split()).upper()


def case_number(text: str) -> str | None:
    """"1234520261127000123", "12345 20261127 000123", "xf-20261127-000007" → the number as printed."""
    match = CASE_NUMBER.match(normalise(text))
    return _format(match.groups()) if match else None


def _format(groups) -> str | None:
    prefix, day, sequence = groups
    return f"{prefix}-{day}-{sequence}" if prefix else None


def parse(body: str) -> Command:
    text = normalise(body)
    if (match := _QUERY.match(text)) and _NUMBERISH.match(rest := match.group(1).strip(" :：,，.。")):
        return Query(case_number(rest) if rest else None)  # "查询公积金提取" is a question for the operators
    if match := _RATING.match(text):
        digit, word, *number = match.groups()
        if word is None or SATISFACTION_BY_WORD[word] == SATISFACTION_BY_DIGIT[digit]:
            return Rating(SATISFACTION_BY_DIGIT[digit], _format(number))
    if match := _RATING_WORD.match(text):
        word, *number = match.groups()
        return Rating(SATISFACTION_BY_WORD[word], _format(number))
    return Text((body or "").strip())
