"""The knowledge-base article form. It renders, carries CSRF and keeps what was typed; what is valid is decided
by hotline.domain.knowledge.check and hotline.services.knowledge."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hotline.domain.knowledge import KEYWORDS_MAX, TITLE_MAX
from hotline.extensions import db
from hotline.models import Department
from hotline.web import labels
from hotline.web.fields import category_choices, strip

MESSAGES = {
    ("title", "required"): _l("Give the article a title."),
    ("title", "too_long"): _l("At most %(max)d characters.", max=TITLE_MAX),
    ("body", "required"): _l("Write the answer operators will read to callers."),
    ("body", "too_long"): _l("The text is too long."),
    ("keywords", "too_long"): _l("At most %(max)d characters.", max=KEYWORDS_MAX),
    ("category_id", "invalid_choice"): _l("Choose a subject from the list."),
    ("owner_department_id", "invalid_choice"): _l("Choose a department from the list."),
    ("valid_from", "invalid_date"): _l("Enter a date as YYYY-MM-DD, e.g. 2026-05-01."),
    ("valid_until", "invalid_date"): _l("Enter a date as YYYY-MM-DD, e.g. 2026-05-31."),
    ("valid_until", "before_start"): _l("The last day cannot be before the first day."),
}


def message(field: str, code: str) -> str:
    return str(MESSAGES.get((field, code)) or _l("Check this field."))


class Needed:
    """Marks a field as required on screen (the asterisk); the domain checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


def _date(text: str | None) -> date | None:
    text = (text or "").strip()
    return date.fromisoformat(text) if text else None


def _id(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Needed()], filters=[strip], render_kw={"maxlength": TITLE_MAX},
                        description=_l("What a caller asks about, e.g. “临时停水通知” or “社保卡补办”."))
    keywords = StringField(
        _l("Keywords"), filters=[strip], render_kw={"maxlength": KEYWORDS_MAX},
        description=_l("Words callers use that the text may not, separated by spaces or commas, "
                       "e.g. “没水 水压低 停水”."))
    body = TextAreaField(_l("Answer"), validators=[Needed()], filters=[strip], render_kw={"rows": 10},
                         description=_l("What the operator reads to the caller: short sentences, the facts first."))
    category_id = SelectField(_l("Subject"), validate_choice=False)
    owner_department_id = SelectField(_l("Owner department"), validate_choice=False,
                                      description=_l("The department that keeps the answer up to date."))
    valid_from = StringField(_l("Valid from"), filters=[strip], render_kw={"type": "date"})
    valid_until = StringField(_l("Valid until"), filters=[strip], render_kw={"type": "date"},
                              description=_l("Leave empty when the answer does not expire. From the day after, "
                                             "operators no longer find it."))
    version = HiddenField()

    def without_owner(self) -> None:
        """A department's form: its articles are its own, so the owner is not asked (and not read if posted)."""
        del self.owner_department_id

    @property
    def asks_owner(self) -> bool:
        return "owner_department_id" in self._fields

    def fill(self) -> None:
        none = str(_l("— none —"))
        self.category_id.choices = [SelectChoice("", none)] + [
            SelectChoice(str(value), text, optgroup=group)
            for group, options in category_choices().items() for value, text in options]
        if not self.asks_owner:
            return
        departments = db.session.scalars(select(Department).where(Department.active)
                                         .order_by(Department.level, Department.code))
        self.owner_department_id.choices = [SelectChoice("", none)] + [
            SelectChoice(str(d.id), labels.name(d)) for d in departments]

    def load(self, article) -> None:
        self.title.data, self.keywords.data, self.body.data = article.title, article.keywords, article.body
        self.category_id.data = str(article.category_id or "")
        if self.asks_owner:
            self.owner_department_id.data = str(article.owner_department_id or "")
        self.valid_from.data = article.valid_from.isoformat() if article.valid_from else ""
        self.valid_until.data = article.valid_until.isoformat() if article.valid_until else ""
        self.version.data = str(article.version)

    def fields(self) -> tuple[dict, dict[str, str]]:
        """What the service takes, and the fields whose text could not be read (codes)."""
        problems: dict[str, str] = {}
        dates = {}
        for name in ("valid_from", "valid_until"):
            try:
                dates[name] = _date(getattr(self, name).data)
            except ValueError:
                dates[name], problems[name] = None, "invalid_date"
        owner = self.owner_department_id.data if self.asks_owner else ""
        category, department = _id(self.category_id.data), _id(owner)
        if self.category_id.data and category is None:
            problems["category_id"] = "invalid_choice"
        if owner and department is None:
            problems["owner_department_id"] = "invalid_choice"
        return ({"title": self.title.data or "", "body": self.body.data or "", "keywords": self.keywords.data or "",
                 "category_id": category, "owner_department_id": department, **dates}, problems)

    def expected_version(self) -> int | None:
        return _id(self.version.data)

    def mark(self, problems: dict[str, str]) -> None:
        for name, code in problems.items():
            field = getattr(self, name, None) or self.title
            field.errors = [*field.errors, message(name, code)]
