"""The words of the assessment pages: each measure's name and definition (hotline.domain.kpis.COUNTS, in the
reader's language), the rate formulas, and each supervision flag with its rule."""
from __future__ import annotations

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hotline.domain import flags, kpis
from hotline.web.opengov import words

# the names the open-government pages publish, so a figure is called the same on both sides
MEASURE = {"received": words.MEASURE["received"], "closed": words.MEASURE["closed"], **words.COUNT,
           "dissatisfied": _l("Rated dissatisfied"), "overdue": words.MEASURE["overdue"]}
DEFINITION = {
    "received": _l("Cases received in the month (12345 work orders; merged cases count in the case they joined)."),
    "closed": _l("Of those, closed (办结)."),
    "sign_due": _l("Dispatches to the department whose sign-for deadline has passed or that were signed for."),
    "signed_on_time": _l("Of those, signed for by the sign-for deadline."),
    "completion_due": _l("Cases whose reply deadline has passed or that were answered."),
    "completed_on_time": _l("Of those, answered by the reply deadline (an approved extension counts)."),
    "replied": _l("Cases answered."),
    "responded": _l("Of those, answered after the department contacted the person (phone, visit or SMS)."),
    "rated": _l("Cases the person rated at the callback (回访)."),
    "satisfied": _l("Of those, the person said they were satisfied."),
    "basically": _l("Of those, the person said they were basically satisfied."),
    "dissatisfied": _l("Of those, the person said they were dissatisfied."),
    "resolved": _l("Of those, the person said the matter was resolved."),
    "redone": _l("Cases sent back to be handled again (重办) at least once."),
    "handling_hours": _l("Hours from receipt to the answer, summed over the cases answered."),
    "overdue": _l("Due to be answered, but answered late or not at all (超期)."),
}
# What the cases a number did not count are: the other side of a rate.
MISSED = {
    "signed_on_time": _l("late to sign for"), "completed_on_time": _l("overdue"),
    "responded": _l("answered without contact"), "resolved": _l("not resolved"),
    "satisfied": _l("not satisfied"), "basically": _l("not basically satisfied"), "closed": _l("not closed"),
    "replied": _l("not answered"), "rated": _l("not rated"), "redone": _l("never redone"),
}
# The headings of the report's lists of cases that missed.
MISSED_TITLE = {
    "signed_on_time": _l("Late to sign for"), "completed_on_time": _l("Overdue"),
    "responded": _l("Answered without contact"), "resolved": _l("Not resolved"), "dissatisfied": _l("Dissatisfied"),
}
RATE = {
    "on_time_sign": _l("On-time sign-for rate"), "on_time_completion": _l("On-time completion rate"),
    "response": _l("Response rate"), "resolution": _l("Resolution rate"), "satisfaction": _l("Satisfaction rate"),
}
RATE_SHORT = {
    "on_time_sign": _l("Signed for on time"), "on_time_completion": _l("Completed on time"),
    "response": _l("Response rate"), "resolution": _l("Resolution rate"), "satisfaction": _l("Satisfaction rate"),
}
# each rate's numerator and denominator (hotline.domain.kpis.rates)
PARTS = {
    "on_time_sign": ("signed_on_time", "sign_due"), "on_time_completion": ("completed_on_time", "completion_due"),
    "response": ("responded", "replied"), "resolution": ("resolved", "rated"), "satisfaction": ("satisfied", "rated"),
}
LIST_NAME = {"red": _l("Red list (红榜)"), "black": _l("Black list (黑榜)")}

FLAG = {
    "no_contact": _l("Answered without any contact with the person"),
    "extensions_many": _l("Extension requests on many cases"),
    "extension_repeated": _l("Extension requested more than once for a case"),
    "redone": _l("Cases redone more than twice"),
    "last_hour": _l("Many cases answered in the last hour before the deadline"),
    "returns_refused": _l("Returns mostly refused"),
}


def formula(rate: str, policy: kpis.Policy) -> str:
    numerator, denominator = PARTS[rate]
    if rate == "satisfaction":
        return _("(%(satisfied)s + %(weight)s × %(basically)s) ÷ %(rated)s", satisfied=MEASURE["satisfied"],
                 weight=format_decimal(policy.basically_weight, "0.##"), basically=MEASURE["basically"],
                 rated=MEASURE["rated"])
    return f"{MEASURE[numerator]} ÷ {MEASURE[denominator]}"


def score_formula(policy: kpis.Policy) -> str:
    parts = " + ".join(f"{format_decimal(policy.weights.get(r, 0), '0.##')} × {RATE[r]}" for r in kpis.RATES
                       if policy.weights.get(r, 0))
    return _("Score = (%(parts)s) ÷ the sum of the weights of the rates that could be measured, out of 100.",
             parts=parts)


def flag_rule(kind: str) -> str:
    rule = flags.RULES[kind]
    if kind == "no_contact":
        return _("Every answer the department recorded as given without phoning, visiting or texting the person.")
    if kind == "extensions_many":
        return _("The department asked for an extension on at least %(n)d cases in the month, and on at least "
                 "%(share)s of the cases it led in the month.", n=rule.min_count, share=percent(rule.min_share))
    if kind == "extension_repeated":
        return _("The department asked more than once for an extension of the same case (the second time after a "
                 "return was refused, for example).")
    if kind == "redone":
        return _("Cases sent back to be handled again more than %(n)d times, redone again in the month.",
                 n=flags.REDO_MORE_THAN)
    if kind == "last_hour":
        return _("At least %(n)d answers in the month came in the last hour before their deadline, and they are at "
                 "least %(share)s of the department's answers.", n=rule.min_count, share=percent(rule.min_share))
    return _("The centre reviewed at least %(n)d of the department's returns in the month and refused more than "
             "%(share)s of them: the department sends back cases that are its own.", n=rule.min_out_of,
             share=percent(rule.min_share))


def percent(value: float | None, pattern: str = "#,##0.#%") -> str:
    if value is None:
        return "—"
    return format_percent(value, pattern)


def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, "#,##0.0")


def score(value: float | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value, "0.0")


def number(value: float) -> str:
    """A weight as typed: 20, 12.5, 0.8."""
    return format_decimal(value, "0.##")
