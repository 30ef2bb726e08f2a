"""The forms of the catalogue pages. They render, carry CSRF and keep what was typed; whether a rule is
valid is decided by hotline/domain/catalogue_csv.check, with the codes the database has."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from hotline.domain.catalogue_csv import KEYWORD_MAX, NAME_MAX, NOTE_MAX, Problem, RuleSpec, split_keywords
from hotline.domain.routing import AUTO, SUGGEST
from hotline.web.fields import strip


class Needed:
    """Marks a field as required on screen (the asterisk); the domain checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


def _codes(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in (values or ()) if v))


class RuleForm(FlaskForm):
    name = StringField(_l("Rule name"), filters=[strip], render_kw={"maxlength": NAME_MAX},
                       description=_l("A short name dispatchers will recognise, e.g. “施工噪声 → 区城管”."))
    track = SelectField(_l("Track"), validate_choice=False)
    kinds = SelectMultipleField(_l("Kinds of case"), validate_choice=False)
    categories = SelectMultipleField(_l("Subjects"), validate_choice=False)
    areas = SelectMultipleField(_l("Areas"), validate_choice=False)
    urgencies = SelectMultipleField(_l("Urgency"), validate_choice=False)
    keywords = TextAreaField(
        _l("Keywords in the description"), render_kw={"rows": 3},
        description=_l("Any one of them in the description matches. Separate them with commas or new lines; "
                       "at most %(max)d characters each.", max=KEYWORD_MAX))
    lead = SelectField(_l("Lead (主办)"), validators=[Needed()], validate_choice=False)
    co = SelectMultipleField(_l("Co-handlers (协办)"), validate_choice=False, render_kw={"size": 8},
                             description=_l("Optional. Hold Ctrl (⌘ on a Mac) to choose several."))
    mode = RadioField(_l("When the rule matches"), validators=[Needed()], validate_choice=False, default=SUGGEST,
                      choices=[SelectChoice(AUTO, _l("Dispatch at once")),
                               SelectChoice(SUGGEST, _l("Suggest to the dispatcher"))])
    active = BooleanField(_l("Active: the rule is used for routing"), default=True)
    note = TextAreaField(_l("Note"), filters=[strip], render_kw={"rows": 3, "maxlength": NOTE_MAX},
                         description=_l("Why the rule exists, e.g. the document that assigns the matter."))
    position = StringField(_l("Position"), filters=[strip], render_kw={"inputmode": "numeric", "size": 6})
    stamp = HiddenField()

    def fill(self, target_groups: dict[str, list[tuple[str, str]]], track_choices, choose: str) -> None:
        """Choices from the database; a target the rule still names but no one can choose any more stays
        visible (marked) so that saving the form does not silently drop it."""
        grouped = [SelectChoice(value, text, optgroup=group)
                   for group, options in target_groups.items() for value, text in options]
        known = {c.value for c in grouped}
        self.track.choices = track_choices
        self.lead.choices = [SelectChoice("", choose), *grouped]
        self.co.choices = list(grouped)
        for value in {self.lead.data, *(self.co.data or ())} - known - {"", None}:
            extra = SelectChoice(value, value, optgroup="?")
            self.lead.choices.append(extra)
            self.co.choices.append(extra)

    def position_problem(self) -> Problem | None:
        text = self.position.data or ""
        if text and (not text.isdigit() or int(text) < 1):
            return Problem("position", "bad_position", text)
        return None

    def spec(self) -> RuleSpec:
        text = self.position.data or ""
        return RuleSpec(
            name=self.name.data or "", position=int(text) if text.isdigit() and int(text) >= 1 else None,
            active=bool(self.active.data), track=self.track.data or None, kinds=_codes(self.kinds.data),
            categories=_codes(self.categories.data), areas=_codes(self.areas.data),
            urgencies=_codes(self.urgencies.data), keywords=split_keywords(self.keywords.data or ""),
            lead=self.lead.data or "", co=_codes(self.co.data), mode=self.mode.data or "", note=self.note.data or "",
        )

    def load(self, spec: RuleSpec, stamp: str) -> None:
        self.name.data, self.track.data, self.kinds.data = spec.name, spec.track or "", list(spec.kinds)
        self.categories.data, self.areas.data, self.urgencies.data = (
            list(spec.categories), list(spec.areas), list(spec.urgencies))
        self.keywords.data = "\n".join(spec.keywords)
        self.lead.data, self.co.data, self.mode.data = spec.lead, list(spec.co), spec.mode
        self.active.data, self.note.data = spec.active, spec.note
        self.position.data, self.stamp.data = str(spec.position or ""), stamp


class PostForm(FlaskForm):
    """Only CSRF: the small buttons of the list (move, disable, enable) and the delete confirmation."""


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[Needed()], render_kw={"accept": ".csv,text/csv"})
    confirm = BooleanField(_l("I understand that this replaces the whole catalogue"),
                           validators=[DataRequired(_l("Tick this to confirm that the file replaces every rule."))])


class TrialForm(FlaskForm):
    """A sample case (sent with GET: it changes nothing, and the link can be shared)."""
    class Meta:
        csrf = False

    track = SelectField(_l("Track"), validate_choice=False)
    kind = SelectField(_l("Kind of case"), validate_choice=False)
    category = SelectField(_l("Subject"), validate_choice=False)
    area = SelectField(_l("Area"), validate_choice=False)
    urgency = SelectField(_l("Urgency"), validate_choice=False)
    text = TextAreaField(_l("Description"), filters=[strip], render_kw={"rows": 3, "maxlength": 2000})
