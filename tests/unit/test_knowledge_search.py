"""The knowledge base's search, without a database: what a query looks for, and how articles rank."""
from dataclasses import dataclass
from datetime import date

import pytest

from hotline.domain import knowledge as kb
from hotline.domain.errors import InvalidFields
from hotline.seed.demo_knowledge import ARTICLES as SEEDS

ARTICLES = [a for a in SEEDS if a.valid[1] is None or a.valid[1] >= 0]  # valid on the day of seeding


@dataclass
class Article:
    title: str
    keywords: str = ""
    body: str = ""
    active: bool = True
    valid_from: date | None = None
    valid_until: date | None = None


def best(query: str, articles) -> list[str]:
    terms = kb.terms(query)
    ranked = sorted(((kb.score(terms, a.title, a.keywords, a.body), a.title) for a in articles), reverse=True)
    return [title for score, title in ranked if score > 0]


@pytest.mark.parametrize("query, found", [
    ("停水", "停水"),
    ("家里停水了怎么办", "停水"),
    ("社保卡丢了怎么办", "社保卡"),
    ("公积金怎么提取", "公积金"),
    ("暖气不热", "暖气不热"),
    ("新生儿怎么上户口", "新生儿"),
    ("12345不受理什么", "12345"),
    ("ＡＢＣ", "abc"),  # full-width letters typed with a Chinese keyboard
])
def test_terms_hold_the_subject(query, found):
    assert found in kb.terms(query)


@pytest.mark.parametrize("query", ["", "   ", "的", "怎么办", "了吗", "请问一下"])
def test_a_query_of_filler_words_looks_for_nothing(query):
    assert kb.terms(query) == []


def test_filler_words_are_not_terms():
    terms = kb.terms("家里停水了怎么办")
    assert "停水" in terms
    assert not {"家里", "了", "怎么办"} & set(terms)


def test_a_long_query_is_not_looked_for_whole_but_a_short_one_is():
    assert "社保卡补办" in kb.terms("社保卡补办")
    assert "居住证办理需要什么材料" not in kb.terms("居住证办理需要什么材料")


def test_text_jieba_cannot_cut_falls_back_to_character_pairs():
    assert "ㄇㄈ" in kb.terms("ㄅㄆㄇㄈㄉㄊㄋ")
    assert kb.terms("ㄅㄆㄇ") == ["ㄅㄆㄇ"]  # short: looked for whole


def test_a_single_character_is_looked_for_but_numbers_only_when_long():
    assert kb.terms("水") == ["水"]
    assert kb.terms("12345") == ["12345"]
    assert "3" not in kb.terms("3号线停运")


def test_searchable_is_normalised_and_keeps_the_parts_apart():
    text = kb.searchable("临时停水通知", "ＡＢＣ  没水", "Body")
    assert text == "临时停水通知\nabc 没水\nbody"


@pytest.mark.parametrize("query", ["停水", "家里停水了怎么办", "临时停水", "没水了"])
def test_the_water_cut_notice_is_found(query):
    assert best(query, ARTICLES)[0].startswith("临时停水通知")


@pytest.mark.parametrize("query, first", [
    ("社保卡丢了", "社保卡补办"),
    ("燃气漏气", "燃气报修电话"),
    ("房产证怎么过户", "不动产登记（房产证）办理"),
    ("什么时候开始供暖", "供暖时间"),
    ("办护照", "出入境证件办理（护照、港澳台通行证）"),
    ("法院已经判了还能打12345吗", "12345受理范围（哪些事项不受理）"),
    ("垃圾几点扔", "垃圾分类投放时间"),
])
def test_demo_questions_find_their_article_first(query, first):
    assert best(query, ARTICLES)[0] == first


def test_title_weighs_more_than_keywords_more_than_body():
    articles = [Article("其他", body="关于停水"), Article("另一个", keywords="停水"), Article("停水")]
    assert best("停水", articles) == ["停水", "另一个", "其他"]


def test_all_terms_found_beats_some_terms_in_the_title():
    articles = [Article("公积金公积金", body=""), Article("住房", body="公积金可以提取")]
    assert best("公积金提取", articles)[0] == "住房"


def test_no_term_found_scores_zero():
    assert kb.score(kb.terms("停水"), "社保卡补办", "社保卡", "带身份证") == 0
    assert kb.score([], "停水", "", "") == 0


@pytest.mark.parametrize("active, start, end, valid", [
    (True, None, None, True),
    (True, date(2026, 5, 1), date(2026, 5, 10), True),
    (True, date(2026, 5, 10), None, True),  # both ends included
    (True, None, date(2026, 5, 10), True),
    (True, date(2026, 5, 11), None, False),
    (True, None, date(2026, 5, 9), False),
    (False, None, None, False),
])
def test_valid_on(active, start, end, valid):
    article = Article("x", active=active, valid_from=start, valid_until=end)
    assert kb.valid_on(article, date(2026, 5, 10)) is valid


@pytest.mark.parametrize("active, start, end, status", [
    (True, None, None, "valid"),
    (True, date(2026, 5, 11), None, "scheduled"),
    (True, None, date(2026, 5, 9), "expired"),
    (False, None, None, "retired"),
])
def test_status_on(active, start, end, status):
    assert kb.status_on(Article("x", active=active, valid_from=start, valid_until=end), date(2026, 5, 10)) == status


def test_excerpt_is_the_sentence_of_the_first_match():
    body = "第一句说别的。停水期间请储水，恢复后放水几分钟。最后一句。"
    assert kb.excerpt(body, ["停水"], 90) == "停水期间请储水，恢复后放水几分钟。"


def test_excerpt_of_a_long_sentence_is_cut_around_the_match():
    body = "甲" * 100 + "停水" + "乙" * 100 + "。"
    text = kb.excerpt(body, ["停水"], 20)
    assert "停水" in text and text.startswith("…") and text.endswith("…")
    assert len(text) <= 22


def test_excerpt_shows_the_original_text_where_normalising_changes_lengths():
    body = "面积按㎡计。ＡＢＣ停水，请储水。"
    assert kb.excerpt(body, ["abc停水"], 90) == "ＡＢＣ停水，请储水。"


def test_excerpt_without_a_match_is_the_opening():
    assert kb.excerpt("开头一句。第二句。", ["停水"], 90) == "开头一句。"
    assert kb.excerpt("", ["停水"], 90) == ""


def test_check_refuses_missing_long_and_inverted_fields():
    with pytest.raises(InvalidFields) as caught:
        kb.check("", "", "词" * 201, None, None, date(2026, 5, 10), date(2026, 5, 9))
    assert caught.value.detail == {"title": "required", "body": "required", "keywords": "too_long",
                                   "valid_until": "before_start"}
    with pytest.raises(InvalidFields) as caught:
        kb.check("题" * 201, "正文", "", None, None, None, None)
    assert caught.value.detail == {"title": "too_long"}


def test_check_tidies_keywords():
    spec = kb.check(" 停水 ", "正文", "停水，没水、 断水,水压", None, None, date(2026, 5, 1), date(2026, 5, 1))
    assert spec.title == "停水" and spec.keywords == "停水 没水 断水 水压"


@pytest.mark.parametrize("query", ["停水", "家里停水了怎么办", "社保卡", "ＡＢＣ"])
def test_the_score_from_the_stored_text_is_the_score_of_the_article(query):
    terms = kb.terms(query)
    for a in [*ARTICLES, Article("ＡＢＣ停水", "abc", "正文\n第二行ＡＢＣ")]:
        body = a.body
        assert kb.score_searchable(terms, kb.searchable(a.title, a.keywords, body)) == kb.score(
            terms, a.title, a.keywords, body)
