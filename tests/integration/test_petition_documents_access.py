"""Who may open an issued document, and what is kept of it: the case's own rules (the accused unit and a recused
person never, another unit never, the centre always), the petitioner through the link in their SMS (no sign-in,
the same page for any link that opens nothing), every opening in the access log, no copy in any cache."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import AccessLog, Case, PetitionDocument, SmsMessage, User
from tests.helpers import login
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition, petitioner
from tests.integration.test_petition_documents_helpers import flat, html_text, pdf_text

ACCUSER = "赵敏"


def _accusation(app) -> str:
    """An accusation about the city management committee (cgw), handled by the Donghu district government."""
    number = new_petition(app, local(2026, 11, 27, 10), kind=Kind.ACCUSATION,
                          people=(petitioner(ACCUSER, phone="+8613900006666", id_number=""),),
                          request="举报城管执法人员违规收费", facts="2026年11月在东湖夜市被收取“管理费”200元。",
                          reasons="收费无依据。", accused_department_ids=(dept(app, "cgw"),))
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    return number


def _grievance(app) -> str:
    number = new_petition(app, local(2026, 11, 27, 10))
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    return number


def _document(app, number: str) -> PetitionDocument:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        document = db.session.scalar(select(PetitionDocument).where(PetitionDocument.case_id == case_id)
                                     .order_by(PetitionDocument.id.desc()).limit(1))
        db.session.expunge_all()
        return document


def _link(app, number: str) -> str:
    """The path in the petitioner's latest SMS."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.case_id == case_id,
                                                                 SmsMessage.purpose == "petition_document")
                                 .order_by(SmsMessage.id.desc()).limit(1))
    return re.search(r"(/petition-documents/[A-Za-z0-9_-]+)$", body).group(1)


def _log(app) -> list[tuple]:
    """The access log but for sign-ins."""
    with app.app_context():
        rows = db.session.execute(select(User.username, AccessLog.action, Case.number, AccessLog.detail)
                                  .outerjoin(User, User.id == AccessLog.user_id)
                                  .outerjoin(Case, Case.id == AccessLog.case_id)
                                  .where(AccessLog.action != "login").order_by(AccessLog.id)).all()
        return [tuple(r) for r in rows]


def _as(app, username: str):
    """A browser of its own, signed in as `username`."""
    client = app.test_client()
    login(client, username)
    return client


def test_who_may_open_a_document_about_an_accusation(app, client):
    number = _accusation(app)
    document = _document(app, number)
    page, pdf = f"/cases/{number}/documents/{document.id}", f"/cases/{number}/documents/{document.id}.pdf"
    step(app, number, "supervisor", "record-conflict", local(2026, 12, 2, 9), user_id=_user_id(app, "operator"),
         reason="举报人系其亲属")

    assert client.get(page).status_code == 302  # a stranger is sent to sign in
    for username in ("cgw-staff", "cgw-head", "operator", "zjw-staff"):  # accused, recused, another unit
        browser = _as(app, username)
        for path in (page, pdf):
            response = browser.get(path)
            assert response.status_code == 404, (username, path)
            assert ACCUSER not in response.get_data(as_text=True) and document.number not in response.get_data(
                as_text=True)

    # the unit handling it learns that the document exists, not whom it names (Art. 30)
    client = _as(app, "dh-gov-staff")
    for path in (page, pdf):
        response = client.get(path)
        assert response.status_code == 403
        text = response.get_data(as_text=True)
        assert document.number in text and ACCUSER not in text and "举报" not in text

    client = _as(app, "dispatcher")
    response = client.get(page)
    assert response.status_code == 200 and f"{ACCUSER}：" in html_text(response.get_data(as_text=True))
    assert [(u, a) for u, a, *_ in _log(app)] == [("dispatcher", "view_petition_document")]


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_the_page_is_the_issued_document_exactly_with_a_toolbar_that_is_not_printed(app, client):
    number = _grievance(app)
    document = _document(app, number)
    client = _as(app, "dh-gov-staff")  # the organ that issued it (a grievance names its petitioner to the organ)
    response = client.get(f"/cases/{number}/documents/{document.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    head, body = document.html.split("<body>", 1)
    assert page.startswith(head + "<body>") and page.endswith(body)
    toolbar = page[len(head) + len("<body>"):-len(body)]
    assert "@media print { .doc-bar, .doc-note { display: none !important; } }" in toolbar
    assert f'href="/cases/{number}/documents/{document.id}.pdf"' in toolbar
    assert f'href="/cases/{number}"' in toolbar
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and csp.count("'sha256-") == 5
    assert _log(app) == [("dh-gov-staff", "view_petition_document", number, f"acceptance {document.number}")]


def test_the_pdf_is_drawn_once_from_the_issued_words_and_named_after_the_number(app, client):
    number = _grievance(app)
    document = _document(app, number)
    client = _as(app, "operator")
    first = client.get(f"/cases/{number}/documents/{document.id}.pdf")
    assert first.status_code == 200 and first.mimetype == "application/pdf"
    assert first.headers["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''%E3%80%942026%E3%80%95%E4%BF%A1%E5%8F%97%E5%AD%97%E7%AC%AC000001%E5%8F%B7.pdf" in \
        first.headers["Content-Disposition"]
    assert flat(f"李建国：你于2026年11月27日提出的信访事项（信访事项编号：{number}）") in pdf_text(first.data)
    drawn = _document(app, number)
    assert drawn.pdf_key and drawn.pdf_sha256
    again = client.get(f"/cases/{number}/documents/{document.id}.pdf")
    assert again.data == first.data and _document(app, number).pdf_key == drawn.pdf_key
    assert [a for _, a, *_ in _log(app)] == ["download_petition_document"] * 2


def test_the_petitioner_opens_the_link_without_signing_in(app, client):
    number = _grievance(app)
    link = _link(app, number)
    response = client.get(link)
    assert response.status_code == 200
    assert "李建国：" in html_text(response.get_data(as_text=True))
    assert "Back to the case" not in response.get_data(as_text=True) and f'href="/cases/{number}"' not in \
        response.get_data(as_text=True)
    for header, value in (("Cache-Control", "no-store"), ("X-Robots-Tag", "noindex, nofollow"),
                          ("Referrer-Policy", "no-referrer")):
        assert response.headers[header] == value
    pdf = client.get(link + ".pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-store" and pdf.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert flat("信访事项受理告知书") in pdf_text(pdf.data)
    assert [(u, a, n) for u, a, n, _ in _log(app)] == [(None, "open_petition_document_link", number),
                                                      (None, "download_document_via_link", number)]


@pytest.mark.parametrize("path", ["/petition-documents/" + "A" * 32, "/petition-documents/" + "A" * 32 + ".pdf",
                                  "/petition-documents/short", "/petition-documents/%3Cscript%3E"])
def test_a_link_that_opens_nothing_says_nothing(app, client, path):
    number = _grievance(app)
    good = client.get(_link(app, number))
    response = client.get(path)
    assert good.status_code == 200 and response.status_code == 404
    text = response.get_data(as_text=True)
    assert number not in text and "李建国" not in text
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow" and response.headers["Cache-Control"] == "no-store"
    assert _log(app)[-1][:3] == (None, "petition_document_link_unknown", None)


def test_the_same_page_for_every_wrong_link(app, client):
    one = client.get("/petition-documents/" + "B" * 32).get_data(as_text=True)
    other = client.get("/petition-documents/" + "C" * 40 + ".pdf").get_data(as_text=True)
    assert one == other


def test_links_are_rate_limited(app, client):
    number = _grievance(app)
    link = _link(app, number)
    app.config["HOTLINE_RATE_DOCUMENTS"] = "3 per minute"
    try:
        statuses = [client.get(path).status_code for path in (link, link + ".pdf", "/petition-documents/" + "D" * 32,
                                                              link)]
    finally:
        app.config["HOTLINE_RATE_DOCUMENTS"] = "20 per minute;200 per day"
    assert statuses == [200, 200, 404, 429]


def test_a_corrected_document_points_to_its_correction(app, client):
    number = _grievance(app)
    old = _document(app, number)
    step(app, number, "dh-gov-staff", "correct-document", local(2026, 12, 2, 9), document=old.number,
         text="办结期限应为2027年1月30日。")
    new = _document(app, number)
    client = _as(app, "dh-gov-staff")
    page = client.get(f"/cases/{number}/documents/{old.id}").get_data(as_text=True)
    assert f'<a href="/cases/{number}/documents/{new.id}">{new.number}</a>' in page
    assert old.html.split("<body>", 1)[1] in page  # still shown as it was issued
    page = client.get(f"/cases/{number}/documents/{new.id}").get_data(as_text=True)
    assert f'<a href="/cases/{number}/documents/{old.id}">{old.number}</a>' in page
    # the petitioner, from the first link, learns that a corrected document was sent
    public = client.get(_first_link(app, number)).get_data(as_text=True)
    assert new.number in public and "/cases/" not in public


def _first_link(app, number: str) -> str:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        body = db.session.scalar(select(SmsMessage.body).where(SmsMessage.case_id == case_id,
                                                                 SmsMessage.purpose == "petition_document")
                                 .order_by(SmsMessage.id).limit(1))
    return re.search(r"(/petition-documents/[A-Za-z0-9_-]+)$", body).group(1)


def test_a_document_of_another_case_is_not_found(app, client):
    one, other = _grievance(app), _accusation(app)
    document = _document(app, other)
    client = _as(app, "dispatcher")
    assert client.get(f"/cases/{one}/documents/{document.id}").status_code == 404
    assert client.get(f"/cases/{one}/documents/{document.id}.pdf").status_code == 404
    assert client.get(f"/cases/{one}/documents/999999").status_code == 404
