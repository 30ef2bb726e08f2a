"""The inbox's forms: a reply, done (with a note for voice mail), blocking a number and lifting a block."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from hotline.services.blocklist import REASON_MAX
from hotline.services.sms_inbox import NOTE_MAX, REPLY_MAX
from hotline.web.fields import phone_number, strip

TOO_LONG = _l("At most %(max)d characters.")


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Your reply"), filters=[strip],
        validators=[DataRequired(_l("Write the text to send.")),
                    Length(max=REPLY_MAX, message=_l("At most %(max)d characters: two text messages."))])


class DoneForm(FlaskForm):
    note = TextAreaField(_l("Note (optional)"), filters=[strip], validators=[Length(max=NOTE_MAX, message=TOO_LONG)])


class BlockForm(FlaskForm):
    reason = StringField(
        _l("Reason for blocking"), filters=[strip],
        validators=[DataRequired(_l("Say why this number is blocked: others will read it.")),
                    Length(max=REASON_MAX, message=TOO_LONG)])


class AddBlockForm(BlockForm):
    phone = StringField(
        _l("Phone number"), filters=[strip],
        validators=[DataRequired(_l("Enter the number to block.")), phone_number])


class LiftForm(FlaskForm):
    phone = HiddenField(validators=[DataRequired()])
