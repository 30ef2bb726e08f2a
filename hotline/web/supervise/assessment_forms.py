"""The form of the assessment formula (hotline.domain.kpis.Policy). It renders, carries CSRF and keeps what was
typed; hotline.services.assessment decides what is valid, and the codes it names become the sentences here."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from hotline.domain import kpis
from hotline.services.assessment import LIST_SIZE_MAX, MIN_CASES_MAX, NOTE_MAX, WEIGHT_MAX
from hotline.web import field_errors
from hotline.web.fields import strip
from hotline.web.supervise.assessment_labels import RATE


def _number(low, high, step="any"):
    return {"type": "number", "min": low, "max": high, "step": step, "inputmode": "decimal"}


class Needed:
    """Marks a field as required on screen (the asterisk); the service checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class PolicyForm(FlaskForm):
    weight_on_time_sign = StringField(RATE["on_time_sign"], [Needed()], filters=[strip],
                                      render_kw=_number(0, WEIGHT_MAX))
    weight_on_time_completion = StringField(RATE["on_time_completion"], [Needed()], filters=[strip],
                                            render_kw=_number(0, WEIGHT_MAX))
    weight_response = StringField(RATE["response"], [Needed()], filters=[strip], render_kw=_number(0, WEIGHT_MAX))
    weight_resolution = StringField(RATE["resolution"], [Needed()], filters=[strip], render_kw=_number(0, WEIGHT_MAX))
    weight_satisfaction = StringField(RATE["satisfaction"], [Needed()], filters=[strip],
                                      render_kw=_number(0, WEIGHT_MAX))
    basically_weight = StringField(
        _l("How much “basically satisfied” counts"), [Needed()], filters=[strip], render_kw=_number(0, 1),
        description=_l("From 0 to 1: 1 counts it as satisfied, 0 as not satisfied, 0.8 as four fifths."))
    exclude_terminated = BooleanField(_l("Leave out the cases terminated after the centre’s review (终止)"))
    min_cases = StringField(
        _l("Fewest cases to be ranked"), [Needed()], filters=[strip], render_kw=_number(0, MIN_CASES_MAX, 1),
        description=_l("A department that received fewer cases in the month is shown but not ranked."))
    list_size = StringField(
        _l("Departments on each list"), [Needed()], filters=[strip], render_kw=_number(1, LIST_SIZE_MAX, 1),
        description=_l("How many departments the red list and the black list name."))
    note = TextAreaField(_l("Why the formula changes"), [Needed()], filters=[strip],
                         render_kw={"rows": 3, "maxlength": NOTE_MAX})
    based_on = HiddenField()

    def weight_fields(self):
        return [getattr(self, f"weight_{rate}") for rate in kpis.RATES]

    def load(self, policy: kpis.Policy, version: int) -> None:
        for rate in kpis.RATES:
            getattr(self, f"weight_{rate}").data = _plain(policy.weights.get(rate, 0))
        self.basically_weight.data = _plain(policy.basically_weight)
        self.exclude_terminated.data = policy.exclude_terminated
        self.min_cases.data, self.list_size.data = str(policy.min_cases), str(policy.list_size)
        self.based_on.data = str(version)

    def raw(self) -> dict:
        data = {f"weight_{rate}": getattr(self, f"weight_{rate}").data for rate in kpis.RATES}
        data.update(basically_weight=self.basically_weight.data, exclude_terminated=self.exclude_terminated.data,
                    min_cases=self.min_cases.data, list_size=self.list_size.data, note=self.note.data)
        return data

    def based_on_version(self) -> int | None:
        return int(self.based_on.data) if (self.based_on.data or "").isdigit() else None


def _plain(value: float) -> str:
    """20.0 → "20", 0.85 → "0.85": as a person would type it."""
    return f"{value:g}"


MESSAGES = {
    ("weight", "out_of_range"): _l("Between 0 and %(max)d.", max=WEIGHT_MAX),
    ("weight", "not_a_number"): _l("Enter a number, e.g. 20 or 12.5."),
    ("weight", "required"): _l("Enter a weight; 0 leaves the rate out of the score."),
    ("basically_weight", "out_of_range"): _l("Between 0 and 1, e.g. 0.8."),
    ("basically_weight", "not_a_number"): _l("Enter a number between 0 and 1, e.g. 0.8."),
    ("min_cases", "out_of_range"): _l("A whole number from 0 to %(max)d.", max=MIN_CASES_MAX),
    ("min_cases", "not_a_number"): _l("A whole number from 0 to %(max)d.", max=MIN_CASES_MAX),
    ("list_size", "out_of_range"): _l("A whole number from 1 to %(max)d.", max=LIST_SIZE_MAX),
    ("list_size", "not_a_number"): _l("A whole number from 1 to %(max)d.", max=LIST_SIZE_MAX),
    ("note", "required"): _l("Say why the formula changes: the record keeps it with the version."),
    ("note", "too_long"): _l("At most %(max)d characters.", max=NOTE_MAX),
    ("weights", "all_zero"): _l("At least one weight must be more than 0."),
}


def message(name: str, code: str) -> str:
    key = "weight" if name.startswith("weight_") else name
    found = MESSAGES.get((key, code))
    return str(found) if found else field_errors.message(name, code)
