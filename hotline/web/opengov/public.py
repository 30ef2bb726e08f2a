"""What every public page of the blueprint shares: one rate limit per visitor across them, and answers a browser
or a proxy may keep and check again cheaply (an unchanged page is a 304 without its body)."""
from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, current_app, make_response, request
from flask_login import current_user

from hotline.clock import local, now
from hotline.domain import kpis
from hotline.extensions import limiter


def _rate() -> str:
    return current_app.config["HOTLINE_RATE_OPEN"]  # a reader clicks; a scraper is slowed down


# one budget per visitor over all the open pages and downloads, however they spread their requests
limited = limiter.shared_limit(_rate, scope="opengov")


def cached(body, mimetype: str | None = None, **headers: str) -> Response:
    """Kept by browsers and proxies, asked again each time (the figures change every few minutes); an
    unchanged answer comes back as 304. A signed-in person's page (their name in the header) stays private."""
    response = make_response(body)
    if mimetype:
        response.mimetype = mimetype
    response.headers.update(headers)
    response.headers["Cache-Control"] = "private, no-cache" if current_user.is_authenticated else "no-cache"
    response.add_etag()
    return response.make_conditional(request)


def current_month() -> date:
    return kpis.month_start(local(now(), current_app.config["HOTLINE_TIMEZONE"]).date())


def month_arg(default: date | None) -> date | None:
    """?month=2026-10; the default without one; 404 for anything that is not a month."""
    text = request.args.get("month", "").strip()
    if not text:
        return default
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        abort(404)


def _cell(value) -> str:
    """A spreadsheet must never run a published cell as a formula (=, +, -, @ at the start)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def csv_download(filename: str, header: list[str], rows: list[list]) -> Response:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese names as they are."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return cached("\ufeff" + out.getvalue(), "text/csv",
                  **{"Content-Disposition": f'attachment; filename="{filename}"'})
