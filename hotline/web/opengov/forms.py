"""The moderation form: it renders, carries CSRF and keeps what was typed; whether the text may be published is
decided by hotline.domain.redact.check_publication."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from hotline.domain.redact import TEXT_MAX, TITLE_MAX
from hotline.web.fields import strip

KIND = {
    "id_number": _l("an identity-card number"), "phone": _l("a phone number"), "email": _l("an e-mail address"),
    "plate": _l("a licence plate"), "number": _l("a long number (a card or account number?)"),
    "address": _l("the person's address"), "name": _l("the person's name"),
    "possible_name": _l("what looked like other people's names"),
}
HOUSE = _l("house or room numbers")
MESSAGES = {
    ("title", "required"): _l("Give the question a short title."),
    ("question", "required"): _l("Write the question as it will be published."),
    ("answer", "required"): _l("Write the answer as it will be published."),
    ("title", "too_long"): _l("At most %(max)d characters.", max=TITLE_MAX),
    ("question", "too_long"): _l("At most %(max)d characters.", max=TEXT_MAX),
    ("answer", "too_long"): _l("At most %(max)d characters.", max=TEXT_MAX),
}


def _joined(items: list[str]) -> str:
    return (", " if str(get_locale()) == "en" else "、").join(items)


def removed(found: dict[str, int]) -> str:
    """"the person's name (1), a phone number (2)": what redaction took out, for the moderator."""
    items = [(str(KIND[kind]) if kind in KIND else str(HOUSE) if kind == "house_number" else kind, n)
             for kind, n in sorted(found.items())]
    return _joined([_("%(what)s (%(n)d)", what=what, n=n) for what, n in items])


def message(field: str, code: str) -> str:
    if code.startswith("personal:"):
        found = _joined([str(KIND.get(kind, kind)) for kind in code.split(":", 1)[1].split(",")])
        return _("This still contains %(what)s. Remove it before publishing.", what=found)
    return str(MESSAGES.get((field, code)) or _l("Check this field."))


class Needed:
    """Marks a field as required on screen (the asterisk); the domain checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class ModerationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Needed()], filters=[strip], render_kw={"maxlength": TITLE_MAX})
    question = TextAreaField(_l("Question"), validators=[Needed()], filters=[strip], render_kw={"rows": 8})
    answer = TextAreaField(_l("Official answer"), validators=[Needed()], filters=[strip], render_kw={"rows": 8})
    version = HiddenField()

    def load(self, title: str, question: str, answer: str, version: int) -> None:
        self.title.data, self.question.data, self.answer.data = title, question, answer
        self.version.data = str(version)

    def fields(self) -> dict:
        return {"title": self.title.data or "", "question": self.question.data or "",
                "answer": self.answer.data or ""}

    def expected_version(self) -> int:
        text = (self.version.data or "").strip()
        return int(text) if text.isdigit() else -1

    def mark(self, problems: dict[str, str]) -> None:
        for name, code in problems.items():
            field = getattr(self, name, None)
            if field is not None:
                field.errors = [*field.errors, message(name, code)]
