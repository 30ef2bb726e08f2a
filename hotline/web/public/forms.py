from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.domain.text import ADDRESS_MAX, DESCRIPTION_MAX, NAME_MAX
from hotline.web import labels
from hotline.web.fields import no_markup, phone_number, strip


def _coerce_int(value):
    return int(value) if value not in (None, "") else None


class ComplaintForm(FlaskForm):
    kind = SelectField(_l("Type of matter"), validators=[InputRequired()])
    category_id = SelectField(_l("Subject"), coerce=_coerce_int,
                              validators=[InputRequired(_l("Choose the subject that fits best."))])
    area_id = SelectField(_l("District and street"), coerce=_coerce_int,
                          validators=[InputRequired(_l("Choose where it happens."))])
    location_text = StringField(
        _l("Address or place"), filters=[strip],
        validators=[DataRequired(_l("Tell us where it happens.")),
                    Length(max=ADDRESS_MAX, message=_l("At most %(max)d characters.")), no_markup])
    description = TextAreaField(
        _l("What happened"), filters=[strip],
        validators=[DataRequired(_l("Describe the matter.")),
                    Length(min=10, max=DESCRIPTION_MAX,
                           message=_l("Between %(min)d and %(max)d characters, please.")), no_markup])
    name = StringField(
        _l("Your name"), filters=[strip],
        validators=[DataRequired(_l("Enter your name.")),
                    Length(max=NAME_MAX, message=_l("At most %(max)d characters.")), no_markup])
    phone = StringField(
        _l("Mobile phone"), filters=[strip],
        validators=[DataRequired(_l("Enter a phone number so we can reach you.")),
                    Length(max=32, message=_l("At most %(max)d characters.")), phone_number])
    confidential = BooleanField(_l("Keep my identity confidential"))
    submission_key = HiddenField()

    def fill_choices(self, categories, areas) -> None:
        self.kind.choices = [(str(k), labels.of(labels.KIND, k)) for k in KINDS_BY_TRACK[Track.HOTLINE]]
        self.category_id.choices = {"": [("", _l("— choose —"))], **categories}
        self.area_id.choices = {"": [("", _l("— choose —"))], **areas}
