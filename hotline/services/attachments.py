"""A reply's files: judged by the domain (hotline.domain.files), stored, and recorded in the transaction
that records the reply (handling.act → effects.apply). Nothing here commits."""
from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.domain import files as rules
from hotline.domain.access import Actor
from hotline.domain.errors import NotFound
from hotline.integrations.storage import Storage
from hotline.models import Assignment, Attachment, Case, CaseEvent, User
from hotline.services import cases

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class IncomingFile:
    """A file as a channel received it: the name the client gave, and its bytes as a seekable stream."""
    name: str
    stream: BinaryIO


def _head_and_size(stream: BinaryIO) -> tuple[bytes, int]:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    head = stream.read(rules.HEAD_BYTES)
    stream.seek(0)
    return head, size


def problems(files: Sequence[IncomingFile]) -> list[rules.Problem]:
    uploads = []
    for f in files:
        head, size = _head_and_size(f.stream)
        uploads.append(rules.Upload(f.name, size, head))
    return rules.problems(uploads)


def save(storage: Storage, case: Case, assignment: Assignment, user: User, files: Sequence[IncomingFile],
         at: datetime) -> list[Attachment]:
    """Stores every file (already checked) and makes its row, not yet in the session: the reply's event
    is its parent (`attach`). If storing one fails, the ones stored before it are removed."""
    rows: list[Attachment] = []
    try:
        for f in files:
            head, _ = _head_and_size(f.stream)
            content_type = rules.detect(head)
            if content_type is None:
                raise ValueError("an unchecked file reached storage")
            stored = storage.save(f.stream)
            rows.append(Attachment(
                case_id=case.id, assignment_id=assignment.id, uploaded_by_id=user.id,
                department_id=assignment.department_id, original_name=rules.clean_name(f.name, content_type),
                content_type=content_type, size=stored.size, sha256=stored.sha256, storage_key=stored.key,
                created_at=at))
    except BaseException:
        discard(storage, rows)
        raise
    return rows


def describe(rows: Sequence[Attachment]) -> list[dict]:
    """What the reply's event records of each file, so the hash chain covers what was attached."""
    return [{"name": a.original_name, "type": a.content_type, "size": a.size, "sha256": a.sha256} for a in rows]


def attach(session: Session, rows: Sequence[Attachment], event: CaseEvent) -> None:
    for row in rows:
        row.event = event
        session.add(row)


def discard(storage: Storage | None, rows: Sequence[Attachment]) -> None:
    """Removes the stored files of a transaction that did not commit. A file that cannot be removed is
    logged, not raised: the error that undid the transaction is the one to report."""
    if storage is None:
        return
    for row in rows:
        try:
            storage.delete(row.storage_key)
        except OSError:
            log.exception("could not remove %s, stored for a reply that was not saved", row.storage_key)


def for_case(session: Session, case_id: int) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.case_id == case_id).order_by(Attachment.id)))


def get_visible(session: Session, actor: Actor, number: str, attachment_id: int) -> tuple[Case, Attachment]:
    """NotFound unless the actor may see the case and the file is one of that case's."""
    case = cases.get_visible(session, actor, number)
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        raise NotFound("attachment")
    return case, attachment
