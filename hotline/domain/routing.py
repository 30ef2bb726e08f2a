"""The dispatch catalogue (派单目录, DOMAIN.md §5): ordered rules over what a case is and where, each
naming the department responsible — 属地管理、分级负责，谁主管、谁负责.

Rules speak in codes (categories, areas, departments), so a catalogue reads the same in a spreadsheet,
in the database and here. A target is either a department (`dept:<code>`) or a place holder that one
rule can use for every place: `street_office` (the street office of the case's street), `district_gov`
(the district government of its district) or `district:<suffix>` (the district's own unit, e.g.
`district:cgj` → `dh-cgj` for a case in 东湖区). The first rule that matches and whose targets resolve
wins; no rule → the dispatcher's queue."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

AUTO, SUGGEST = "auto", "suggest"
PLACE_TARGETS = ("street_office", "district_gov")


@dataclass(frozen=True)
class Rule:
    id: int
    position: int
    name: str = ""
    track: str | None = None
    kinds: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()  # a category matches its sub-categories
    areas: frozenset[str] = frozenset()  # a district matches its streets
    urgencies: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()  # any of them in the description
    lead: str = ""
    co: tuple[str, ...] = ()
    mode: str = SUGGEST
    active: bool = True


@dataclass(frozen=True)
class Facts:
    """The case as routing sees it: codes with their ancestors, so `city` matches `city.noise-x`."""
    track: str
    kind: str
    urgency: str
    category_codes: frozenset[str] = frozenset()  # the sub-category and its parent
    area_codes: frozenset[str] = frozenset()  # the street and its district
    district: str | None = None
    street: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Directory:
    """Departments by code (active ones only), and who serves which place."""
    active: frozenset[str]
    street_offices: dict[str, str] = field(default_factory=dict)  # street area code → department code
    district_govs: dict[str, str] = field(default_factory=dict)  # district area code → department code

    def resolve(self, target: str, facts: Facts) -> str | None:
        if target.startswith("dept:"):
            code = target[5:]
        elif target == "street_office":
            code = self.street_offices.get(facts.street or "")
        elif target == "district_gov":
            code = self.district_govs.get(facts.district or "")
        elif target.startswith("district:") and facts.district:
            code = f"{facts.district}-{target[9:]}"
        else:
            code = None
        return code if code in self.active else None


@dataclass(frozen=True)
class Match:
    on: str  # track, kind, category, area, urgency, keyword
    value: str


@dataclass(frozen=True)
class Decision:
    rule: Rule | None
    lead: str | None = None
    co: tuple[str, ...] = ()
    matched: tuple[Match, ...] = ()
    skipped: tuple[tuple[int, str], ...] = ()  # (rule id, why) for rules that matched but could not resolve

    @property
    def mode(self) -> str:
        return self.rule.mode if self.rule else "none"


def _conditions(rule: Rule, facts: Facts) -> tuple[Match, ...] | None:
    """The conditions a rule matched on, or None when one fails. An empty condition matches anything."""
    matched: list[Match] = []
    if rule.track:
        if rule.track != facts.track:
            return None
        matched.append(Match("track", rule.track))
    for on, wanted, have in (("kind", rule.kinds, {facts.kind}), ("category", rule.categories, facts.category_codes),
                             ("area", rule.areas, facts.area_codes), ("urgency", rule.urgencies, {facts.urgency})):
        if wanted:
            hit = wanted & have
            if not hit:
                return None
            matched.append(Match(on, min(hit)))
    if rule.keywords:
        word = next((k for k in rule.keywords if k and k in facts.description), None)
        if word is None:
            return None
        matched.append(Match("keyword", word))
    return tuple(matched)


class Catalogue:
    """A rule set compiled for routing: rules in order, indexed by category so a case looks only at the
    rules that could match it (2,000 rules, a few dozen looked at)."""

    def __init__(self, rules: Iterable[Rule], version: int = 0) -> None:
        self.version = version
        self.rules = sorted((r for r in rules if r.active), key=lambda r: (r.position, r.id))
        self._by_category: dict[str, list[int]] = {}
        self._any_category: list[int] = []
        for index, rule in enumerate(self.rules):
            if rule.categories:
                for code in rule.categories:
                    self._by_category.setdefault(code, []).append(index)
            else:
                self._any_category.append(index)

    def candidates(self, facts: Facts) -> list[Rule]:
        indices = set(self._any_category)
        for code in facts.category_codes:
            indices.update(self._by_category.get(code, ()))
        return [self.rules[i] for i in sorted(indices)]

    def route(self, facts: Facts, directory: Directory) -> Decision:
        skipped: list[tuple[int, str]] = []
        for rule in self.candidates(facts):
            matched = _conditions(rule, facts)
            if matched is None:
                continue
            lead = directory.resolve(rule.lead, facts)
            if lead is None:
                skipped.append((rule.id, f"lead {rule.lead} does not resolve here"))
                continue
            co = tuple(dict.fromkeys(c for t in rule.co if (c := directory.resolve(t, facts)) and c != lead))
            return Decision(rule=rule, lead=lead, co=co, matched=matched, skipped=tuple(skipped))
        return Decision(rule=None, skipped=tuple(skipped))


def target_problem(target: str, directory: Directory, district_codes: Iterable[str]) -> str | None:
    """Why a target cannot be used in a rule (checked when the rule is saved), or None."""
    if target in PLACE_TARGETS:
        return None
    if target.startswith("dept:"):
        return None if target[5:] in directory.active else "unknown_department"
    if target.startswith("district:"):
        suffix = target[9:]
        if not suffix:
            return "unknown_target"
        return None if any(f"{d}-{suffix}" in directory.active for d in district_codes) else "unknown_department"
    return "unknown_target"
