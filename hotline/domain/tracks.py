"""The two procedures a case can follow (DOMAIN.md §1): the 12345 work order and the petition, each with its
own actions, its own table of rules and its own fields."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hotline.domain import actions, lifecycle, petition, petition_fields
from hotline.domain.errors import NotFound
from hotline.domain.kinds import Track
from hotline.domain.rulebook import Rulebook


@dataclass(frozen=True)
class Procedure:
    actions: type[StrEnum]
    book: Rulebook
    clean: Callable[[StrEnum, dict | None], dict]

    def action(self, name) -> StrEnum:
        """The action called `name` in this procedure; NotFound when it has none."""
        try:
            return self.actions(str(name))
        except ValueError:
            raise NotFound("action") from None


PROCEDURES = {
    Track.HOTLINE: Procedure(lifecycle.Action, lifecycle.BOOK, actions.clean),
    Track.PETITION: Procedure(petition.PetitionAction, petition.BOOK, petition_fields.clean),
}


def of(track: str) -> Procedure:
    return PROCEDURES[Track(track)]
