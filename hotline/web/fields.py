"""Validators and choices shared by the forms."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import ValidationError

from hotline.domain.phone import InvalidPhone, to_e164
from hotline.domain.text import clean, contains_markup
from hotline.extensions import db
from hotline.models import Area, Category
from hotline.web import labels


def no_markup(form, field) -> None:
    if field.data and contains_markup(field.data):
        raise ValidationError(_l("Please remove the HTML tags or script code from this field."))


def phone_number(form, field) -> None:
    """Leaves the typed text in the field; the E.164 form is computed again in the view."""
    if not field.data:
        return
    try:
        to_e164(field.data, current_app.config["HOTLINE_PHONE_REGION"])
    except InvalidPhone:
        raise ValidationError(_l("Enter a valid phone number, for example 138 1234 5678.")) from None


def strip(value):
    return clean(value) if isinstance(value, str) else value


def category_choices() -> dict[str, list[tuple[int, str]]]:
    tops = db.session.scalars(
        select(Category).where(Category.level == 1, Category.active).order_by(Category.sort_order, Category.code)
    )
    return {
        labels.name(top): [(child.id, labels.name(child)) for child in top.children if child.active]
        for top in tops
    }


def area_choices() -> dict[str, list[tuple[int, str]]]:
    districts = db.session.scalars(select(Area).where(Area.level == 1, Area.active).order_by(Area.code))
    return {
        labels.name(d): [(d.id, labels.name(d) + " " + str(_l("(whole district)")))]
        + [(s.id, labels.name(s)) for s in d.children if s.active]
        for d in districts
    }
