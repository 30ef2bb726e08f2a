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
    conditions = ", ".join(_thing(on, value) for on, value in explanation.matched) or _("any case")
    target = labels.name(explanation.lead) if explanation.lead else "—"
    if explanation.co:
        target += " + " + ", ".join(labels.name(d) for d in explanation.co)
    title = _("Rule %(n)d", n=explanation.rule_position)
    if explanation.rule_name:
        title += f" “{explanation.rule_name}”"
    how = _("dispatched at once") if explanation.mode == "auto" else _("suggested to the dispatcher")
    return f"{title}: {conditions} → {target} ({how})"
