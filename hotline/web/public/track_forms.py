from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from hotline.domain.actions import NOTE_MAX, SATISFACTION
from hotline.domain.case_number import looks_like_number
from hotline.web import labels
from hotline.web.fields import no_markup, phone_number, strip


def _case_number(form, field) -> None:
    if field.data and not looks_like_number("".join(field.data.split())):
        raise ValidationError(_l("A case number looks like 12345-20261127-000123."))


class PhoneForm(FlaskForm):
    phone = StringField(
        _l("Mobile phone"), filters=[strip],
        validators=[DataRequired(_l("Enter your mobile number.")),
                    Length(max=32, message=_l("At most %(max)d characters.")), phone_number],
        render_kw={"autocomplete": "tel", "inputmode": "tel"})


class CaseNumberForm(FlaskForm):
    number = StringField(
        _l("Case number"), filters=[strip],
        validators=[DataRequired(_l("Enter the case number from your SMS.")),
                    Length(max=40, message=_l("At most %(max)d characters.")), _case_number],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the SMS"), filters=[lambda v: "".join(v.split()) if isinstance(v, str) else v],
        validators=[DataRequired(_l("Enter the 6-digit code.")),
                    Regexp(r"^\d{6}$", message=_l("The code has 6 digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "8"})


class ResendForm(FlaskForm):
    """Nothing but the CSRF token: asks for another code."""


class SignOutForm(FlaskForm):
    pass


class RatingForm(FlaskForm):
    satisfaction = RadioField(_l("How satisfied are you with the handling?"),
                              choices=[SelectChoice(s, labels.SATISFACTION[s]) for s in SATISFACTION],
                              validators=[InputRequired(_l("Choose one."))])
    resolved = RadioField(_l("Has your matter been resolved?"),
                          choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          validators=[InputRequired(_l("Choose one."))])
    comment = TextAreaField(
        _l("Comment (optional)"), filters=[strip],
        validators=[Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")), no_markup])
    version = HiddenField()


class ReopenForm(FlaskForm):
    comment = TextAreaField(
        _l("What is still not resolved?"), filters=[strip],
        validators=[DataRequired(_l("Tell the department what is still wrong, so it can act on it.")),
                    Length(max=NOTE_MAX, message=_l("At most %(max)d characters.")), no_markup])
