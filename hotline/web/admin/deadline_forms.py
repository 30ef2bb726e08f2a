"""The forms of the calendar and SLA-policy pages, and the words for their codes. The forms render, carry
CSRF and keep what was typed; what is valid is decided by services.calendars and services.sla_admin."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from hotline.domain.calendar_notice import LONGEST_PERIOD, NAME_MAX
from hotline.domain.deadlines import Unit
from hotline.domain.kinds import KINDS_BY_TRACK, Urgency
from hotline.domain.sla import CLOCKS_BY_TRACK
from hotline.services.calendars import FIRST_YEAR, LAST_YEAR, NOTICE_MAX
from hotline.services.sla_admin import MAX_AMOUNT
from hotline.web import field_errors, labels
from hotline.web.fields import strip

CLOCK = {
    "sign": _l("Sign for (签收)"), "return": _l("Return window (退单)"), "handle": _l("Handle and reply (办理)"),
    "callback": _l("Callback (回访)"), "supervision": _l("Supervision (督办)"),
    "forward": _l("Petition: forward (转送/交办)"), "accept": _l("Petition: acceptance notice (受理告知)"),
    "object": _l("Petition: objection window (异议)"), "decide": _l("Petition: written decision (处理意见)"),
    "review_window": _l("Petition: time to ask for review"), "review": _l("Petition: review decision (复查)"),
    "re_review_window": _l("Petition: time to ask for re-review"),
    "re_review": _l("Petition: re-review decision (复核)"),
}
UNIT = {
    "minutes": _l("minutes, round the clock"), "hours": _l("hours, round the clock"),
    "working_hours": _l("working hours (office hours, working days)"), "working_days": _l("working days"),
    "calendar_days": _l("calendar days (the last day rolls to a working day)"),
}


def amount(n: int, unit: str) -> str:
    """"5 working days", "15 min": a limit as the policy list shows it."""
    if unit == "minutes":
        return ngettext("%(num)d min", "%(num)d min", n)
    if unit == "hours":
        return ngettext("%(num)d hour", "%(num)d hours", n)
    if unit == "working_hours":
        return ngettext("%(num)d working hour", "%(num)d working hours", n)
    if unit == "working_days":
        return ngettext("%(num)d working day", "%(num)d working days", n)
    if unit == "calendar_days":
        return ngettext("%(num)d day", "%(num)d days", n)
    return f"{n} {unit}"


SOURCE = {"admin": _l("Entered by an administrator"), "chinese-calendar": _l("From the chinese-calendar package")}
JOB_STATUS = {"pending": _l("Queued"), "pushed": _l("Running"), "done": _l("Done"), "failed": _l("Failed")}
KIND_OF_DAY = {"working": _l("Working day"), "weekend": _l("Weekend"), "holiday": _l("Holiday"),
               "makeup": _l("Make-up working day (调休)")}


class Needed:
    """Marks a field as required on screen (the asterisk); the service checks it."""
    field_flags = {"required": True}

    def __call__(self, form, field) -> None:
        return None


class NoticeForm(FlaskForm):
    notice = StringField(
        _l("Notice"), validators=[Needed()], filters=[strip], render_kw={"maxlength": NOTICE_MAX},
        description=_l("The State Council notice the days come from, e.g. 国办发明电〔2026〕7号."))
    holidays = TextAreaField(
        _l("Holidays (放假)"), validators=[Needed()], render_kw={"rows": 9, "spellcheck": "false"},
        description=_l("One day or period a line, then its name — every day off, weekend days inside the "
                       "period included, e.g. “2027-02-06..2027-02-13 春节”."))
    working_days = TextAreaField(
        _l("Make-up working days (调休上班)"), render_kw={"rows": 4, "spellcheck": "false"},
        description=_l("The Saturdays and Sundays worked, e.g. “2027-02-20 春节”."))
    replace = BooleanField(_l("Replace the days this year already has in the calendar"))


class RecomputeForm(FlaskForm):
    scope = RadioField(_l("Which open cases"), validate_choice=False, default="provisional", choices=[
        SelectChoice("provisional", _l("Every open case whose deadlines are provisional")),
        SelectChoice("year", _l("Every open case with a deadline running in this year"))])
    year = HiddenField()
    note = TextAreaField(_l("Reason"), validators=[Needed()], filters=[strip], render_kw={"rows": 2},
                         description=_l("Kept in each case’s history, e.g. “2027 holiday notice entered”."))


class PolicyForm(FlaskForm):
    track = SelectField(_l("Track"), validators=[Needed()], validate_choice=False)
    kind = SelectField(_l("Kind of case"), validate_choice=False)
    urgency = SelectField(_l("Urgency"), validate_choice=False)
    clock = SelectField(_l("Clock"), validators=[Needed()], validate_choice=False)
    amount = StringField(_l("Limit"), validators=[Needed()], filters=[strip],
                         render_kw={"inputmode": "numeric", "type": "number", "min": 1, "max": MAX_AMOUNT})
    unit = SelectField(_l("Counted in"), validators=[Needed()], validate_choice=False)
    warn_percent = StringField(_l("Warn when this share of the time has gone (%)"), filters=[strip],
                               render_kw={"inputmode": "numeric", "type": "number", "min": 1, "max": 99},
                               description=_l("1–99, or empty for no such warning."))
    warn_left_amount = StringField(_l("…or when only this much is left"), filters=[strip],
                                   render_kw={"inputmode": "numeric", "type": "number", "min": 1},
                                   description=_l("Whichever comes first. Empty for no such warning."))
    warn_left_unit = SelectField(_l("Counted in"), validate_choice=False)
    stamp = HiddenField()

    def fill(self) -> None:
        self.track.choices = [(code, str(text)) for code, text in labels.TRACK.items()]
        self.kind.choices = [SelectChoice("", _("Any kind"))] + [
            SelectChoice(str(k), labels.of(labels.KIND, str(k)), optgroup=labels.of(labels.TRACK, str(t)))
            for t, kinds in KINDS_BY_TRACK.items() for k in kinds]
        self.urgency.choices = [("", _("Any urgency"))] + [(str(u), labels.of(labels.URGENCY, str(u)))
                                                         for u in Urgency]
        self.clock.choices = [SelectChoice(c.value, str(CLOCK[c.value]), optgroup=labels.of(labels.TRACK, str(t)))
                              for t, clocks in CLOCKS_BY_TRACK.items() for c in clocks]
        self.unit.choices = [(u.value, str(UNIT[u.value])) for u in Unit]
        self.warn_left_unit.choices = [("", _("— none —"))] + [(u.value, str(UNIT[u.value])) for u in Unit]

    def raw(self) -> dict:
        return {f.short_name: f.data for f in self if f.short_name not in ("csrf_token", "stamp")}

    def load(self, spec: dict, stamp: str) -> None:
        for name, value in spec.items():
            getattr(self, name).data = "" if value is None else str(value)
        self.stamp.data = stamp


# --- the words for the codes ---------------------------------------------------------------------------------

LINE = {
    "no_date": _l("Line %(line)d, “%(text)s”: a line starts with a date, such as 2027-02-06."),
    "bad_date": _l("Line %(line)d, “%(text)s”: a date here does not exist or cannot be read."),
    "reversed_range": _l("Line %(line)d, “%(text)s”: the period ends before it begins."),
    "range_too_long": _l("Line %(line)d, “%(text)s”: the period is longer than %(max)d days."),
    "name_too_long": _l("Line %(line)d, “%(text)s”: the name is longer than %(max)d characters."),
}
DAY = {
    "empty": _l("List at least one holiday."),
    "wrong_year": _l("%(day)s is not in %(year)d."),
    "makeup_not_weekend": _l("%(day)s is a weekday: a make-up working day is always a Saturday or Sunday."),
    "both": _l("%(day)s is listed both as a holiday and as a make-up working day."),
    "duplicate": _l("%(day)s is listed twice."),
    "name_too_long": _l("The name of %(day)s is longer than %(max)d characters."),
}
FIELD = {
    ("notice", "required"): _l("Name the notice the days come from, e.g. 国办发明电〔2026〕7号."),
    ("notice", "too_long"): _l("At most %(max)d characters.", max=NOTICE_MAX),
    ("year", "out_of_range"): _l("The year must be between %(first)d and %(last)d.", first=FIRST_YEAR,
                                 last=LAST_YEAR),
    ("year", "already_entered"): _l("An administrator has already entered this year. Tick “Replace” to replace "
                                    "its days with these."),
    ("year", "from_package"): _l("This year is already in the calendar, from the chinese-calendar package. Tick "
                                 "“Replace” to replace its days with this notice."),
    ("note", "required"): _l("Give the reason: it is kept in each case’s history."),
    ("amount", "out_of_range"): _l("A whole number from 1 to %(max)d.", max=MAX_AMOUNT),
    ("warn_left_amount", "out_of_range"): _l("A whole number from 1 to %(max)d.", max=MAX_AMOUNT),
    ("warn_percent", "out_of_range"): _l("A percentage from 1 to 99, or leave it empty."),
    ("warn_left_amount", "incomplete"): _l("Give the amount too, or choose no unit."),
    ("warn_left_unit", "incomplete"): _l("Choose the unit too, or leave the amount empty."),
    ("warn_left_amount", "not_smaller"): _l("The warning must come before the deadline: make it shorter than "
                                            "the limit."),
    ("kind", "kind_not_in_track"): _l("This kind of case is not on the chosen track."),
    ("clock", "clock_not_in_track"): _l("This clock is not one of the chosen track's."),
    ("kind", "default_scope"): _l("This is the clock’s policy for the whole track: its track, kind, urgency and "
                                  "clock stay as they are."),
    ("clock", "duplicate"): _l("There is already a policy for this track, kind, urgency and clock: edit that "
                               "one instead."),
}


def field_message(name: str, code: str) -> str:
    found = FIELD.get((name, code))
    return str(found) if found is not None else field_errors.message(name, code)


def line_message(problem) -> str:
    max_ = LONGEST_PERIOD if problem.code == "range_too_long" else NAME_MAX
    return str(LINE.get(problem.code, LINE["bad_date"])) % {"line": problem.line, "text": problem.text, "max": max_}


def day_message(problem, year: int) -> str:
    return str(DAY.get(problem.code, DAY["duplicate"])) % {
        "day": problem.day.isoformat() if problem.day else "", "year": year, "max": NAME_MAX}
