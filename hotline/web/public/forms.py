from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Regexp, ValidationError

from hotline.domain import filing as rules
from hotline.domain.files import MAX_BYTES
from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.services.otp import DIGITS
from hotline.web import labels
from hotline.web.fields import no_markup, phone_number, strip


def _coerce_int(value):
    return int(value) if value not in (None, "") else None


def _digits_only(value):
    return "".join(value.split()) if isinstance(value, str) else value


class _NameUnlessAnonymous:
    """A name is required, except on an anonymous suggestion or praise (then it is not kept at all)."""
    field_flags = {"required": True}

    def __call__(self, form, field):
        if not field.data and not form.is_anonymous():
            raise ValidationError(_l("Enter your name."))


class ComplaintForm(FlaskForm):
    kind = SelectField(_l("Type of matter"), validators=[InputRequired()])
    description = TextAreaField(
        _l("What happened"), filters=[strip],
        validators=[DataRequired(_l("Describe the matter.")),
                    Length(min=10, max=DESCRIPTION_MAX,
                           message=_l("Between %(min)d and %(max)d characters, please.")), no_markup])
    category_id = SelectField(_l("Subject"), coerce=_coerce_int,
                              validators=[InputRequired(_l("Choose the subject that fits best."))])
    area_id = SelectField(_l("District and street"), coerce=_coerce_int,
                          validators=[InputRequired(_l("Choose where it happens."))])
    location_text = StringField(
        _l("Address or place"), filters=[strip],
        validators=[DataRequired(_l("Tell us where it happens.")),
                    Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")), no_markup])
    photos = MultipleFileField(
        _l("Choose photos"),
        description=_l("Optional. Up to %(n)d photos (JPEG, PNG or WebP) of at most %(mb)d MB each.",
                       n=rules.MAX_PHOTOS, mb=MAX_BYTES // (1024 * 1024)),
        render_kw={"accept": ",".join(rules.PHOTO_TYPES), "multiple": True})
    keep_location = BooleanField(_l("Keep the photos' location"))
    name = StringField(
        _l("Your name"), filters=[strip],
        validators=[_NameUnlessAnonymous(), Length(max=NAME_MAX, message=_l("At most %(max)d characters.")),
                    no_markup])
    phone = StringField(
        _l("Mobile phone"), filters=[strip],
        validators=[DataRequired(_l("Enter a phone number so we can reach you.")),
                    Length(max=32, message=_l("At most %(max)d characters.")), phone_number],
        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    confidential = BooleanField(_l("Keep my identity confidential"))
    anonymous = BooleanField(_l("File anonymously"))
    publish_consent = BooleanField(
        _l("You may publish my question and the answer without my personal details"))
    submission_key = HiddenField()

    def fill_choices(self, categories, areas) -> None:
        self.kind.choices = [(str(k), labels.of(labels.KIND, k)) for k in KINDS_BY_TRACK[Track.HOTLINE]]
        self.category_id.choices = {"": [("", _l("— choose —"))], **categories}
        self.area_id.choices = {"": [("", _l("— choose —"))], **areas}

    def is_anonymous(self) -> bool:
        return bool(self.anonymous.data) and rules.may_be_anonymous(self.kind.data)

    def validate_anonymous(self, field) -> None:
        if field.data and not rules.may_be_anonymous(self.kind.data):
            raise ValidationError(_l("Only a suggestion or praise can be sent anonymously. "
                                     "Untick this, or choose another type."))

    def fields(self) -> dict:
        """What the draft keeps of the form, as typed (the photos go their own way)."""
        return {"kind": self.kind.data, "description": self.description.data, "category_id": self.category_id.data,
                "area_id": self.area_id.data, "location_text": self.location_text.data, "name": self.name.data,
                "phone": self.phone.data, "confidential": bool(self.confidential.data),
                "anonymous": self.is_anonymous(), "publish_consent": bool(self.publish_consent.data),
                "keep_location": bool(self.keep_location.data), "submission_key": self.submission_key.data}


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code from the SMS"), filters=[_digits_only],
        validators=[DataRequired(_l("Enter the code from the SMS.")),
                    Regexp(rf"^\d{{{DIGITS}}}$", message=_l("The code has %(n)d digits.", n=DIGITS))],
        render_kw={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 12})


class ResendForm(FlaskForm):
    """Nothing but the CSRF token: asking for a new code."""
