"""A petition (信访事项): what the 2022 regulation adds to a case — its petitioners, the statutory clocks, the
documents issued to the petitioner, the units it accuses and the people who must stay away from it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.clock import now
from hotline.domain.kinds import Kind
from hotline.domain.lifecycle import AssignmentView
from hotline.domain.petition import PetitionState, PetitionView
from hotline.extensions import db
from hotline.models.case import Case, CaseEvent
from hotline.models.types import UTCDateTime


class Petition(db.Model):
    """One per petition case (cases.track = "petition"); the state is the case's."""

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    # Art. 19: the request, the facts and the reasons (the case's description holds the request)
    facts: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")
    oral: Mapped[bool] = mapped_column(default=False)  # told in person or by phone, recorded as given
    major: Mapped[bool] = mapped_column(default=False)  # major or urgent: the leaders are told at once (Art. 25)
    group_size: Mapped[int] = mapped_column(default=1)  # how many came; at most 5 represent them (Art. 20)
    # registration's look for the same matter: accepted lower down (Art. 19) or closed after 复核 (Art. 36)
    same_matter_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    same_matter_kind: Mapped[str | None] = mapped_column(String(16))  # open, settled
    new_facts: Mapped[str] = mapped_column(Text, default="")  # what is new, when it matches a closed matter

    forwarding: Mapped[str | None] = mapped_column(String(8))  # forward (转送) or assign (交办)
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    objection_reason: Mapped[str] = mapped_column(Text, default="")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    legal_route: Mapped[str | None] = mapped_column(String(24))  # when not accepted (Art. 31)
    extension_status: Mapped[str | None] = mapped_column(String(16))  # pending, approved, denied
    extension_days: Mapped[int | None]
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(16))  # support, explain, reject
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_outcome: Mapped[str | None] = mapped_column(String(16))  # uphold, change, revoke
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    re_review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hearing_days: Mapped[int] = mapped_column(default=0)  # days of hearings, not counted (Art. 36)
    re_review_outcome: Mapped[str | None] = mapped_column(String(16))
    final: Mapped[bool] = mapped_column(default=False)  # closed after 复核: never accepted again (Art. 36)

    # the deadlines, stamped when each clock starts (every one is also a `deadline` row the sweep watches)
    forward_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forward_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accept_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accept_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    object_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    object_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decide_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decide_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_window_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_window_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    re_review_window_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    re_review_window_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    re_review_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    re_review_warn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    case: Mapped[Case] = relationship(foreign_keys=[case_id], back_populates="petition")
    petitioners: Mapped[list[Petitioner]] = relationship(order_by="Petitioner.position",
                                                         cascade="all, delete-orphan")
    accused: Mapped[list[AccusedDepartment]] = relationship(cascade="all, delete-orphan")

    def view(self, now: datetime) -> PetitionView:
        """What the procedure needs to know, at `now` (its windows close with time)."""
        case = self.case

        def open_at(due: datetime | None) -> bool:
            return due is None or now <= due

        return PetitionView(
            state=PetitionState(case.state), kind=Kind(case.kind),
            assignments=tuple(AssignmentView(a.department_id, a.lead, a.status) for a in case.active_assignments),
            extension_status=self.extension_status, in_hearing=self.hearing_started_at is not None,
            objection_window_open=open_at(self.object_due_at), review_window_open=open_at(self.review_window_due_at),
            re_review_window_open=open_at(self.re_review_window_due_at),
            accused_department_ids=frozenset(a.department_id for a in self.accused),
        )

    def due(self, clock: str) -> datetime | None:
        return getattr(self, f"{clock}_due_at")

    def warn(self, clock: str) -> datetime | None:
        return getattr(self, f"{clock}_warn_at")

    def set_due(self, clock: str, due_at: datetime | None, warn_at: datetime | None) -> None:
        setattr(self, f"{clock}_due_at", due_at)
        setattr(self, f"{clock}_warn_at", warn_at)


class Petitioner(db.Model):
    """A person who petitions: the one, or each of a group; replies go to the representatives (Art. 20)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition.case_id"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), default="", index=True)  # 居民身份证号, when given
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164
    address: Mapped[str] = mapped_column(String(200), default="")
    representative: Mapped[bool] = mapped_column(default=False)


class AccusedDepartment(db.Model):
    """A unit an accusation (检举控告) is about: it never sees the case, its accuser or its materials."""

    case_id: Mapped[int] = mapped_column(ForeignKey("petition.case_id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), primary_key=True, index=True)


class Recusal(db.Model):
    """回避 (Art. 28): a person with an interest in a case, kept from it on every page, list, search and API."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_recusal_case_user"),)


class PetitionDocument(db.Model):
    """A numbered document issued to the petitioner: acceptance notice, referral, extension notice, decision,
    review and re-review decisions. Issued once and never changed (see the listener below); a correction is a
    new document that names the one it corrects. `html` is what was issued, exactly; the PDF is drawn from it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    number: Mapped[str] = mapped_column(String(48), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))  # the issuing organ
    event_id: Mapped[int | None] = mapped_column(ForeignKey("case_event.id"))  # the step that issued it
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("petition_document.id"))
    fields: Mapped[dict] = mapped_column(JSON)  # what the template was filled with
    html: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))  # of `html`
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the petitioner's link, kept as a hash
    # active_history: the value held before is loaded when a new one is set, so the listener below sees a PDF
    # recorded earlier even when the row was expired by a commit
    pdf_key: Mapped[str | None] = mapped_column(String(200), active_history=True)  # in the file storage, once drawn
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), active_history=True)

    corrects: Mapped[PetitionDocument | None] = relationship(remote_side=[id])
    event: Mapped[CaseEvent | None] = relationship()


# The issued words never change. Only the PDF drawn from them may be added, once.
_DRAWN_ONCE = ("pdf_key", "pdf_sha256")


@event.listens_for(PetitionDocument, "before_update")
def _issued_documents_do_not_change(mapper, connection, target: PetitionDocument) -> None:
    state = db.inspect(target)
    for attr in state.attrs:
        history = attr.history
        if not history.has_changes():
            continue
        if attr.key in _DRAWN_ONCE and not any(v is not None for v in history.deleted):
            continue
        raise ValueError(f"an issued document is never changed ({attr.key}); issue a correction instead")


@event.listens_for(PetitionDocument, "before_delete")
def _issued_documents_stay(mapper, connection, target: PetitionDocument) -> None:
    raise ValueError("an issued document is never deleted")


Index("ix_petition_same_matter", Petition.same_matter_case_id)
