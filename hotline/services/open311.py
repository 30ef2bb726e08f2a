"""Open311 services: our active level-2 categories as GeoReport service types, and the places a request may
name. The requests themselves: open311_requests.py (reading) and open311_filing.py (filing)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, joinedload

from hotline.domain import open311 as spec
from hotline.domain.kinds import KINDS_BY_TRACK, Kind, Track, Urgency
from hotline.models import Area, Category


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    group: str
    keywords: str
    description: str


def _named(thing, en: bool) -> str:
    return thing.name_en if en and thing.name_en else thing.name


def _service(category: Category, en: bool) -> Service:
    group = _named(category.parent, en) if category.parent else ""
    name = _named(category, en)
    # the spec's keywords are comma separated; ours are kept space separated (Chinese words citizens use)
    keywords = ", ".join(category.keywords.split())
    return Service(code=category.code, name=name, group=group, keywords=keywords,
                   description=f"{group} › {name}" if group else name)


def services(session: Session, *, en: bool) -> list[Service]:
    """Every level-2 category in use whose level-1 category is in use, in the order the web form lists them."""
    parent = aliased(Category)
    rows = session.scalars(
        select(Category).join(parent, Category.parent_id == parent.id)
        .where(Category.level == 2, Category.active, parent.active)
        .options(joinedload(Category.parent))
        .order_by(parent.sort_order, parent.code, Category.sort_order, Category.code)
    )
    return [_service(c, en) for c in rows]


def category(session: Session, code: str) -> Category | None:
    """The category behind a service_code, if it is a service we offer."""
    found = session.scalar(select(Category).where(Category.code == code).options(joinedload(Category.parent)))
    if found is None or not found.active or found.level != 2 or (found.parent and not found.parent.active):
        return None
    return found


def service(session: Session, code: str, *, en: bool) -> Service | None:
    found = category(session, code)
    return _service(found, en) if found else None


@dataclass(frozen=True)
class Street:
    code: str
    name: str  # with its district: 东湖区 西湖街道


def streets(session: Session, *, en: bool) -> list[Street]:
    """The streets a request may name as its area (attribute[area]): active, in an active district."""
    district = aliased(Area)
    rows = session.execute(
        select(Area, district).join(district, Area.parent_id == district.id)
        .where(Area.level == 2, Area.active, district.active).order_by(district.code, Area.code)
    )
    return [Street(street.code, f"{_named(d, en)} {_named(street, en)}") for street, d in rows]


def plain(table: str, key: str) -> str:
    """The wording of a definition when only its codes matter (checking a POST)."""
    return key


def attributes(session: Session, *, en: bool, word=plain) -> tuple[spec.Attribute, ...]:
    """The service definition's attributes, the same for every service. `word(table, key)` names a value in the
    reader's language: tables "kind", "urgency", "yes_no" (keys "true"/"false") and "prompt" (an attribute's
    description, by its code)."""
    kinds = tuple(spec.Value(str(k), word("kind", str(k))) for k in KINDS_BY_TRACK[Track.HOTLINE])
    urgencies = tuple(spec.Value(str(u), word("urgency", str(u))) for u in Urgency)
    areas = tuple(spec.Value(s.code, s.name) for s in streets(session, en=en))
    yes_no = (spec.Value("false", word("yes_no", "false")), spec.Value("true", word("yes_no", "true")))
    return (
        spec.Attribute(spec.KIND, "singlevaluelist", False, word("prompt", spec.KIND), 1, kinds,
                       default=str(Kind.COMPLAINT)),
        spec.Attribute(spec.URGENCY, "singlevaluelist", False, word("prompt", spec.URGENCY), 2, urgencies,
                       default=str(Urgency.GENERAL)),
        spec.Attribute(spec.AREA, "singlevaluelist", True, word("prompt", spec.AREA), 3, areas),
        spec.Attribute(spec.CONFIDENTIAL, "singlevaluelist", False, word("prompt", spec.CONFIDENTIAL), 4, yes_no,
                       default="false"),
    )
