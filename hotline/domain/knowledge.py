"""The knowledge base (知识库): what an operator's words find, and in which order.

Chinese has no spaces, and jieba cuts "临时停水通知" into 临时 / 停水通知, so a word of the query is looked
for as a substring of the article's text, never compared with the article's words: "停水" finds
"临时停水通知". A caller's question ("家里停水了怎么办") is cut into words, and the words that say nothing
of the subject (了, 怎么办, 家里) are dropped."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from hotline.domain import text_features
from hotline.domain.errors import InvalidFields

TITLE_MAX = 200
KEYWORDS_MAX = 200
BODY_MAX = 20000
MAX_TERMS = 12  # each is one LIKE in the query
SHORT_QUERY = 6  # characters: a query this short is also looked for whole ("社保卡补办")

# Words of a spoken question that are not its subject. Alone they would match half the base.
STOP_WORDS = frozenset((
    "了", "的", "吗", "呢", "吧", "啊", "呀", "么", "着", "过",
    "和", "与", "及", "或", "在", "是", "有", "要", "想", "会",
    "能", "该", "把", "被", "给", "让", "去", "来", "到", "从",
    "对", "向", "就", "都", "也", "还", "又", "很", "太", "我",
    "你", "他", "她", "怎么办", "怎么", "怎样", "怎么样", "如何",
    "什么", "什么样", "什么时候", "哪里", "哪儿", "哪些", "哪个", "为什么",
    "为何", "多少", "多久", "几点", "是否", "能否", "能不能", "可不可以",
    "有没有", "是不是", "请问", "你好", "您好", "谢谢", "麻烦", "咨询",
    "一下", "问问", "想问", "我们", "你们", "他们", "我家", "家里",
    "这个", "那个", "这里", "那里", "这边", "那边", "现在", "今天",
    "明天", "昨天", "时候", "可以", "需要", "应该", "已经", "没有",
    "不是", "一个", "一些", "情况", "问题", "事情", "东西", "知道",
    "告诉", "打电话", "电话", "热线",
))

_SENTENCE_END = "。！？!?；;\n"
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d{3,}")  # 12345, 110, a bus line: numbers a caller names; "3" alone says nothing


def normalise(text: str | None) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case; spaces collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


def searchable(title: str, keywords: str, body: str) -> str:
    """What is stored in KnowledgeArticle.search_text and matched with LIKE. A line break between the parts,
    so no term is found spanning the end of the title and the start of the keywords."""
    return "\n".join(normalise(part) for part in (title, keywords, body))


def terms(query: str) -> list[str]:
    """The strings to look for: the query's words of two characters or more that are not stop-words, numbers
    of three digits or more, and the whole query when it is short and not only stop-words. Longest first, no
    repeats, at most MAX_TERMS."""
    text = normalise(query)
    if not text:
        return []
    cut = [w for w in text_features.words(text) if " " not in w]  # no pairs of neighbouring words
    subject = [w for w in cut if w not in STOP_WORDS]
    # words() normalises digits to 0: numbers come from the text itself
    found = [w for w in subject if len(w) >= 2 and not any(c.isdigit() for c in w)] + _DIGITS.findall(text)
    compact = text.replace(" ", "")
    if len(compact) <= SHORT_QUERY and (subject or _DIGITS.search(text)):
        found.insert(0, compact)
    if not found and len(compact) > SHORT_QUERY:
        # nothing jieba recognised (a typo, a name it does not know): pairs of characters, within each chunk
        for chunk in text.split(" "):
            kept = "".join(ch for ch in chunk if ch not in STOP_WORDS and not text_features.NOT_A_WORD.match(ch))
            found += [kept[i:i + 2] for i in range(len(kept) - 1)]
    return sorted(dict.fromkeys(found), key=len, reverse=True)[:MAX_TERMS]


# How much a term found in each part counts; a longer term says more than a short one.
WEIGHTS = {"title": 10, "keywords": 6, "body": 2}
ALL_TERMS = 1000  # an article holding every term ranks above every article holding only some
EXACT_TITLE = 50


def score(terms_: list[str], title: str, keywords: str, body: str) -> float:
    """0 when no term is found. Ranked by how many of the query's words are found (all beats some), then
    where: the title weighs most, then the keywords, then the body. A term that holds another one (the whole
    short query "家里停水了" holds "停水") is not required: found, it only adds weight."""
    return _score(terms_, normalise(title), normalise(keywords), normalise(body))


def score_searchable(terms_: list[str], search_text: str) -> float:
    """The same score, from what `searchable` stored: no need to load and normalise the article again."""
    title, keywords, body = ((search_text or "").split("\n", 2) + ["", ""])[:3]
    return _score(terms_, title, keywords, body)


def _score(terms_: list[str], title: str, keywords: str, body: str) -> float:
    if not terms_:
        return 0.0
    parts = {"title": title, "keywords": keywords, "body": body}
    required = [t for t in terms_ if not any(o != t and o in t for o in terms_)]
    matched, weighted = 0, 0.0
    for term in terms_:
        places = [name for name, text in parts.items() if term in text]
        if places:
            matched += term in required
            weighted += len(term) * sum(WEIGHTS[name] for name in places)
    if not weighted:
        return 0.0
    total = weighted + 100 * matched / len(required)
    if matched == len(required):
        total += ALL_TERMS
    if title in terms_:
        total += EXACT_TITLE
    return round(total, 2)


def valid_on(article, day: date) -> bool:
    """Active, and `day` within its validity (both ends included; an open end is no limit)."""
    return bool(article.active) and (article.valid_from is None or article.valid_from <= day) and (
        article.valid_until is None or article.valid_until >= day)


def status_on(article, day: date) -> str:
    """"retired", "expired", "scheduled" (valid from a later day) or "valid"."""
    if not article.active:
        return "retired"
    if article.valid_until is not None and article.valid_until < day:
        return "expired"
    if article.valid_from is not None and article.valid_from > day:
        return "scheduled"
    return "valid"


EXPIRING_DAYS = 7  # a department sees a week ahead what it has to renew


def days_left(article, day: date) -> int | None:
    """Days from `day` to the article's last valid day (0: `day` is the last); None when it is retired, has
    no end, or has ended."""
    if not article.active or article.valid_until is None or article.valid_until < day:
        return None
    return (article.valid_until - day).days


def expiring(article, day: date, within: int = EXPIRING_DAYS) -> bool:
    """Active and its last valid day within `within` days of `day` (today included): time to renew it."""
    left = days_left(article, day)
    return left is not None and left <= within


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The text normalised character by character, and for each normalised character the index of the
    original one: NFKC can change a length ("㎡" → "m2"), and an excerpt shows the original text."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch).lower()
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def excerpt(body: str, terms_: list[str], width: int = 90) -> str:
    """The sentence around the first match in the body, cut to about `width` characters around the match;
    the opening of the body when no term is in it."""
    body = (body or "").strip()
    if not body:
        return ""
    flat, where = _normalised_with_map(body)
    hits = [(flat.find(t), t) for t in terms_ if t and flat.find(t) >= 0]
    if not hits:
        return _cut(body, 0, 0, width)
    pos, term = min(hits)
    start = where[pos]
    end = where[min(pos + len(term), len(where)) - 1] + 1
    return _cut(body, start, end, width)


def _cut(body: str, start: int, end: int, width: int) -> str:
    left = max((body.rfind(ch, 0, start) for ch in _SENTENCE_END), default=-1) + 1
    rights = [i for i in (body.find(ch, end) for ch in _SENTENCE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(body)
    prefix, suffix = "", ""
    if right - left > width:
        half = max((width - (end - start)) // 2, 0)
        new_left = max(left, start - half)
        new_right = min(right, new_left + width)
        new_left = max(left, min(new_left, new_right - width))
        prefix = "…" if new_left > left else ""
        suffix = "…" if new_right < right else ""
        left, right = new_left, new_right
    return prefix + body[left:right].strip() + suffix


@dataclass(frozen=True)
class ArticleSpec:
    title: str
    body: str
    keywords: str
    category_id: int | None
    owner_department_id: int | None
    valid_from: date | None
    valid_until: date | None


def check(title: str, body: str, keywords: str, category_id: int | None, owner_department_id: int | None,
          valid_from: date | None, valid_until: date | None) -> ArticleSpec:
    """The article as it may be stored; InvalidFields with a code per field otherwise."""
    title, body = (title or "").strip(), (body or "").strip()
    keywords = _SPACE.sub(" ", (keywords or "").replace("，", " ").replace(",", " ").replace("、", " ")).strip()
    problems: dict[str, str] = {}
    if not title:
        problems["title"] = "required"
    elif len(title) > TITLE_MAX:
        problems["title"] = "too_long"
    if not body:
        problems["body"] = "required"
    elif len(body) > BODY_MAX:
        problems["body"] = "too_long"
    if len(keywords) > KEYWORDS_MAX:
        problems["keywords"] = "too_long"
    if valid_from and valid_until and valid_until < valid_from:
        problems["valid_until"] = "before_start"
    if problems:
        raise InvalidFields("fields", problems)
    return ArticleSpec(title, body, keywords, category_id, owner_department_id, valid_from, valid_until)
