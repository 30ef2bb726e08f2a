from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length

from hotline.services.tokens import NAME_MAX
from hotline.web.fields import no_markup, strip


class NewTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"), filters=[strip],
        validators=[DataRequired(_l("Name the token after where it is used, for example “call-centre system”.")),
                    Length(max=NAME_MAX, message=_l("At most %(max)d characters.")), no_markup])


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired()])
