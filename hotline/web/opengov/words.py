"""What the open-government pages call each measure, and how each is defined, in the reader's language. The
definitions say what hotline.services.measures counts; they are published next to the figures."""
from __future__ import annotations

from datetime import date

from flask_babel import format_decimal, format_percent, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DIMENSION = {"department": _l("Department"), "category": _l("Subject"), "district": _l("District")}
BY = {"department": _l("By department"), "category": _l("By subject"), "district": _l("By district")}

MEASURE = {
    "received": _l("Cases received"), "closed": _l("Cases closed"),
    "on_time_sign": _l("Signed for on time"), "on_time_completion": _l("Completed on time"),
    "response": _l("Response rate"), "resolution": _l("Resolution rate"), "satisfaction": _l("Satisfaction rate"),
    "average_hours": _l("Average handling time"), "overdue": _l("Cases overdue"), "score": _l("Composite score"),
}
# the counts behind the rates, as the CSV downloads name their columns
COUNT = {
    "sign_due": _l("Dispatches due for sign-for"), "signed_on_time": _l("Dispatches signed for on time"),
    "completion_due": _l("Cases due for an answer"), "completed_on_time": _l("Cases answered on time"),
    "replied": _l("Cases answered"), "responded": _l("Answered after contacting the person"),
    "rated": _l("Cases rated"), "satisfied": _l("Rated satisfied"), "basically": _l("Rated basically satisfied"),
    "resolved": _l("Rated resolved"), "redone": _l("Sent back for redo (重办)"),
}

DEFINITION = {
    "received": _l("Cases received in the month, counted in the month they arrived. A duplicate merged into "
                   "another case is counted once, in that case."),
    "closed": _l("Of the cases received in the month, those closed (办结) so far."),
    "on_time_sign": _l("Dispatches signed for by their deadline, divided by the dispatches whose sign-for "
                       "deadline has passed or that were signed for. Each department's own dispatch counts."),
    "on_time_completion": _l("Cases answered by their reply deadline (an approved extension counts), divided by "
                             "the cases whose reply deadline has passed or that were answered."),
    "response": _l("Cases answered after the department contacted the person (by phone, a visit or SMS), "
                   "divided by the cases answered."),
    "resolution": _l("Cases the person called resolved at the callback (回访), divided by the cases rated."),
    "satisfaction": _l("Cases rated satisfied, plus those rated basically satisfied at the weight below, divided "
                       "by the cases rated."),
    "average_hours": _l("Time from receipt to the department's answer, averaged over the cases answered."),
    "overdue": _l("Cases answered after their reply deadline, or not answered and past it."),
}

def percent(value: float | None) -> str:
    """"87.5%", or a dash where nothing could be measured (no case in the denominator)."""
    if value is None:
        return "—"
    return format_percent(value, "#,##0.0%")

def hours(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 48:
        return _("%(n)s days", n=format_decimal(value / 24, "#,##0.0"))
    return _("%(n)s hours", n=format_decimal(value, "#,##0.0"))

def score(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, "#,##0.0")

def weight(value: float) -> str:
    return format_decimal(value, "#,##0.##")

def weighted(policy) -> list[tuple[str, float]]:
    """The rates that weigh in the composite score, in the published order, with their weights."""
    order = ("on_time_sign", "on_time_completion", "response", "resolution", "satisfaction")
    return [(rate, policy.weights[rate]) for rate in order if policy.weights.get(rate, 0) > 0]


def month_label(month: date) -> str:
    """"2026年10月" / "October 2026"."""
    if str(get_locale()) == "en":
        return month.strftime("%B %Y")
    return f"{month.year}年{month.month}月"

def month_tick(month: date) -> str:
    """A month on a chart's axis: "10月", "Oct"."""
    if str(get_locale()) == "en":
        return month.strftime("%b")
    return f"{month.month}月"


def year_ticks(months: list[date]) -> list[str]:
    """Under the axis, the year of the first month and of each January; nothing under the others."""
    suffix = "" if str(get_locale()) == "en" else "年"
    return [f"{m.year}{suffix}" if i == 0 or m.month == 1 else "" for i, m in enumerate(months)]
