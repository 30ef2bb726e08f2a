"""Who may see a case (个人信息保护法 Arts. 34–36: access only within duty)."""
from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.kinds import Kind
from hotline.domain.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role

# Whoever reports a unit (举报, 检举控告) is never known to the units handling it (信访工作条例 Art. 30;
# Jinan Art. 32), whether or not they asked for confidentiality.
IDENTITY_PROTECTED_KINDS = frozenset({Kind.REPORT, Kind.ACCUSATION})


@dataclass(frozen=True)
class Actor:
    user_id: int
    role: Role
    department_id: int | None


@dataclass(frozen=True)
class CaseScope:
    """The departments a case is with; co-handling departments join this set with assignments. A unit an
    accusation is about never sees it (信访工作条例 Art. 30), nor does anyone recused from it (Art. 28)."""
    department_ids: frozenset[int]
    accused_department_ids: frozenset[int] = frozenset()
    recused_user_ids: frozenset[int] = frozenset()


def sees_all_cases(actor: Actor) -> bool:
    return actor.role in CENTRE_ROLES


def can_view_case(actor: Actor, case: CaseScope) -> bool:
    if actor.user_id in case.recused_user_ids or actor.department_id in case.accused_department_ids:
        return False
    if sees_all_cases(actor):
        return True
    if actor.role in DEPARTMENT_ROLES and actor.department_id is not None:
        return actor.department_id in case.department_ids
    return False


def sees_contact_unmasked(actor: Actor, confidential: bool, kind: str = "") -> bool:
    """A confidential complainant's identity stays with the centre (GB/T 33358; Jinan Art. 16), and so does a
    reporter's (IDENTITY_PROTECTED_KINDS)."""
    return sees_all_cases(actor) or not (confidential or kind in IDENTITY_PROTECTED_KINDS)
