"""The registration form of the petition office (信访工作条例 Arts. 17–20, 25, 36): the channel, the kind, the
request, facts and reasons, the petitioners as repeated rows, and the button pressed (`do`).

The rows work without JavaScript: three are rendered, "add another" sends the form back with one more, and a
row left entirely blank is not a petitioner. The service's field codes (`petitioners.0.name`, `representatives`,
`accused_department_ids` …) are put back at their fields by `place_errors`."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, Regexp

from hotline.domain.kinds import KINDS_BY_TRACK, Channel, Track
from hotline.domain.petition_intake import MAX_PETITIONERS
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.services.petitions import PETITION_CHANNELS
from hotline.web import field_errors, labels
from hotline.web.fields import no_markup, phone_number, strip

SAVE, ADD_ROW, REMOVE_ROW, LOOKUP = "save", "add", "remove", "lookup"
ROWS = 3  # rendered at first: most petitions have one petitioner, a few rows invite a group's
TEXT_MAX = 4000  # facts and reasons: a letter's worth
FACTS_MAX = 4000
LINK_MAX = 20  # 12345 cases linked in one registration

# The petition kinds in the office's own words (the Chinese category names are what officers use)
KIND = {"petition_suggestion": _l("Suggestion or opinion (建议意见类)"),
        "accusation": _l("Accusation or report (检举控告类)"),
        "grievance": _l("Grievance or request (申诉求决类)")}
KIND_HINT = {"petition_suggestion": _l("On policy, or how a government body works. Answered, not reviewed."),
             "accusation": _l("Against a unit or an official. The unit accused never sees the case."),
             "grievance": _l("Asks a body to do or change something. May be reviewed and re-reviewed.")}

# The words for the service's codes where the general ones (web/field_errors.py) are not precise enough
WORDS = {
    ("petitioners", "required"): _l("Enter at least one petitioner: a name, and an address or a phone number."),
    ("petitioners", "too_many"): _l("At most %(n)d petitioners on one registration.", n=MAX_PETITIONERS),
    ("name", "required"): _l("Enter the petitioner's name (Art. 19)."),
    ("address", "address_or_phone"): _l("Give an address or a phone number, so the answer can reach them "
                                        "(Art. 19)."),
    ("id_number", "invalid_id_number"): _l("This is not a valid ID number: 18 characters, the last a digit or X."),
    ("representatives", "too_many_representatives"): _l("At most 5 representatives (Art. 20)."),
    ("representatives", "representatives_required"): _l(
        "Five people or more: mark the representatives they chose, at most 5 (Art. 20). The replies go to them."),
    ("accused_department_ids", "accusation_only"): _l("Only an accusation names the units it accuses."),
    ("accused_department_ids", "unknown"): _l("One of these units no longer exists."),
    ("request", "required"): _l("Write what the petitioner asks for (Art. 19)."),
    ("facts", "required"): _l("Write the facts the petitioner states (Art. 19)."),
    ("reasons", "required"): _l("Write the petitioner's reasons (Art. 19)."),
    ("new_facts", "required"): _l("State the new facts or reasons, or the petition cannot be registered."),
    ("category_id", "unknown"): _l("Choose one of the options."),
    ("area_id", "unknown"): _l("Choose one of the options."),
}


def words(field: str, code: str) -> str:
    found = WORDS.get((field, code))
    return str(found) if found is not None else field_errors.message(field, code)


def _coerce_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _id_number(value):
    """People type ID numbers with spaces and a lower-case x."""
    return "".join(value.split()).upper() if isinstance(value, str) else value


@dataclass(frozen=True)
class Do:
    """The button pressed: save, add a row, remove:<row>, look for related 12345 cases."""
    what: str
    row: int | None = None

    @classmethod
    def parse(cls, raw: str | None) -> Do:
        what, _, value = (raw or SAVE).partition(":")
        if what == REMOVE_ROW and value.isdigit() and len(value) < 4:
            return cls(REMOVE_ROW, int(value))
        return cls(what if what in (ADD_ROW, LOOKUP) else SAVE)


class PetitionerRow(Form):
    """One petitioner. No CSRF of its own: it is part of the registration form."""
    name = StringField(_l("Name"), filters=[strip],
                       validators=[Length(max=NAME_MAX, message=_l("At most %(max)d characters.")), no_markup],
                       render_kw={"autocomplete": "off"})
    id_number = StringField(_l("ID number"), filters=[_id_number],
                            validators=[Optional(), Regexp(r"^[0-9X]{1,18}$", message=_l(
                                "This is not a valid ID number: 18 characters, the last a digit or X."))],
                            render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": 21})
    phone = StringField(_l("Mobile or phone"), filters=[strip],
                        validators=[Optional(), Length(max=32, message=_l("At most %(max)d characters.")),
                                    phone_number],
                        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"})
    address = StringField(_l("Address"), filters=[strip],
                          validators=[Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")),
                                      no_markup], render_kw={"autocomplete": "off"})
    representative = BooleanField(_l("Representative"))

    def blank(self) -> bool:
        return not any((self.name.data, self.id_number.data, self.phone.data, self.address.data,
                        self.representative.data))


class RegisterForm(FlaskForm):
    channel = RadioField(_l("How it came in"), validate_choice=False, default="letter")
    kind = RadioField(_l("Kind of petition"), validate_choice=False)
    request = TextAreaField(_l("Request (请求)"), filters=[strip],
                            validators=[Length(max=DESCRIPTION_MAX, message=_l("At most %(max)d characters.")),
                                        no_markup], render_kw={"rows": 3, "maxlength": DESCRIPTION_MAX})
    facts = TextAreaField(_l("Facts (事实)"), filters=[strip],
                          validators=[Length(max=FACTS_MAX, message=_l("At most %(max)d characters.")), no_markup],
                          render_kw={"rows": 5, "maxlength": FACTS_MAX})
    reasons = TextAreaField(_l("Reasons (理由)"), filters=[strip],
                            validators=[Length(max=FACTS_MAX, message=_l("At most %(max)d characters.")),
                                        no_markup], render_kw={"rows": 4, "maxlength": FACTS_MAX})
    category_id = SelectField(_l("Subject"), coerce=_coerce_int, validate_choice=False)
    location_text = StringField(_l("Address or place of the matter"), filters=[strip],
                                validators=[Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")),
                                            no_markup])
    area_id = SelectField(_l("District and street"), coerce=_coerce_int, validate_choice=False)
    oral = BooleanField(_l("Oral petition, recorded as told (口头信访)"))
    major = BooleanField(_l("Major or urgent (重大紧急): tell the leaders at once"))
    confidential = BooleanField(_l("Keep the petitioners' identity confidential"))
    group_size = IntegerField(_l("How many people came or signed"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Between %(min)d and %(max)d."))],
        render_kw={"inputmode": "numeric", "min": 1})
    # drawn as checkboxes by group (the template): a long list of units is easier to tick than to Ctrl-click
    accused_department_ids = SelectMultipleField(_l("Units accused"), coerce=_coerce_int, validate_choice=False)
    petitioners = FieldList(FormField(PetitionerRow), min_entries=ROWS, max_entries=MAX_PETITIONERS + 1)
    new_facts = TextAreaField(_l("New facts or reasons"), filters=[strip],
                              validators=[Length(max=FACTS_MAX, message=_l("At most %(max)d characters.")),
                                          no_markup], render_kw={"rows": 4, "maxlength": FACTS_MAX})
    submission_key = HiddenField()
    from_case = HiddenField()  # the 12345 case this petition was made from (?from=)

    def fill_choices(self, categories: dict, areas: dict, departments: dict) -> None:
        self.channel.choices = [(str(c), labels.of(labels.CHANNEL, c)) for c in PETITION_CHANNELS
                                if c is not Channel.API]
        self.kind.choices = [(str(k), KIND[k]) for k in KINDS_BY_TRACK[Track.PETITION]]
        self.category_id.choices = {"": [("", _l("— choose —"))], **categories}
        self.area_id.choices = {"": [("", _l("— choose —"))], **areas}
        self.accused_department_ids.choices = [SelectChoice(int(value), text, optgroup=group)
                                               for group, options in departments.items() for value, text in options]
        self._known = {"category_id": {c for group in categories.values() for c, _ in group},
                       "area_id": {a for group in areas.values() for a, _ in group}}

    def check(self) -> bool:
        """The fields' own rules (lengths, markup, phone numbers), and the choices. What a petition needs beyond
        that (Arts. 19, 20, 36) is the service's to say."""
        ok = self.validate()
        if self.channel.data not in {value for value, _ in self.channel.choices}:
            self.channel.errors.append(_l("Choose how the petition came in."))
        if self.kind.data not in {value for value, _ in self.kind.choices}:
            self.kind.errors.append(_l("Choose the kind of petition."))
        for name, known in self._known.items():
            field = getattr(self, name)
            if field.data is not None and field.data not in known and not field.errors:
                field.errors.append(_l("Choose one of the options."))
        return ok and not any(f.errors for f in (self.channel, self.kind, self.category_id, self.area_id))

    def used_rows(self) -> list[PetitionerRow]:
        """The rows with anything in them, in order: the petitioners, as the service numbers them."""
        return [entry.form for entry in self.petitioners if not entry.form.blank()]

    def place_errors(self, detail: dict[str, str]) -> None:
        """Each of the service's field codes at its field, in words."""
        rows = self.used_rows()
        for key, code in detail.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "petitioners" and parts[1].isdigit() and int(parts[1]) < len(rows):
                field = getattr(rows[int(parts[1])], parts[2], None)
                if field is not None:
                    field.errors.append(words(parts[2], code))
                    continue
            field = getattr(self, key, None) if key not in ("petitioners", "representatives") else None
            if field is not None and hasattr(field, "errors") and isinstance(field.errors, list):
                field.errors.append(words(key, code))
            elif key in ("petitioners", "representatives"):
                self.row_errors.append(words(key, code))
            else:
                self.problems.append(words(key, code))

    @property
    def row_errors(self) -> list[str]:
        """What is wrong with the petitioners as a whole (none, too many, the representatives)."""
        return self.__dict__.setdefault("_row_errors", [])

    @property
    def problems(self) -> list[str]:
        """What belongs to no one field."""
        return self.__dict__.setdefault("_problems", [])
