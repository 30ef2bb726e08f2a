"""Who may see and keep which knowledge-base article.

The centre (admin, supervisor) keeps the whole base. Each department keeps the answers it owns, as the water
company keeps its water-cut notices current: its head adds, edits, retires and restores them; its staff read
them. A department never learns that another department's article exists: it is "not found" to them, as
another department's case is. Operators and dispatchers do not use these pages; they search the valid
articles from the call console."""
from __future__ import annotations

from dataclasses import dataclass

from hotline.domain.access import Actor
from hotline.domain.roles import Role

CENTRE_KEEPERS = frozenset({Role.ADMIN, Role.SUPERVISOR})
DEPARTMENT_KEEPERS = frozenset({Role.HEAD})
DEPARTMENT_READERS = frozenset({Role.HEAD, Role.STAFF})
# the roles that may open the knowledge-base pages at all; what each then sees is its Scope
OPENERS = CENTRE_KEEPERS | DEPARTMENT_READERS


@dataclass(frozen=True)
class Scope:
    """The articles someone sees: every article (`everything`), or only those owned by `department_id`;
    and whether they may add, edit, retire and restore the articles they see."""
    everything: bool
    department_id: int | None = None
    may_keep: bool = False

    def sees(self, owner_department_id: int | None) -> bool:
        if self.everything:
            return True
        return self.department_id is not None and owner_department_id == self.department_id

    def keeps(self, owner_department_id: int | None) -> bool:
        return self.may_keep and self.sees(owner_department_id)

    def owner_for(self, requested: int | None) -> int | None:
        """The owner an article added or saved by this person gets: a department's own, whatever was
        asked; the centre chooses (or leaves it to no department)."""
        return requested if self.everything else self.department_id

    @property
    def chooses_owner(self) -> bool:
        return self.everything


CENTRE = Scope(everything=True, may_keep=True)
NOTHING = Scope(everything=False)


def scope_of(actor: Actor) -> Scope | None:
    """None: not these pages at all (operators, dispatchers, and a department user with no department)."""
    if actor.role in CENTRE_KEEPERS:
        return CENTRE
    if actor.role in DEPARTMENT_READERS and actor.department_id is not None:
        return Scope(everything=False, department_id=actor.department_id,
                     may_keep=actor.role in DEPARTMENT_KEEPERS)
    return None
