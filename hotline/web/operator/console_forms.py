"""The console's one form: everything about the call, and what to do with it (the button pressed: `do`)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from hotline.domain.actions import EMERGENCY_SERVICES, NOTE_MAX
from hotline.domain.kinds import KINDS_BY_TRACK, Track, Urgency
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.web import labels
from hotline.web.fields import no_markup, phone_number, strip

SAVE, LOOKUP, SEARCH, ANSWER, MERGE, TRANSFER = "save", "lookup", "search", "answer", "merge", "transfer"
DESCRIPTION_MIN = 5


def _coerce_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Do:
    """The button pressed: save, look up the number, search the knowledge base (the last two without
    JavaScript), or answer:<article id>, merge:<case number>, transfer:<110|119|120|122>."""
    what: str
    value: str = ""

    @classmethod
    def parse(cls, raw: str | None) -> Do:
        what, _, value = (raw or SAVE).partition(":")
        if what not in (SAVE, LOOKUP, SEARCH, ANSWER, MERGE, TRANSFER):
            return cls(SAVE)
        return cls(what, value.strip()[:32])

    @property
    def closes(self) -> bool:
        return self.what in (ANSWER, MERGE, TRANSFER)


class CallForm(FlaskForm):
    phone = StringField(_l("Caller's number"), filters=[strip],
                        validators=[Optional(), Length(max=32, message=_l("At most %(max)d characters.")),
                                    phone_number])
    name = StringField(_l("Name"), filters=[strip],
                       validators=[Length(max=NAME_MAX, message=_l("At most %(max)d characters.")), no_markup])
    kind = RadioField(_l("Type of matter"), default="complaint", validate_choice=True)
    description = TextAreaField(
        _l("What the caller says"), filters=[strip],
        validators=[Length(max=DESCRIPTION_MAX, message=_l("At most %(max)d characters.")), no_markup],
        render_kw={"rows": 5, "maxlength": DESCRIPTION_MAX})
    category_id = SelectField(_l("Subject"), coerce=_coerce_int, validate_choice=False)
    location_text = StringField(
        _l("Address or place"), filters=[strip],
        validators=[Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")), no_markup])
    area_id = SelectField(_l("District and street"), coerce=_coerce_int, validate_choice=False)
    urgency = RadioField(_l("Urgency"), default="general", validate_choice=True)
    confidential = BooleanField(_l("The caller asks that their identity be kept confidential"))
    q = StringField(_l("Search the knowledge base"), filters=[strip], validators=[Length(max=200)])
    answer_note = TextAreaField(_l("What you add to the article's answer"), filters=[strip],
                                validators=[Length(max=NOTE_MAX - 200), no_markup], render_kw={"rows": 2})
    submission_key = HiddenField()
    thread = HiddenField()
    voicemail = HiddenField()

    def fill_choices(self, categories: dict, areas: dict) -> None:
        self.kind.choices = [(str(k), labels.of(labels.KIND, k)) for k in KINDS_BY_TRACK[Track.HOTLINE]]
        self.urgency.choices = [(str(u), labels.of(labels.URGENCY, u)) for u in Urgency]
        self.category_id.choices = {"": [("", _l("— choose —"))], **categories}
        self.area_id.choices = {"": [("", _l("— choose —"))], **areas}
        self._categories = {cid for group in categories.values() for cid, _ in group}
        self._areas = {aid for group in areas.values() for aid, _ in group}

    def check(self, do: Do) -> bool:
        """What each way of closing the call needs beyond the fields' own rules. Saving for dispatch needs the
        subject and the place; a call closed at once needs only what the caller said."""
        ok = self.validate()
        if not self.description.errors:
            if not self.description.data:
                self.description.errors.append(_l("Write down what the caller says."))
            elif len(self.description.data) < DESCRIPTION_MIN:
                self.description.errors.append(_l("At least %(min)d characters.", min=DESCRIPTION_MIN))
        for field, known in ((self.category_id, self._categories), (self.area_id, self._areas)):
            if field.data is not None and field.data not in known:
                field.errors.append(_l("Choose one of the options."))
        if do.what == SAVE:
            if self.category_id.data is None and not self.category_id.errors:
                self.category_id.errors.append(_l("Choose the subject: it decides who handles the case."))
            if self.area_id.data is None and not self.area_id.errors:
                self.area_id.errors.append(_l("Choose where it happens."))
        if do.what == TRANSFER and do.value not in EMERGENCY_SERVICES:
            self.form_errors.append(str(_l("Choose the emergency number the caller was told to dial.")))
        return ok and not any(f.errors for f in self) and not self.form_errors

    def thread_id(self) -> int | None:
        return _coerce_int(self.thread.data)

    def voicemail_id(self) -> int | None:
        return _coerce_int(self.voicemail.data)
