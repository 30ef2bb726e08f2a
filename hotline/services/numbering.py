"""Allocates case numbers without gaps or duplicates, also under concurrent intake."""
from datetime import date

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.domain.case_number import format_number
from hotline.domain.kinds import CASE_NUMBER_PREFIX, Track
from hotline.models import CaseNumberCounter


def next_number(session: Session, track: Track, local_day: date) -> str:
    """One atomic upsert: the row lock it takes serialises concurrent intakes for the same day."""
    prefix = CASE_NUMBER_PREFIX[track]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = CaseNumberCounter.__table__
    statement = (
        dialect.insert(table)
        .values(prefix=prefix, day=local_day, last=1)
        .on_conflict_do_update(index_elements=[table.c.prefix, table.c.day], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    sequence = session.execute(statement).scalar_one()
    return format_number(track, local_day, sequence)
