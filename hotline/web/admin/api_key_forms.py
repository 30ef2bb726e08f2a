"""The forms of the API-key pages. They render, carry CSRF and keep what was typed; what a rate limit may be is
decided by hotline.services.api_keys.check_rate_limit (flask-limiter's own parser), so the form and the command
line refuse the same things."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from hotline.domain import api_keys as rules
from hotline.services.api_keys import RATE_MAX, check_rate_limit
from hotline.web.fields import no_markup, strip

NOTE_MAX = 200  # ApiKey.note's column

SCOPE_LABELS = {
    rules.CREATE: _l("File requests (POST requests)"),
    rules.READ: _l("Read requests, where reading needs a key (GET requests)"),
}


def rate_limit(form, field) -> None:
    try:
        field.data = check_rate_limit(field.data or "")
    except ValueError:
        raise ValidationError(_l("Write a limit such as “60 per minute”, or several separated by “;”, such as "
                                 "“60 per minute; 5000 per day”. Each must allow at least one request.")) from None


class NewKeyForm(FlaskForm):
    name = StringField(
        _l("Key name"), filters=[strip], render_kw={"maxlength": rules.NAME_MAX, "autocomplete": "off"},
        description=_l("The system the key is given to, e.g. “市民通 app” or “东湖区城管局 back office”."),
        validators=[DataRequired(_l("Name the key after the system it is given to.")),
                    Length(max=rules.NAME_MAX, message=_l("At most %(max)d characters.")), no_markup])
    scopes = SelectMultipleField(
        _l("What the key may do"), choices=[SelectChoice(s, s) for s in rules.SCOPES], validate_choice=False,
        validators=[DataRequired(_l("Tick at least one thing the key may do."))])
    rate_limit = StringField(
        _l("Rate limit (optional)"), filters=[strip], render_kw={"maxlength": RATE_MAX, "autocomplete": "off",
                                                                 "placeholder": "60 per minute"},
        validators=[Length(max=RATE_MAX, message=_l("At most %(max)d characters.")), rate_limit])
    note = TextAreaField(
        _l("Note (optional)"), filters=[strip], render_kw={"rows": 3, "maxlength": NOTE_MAX},
        description=_l("Who runs the system and whom to call about it. Only administrators see it."),
        validators=[Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")), no_markup])

    def validate_scopes(self, field) -> None:
        if not rules.valid_scopes(field.data or []):
            raise ValidationError(_l("Tick at least one thing the key may do."))
