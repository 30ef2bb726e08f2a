"""An issued petition document: shown exactly as it was issued (with a toolbar the printout leaves out) and as
PDF, to whoever may see the case, and to the petitioner through the link in their SMS. Every opening is in the
access log (the document names the petitioner), and no copy is kept by a browser or a proxy."""
from __future__ import annotations

import base64
import hashlib
import io
import re

from flask import abort, current_app, g, make_response, render_template, request, send_file, url_for
from flask_babel import format_date
from flask_login import current_user, login_required

from hotline.clock import local, now
from hotline.domain.errors import NotFound
from hotline.extensions import db, limiter
from hotline.models import Case, PetitionDocument, User
from hotline.services import audit, citizen_cases, filing, petition_documents
from hotline.web.access import client_ip
from hotline.web.documents import bp
from hotline.web.public import citizen

PDF_SUFFIX = ".pdf"


def _rate() -> str:
    return current_app.config["HOTLINE_RATE_DOCUMENTS"]


@bp.get("/cases/<number>/documents/<int:document_id>")
@login_required
def show(number: str, document_id: int):
    case, document = _visible(number, document_id)
    if petition_documents.names_withheld(current_user.actor, case):
        return _withheld(case, document)
    _log(current_user, "view_petition_document", case, document)
    earlier = document.corrects
    toolbar = render_template(
        "documents/_toolbar.html", document=document, pdf_url=url_for(".pdf", number=case.number,
                                                                       document_id=document.id),
        back_url=url_for("cases.detail", number=case.number),
        corrected_by=petition_documents.corrected_by(db.session, document),
        later_url=lambda later: url_for(".show", number=case.number, document_id=later.id),
        earlier=earlier, earlier_url=url_for(".show", number=case.number, document_id=earlier.id) if earlier else None)
    return _page(document.html, toolbar)


@bp.get("/cases/<number>/documents/<int:document_id>.pdf")
@login_required
def pdf(number: str, document_id: int):
    case, document = _visible(number, document_id)
    if petition_documents.names_withheld(current_user.actor, case):
        return _withheld(case, document)
    body = petition_documents.pdf_bytes(db.session, document, _storage())
    _log(current_user, "download_petition_document", case, document)
    return _pdf(body, document)


@bp.get("/petition-documents/<token>")
@limiter.shared_limit(_rate, scope="petition-documents")
def public(token: str):
    """The petitioner's link (and the same with .pdf): no sign-in, the token is the key. Any link that opens
    nothing gets the same page, so a guess learns nothing."""
    as_pdf = token.endswith(PDF_SUFFIX)
    key = token[:-len(PDF_SUFFIX)] if as_pdf else token
    document = petition_documents.by_token(db.session, key)
    if document is None:
        audit.log_access(db.session, None, "petition_document_link_unknown", at=now(), ip=client_ip())
        db.session.commit()
        # the language link leads home: the page never repeats the link that was tried
        page = render_template("documents/not_found.html", lang_next=url_for("public.index"))
        return _private(make_response(page, 404))
    case = db.session.get(Case, document.case_id)
    if as_pdf:
        body = petition_documents.pdf_bytes(db.session, document, _storage())
        _log(None, "download_document_via_link", case, document)
        return _private(_pdf(body, document))
    _log(None, "open_petition_document_link", case, document)
    toolbar = render_template(
        "documents/_toolbar.html", document=document, pdf_url=url_for(".public", token=key + PDF_SUFFIX),
        back_url=None, corrected_by=petition_documents.corrected_by(db.session, document), later_url=None,
        earlier=document.corrects, earlier_url=None)
    return _private(_page(document.html, toolbar))


@bp.get("/track/<number>/documents/<int:document_id>")
@bp.get("/track/<number>/documents/<int:document_id>.pdf", endpoint="tracked_pdf")
@limiter.shared_limit(_rate, scope="petition-documents")
def tracked(number: str, document_id: int):
    """The petitioner on the tracking page, signed in there with their phone and a code: their own petition's
    documents, as the SMS link would show them. Anything else is the same 404."""
    number = citizen_cases.normalise_number(number)
    case = citizen_cases.visible_case(db.session, number, citizen.phone(), citizen.has_opened(number))
    document = db.session.get(PetitionDocument, document_id)
    if case is None or document is None or document.case_id != case.id:
        page = render_template("documents/not_found.html", lang_next=url_for("public.track"))
        return _private(make_response(page, 404))
    if request.path.endswith(PDF_SUFFIX):
        body = petition_documents.pdf_bytes(db.session, document, _storage())
        _log(None, "download_document_via_tracking", case, document)
        return _private(_pdf(body, document))
    _log(None, "open_petition_document_tracking", case, document)
    toolbar = render_template(
        "documents/_toolbar.html", document=document,
        pdf_url=url_for(".tracked_pdf", number=case.number, document_id=document.id),
        back_url=url_for("public.track_case", number=case.number),
        corrected_by=petition_documents.corrected_by(db.session, document), later_url=None,
        earlier=document.corrects, earlier_url=None)
    return _private(_page(document.html, toolbar))


def _visible(number: str, document_id: int) -> tuple[Case, PetitionDocument]:
    try:
        return petition_documents.get_visible(db.session, current_user.actor, number, document_id)
    except NotFound:
        abort(404)


def _withheld(case: Case, document: PetitionDocument):
    issued = format_date(local(document.issued_at, current_app.config["HOTLINE_TIMEZONE"]).date(), "long")
    return render_template("documents/withheld.html", case=case, document=document, issued=issued), 403


def _log(user: User | None, action: str, case: Case, document: PetitionDocument) -> None:
    """Written and committed before the words go out: a document that was read is always in the log."""
    audit.log_access(db.session, user, action, at=now(), case=case, ip=client_ip(),
                     detail=f"{document.kind} {document.number}")
    db.session.commit()
    g.personal_data_shown = True  # Cache-Control: no-store


def _storage():
    return filing.storage_from_config(current_app.config)


def _page(html: str, toolbar: str):
    """The issued HTML as stored, the toolbar put in after <body>. The document's own <style> and the toolbar's
    style and script are allowed by their hashes, and nothing else runs or loads."""
    page = re.sub(r"<body[^>]*>", lambda m: m.group(0) + toolbar, html, count=1)
    styles = re.findall(r"<style[^>]*>(.*?)</style>", page, re.S)
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", toolbar, re.S)
    response = make_response(page)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; style-src {_hashes(styles)}; script-src {_hashes(scripts)}; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _hashes(blocks: list[str]) -> str:
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'"
                    for b in blocks) or "'none'"


def _pdf(body: bytes, document: PetitionDocument):
    """Shown in the browser's PDF viewer, saved under the document's number."""
    response = send_file(io.BytesIO(body), mimetype="application/pdf", as_attachment=False,
                         download_name=f"{document.number}.pdf", conditional=False, etag=False, max_age=0)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _private(response):
    """The petitioner's link is the key to the document: kept out of caches, search engines and referrers."""
    g.personal_data_shown = True
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
