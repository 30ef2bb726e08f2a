"""What a petition's JSON needs beyond its own rows, for a page of cases in a few queries, and what a reader who
sees the petitioners masked must not read in its texts (信访工作条例 Art. 30; 个人信息保护法 Arts. 34–36)."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask import current_app, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from hotline.domain.access import Actor, can_view_case, sees_all_cases, sees_contact_unmasked
from hotline.domain.masking import hide_identity
from hotline.extensions import db
from hotline.models import AccusedDepartment, Case, Department, Petition, PetitionDocument
from hotline.services import serialize

# where the documents are read (hotline/web/documents): the page and its PDF
DOCUMENT_ENDPOINTS = ("documents.show", "documents.pdf")


def extras(rows: Iterable[Case], actor: Actor) -> dict[int, serialize.PetitionExtra]:
    petitions = [c for c in rows if c.petition is not None]
    if not petitions:
        return {}
    ids = [c.id for c in petitions]
    documents: dict[int, list[PetitionDocument]] = {}
    for document in db.session.scalars(select(PetitionDocument).where(PetitionDocument.case_id.in_(ids))
                                       .order_by(PetitionDocument.issued_at, PetitionDocument.id)):
        documents.setdefault(document.case_id, []).append(document)
    earlier = _same_matter_numbers(petitions, actor)
    accused = _accused(ids) if sees_all_cases(actor) else None
    return {c.id: serialize.PetitionExtra(
        documents=documents.get(c.id, []), links=document_links(c.number), same_matter=earlier.get(c.id),
        accused=accused.get(c.id, []) if accused is not None else None) for c in petitions}


def visible_numbers(numbers: Iterable[str], actor: Actor) -> set[str]:
    """Of these case numbers, those the caller may see: the number of a case one may not see is itself a trace
    (an accusation against one's unit, a case one is recused from)."""
    wanted = {n for n in numbers if isinstance(n, str) and n}
    if not wanted:
        return set()
    rows = db.session.scalars(select(Case).where(Case.number.in_(wanted)).options(
        selectinload(Case.assignments), selectinload(Case.recusals),
        selectinload(Case.petition).selectinload(Petition.accused)))
    return {c.number for c in rows if can_view_case(actor, c.scope)}


def _same_matter_numbers(petitions: list[Case], actor: Actor) -> dict[int, str]:
    ids = {c.petition.same_matter_case_id for c in petitions if c.petition.same_matter_case_id}
    if not ids:
        return {}
    numbers = dict(db.session.execute(select(Case.id, Case.number).where(Case.id.in_(ids))).tuples().all())
    seen = visible_numbers(numbers.values(), actor)
    return {c.id: numbers[c.petition.same_matter_case_id] for c in petitions
            if numbers.get(c.petition.same_matter_case_id) in seen}


def _accused(case_ids: list[int]) -> dict[int, list[Department]]:
    out: dict[int, list[Department]] = {}
    query = (select(AccusedDepartment.case_id, Department)
             .join(Department, Department.id == AccusedDepartment.department_id)
             .where(AccusedDepartment.case_id.in_(case_ids)).order_by(Department.code))
    for case_id, department in db.session.execute(query).tuples():
        out.setdefault(case_id, []).append(department)
    return out


def document_links(number: str) -> Callable[[PetitionDocument], tuple[str | None, str | None]]:
    def links(document: PetitionDocument) -> tuple[str | None, str | None]:
        return tuple(_url(endpoint, number, document) for endpoint in DOCUMENT_ENDPOINTS)  # type: ignore[return-value]
    return links


def _url(endpoint: str, number: str, document: PetitionDocument) -> str | None:
    """The document's page or PDF, filled in with whichever of its ids the route names; None without the route."""
    try:
        rule = next(iter(current_app.url_map.iter_rules(endpoint)))
    except KeyError:
        return None
    known = {"number": number, "case_number": number, "document_id": document.id, "id": document.id,
             "document": document.number, "document_number": document.number}
    try:
        return url_for(endpoint, **{name: known[name] for name in rule.arguments if name in known})
    except BuildError:
        return None


def hider(case: Case, actor: Actor) -> Callable[[str | None], str | None] | None:
    """For a reader who sees the person masked: a case's free texts with every petitioner's (or the person's) name,
    number and ID number masked where they were written into them, as the case page does. None for everyone else."""
    if sees_contact_unmasked(actor, case.confidential, case.kind):
        return None
    people = [(p.name, p.phone, p.id_number) for p in case.petition.petitioners] if case.petition else []
    if case.person is not None:
        people.append((case.person.name, case.person.phone, ""))
    if not people:
        return None

    def hide(text: str | None) -> str | None:
        if not text:
            return text
        for name, phone, id_number in people:
            text = hide_identity(text, name, phone)
            if id_number:
                text = _spaced(id_number).sub(serialize.mask_id_number(id_number), text)
        return text
    return hide


def _spaced(id_number: str) -> re.Pattern:
    """An ID number as people write it: spaced or not, with a lower-case x."""
    return re.compile(r"\s?".join(re.escape(c) for c in id_number), re.IGNORECASE)


def hide_petition(body: dict, hide: Callable[[str | None], str | None]) -> None:
    petition = body.get("petition")
    if petition:
        for key in ("facts", "reasons", "new_facts", "objection_reason"):
            petition[key] = hide(petition[key])


# Where an event's data names another case: a number the caller may not see is taken out.
CASE_REFERENCES = {"merge": ("into",), "linked": ("petition",), "link": ("case",), "register": ("same_matter",)}


def references(item: dict) -> list[tuple[dict, str, str]]:
    """(where, key, number) of each case number an event's data names."""
    data = item.get("data") or {}
    out = []
    for key in CASE_REFERENCES.get(item["action"], ()):
        value = data.get(key)
        if isinstance(value, dict) and isinstance(value.get("case"), str):
            out.append((value, "case", value["case"]))
        elif isinstance(value, str):
            out.append((data, key, value))
    return out


def redact_references(items: list[dict], actor: Actor) -> list[dict]:
    """The events as the caller may read them: a case number they may not see is taken out, and a note left on a
    case about a petition they may not see (`linked`: the operator's words, perhaps naming the petitioner) is not
    theirs at all."""
    found = [(item, ref) for item in items for ref in references(item)]
    seen = visible_numbers((number for _, (_, _, number) in found), actor)
    hidden = set()
    for item, (where, key, number) in found:
        if number not in seen:
            where[key] = None
            if item["action"] == "linked":
                hidden.add(item["seq"])
    return [item for item in items if item["seq"] not in hidden]
