"""The webhook subscription form, the events as grouped check boxes, and the messages for each refusal.
Whether a subscription is valid is decided by hotline.domain.webhooks.check_subscription."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField

from hotline.domain.lifecycle import Action
from hotline.domain.petition import PetitionAction
from hotline.domain.webhooks import NAME_MAX, URL_MAX
from hotline.services.webhook_subscriptions import Spec
from hotline.web import labels
from hotline.web.fields import strip

# the actions another action causes on a second case (a merge's target, a petition's linked work order)
SIDE_EFFECTS = ("merged-in", "linked")
WORK_ORDER = tuple(a.value for a in Action)
PETITION_ONLY = tuple(a.value for a in PetitionAction if a.value not in WORK_ORDER)
KNOWN_ACTIONS = frozenset(WORK_ORDER + PETITION_ONLY + SIDE_EFFECTS)


def event_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    def named(codes):
        return [(code, labels.of(labels.ACTION, code)) for code in codes]

    return [(str(_l("12345 work orders")), named(WORK_ORDER)), (str(_l("Petitions")), named(PETITION_ONLY)),
            (str(_l("On a related case")), named(SIDE_EFFECTS))]


class SubscriptionForm(FlaskForm):
    name = StringField(_l("Subscription name"), filters=[strip], render_kw={"maxlength": NAME_MAX},
                       description=_l("What the back office is called, e.g. “城管 case system”."))
    department_id = SelectField(_l("Department"), coerce=str, validate_choice=False)
    url = StringField(_l("Receiver URL"), filters=[strip], render_kw={"maxlength": URL_MAX, "inputmode": "url",
                                                                       "autocomplete": "off",
                                                                       "placeholder": "https://"},
                      description=_l("We POST each event here as JSON. Redirects are not followed."))
    events = SelectMultipleField(_l("Events"), validate_choice=False)
    active = BooleanField(_l("Active: send events to this URL"), default=True)

    def spec(self) -> Spec:
        department = (self.department_id.data or "").strip()
        return Spec(name=self.name.data or "", url=self.url.data or "", events=[e for e in self.events.data or [] if e],
                    active=bool(self.active.data), department_id=int(department) if department.isdigit() else None)

    def load(self, row) -> None:
        self.name.data, self.url.data, self.events.data = row.name, row.url, list(row.events or [])
        self.department_id.data, self.active.data = str(row.department_id), row.active


MESSAGES = {
    ("name", "too_long"): _l("At most %(n)d characters.", n=NAME_MAX),
    ("url", "required"): _l("Enter the URL of the receiver."),
    ("url", "too_long"): _l("At most %(n)d characters.", n=URL_MAX),
    ("url", "invalid"): _l("Enter a full URL, for example https://backoffice.example.gov.cn/hooks/12345."),
    ("url", "https_only"): _l("Use https://: this deployment does not send events over plain http."),
    ("url", "scheme"): _l("Only http:// and https:// URLs can receive events."),
    ("url", "credentials"): _l("Take the user name and password out of the URL: the secret signs every request "
                               "instead."),
    ("events", "invalid_choice"): _l("Choose events from the list."),
    ("department_id", "required"): _l("Choose the department."),
    ("department_id", "invalid_choice"): _l("Choose one of the departments listed."),
}


def field_message(name: str, code: str) -> str:
    return str(MESSAGES.get((name, code), _l("Check this field.")))
