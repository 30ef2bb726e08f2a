"""One small form per step of the petition procedure (信访工作条例). As in forms.py, the fields carry the names
`hotline.domain.petition_fields.clean` reads and the domain alone judges them: these forms render, carry CSRF and
keep what was typed. Choices that come from the database (organs, people, this case's documents) arrive in
`Options`, built by `options` for exactly the actions offered."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hotline.domain.actions import NOTE_MAX, REPLY_MAX
from hotline.domain.petition import PetitionAction
from hotline.domain.petition_fields import MAX_EXTENSION_DAYS
from hotline.models import Case, Department, PetitionDocument, User
from hotline.services.petition_effects import next_authority
from hotline.web import field_errors, labels
from hotline.web.cases import present
from hotline.web.cases.forms import ActionForm, Needed, _note, _radio

A = PetitionAction


@dataclass
class Options:
    """What the petition forms choose from, for one page."""
    organs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # grouped, as department_choices
    users: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # grouped by department
    documents: list[tuple[str, str]] = field(default_factory=list)  # (number, "number · kind")
    next_authority: str = ""  # who reviews a decision of this organ: its parent, or the city government
    review_organ_id: int | None = None  # the organ above the one that decided, when there is one


def options(session: Session, case: Case, user: User, allowed) -> Options:
    """Only what the offered actions need: the organs (never one the petition accuses), the people, this organ's
    documents, and who reviews this organ's decision."""
    names = {str(a) for a in allowed}
    petition = case.petition
    out = Options()
    accused = {str(a.department_id) for a in petition.accused}
    if names & {"forward", "request-review", "request-re-review"}:
        for group, rows in present.department_choices(session).items():
            kept = [(v, t) for v, t in rows if v not in accused]
            if kept:
                out.organs[group] = kept
        lead = case.lead_department
        parent = lead.parent if lead is not None else None
        if parent is not None and parent.active and str(parent.id) not in accused:
            out.review_organ_id = parent.id
    if names & {"decide", "decide-review"}:
        out.next_authority = next_authority(session.get(Department, user.department_id), "")
    if "record-conflict" in names:
        rows = session.execute(select(User, Department).outerjoin(Department, Department.id == User.department_id)
                               .where(User.active).order_by(Department.level, Department.code, User.display_name))
        for person, dept in rows:
            group = labels.short(dept) if dept is not None and dept.kind != "centre" \
                else labels.of(labels.DEPARTMENT_KIND, "centre")
            out.users.setdefault(group, []).append(
                (str(person.id), f"{person.display_name} · {labels.of(labels.ROLE, person.role)}"))
    if "correct-document" in names:
        documents = session.scalars(select(PetitionDocument).where(
            PetitionDocument.case_id == case.id, PetitionDocument.department_id == user.department_id)
            .order_by(PetitionDocument.id))
        out.documents = [(d.number, f"{d.number} · {labels.of(labels.DOCUMENT, d.kind)}") for d in documents]
    return out


def _grouped(groups: dict[str, list[tuple[str, str]]]) -> list[SelectChoice]:
    return [SelectChoice(value, text, optgroup=group) for group, rows in groups.items() for value, text in rows]


def _choose() -> SelectChoice:
    return SelectChoice("", _l("— choose —"))


def _text(label, rows: int = 4, limit: int = REPLY_MAX, needed: bool = True, description=None):
    return TextAreaField(label, validators=[Needed()] if needed else [], description=description,
                         render_kw={"rows": rows, "maxlength": limit})


class PetitionForm(ActionForm):
    def fill(self, options: Options) -> None:
        """Choices from the database; what was typed stays."""

    def start(self, options: Options) -> None:
        """What a blank form begins with (never applied to a form sent back with errors)."""


class OrganForm(PetitionForm):
    organ_id = SelectField(_l("Organ"), validators=[Needed()], validate_choice=False)

    def fill(self, options: Options) -> None:
        self.organ_id.choices = [_choose(), *_grouped(options.organs)]


class ForwardForm(OrganForm):
    organ_id = SelectField(_l("Organ whose remit it is"), validators=[Needed()], validate_choice=False)
    forwarding = _radio(_l("Forwarding"), labels.FORWARDING, ("forward", "assign"))
    note = _note(_l("Note for the organ"))


class ReferForm(PetitionForm):
    legal_route = _radio(_l("Legal route"), labels.LEGAL_ROUTE, ("litigation", "arbitration",
                                                                 "administrative_review", "other"))
    note = _note(_l("What the petitioner is told: the route, and where and by when to take it"), needed=True,
                 rows=4)


class ObjectForm(PetitionForm):
    reason = _note(_l("Why this is not your organ's remit, and whose it is"), needed=True)


class DecideObjectionForm(PetitionForm):
    decision = _radio(_l("Decision"), labels.PETITION_DECISION, ("uphold", "refuse"))
    note = _note(_l("Note (required when refusing)"))


class AcceptForm(PetitionForm):
    decision = _radio(_l("Decision"), labels.PETITION_DECISION, ("accept", "refer"))
    legal_route = _radio(_l("Legal route (when not accepted)"), labels.LEGAL_ROUTE,
                         ("litigation", "arbitration", "administrative_review", "other"))
    note = _note(_l("What the petitioner is told (required when not accepted)"), rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.legal_route.flags.required = False  # only when not accepted: the domain says when


class RequestExtensionForm(PetitionForm):
    days = StringField(_l("Days more"), validators=[Needed()],
                       description=_l("At most %(n)d days, once; the organ's head decides (Art. 34).",
                                      n=MAX_EXTENSION_DAYS),
                       render_kw={"type": "number", "min": 1, "max": MAX_EXTENSION_DAYS, "inputmode": "numeric"})
    reason = _note(_l("Reason (the petitioner is told it)"), needed=True)


class DecideExtensionForm(PetitionForm):
    decision = _radio(_l("Decision"), labels.DECISION, ("approve", "deny"))
    note = _note(_l("Note (required when denying)"))


def _decision_form(table: dict, codes: tuple[str, ...], next_level: bool, final: bool = False) -> type[PetitionForm]:
    """处理意见书 and the review decisions (Art. 32; Shanghai Arts. 38–39): what was found, on what basis, and the
    opinion; the letter of a decision that can still be reviewed also names who reviews it. Built field by field so
    that the outcome comes first on every one of them."""

    class DecisionForm(PetitionForm):
        outcome = _radio(_l("Outcome"), table, codes)
        facts = _text(_l("Facts found"))
        basis = _text(_l("Legal basis"), rows=2, limit=NOTE_MAX)
        text = _text(_l("The opinion, as the petitioner will read it"), rows=6,
                     description=_l("Final: the same facts and reasons are not accepted again (Art. 36).")
                     if final else None)
        if next_level:
            next_authority = StringField(
                _l("Organ that reviews it (named in the letter)"), render_kw={"maxlength": 128},
                description=_l("Filled in with the organ above yours, or the city government; change it if another "
                               "organ reviews."))

        def start(self, options: Options) -> None:
            if next_level:
                self.next_authority.data = options.next_authority

    return DecisionForm


DecideForm = _decision_form(labels.OUTCOME, ("support", "explain", "reject"), next_level=True)
DecideReviewForm = _decision_form(labels.REVIEW_OUTCOME, ("uphold", "change", "revoke"), next_level=True)
DecideReReviewForm = _decision_form(labels.REVIEW_OUTCOME, ("uphold", "change", "revoke"), next_level=False,
                                    final=True)


class RequestReviewForm(OrganForm):
    organ_id = SelectField(_l("Organ that reviews it"), validators=[Needed()], validate_choice=False)
    note = _note(_l("The petitioner's request, in their words"), needed=True, rows=4)

    def start(self, options: Options) -> None:
        if options.review_organ_id is not None:
            self.organ_id.data = str(options.review_organ_id)


class NoteForm(PetitionForm):
    note = _note()


class WithdrawForm(PetitionForm):
    note = _note(_l("The petitioner's reason for withdrawing"), needed=True)


class UrgeForm(PetitionForm):
    note = _note(needed=True)


class LinkForm(PetitionForm):
    case = StringField(_l("12345 case number"), validators=[Needed()],
                       description=_l("An open case is merged into this petition; a closed one is noted on both."),
                       render_kw={"placeholder": "12345-20260101-000001", "maxlength": 32, "autocomplete": "off"})
    note = _note()


class DeclareConflictForm(PetitionForm):
    reason = _note(_l("Your interest in the matter (Art. 28)"), needed=True)


class RecordConflictForm(PetitionForm):
    user_id = SelectField(_l("Person to keep away from this case"), validators=[Needed()], validate_choice=False)
    reason = _note(_l("Their interest in the matter (Art. 28)"), needed=True)

    def fill(self, options: Options) -> None:
        self.user_id.choices = [_choose(), *_grouped(options.users)]


class CorrectDocumentForm(PetitionForm):
    document = SelectField(_l("Document to correct"), validators=[Needed()], validate_choice=False,
                           description=_l("The document stays as it was issued; the correction is a new, numbered "
                                          "document that names it."))
    text = _text(_l("The correction"))

    def fill(self, options: Options) -> None:
        self.document.choices = [_choose(), *(SelectChoice(v, t) for v, t in options.documents)]


FORMS: dict[PetitionAction, type[PetitionForm]] = {
    A.FORWARD: ForwardForm, A.REFER: ReferForm, A.OBJECT: ObjectForm, A.DECIDE_OBJECTION: DecideObjectionForm,
    A.ACCEPT: AcceptForm, A.REQUEST_EXTENSION: RequestExtensionForm, A.DECIDE_EXTENSION: DecideExtensionForm,
    A.DECIDE: DecideForm, A.REQUEST_REVIEW: RequestReviewForm, A.DECIDE_REVIEW: DecideReviewForm,
    A.REQUEST_RE_REVIEW: RequestReviewForm, A.START_HEARING: NoteForm, A.END_HEARING: NoteForm,
    A.DECIDE_RE_REVIEW: DecideReReviewForm, A.CLOSE: NoteForm, A.WITHDRAW: WithdrawForm, A.LINK: LinkForm,
    A.URGE: UrgeForm, A.DECLARE_CONFLICT: DeclareConflictForm, A.RECORD_CONFLICT: RecordConflictForm,
    A.CORRECT_DOCUMENT: CorrectDocumentForm,
}

# Field errors where a petition step needs other words than a work order's of the same field name.
MESSAGES = {
    ("organ_id", "required"): _l("Choose the organ."),
    ("organ_id", "unknown"): _l("This organ does not exist or no longer takes cases."),
    ("organ_id", "accused_department"): _l("An accusation never goes to the unit it accuses (Art. 30)."),
    ("organ_id", "same_organ"): _l("Review is by another organ than the one that decided (Art. 35)."),
    ("forwarding", "required"): _l("Choose forward (转送) or assign (交办)."),
    ("legal_route", "required"): _l("Choose the legal route the petitioner is told."),
    ("outcome", "required"): _l("Choose the outcome."),
    ("facts", "required"): _l("Write the facts found."),
    ("facts", "too_long"): _l("At most %(max)d characters.", max=REPLY_MAX),
    ("basis", "required"): _l("Name the legal basis."),
    ("basis", "too_long"): _l("At most %(max)d characters.", max=NOTE_MAX),
    ("days", "out_of_range"): _l("Between 1 and %(max)d days.", max=MAX_EXTENSION_DAYS),
    ("days", "required"): _l("How many days more?"),
    ("case", "required"): _l("Enter the number of the 12345 case."),
    ("case", "unknown"): _l("There is no 12345 case with this number that you may see."),
    ("case", "not_hotline"): _l("That is not a 12345 case: petitions are not linked to each other here."),
    ("user_id", "required"): _l("Choose the person."),
    ("user_id", "unknown"): _l("This person does not exist."),
    ("document", "required"): _l("Choose the document to correct."),
    ("document", "unknown"): _l("This case has no document with this number."),
    ("document", "not_yours"): _l("Only the organ that issued a document corrects it."),
    ("next_authority", "too_long"): _l("At most %(max)d characters.", max=128),
}
BY_ACTION = {
    ("refer", "note", "required"): _l("Write what the petitioner is told."),
    ("accept", "note", "required"): _l("Write what the petitioner is told: the route, and where to take it."),
    ("request-review", "note", "required"): _l("Write the petitioner's request."),
    ("request-re-review", "note", "required"): _l("Write the petitioner's request."),
    ("withdraw", "note", "required"): _l("Give the petitioner's reason for withdrawing."),
    ("urge", "note", "required"): _l("Write what is urged."),
    ("decide", "text", "required"): _l("Write the opinion."),
    ("decide-review", "text", "required"): _l("Write the opinion."),
    ("decide-re-review", "text", "required"): _l("Write the opinion."),
    ("correct-document", "text", "required"): _l("Write the correction."),
    ("object", "reason", "required"): _l("Say why this is not your organ's remit."),
}


def message(name: str, code: str, action: str) -> str:
    found = BY_ACTION.get((action, name, code)) or MESSAGES.get((name, code))
    return str(found) if found else field_errors.message(name, code, action)
