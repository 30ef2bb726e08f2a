"""A file a department attached to its reply, or a photo the citizen sent with the complaint. The bytes live in
the storage (hotline.integrations.storage) under `storage_key`; the event's data lists each file's name and
sha256, so the hash chain covers what was attached."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.extensions import db
from hotline.models.case import CaseEvent
from hotline.models.types import UTCDateTime


class Attachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignment.id"))
    # the reply, or the registration, it came with
    event_id: Mapped[int] = mapped_column(ForeignKey("case_event.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the citizen's, with the filing
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    original_name: Mapped[str] = mapped_column(String(200))  # sanitised (hotline.domain.files.clean_name)
    content_type: Mapped[str] = mapped_column(String(64))  # detected from the content, not what the client said
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    event: Mapped[CaseEvent] = relationship()
