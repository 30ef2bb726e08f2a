"""The operators' side of texts and voice mail: a thread or a voice message becomes a case, and is then done."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hotline.models import Case, SmsThread, User, Voicemail


def attach_case(session: Session, case: Case, user: User, now: datetime, *,
                thread_id: int | None = None, voicemail_id: int | None = None) -> None:
    """The thread or voice message a case was made from: it remembers the case and leaves the open inbox.
    Called in the transaction that registers the case (not committed here)."""
    item = session.get(SmsThread, thread_id) if thread_id else session.get(Voicemail, voicemail_id) \
        if voicemail_id else None
    if item is None:
        return
    item.case_id, item.state, item.handled_by_id, item.handled_at = case.id, "done", user.id, now
    if isinstance(item, SmsThread):
        item.unread = 0
