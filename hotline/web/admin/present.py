"""The catalogue in names a person reads: a rule's conditions and targets, and the choices of its form.
Rules hold codes; this turns `district:cgj` into "the case's district's 城管执法局"."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain.kinds import KINDS_BY_TRACK, Urgency
from hotline.models import Area, Category, Department, RoutingRule
from hotline.web import labels

MODE = {"auto": _l("Dispatch at once"), "suggest": _l("Suggest to the dispatcher")}
MODE_SHORT = {"auto": _l("Auto-dispatch"), "suggest": _l("Suggest")}
PLACE = {
    "street_office": _l("The street office of the case's street"),
    "district_gov": _l("The government of the case's district"),
}


def _unit_names(dept: Department, district: Area) -> tuple[str, str]:
    """东湖区城管执法局 → 城管执法局; Donghu District Urban Management … → Urban Management …"""
    zh, en = dept.short_name, dept.name_en or dept.name
    for prefix in (district.name, district.name.removesuffix("区")):
        if prefix and zh.startswith(prefix) and len(zh) > len(prefix):
            zh = zh[len(prefix):]
            break
    first = (district.name_en or "").split(" ")[0]
    for prefix in (f"{district.name_en} ", f"{first} "):
        if prefix.strip() and en.startswith(prefix):
            en = en[len(prefix):]
            break
    return zh, en


@dataclass(frozen=True)
class Line:
    label: str
    values: list[str]


class Names:
    """Categories, areas and departments by code, loaded once for a page."""

    def __init__(self, session: Session) -> None:
        self.categories = {c.code: c for c in session.scalars(select(Category).order_by(Category.sort_order))}
        self.areas = {a.code: a for a in session.scalars(select(Area).order_by(Area.id))}
        self.departments = {d.code: d for d in session.scalars(select(Department).order_by(Department.code))}
        self.units: dict[str, tuple[str, str]] = {}
        by_id = {a.id: a for a in self.areas.values()}
        for d in self.departments.values():
            district = by_id.get(d.area_id)
            if d.kind == "district_bureau" and district and d.code.startswith(f"{district.code}-"):
                self.units.setdefault(d.code[len(district.code) + 1:], _unit_names(d, district))

    def category(self, code: str) -> str:
        c = self.categories.get(code)
        if c is None:
            return code
        if c.parent:
            return f"{labels.name(c.parent)} › {labels.name(c)}"
        return _("%(name)s (all sub-categories)", name=labels.name(c))

    def area(self, code: str) -> str:
        a = self.areas.get(code)
        if a is None:
            return code
        if a.parent:
            return f"{labels.name(a.parent)} {labels.name(a)}"
        return _("%(name)s (whole district)", name=labels.name(a))

    def unit(self, suffix: str) -> str:
        zh, en = self.units.get(suffix, (suffix, suffix))
        return en if str(get_locale()) == "en" else zh

    def target(self, target: str) -> str:
        if target in PLACE:
            return str(PLACE[target])
        if target.startswith("district:"):
            return _("%(unit)s of the case's district", unit=self.unit(target[9:]))
        if target.startswith("dept:"):
            d = self.departments.get(target[5:])
            if d is None:
                return _("%(code)s (no such department)", code=target[5:])
            return labels.short(d) if d.active else _("%(name)s (no longer takes cases)", name=labels.short(d))
        return target

    def target_is_bad(self, target: str) -> bool:
        if target in PLACE:
            return False
        if target.startswith("dept:"):
            d = self.departments.get(target[5:])
            return d is None or not d.active
        if target.startswith("district:"):
            return not any((d := self.departments.get(f"{a.code}-{target[9:]}")) and d.active
                           for a in self.areas.values() if a.parent_id is None)
        return True

    def conditions(self, rule: RoutingRule) -> list[Line]:
        """What a rule matches, one line per condition; no line means "any"."""
        lines = []
        if rule.track:
            lines.append(Line(_("Track"), [labels.of(labels.TRACK, rule.track)]))
        if rule.kinds:
            lines.append(Line(_("Kind"), [labels.of(labels.KIND, k) for k in rule.kinds]))
        if rule.categories:
            lines.append(Line(_("Subject"), [self.category(c) for c in rule.categories]))
        if rule.areas:
            lines.append(Line(_("Area"), [self.area(a) for a in rule.areas]))
        if rule.urgencies:
            lines.append(Line(_("Urgency"), [labels.of(labels.URGENCY, u) for u in rule.urgencies]))
        if rule.keywords:
            lines.append(Line(_("Keywords"), [f"“{k}”" for k in rule.keywords]))
        return lines

    # --- the choices of the rule form ---------------------------------------------------------------

    def category_groups(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """(top-level code, its name, [(sub-category code, name)]) — a top level matches all its subs."""
        return [(c.code, labels.name(c), [(s.code, labels.name(s)) for s in c.children])
                for c in self.categories.values() if c.parent_id is None]

    def area_groups(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        return [(a.code, labels.name(a), [(s.code, labels.name(s)) for s in a.children])
                for a in self.areas.values() if a.parent_id is None]

    def target_groups(self) -> dict[str, list[tuple[str, str]]]:
        """Place holders first (one rule serves every place), then the departments that take cases."""
        places = [(code, str(text)) for code, text in PLACE.items()]
        places += [(f"district:{s}", self.target(f"district:{s}")) for s in sorted(self.units)]
        groups: dict[str, list[tuple[str, str]]] = {_("Where the case is (属地)"): places}
        areas_by_id = {a.id: a for a in self.areas.values()}
        for d in sorted(self.departments.values(), key=lambda d: (d.level, d.code)):
            if not d.active or d.kind == "centre":
                continue
            if d.kind in labels.DEPARTMENT_KIND:
                group = labels.of(labels.DEPARTMENT_KIND, d.kind)
            else:
                area = areas_by_id.get(d.area_id)
                district = areas_by_id.get(area.parent_id) if area and area.parent_id else area
                group = labels.name(district) or _("Other")
            groups.setdefault(group, []).append((f"dept:{d.code}", labels.short(d)))
        return groups


def kind_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    return [(labels.of(labels.TRACK, str(track)), [(str(k), labels.of(labels.KIND, str(k))) for k in kinds])
            for track, kinds in KINDS_BY_TRACK.items()]


def urgency_choices() -> list[tuple[str, str]]:
    return [(str(u), labels.of(labels.URGENCY, str(u))) for u in Urgency]


def track_choices(anything: str) -> list[tuple[str, str]]:
    return [("", anything)] + [(code, str(text)) for code, text in labels.TRACK.items()]
