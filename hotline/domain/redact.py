"""Personal data out of a text before it is published (个人信息保护法 Art. 25: personal information is not
disclosed without separate consent; the consent to publish a question covers the matter, not the person).

`redact` prepares what a moderator edits: identity-card numbers (居民身份证, 18 digits, and the old 15),
mobile and fixed-line numbers however they are written, e-mail addresses, licence plates, any other long run of
digits (bank cards, QQ numbers), the names and addresses the case holds, and the house, building, unit and room
numbers of any address (the street stays: where a problem is, is part of the answer). `leftovers` says what
still looks personal in a text the moderator is about to publish. Both are cautious: a false alarm costs a
moderator a glance, a miss puts a person's number on the internet.
"""
from __future__ import annotations

import logging
import re
import threading
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

# what stands where something was removed; the texts published are Chinese
MARK = {
    "id_number": "〔身份证号〕", "phone": "〔电话〕", "email": "〔邮箱〕", "plate": "〔车牌〕",
    "number": "〔号码〕", "address": "〔住址〕", "name": "〔姓名〕",
}
HOUSE_MARK = "×"

# full-width digits and Latin letters (１３８…, ＡＢ) read as the half-width ones they stand for; the Chinese
# punctuation around them is left as it is
_HALF = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)}
                      | {chr(0xFF21 + i): chr(0x41 + i) for i in range(26)}
                      | {chr(0xFF41 + i): chr(0x61 + i) for i in range(26)} | {"＋": "+", "＠": "@"})
_SEP = r"[\s\-－—·]?"
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+\s*@\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# 6-digit region, birth date (18xx–20xx, month, day), 3-digit sequence, check digit (X for 10)
_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{6}" + _SEP + r"(?:18|19|20)\d{2}" + _SEP + r"(?:0[1-9]|1[0-2])"
                    r"(?:0[1-9]|[12]\d|3[01])" + _SEP + r"\d{3}[\dXx](?![0-9A-Za-z])")
_ID_LOOSE = re.compile(r"(?<!\d)\d{17}[\dXx](?![\dA-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86" + _SEP + r")?1[3-9]\d(?:" + _SEP + r"\d){8}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:[(（]?0\d{2,3}[)）]?" + _SEP + r")\d{3,4}" + _SEP + r"\d{4}(?!\d)")
_PLATE = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z]" + _SEP
                    + r"[A-Z0-9]{5,6}(?![A-Za-z0-9])")
_LONG_NUMBER = re.compile(r"(?<!\d)\d{7,}(?!\d)")
# 88号, 3号楼, 2单元, 501室, 12栋, 7弄 — but not a date (11月27号), a metro line (3号线) or a document (1号文件)
_HOUSE = re.compile(r"(?<![\d月])\d+(\s*)(号楼|号院|号|栋|幢|座|单元|室|户|弄)(?![线文令台机窗口])")
_ROOM_AFTER_UNIT = re.compile(r"(单元\s*)\d{3,4}(?!\d)")  # 2单元501: the flat number with nothing after it
_CJK = re.compile(r"[\u3400-\u9fff]")
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐",
    "端木", "南宫", "西门", "轩辕", "独孤", "闻人", "澹台", "万俟", "呼延", "申屠",
})


# A surname with one of these is how a letter names an official or a neighbour (王先生, 陈老师): not an identity.
TITLES = ("先生", "女士", "小姐", "老师", "师傅", "阿姨", "大爷", "大妈", "同志", "科长", "主任", "经理", "书记",
          "局长", "队长", "所长", "站长", "警官", "医生", "护士", "律师", "老板", "某")
_NAME_TAGS = ("nr", "nrt", "nrfg")  # jieba's part-of-speech tags for person names
_pos_lock = threading.Lock()
_pos = None


def _tagger():
    global _pos
    if _pos is None:
        with _pos_lock:
            if _pos is None:
                with warnings.catch_warnings():  # jieba 0.42 imports pkg_resources, which newer setuptools deprecate
                    warnings.filterwarnings("ignore", message=".*pkg_resources.*")
                    import jieba
                    import jieba.posseg
                logging.getLogger("jieba").setLevel(logging.WARNING)
                jieba.initialize()
                _pos = jieba.posseg.dt
    return _pos


def _other_names(text: str, tally: Counter) -> str:
    """Names the case does not hold (a neighbour, an official, someone else who complained), as jieba's
    dictionary and name model recognise them: 张伟 → 张某. A surname with a title (王先生) stays."""
    out = []
    tokens = list(_tagger().cut(text))
    for i, (word, flag) in enumerate(tokens):
        following = tokens[i + 1].word if i + 1 < len(tokens) else ""
        if (flag in _NAME_TAGS and len(word) >= 2 and _CJK.match(word) and "〔" not in word
                and not word.endswith(TITLES) and not _not_a_person(word, following)):
            out.append(word[0] + "某" if flag == "nr" or len(word) > 2 else "某某")
            tally["possible_name"] += 1
        else:
            out.append(word)
    return "".join(out)


# what follows a word that names a place or a body, not a person: 柳营街道, 谢家村, 张庄镇
PLACE_SUFFIXES = ("街道", "社区", "小区", "大街", "路", "街", "巷", "村", "镇", "乡", "区", "县", "市", "庄", "园",
                  "桥", "山", "湖", "河", "公园", "大厦", "广场", "花园", "新村", "委", "局", "办", "站", "所", "队")


def _not_a_person(word: str, following: str) -> bool:
    """jieba's name model takes 柳营 (in 柳营街道) and 谢谢 for names: a word before a place's or a body's suffix
    names the place, and a word that opens with a doubled character (谢谢你们) or holds a pronoun is no name."""
    return (following.startswith(PLACE_SUFFIXES) or word.endswith(PLACE_SUFFIXES) or word[0] == word[1]
            or any(pronoun in word for pronoun in ("你们", "我们", "他们", "您")))


@dataclass(frozen=True)
class Redacted:
    text: str
    removed: dict[str, int] = field(default_factory=dict)  # kind → how many were taken out


def _sub(pattern: re.Pattern, replacement, text: str, kind: str, tally: Counter) -> str:
    text, n = pattern.subn(replacement, text)
    tally[kind] += n
    return text


def _name_patterns(names: Iterable[str]) -> list[tuple[re.Pattern, str]]:
    """Each name, longest first, as what replaces it: 王小明 → 王某 (as official publications write it), a name in
    Latin letters → 〔姓名〕. The given name alone (小明) goes too, when it is two characters or more."""
    out: list[tuple[re.Pattern, str]] = []
    for name in sorted({(n or "").strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        if _CJK.match(name):
            surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
            out.append((re.compile(re.escape(name)), surname + "某"))
            given = name[len(surname):]
            if len(given) >= 2:
                out.append((re.compile(re.escape(given)), "某"))
        else:
            spaced = r"\s+".join(re.escape(part) for part in name.split())
            out.append((re.compile(r"(?<![A-Za-z])" + spaced + r"(?![A-Za-z])", re.IGNORECASE), MARK["name"]))
    return out


def redact(text: str | None, names: Iterable[str] = (), addresses: Iterable[str] = (),
           others: bool = True) -> Redacted:
    """The text with every personal detail it recognises replaced, and what was replaced. `others`: also the
    names of other people found in it (a suggestion for the moderator; see `leftovers`)."""
    text = (text or "").translate(_HALF)
    tally: Counter = Counter()
    text = _sub(_EMAIL, MARK["email"], text, "email", tally)
    text = _sub(_ID_18, MARK["id_number"], text, "id_number", tally)
    text = _sub(_ID_LOOSE, MARK["id_number"], text, "id_number", tally)
    text = _sub(_MOBILE, MARK["phone"], text, "phone", tally)
    text = _sub(_LANDLINE, MARK["phone"], text, "phone", tally)
    text = _sub(_PLATE, MARK["plate"], text, "plate", tally)
    text = _sub(_LONG_NUMBER, MARK["number"], text, "number", tally)
    for address in sorted({(a or "").strip() for a in addresses if a and len(a.strip()) >= 4}, key=len,
                          reverse=True):
        text = _sub(re.compile(re.escape(address)), MARK["address"], text, "address", tally)
    for pattern, replacement in _name_patterns(names):
        text = _sub(pattern, replacement, text, "name", tally)
    if others and _CJK.search(text):
        text = _other_names(text, tally)
    text = _sub(_HOUSE, lambda m: HOUSE_MARK + m.group(1) + m.group(2), text, "house_number", tally)
    text = _sub(_ROOM_AFTER_UNIT, lambda m: m.group(1) + HOUSE_MARK, text, "house_number", tally)
    return Redacted(text, {kind: n for kind, n in tally.items() if n})


def leftovers(text: str | None, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> list[str]:
    """The kinds of personal data still found in `text` (identity numbers, phone numbers, e-mail addresses,
    plates, long numbers, the case's names and addresses): what must not be published. House numbers and the
    names a dictionary guesses are left to the moderator's judgement (12号线 is not an address, and the
    moderator knows 文明 is not a person)."""
    return [kind for kind in redact(text, names, addresses, others=False).removed if kind != "house_number"]


TITLE_MAX = 120  # Publication.title
TEXT_MAX = 4000


def check_publication(title: str, question: str, answer: str, names: Iterable[str] = (),
                      addresses: Iterable[str] = ()) -> dict[str, str]:
    """What stops a question and answer from being published, per field: required, too_long, or
    "personal:<kinds>" when personal data is still in it (e.g. "personal:phone,name")."""
    problems: dict[str, str] = {}
    for name, text, limit in (("title", title, TITLE_MAX), ("question", question, TEXT_MAX),
                              ("answer", answer, TEXT_MAX)):
        text = (text or "").strip()
        if not text:
            problems[name] = "required"
        elif len(text) > limit:
            problems[name] = "too_long"
        elif found := leftovers(text, names, addresses):
            problems[name] = "personal:" + ",".join(found)
    return problems


_CLAUSE = re.compile(r"[。！？!?；;，,\n]")


def title_from(question: str, fallback: str = "", limit: int = 40) -> str:
    """A first title for the moderator: the question's first clause with nothing taken out of it (the matter,
    not "我叫王某"), cut to `limit` characters; `fallback` (the subject's name) when every clause lost something."""
    for clause in _CLAUSE.split(question or ""):
        clause = " ".join(clause.split())
        if len(clause) >= 4 and not any(mark in clause for mark in ("〔", "某", HOUSE_MARK)):
            return clause if len(clause) <= limit else clause[:limit - 1] + "…"
    return fallback[:limit]
