"""What the assessment pages share: the month asked for, the person on each listed case (masked unless the viewer
may see it, and every unmasked view written to the access log), the CSV response."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from flask import Response, current_app, g
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import local, now
from hotline.domain import kpis
from hotline.domain.access import sees_contact_unmasked
from hotline.domain.privacy import mask_name, mask_phone
from hotline.extensions import db
from hotline.models import Case
from hotline.services import audit
from hotline.web.access import client_ip

FIRST_YEAR = 2000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def timezone() -> str:
    return current_app.config["HOTLINE_TIMEZONE"]


def this_month() -> date:
    return kpis.month_start(local(now(), timezone()).date())


def parse_month(value: str | None) -> tuple[date, str]:
    """(the month, "") or (this month, why the value was refused). No value: this month."""
    current = this_month()
    if not value:
        return current, ""
    match = _MONTH.match(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < FIRST_YEAR:
        return current, _("Enter a month as year and month, e.g. %(example)s.", example=current.strftime("%Y-%m"))
    month = date(int(match.group(1)), int(match.group(2)), 1)
    if month > current:
        return current, _("That month has not begun yet.")
    return month, ""


def month_or_none(value: str | None) -> date | None:
    """For the links the pages make: None for a month that cannot be (the caller answers 404); none given is
    this month."""
    month, problem = parse_month(value)
    return None if problem else month


def around(month: date) -> tuple[date, date | None]:
    """The month before, and the month after unless it has not begun."""
    before = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    after = kpis.next_month(month)
    return before, after if after <= this_month() else None


def people(rows: list[Case]) -> dict[int, dict]:
    """Each case's person as the list shows them: a confidential person masked for whoever may not see them (the
    centre may), an anonymous filing said to be so. Every case shown unmasked goes to the access log."""
    actor, moment, shown = current_user.actor, now(), {}
    for case in rows:
        person = case.person
        if person is None:
            shown[case.id] = {"anonymous": True}
            continue
        unmasked = sees_contact_unmasked(actor, case.confidential, case.kind)
        if unmasked:
            audit.log_access(db.session, current_user, "view_personal_data", at=moment, case=case,
                             detail="assessment list", ip=client_ip())
        shown[case.id] = {"name": person.name if unmasked else mask_name(person.name),
                          "phone": person.phone if unmasked else mask_phone(person.phone), "masked": not unmasked}
    if any(not p.get("anonymous") and not p["masked"] for p in shown.values()):
        g.personal_data_shown = True
        db.session.commit()
    return shown


def csv_response(rows: list[list], filename: str) -> Response:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese as Chinese."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
