"""One small form per lifecycle action. The fields carry the names `hotline.domain.actions.clean` reads;
the domain is the only judge of what is valid, so these forms only render, carry CSRF and keep what
was typed. Each form has the action as its prefix, so many can share one page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hotline.domain.actions import CONTACT, EMERGENCY_SERVICES, MAX_EXTENSION_WORKING_DAYS, NOTE_MAX, REPLY_MAX
from hotline.domain.files import MAX_BYTES, MAX_FILES, TYPES
from hotline.domain.kinds import Track
from hotline.domain.lifecycle import Action
from hotline.web import labels


class Needed:
    """Marks a field as required on screen (the asterisk); the domain checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


def _note(label=_l("Note"), needed: bool = False, rows: int = 3):
    return TextAreaField(label, validators=[Needed()] if needed else [],
                         render_kw={"rows": rows, "maxlength": NOTE_MAX})


def _radio(label, table: dict, codes: tuple[str, ...]):
    return RadioField(label, choices=[SelectChoice(c, table[c]) for c in codes], validators=[Needed()],
                      validate_choice=False)


def _yes_no(label=_l("Is the matter resolved?")):
    choices = [SelectChoice("yes", labels.YES_NO[True]), SelectChoice("no", labels.YES_NO[False])]
    return RadioField(label, choices=choices, validators=[Needed()], validate_choice=False)


class ActionForm(FlaskForm):
    version = HiddenField()
    multipart = False  # a form with files is sent as multipart/form-data

    def raw(self) -> dict:
        """What was sent, by the names the domain expects (files go their own way: `uploads`)."""
        return {f.short_name: f.data for f in self if f.short_name not in ("csrf_token", "version", "files")}

    def uploads(self) -> list[FileStorage]:
        return []

    def fill(self, department_choices: dict) -> None:
        """Only the dispatch form has choices that come from the database."""

    def expected_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class DispatchForm(ActionForm):
    prefilled = False  # holds the catalogue's suggestion (the page says so)
    lead_department_id = SelectField(_l("Lead department (主办)"), validators=[Needed()], validate_choice=False)
    co_department_ids = SelectMultipleField(_l("Co-handling departments (协办)"), validate_choice=False,
                                            render_kw={"size": 6},
                                            description=_l("Optional. Hold Ctrl (⌘ on a Mac) to choose several."))
    note = _note(_l("Note for the departments"))

    def fill(self, department_choices: dict) -> None:
        grouped = [SelectChoice(value, text, optgroup=group)
                   for group, options in department_choices.items() for value, text in options]
        self.lead_department_id.choices = [SelectChoice("", _l("— choose —")), *grouped]
        self.co_department_ids.choices = grouped

    def prefill(self, lead_id: int, co_ids: list[int]) -> None:
        """The dispatch catalogue's suggestion, as far as those departments can still be chosen."""
        offered = {c.value for c in self.co_department_ids.choices}
        self.prefilled = str(lead_id) in offered
        if self.prefilled:
            self.lead_department_id.data = str(lead_id)
            self.co_department_ids.data = [str(i) for i in co_ids if str(i) in offered]


class ReturnForm(ActionForm):
    reason = _note(_l("Why this case is not for your department"), needed=True)


class ReviewReturnForm(ActionForm):
    decision = _radio(_l("Decision"), labels.DECISION, ("uphold", "refuse"))
    note = _note(_l("Note (required when refusing)"))


class RequestExtensionForm(ActionForm):
    days = StringField(_l("Working days more"), validators=[Needed()],
                       render_kw={"type": "number", "min": 1, "max": MAX_EXTENSION_WORKING_DAYS,
                                  "inputmode": "numeric"})
    reason = _note(_l("Reason"), needed=True)


class DecideExtensionForm(ActionForm):
    decision = _radio(_l("Decision"), labels.DECISION, ("approve", "deny"))
    note = _note(_l("Note (required when denying)"))


class ReplyForm(ActionForm):
    text = TextAreaField(_l("Reply to the person"), validators=[Needed()],
                         render_kw={"rows": 6, "maxlength": REPLY_MAX})
    resolved = _yes_no()
    contact = _radio(_l("How did you reach the person before answering?"), labels.CONTACT, CONTACT)
    files = MultipleFileField(
        _l("Photos or documents"),
        description=_l("Optional. Up to %(n)d files — photos (JPEG, PNG, WebP) or PDF — of at most %(mb)d MB each.",
                       n=MAX_FILES, mb=MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": ",".join([*TYPES, *(e for extensions in TYPES.values() for e in extensions)])})
    multipart = True

    def uploads(self) -> list[FileStorage]:
        return list(self.files.data or [])


class ReviewReplyForm(ActionForm):
    decision = _radio(_l("Decision"), labels.DECISION, ("approve", "send_back"))
    note = _note(_l("Note (required when sending back)"))


class CallbackForm(ActionForm):
    satisfaction = _radio(_l("How satisfied is the person?"), labels.SATISFACTION,
                          ("satisfied", "basically", "dissatisfied"))
    resolved = _yes_no(_l("Does the person say the matter is resolved?"))
    note = _note(_l("What the person said"))


class NoteForm(ActionForm):
    note = _note()


class NeededNoteForm(ActionForm):
    note = _note(needed=True)


class RestampForm(ActionForm):
    note = TextAreaField(
        _l("Why recompute"), validators=[Needed()], render_kw={"rows": 2, "maxlength": NOTE_MAX},
        description=_l("Each running deadline is counted again from its start under the calendar and SLA policies "
                       "in force now; the history keeps the old and new deadlines."))


class SignForm(ActionForm):
    pass  # one tap: the note the domain allows is not asked for


class MergeForm(ActionForm):
    into = StringField(_l("Number of the case to merge into"), validators=[Needed()],
                       render_kw={"placeholder": "12345-20260101-000001", "maxlength": 32, "autocomplete": "off"})
    note = _note()


class AnswerForm(ActionForm):
    note = _note(_l("The answer given to the person"), needed=True, rows=5)


class TransferForm(ActionForm):
    service = _radio(_l("The caller was told to dial"), labels.EMERGENCY, EMERGENCY_SERVICES)
    note = _note(_l("What happened"))


class TerminateForm(ActionForm):
    note = _note(_l("Reason for terminating"), needed=True)


FORMS: dict[Action, type[ActionForm]] = {
    Action.DISPATCH: DispatchForm, Action.SIGN: SignForm, Action.RETURN: ReturnForm,
    Action.REVIEW_RETURN: ReviewReturnForm, Action.REQUEST_EXTENSION: RequestExtensionForm,
    Action.DECIDE_EXTENSION: DecideExtensionForm, Action.REPLY: ReplyForm, Action.REVIEW_REPLY: ReviewReplyForm,
    Action.CALLBACK: CallbackForm, Action.CLOSE: NoteForm, Action.REDO: NeededNoteForm, Action.MERGE: MergeForm,
    Action.ANSWER_DIRECTLY: AnswerForm, Action.TRANSFER: TransferForm, Action.TERMINATE: TerminateForm,
    Action.URGE: NeededNoteForm,
    Action.SUPERVISE: NeededNoteForm, Action.CLOSE_UNRATED: NoteForm, Action.RESTAMP: RestampForm,
}


def table(track: str) -> dict:
    """The forms of the case's procedure: a petition's steps share some names with a work order's ("close",
    "urge", the extension pair) but take other fields."""
    if track == Track.PETITION:
        from hotline.web.cases.petition_forms import FORMS as PETITION_FORMS  # it builds on ActionForm, above

        return PETITION_FORMS
    return FORMS


def blank(action, version: int, choices, track: str = Track.HOTLINE) -> ActionForm:
    form = table(track)[action](formdata=None, prefix=action.value, version=str(version))
    form.fill(choices)
    return form


def sent(action, choices, track: str = Track.HOTLINE) -> ActionForm:
    """The form as it was posted, to act on it or show it again with its errors."""
    form = table(track)[action](prefix=action.value)
    form.fill(choices)
    return form
