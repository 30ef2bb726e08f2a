"""What registering a petition checks (信访工作条例 Arts. 19, 20, 36), in plain Python.

- Art. 19: a petition names its petitioner(s), with an address or a way to reach them, and states the request,
  the facts and the reasons.
- Art. 20: many people with one matter choose representatives, at most five; the replies go to them.
- Art. 19: a matter already accepted elsewhere (lower down) is not accepted again — flagged for the office.
- Art. 36: after 复核, the same facts and reasons are never accepted again — refused, unless the petitioner
  brings new facts or reasons, which the office writes down.

The same matter: the same person (an ID number or a phone number in common) and the same words, compared as
character pairs as the 12345 duplicate finder does (duplicates.py), with the subject when both have one.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hotline.domain.duplicates import bigrams, similarity

MAX_REPRESENTATIVES = 5  # Art. 20
GROUP_SIZE = 5  # Art. 20 (and 《信访工作条例》 practice): from five people up, a group chooses representatives
MAX_PETITIONERS = 50
SAME_MATTER_THRESHOLD = 0.30

_ID = re.compile(r"\d{17}[\dX]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# the states in which a petition counts as accepted and not finished with (Art. 19)
ACCEPTED_STATES = frozenset({"accepted", "decided", "reviewing", "reviewed", "re_reviewing"})


@dataclass(frozen=True)
class PetitionerIn:
    name: str
    id_number: str = ""
    phone: str | None = None  # E.164, already parsed
    address: str = ""
    representative: bool = False


def valid_id_number(value: str) -> bool:
    """GB 11643-1999: 17 digits and a check character (0-9 or X)."""
    if not _ID.fullmatch(value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def petitioner_problems(people: list[PetitionerIn], group_size: int) -> dict[str, str]:
    """Field codes: petitioners (none, too_many), petitioners.N.name / address / id_number, representatives."""
    errors: dict[str, str] = {}
    if not people:
        return {"petitioners": "required"}
    if len(people) > MAX_PETITIONERS:
        return {"petitioners": "too_many"}
    for n, p in enumerate(people):
        if not p.name.strip():
            errors[f"petitioners.{n}.name"] = "required"
        if not p.address.strip() and not p.phone:
            errors[f"petitioners.{n}.address"] = "address_or_phone"  # Art. 19: where to reach them
        if p.id_number and not valid_id_number(p.id_number):
            errors[f"petitioners.{n}.id_number"] = "invalid_id_number"
    chosen = sum(p.representative for p in people)
    if chosen > MAX_REPRESENTATIVES:
        errors["representatives"] = "too_many_representatives"
    elif max(group_size, len(people)) >= GROUP_SIZE and chosen == 0:
        errors["representatives"] = "representatives_required"
    return errors


@dataclass(frozen=True)
class Matter:
    """A petition as the comparison needs it."""
    case_id: int
    number: str
    state: str
    final: bool
    category_id: int | None
    id_numbers: frozenset[str]
    phones: frozenset[str]
    text: str
    received_at: datetime | None = None


@dataclass(frozen=True)
class SameMatter:
    matter: Matter
    similarity: float

    @property
    def kind(self) -> str:
        """settled: closed after 复核 (refused, Art. 36); open: accepted and not finished (flagged, Art. 19)."""
        return "settled" if self.matter.final else "open"


def same_person(a: Matter, b: Matter) -> bool:
    return bool(a.id_numbers & b.id_numbers or a.phones & b.phones)


def find_same_matter(new: Matter, earlier: Iterable[Matter],
                     threshold: float = SAME_MATTER_THRESHOLD) -> SameMatter | None:
    """The earlier petition that is the same matter as `new` and matters for registration — one closed after
    复核 before one still being handled — and the closer text first."""
    mine = bigrams(new.text)
    found = []
    for old in earlier:
        if old.case_id == new.case_id or not same_person(new, old):
            continue
        if not (old.final or old.state in ACCEPTED_STATES):
            continue
        if new.category_id and old.category_id and new.category_id != old.category_id:
            continue
        score = similarity(mine, bigrams(old.text))
        if score >= threshold:
            found.append(SameMatter(old, round(score, 3)))
    found.sort(key=lambda s: (not s.matter.final, -s.similarity))
    return found[0] if found else None
