"""信访事项台账: every petition, newest first, with filters and a search by number, name, ID number or phone
(a search by a person is written to the access log), and the filtered list as CSV (audited). For the centre,
which sees the petitioners' names; always through `cases.visible`, so a recusal holds here too."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from hotline.clock import local, now
from hotline.domain.kinds import KINDS_BY_TRACK, Track
from hotline.domain.petition import PetitionState
from hotline.domain.petition_intake import GROUP_SIZE
from hotline.domain.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role
from hotline.extensions import db
from hotline.services import petition_queries as queries
from hotline.services.petitions import PETITION_CHANNELS
from hotline.web import labels
from hotline.web.access import client_ip, roles_required
from hotline.web.cases import present
from hotline.web.petitions import bp

OFFICE = CENTRE_ROLES  # the petition office works in the centre
EVERYONE = CENTRE_ROLES | DEPARTMENT_ROLES
REPORTERS = frozenset({Role.DISPATCHER, Role.SUPERVISOR})
INTAKE = frozenset({Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR})
STATES = tuple(s.value for s in PetitionState)
KINDS = tuple(k.value for k in KINDS_BY_TRACK[Track.PETITION])
CHANNELS = tuple(c.value for c in PETITION_CHANNELS)


def timezone() -> str:
    return current_app.config["HOTLINE_TIMEZONE"]


def today() -> date:
    return local(now(), timezone()).date()


@bp.app_context_processor
def petition_office_links():
    """The "信访" group of the menu: the screens this person may open (registration once it is there)."""
    def links() -> list[tuple[str, str]]:
        if not current_user.is_authenticated:
            return []
        role = Role(current_user.role)
        wanted = [("petitions.register", _("Register a petition"), INTAKE),
                  ("petitions.registry", _("Petition registry"), OFFICE),
                  ("petitions.queue", _("Petitions to handle"), EVERYONE),
                  ("petitions.calendar", _("Statutory calendar"), EVERYONE),
                  ("petitions.report", _("Annual report"), REPORTERS)]
        views = current_app.view_functions
        return [(endpoint, text) for endpoint, text, roles in wanted if role in roles and endpoint in views]
    return {"petition_office_links": links}


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "").strip())
    except ValueError:
        return None


def filter_from_request() -> queries.PetitionFilter:
    args = request.args

    def one_of(name: str, allowed: tuple[str, ...]) -> str:
        value = args.get(name, "")
        return value if value in allowed else ""

    return queries.PetitionFilter(
        q=args.get("q", "")[:100], state=one_of("state", STATES), kind=one_of("kind", KINDS),
        channel=one_of("channel", CHANNELS), organ_id=args.get("organ", type=int),
        major=args.get("major") == "1", group=args.get("group") == "1", overdue=args.get("overdue") == "1",
        received_from=_day("from"), received_to=_day("to"), page=max(args.get("page", 1, type=int) or 1, 1))


def petitioner_names(case, limit: int = 3) -> str:
    """张三、李四、王五 等 12 人: the first few, and how many came."""
    people = case.petition.petitioners if case.petition else []
    names = "、".join(p.name for p in people[:limit])
    count = max(case.petition.group_size if case.petition else 0, len(people))
    if count > limit or len(people) > limit:
        return _("%(names)s and others, %(count)d in all", names=names, count=count)
    return names


def _search(flt: queries.PetitionFilter, moment):
    look = queries.lookup(flt.q, current_app.config["HOTLINE_PHONE_REGION"])
    queries.log_search(db.session, current_user, look, moment, client_ip())
    return look


@bp.route("/")
@roles_required(*OFFICE)
def registry():
    flt = filter_from_request()
    moment = now()
    look = _search(flt, moment)
    rows, has_next = queries.search(db.session, current_user.actor, flt, look, timezone(), moment)
    db.session.commit()  # the access log of a search by a person
    g.personal_data_shown = True  # the petitioners' names: never cached
    return render_template(
        "petitions/registry.html", rows=rows, has_next=has_next, flt=flt, now=moment, look=look,
        dues=queries.next_deadlines(db.session, [c.id for c in rows], moment), names=petitioner_names,
        states=STATES, kinds=KINDS, channels=CHANNELS, organ_choices=present.department_choices(db.session),
        group_size=GROUP_SIZE, csv_args={k: v for k, v in request.args.items() if k != "page"})


@bp.route("/registry.csv")
@roles_required(*OFFICE)
def registry_csv():
    flt = filter_from_request()
    moment = now()
    look = queries.lookup(flt.q, current_app.config["HOTLINE_PHONE_REGION"])
    cases = list(queries.export(db.session, current_user.actor, flt, look, timezone(), moment))
    dues = queries.next_deadlines(db.session, [c.id for c in cases], moment)
    queries.log_export(db.session, current_user, flt, look, len(cases), moment, client_ip())
    db.session.commit()
    rows = [[_("Petition number"), _("Date received"), _("Kind"), _("Channel"), _("Petitioners"),
             _("People"), _("Major or urgent"), _("Organ"), _("Status"), _("Next deadline"), _("Due by"),
             _("Overdue"), _("Petitioner’s request")]]
    for case in cases:
        due = dues.get(case.id)
        rows.append([
            case.number, f"{local(case.received_at, timezone()):%Y-%m-%d %H:%M}", labels.of(labels.KIND, case.kind),
            labels.of(labels.CHANNEL, case.channel), petitioner_names(case, limit=50), case.petition.group_size,
            labels.of(labels.YES_NO, case.petition.major), labels.short(case.lead_department),
            labels.state_of(case.track, case.state), labels.of(labels.PETITION_CLOCK, due.clock) if due else "",
            f"{local(due.at, timezone()):%Y-%m-%d %H:%M}" if due else "",
            labels.of(labels.YES_NO, bool(due and due.card == "overdue")), case.description])
    return csv_response(rows, f"petitions-{today():%Y%m%d}.csv")


def csv_response(rows: list[list], filename: str) -> Response:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese as Chinese; a cell that a spreadsheet would
    take for a formula (a petitioner's words may begin with "=") is kept as text."""
    out = io.StringIO()
    csv.writer(out).writerows([[_cell(v) for v in row] for row in rows])
    return Response(("\ufeff" + out.getvalue()).encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _cell(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
