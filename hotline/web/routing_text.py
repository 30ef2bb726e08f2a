"""A routing decision in one line a dispatcher reads, e.g.
规则 12「施工噪声」：城市管理 › 建筑施工噪声，东湖区 → 东湖区城管执法局（立即派单）。"""
from __future__ import annotations

from flask_babel import gettext as _

from hotline.services.routing import Explanation
from hotline.web import labels


def _thing(on: str, value) -> str:
    if on == "category":
        parent = getattr(value, "parent", None)
        return f"{labels.name(parent)} › {labels.name(value)}" if parent else labels.name(value)
    if on == "area":
        return labels.name(value) if not isinstance(value, str) else value
    if on == "kind":
        return labels.of(labels.KIND, value)
    if on == "urgency":
        return labels.of(labels.URGENCY, value)
    if on == "keyword":
        return _("“%(word)s” in the description", word=value)
    if on == "track":
        return labels.of(labels.TRACK, value)
    return str(value)


def describe(explanation: Explanation) -> str:
    if explanation.rule_position is None:
        return _("No rule of the dispatch catalogue matched: the dispatcher decides.")
    comma = _(", ")  # the list separator of the reader's language: "，" in Chinese
    conditions = comma.join(_thing(on, value) for on, value in explanation.matched) or _("any case")
    target = labels.short(explanation.lead) if explanation.lead else "—"
    if explanation.co:
        target += " + " + comma.join(labels.short(d) for d in explanation.co)
    how = _("dispatched at once") if explanation.mode == "auto" else _("suggested to the dispatcher")
    if explanation.rule_name:
        return _("Rule %(n)d “%(name)s”: %(conditions)s → %(target)s (%(how)s)", n=explanation.rule_position,
                 name=explanation.rule_name, conditions=conditions, target=target, how=how)
    return _("Rule %(n)d: %(conditions)s → %(target)s (%(how)s)", n=explanation.rule_position,
             conditions=conditions, target=target, how=how)
