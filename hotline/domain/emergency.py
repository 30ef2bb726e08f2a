"""Emergencies are not 12345's (DOMAIN.md §2): a caller whose life or property is at risk now is told to dial
110 (police), 119 (fire and rescue), 120 (ambulance) or 122 (traffic accidents), and the call is recorded as
handed on. This module reads the operator's notes for the words that suggest which number.

The words are matched clause by clause. A clause that only fears or recalls the danger ("一旦着火后果不堪设想",
"上次有人摔伤") is not an emergency, so hedges and words of the past silence the clause they stand in. The lists
are tuned on the demo complaint texts (hotline/seed/complaint_texts.py): routine complaints must not raise the
prompt, or operators learn to ignore it (tests/unit/test_emergency.py)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SERVICES = ("110", "119", "120", "122")

# Words that name the danger, per number. A word that also names an everyday matter is left out (火 of 火锅 and
# 火车, 烟 of 油烟 and 抽烟, 受伤 of "怕孩子受伤").
WORDS: dict[str, tuple[str, ...]] = {
    "119": ("着火", "起火", "失火", "火灾", "大火", "火情", "烧起来", "浓烟", "爆炸", "燃气泄漏", "煤气泄漏",
            "天然气泄漏", "闻到煤气", "煤气味", "燃气味", "被困", "困在电梯", "落水", "溺水"),
    "120": ("晕倒", "昏倒", "昏迷", "不省人事", "休克", "心脏病发", "心梗", "心脏骤停", "中风", "抽搐", "呼吸困难",
            "喘不上气", "大出血", "流血不止", "摔伤", "骨折", "中毒", "喝了农药", "割腕", "没有呼吸", "没呼吸"),
    "122": ("车祸", "撞车", "追尾", "交通事故", "撞人", "撞伤", "撞倒", "被车撞了", "翻车", "肇事逃逸"),
    "110": ("打架", "斗殴", "打人", "抢劫", "持刀", "拿刀", "砍人", "行凶", "家暴", "绑架", "跳楼", "轻生",
            "想不开", "要自杀"),
}
# Acts that are an emergency only while they happen ("正在偷", not "车被偷了好几次").
HAPPENING_WORDS: dict[str, tuple[str, ...]] = {"110": ("偷", "撬门", "撬锁", "诈骗", "骗钱", "砸车", "砸东西")}
NOW = ("正在", "现在", "刚才", "刚刚", "马上", "此刻", "救命", "紧急", "快来", "赶紧")
# A clause with one of these fears, supposes or remembers the danger; it does not report it happening.
HEDGES = ("一旦", "万一", "如果", "要是", "假如", "怕", "担心", "担忧", "隐患", "容易", "会不会", "以免", "避免",
          "防止", "预防", "防火", "差点", "险些", "听说", "以前", "之前", "上次", "去年", "曾经", "过去", "后果",
          "安全吗", "危险吗", "演练", "宣传", "培训", "后遗症", "经常", "常常", "总是", "老是", "时常", "每天", "每晚",
          "天天")
# A sentence told in the past ("上周六…食物中毒，住院了三天") is a complaint about what happened, unless it also
# says something is happening now.
PAST = ("上周", "上个月", "上次", "前年", "去年", "昨天", "昨晚", "前天", "前几天", "当时", "那次", "住院", "在医院",
        "去世", "出院", "确诊", "医药费", "工伤", "投诉")
NEGATIONS = "不没未无别"  # 打不着火, 没着火

_SENTENCE = re.compile(r"[。！？!?\n]+")
_CLAUSE = re.compile(r"[；;，,、]+")


@dataclass(frozen=True)
class Prompt:
    """What to tell the caller: `services` best first; `words` are what suggested them (empty when only the
    urgency did); `strong` when the danger is happening now or the operator marked the call urgent."""
    services: tuple[str, ...]
    words: tuple[str, ...]
    strong: bool


def clauses(text: str) -> list[tuple[str, bool, bool]]:
    """Each clause, and whether the sentence it stands in tells of the past, or of now."""
    out = []
    for sentence in _SENTENCE.split(unicodedata.normalize("NFKC", text or "").lower()):
        now = any(n in sentence for n in NOW)
        past = not now and any(p in sentence for p in PAST)
        out.extend((c, past, now) for c in _CLAUSE.split(sentence) if c.strip())
    return out


def _said(word: str, clause: str) -> bool:
    """The word is there and not denied ("打不着火" is no fire)."""
    at = clause.find(word)
    while at >= 0:
        if at == 0 or clause[at - 1] not in NEGATIONS:
            return True
        at = clause.find(word, at + 1)
    return False


def suggest(text: str, urgency: str | None = None) -> Prompt | None:
    """The numbers to suggest for a call described as `text`, or None. An urgent call with no telling word still
    gets the prompt, with every number, so the operator asks the question."""
    found: dict[str, list[str]] = {}
    happening = False
    for clause, past, now in clauses(text):
        if past or any(h in clause for h in HEDGES):
            continue
        tables = (WORDS, HAPPENING_WORDS) if any(n in clause for n in NOW) else (WORDS,)
        for table in tables:
            for service, words in table.items():
                hits = [w for w in words if _said(w, clause)]
                if hits:
                    found.setdefault(service, []).extend(hits)
                    happening = happening or now
    urgent = urgency == "urgent"
    if not found:
        return Prompt(SERVICES, (), True) if urgent else None
    ranked = sorted(found, key=lambda s: (-len(found[s]), SERVICES.index(s)))
    words = tuple(dict.fromkeys(w for s in ranked for w in found[s]))
    return Prompt(tuple(ranked), words, urgent or happening)
