"""The shapes of seed data: plain records, matched to rows by their code."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaSeed:
    code: str  # ascii lowercase: "dh" for a district, "dh-xhj" for a street in it
    name: str  # 东湖区 / 西湖街道
    name_en: str  # Donghu District / Xihu Subdistrict
    parent: str | None  # district code for a street; None for a district


@dataclass(frozen=True)
class DepartmentSeed:
    code: str  # [a-z0-9-], <= 24 chars, unique; staff username is "<code>-staff"
    name: str  # full name, e.g. 市城市管理委员会
    short_name: str  # e.g. 市城管委
    name_en: str
    # one of "centre", "city_bureau", "district_gov", "district_bureau",
    # "street_office", "utility"
    kind: str
    parent: str | None  # district bureaus and street offices -> "<d>-gov"; else None
    area: str | None  # district code / street code for district-level units; else None
    phone: str  # fictional office number, "0999-8xxxxxxx"


@dataclass(frozen=True)
class CategorySeed:
    code: str  # "city" for a top level, "city.noise-construction" for a sub-category
    name: str
    name_en: str
    parent: str | None  # None for a top level
    keywords: tuple[str, ...] = ()  # words a citizen might type (sub-categories only)
    owner: str | None = None  # department that usually owns it (sub-categories only)
