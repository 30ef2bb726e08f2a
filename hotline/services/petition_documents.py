"""The documents a petitioner is given in writing (信访工作条例 Arts. 23, 31, 32, 34–36): numbered, issued once with
the step that decides them, never changed, drawn as a PDF by a worker, and sent to the petitioner as a link.

`issue` runs inside handling.act's transaction (without autoflush); `after_issue` once the event is written."""
from __future__ import annotations

import hashlib
import io
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.domain.phone import is_mobile
from hotline.integrations.storage import Storage
from hotline.models import Case, CaseNumberCounter, Department, PetitionDocument, SmsMessage, User
from hotline.services import outbox

# kind → the counter's prefix and the word in the document's number (〔2026〕信受字第000001号)
KINDS = {
    "acceptance": ("DA", "信受"),
    "referral": ("DR", "信告"),
    "extension": ("DX", "信延"),
    "decision": ("DD", "信处"),
    "review_decision": ("DV", "信复查"),
    "re_review_decision": ("DW", "信复核"),
}
LINK_PATH = "/petition-documents/"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, case: Case, kind: str, values: dict, user: User | None, now: datetime,
          department_id: int | None, corrects: PetitionDocument | None = None) -> PetitionDocument:
    """A new numbered document, its words rendered once and kept. `document.token` (not stored) is the
    petitioner's link until the transaction ends; only its hash is kept."""
    tz = current_app.config["HOTLINE_TIMEZONE"]
    local = now.astimezone(ZoneInfo(tz))
    number = _number(session, kind, local.year)
    organ = session.get(Department, department_id) if department_id else None
    fields = {**values, "number": number, "issued_on": local.date().isoformat(),
              "organ": organ.name if organ else office_name(),
              "corrects": corrects.number if corrects else None}
    html = current_app.jinja_env.get_template(f"petition_documents/{kind}.html").render(
        document=fields, case=case, petition=case.petition, addressees=addressees(case), kind=kind)
    token = secrets.token_urlsafe(24)
    document = PetitionDocument(
        case_id=case.id, kind=kind, number=number, issued_at=now, issued_by_id=user.id if user else None,
        department_id=department_id, corrects=corrects, fields=fields, html=html,
        sha256=hashlib.sha256(html.encode()).hexdigest(), token_hash=token_hash(token))
    document.token = token
    session.add(document)
    return document


def after_issue(session: Session, case: Case, document: PetitionDocument) -> None:
    """Once the step's event is written: the PDF is drawn by a worker, and each addressee with a mobile number
    gets the link by SMS."""
    session.flush()
    outbox.add(session, "render_document", document_id=document.id)
    url = current_app.config.get("HOTLINE_PUBLIC_URL", "") + LINK_PATH + document.token
    template = current_app.jinja_env.get_template("sms/petition_document.txt")
    for person in addressees(case):
        if person.phone and is_mobile(person.phone):
            body = template.render(city=current_app.config["HOTLINE_CITY_NAME"], number=case.number,
                                   kind=document.kind, url=url).strip()
            message = SmsMessage(case_id=case.id, to_phone=person.phone, body=body, purpose="petition_document")
            session.add(message)
            session.flush()
            outbox.add(session, "deliver_sms", message_id=message.id)


def addressees(case: Case) -> list:
    """Art. 20: a group's representatives are the ones written to; otherwise every petitioner."""
    people = list(case.petition.petitioners) if case.petition else []
    representatives = [p for p in people if p.representative]
    return representatives or people


def office_name() -> str:
    return current_app.config.get("HOTLINE_PETITION_OFFICE_NAME") or f"{current_app.config['HOTLINE_CITY_NAME']}信访局"


def render_pdf(session: Session, document_id: int, storage: Storage) -> str:
    """Idempotent: a document already drawn is left as it is."""
    document = session.get(PetitionDocument, document_id)
    if document is None:
        return "missing"
    if document.pdf_key:
        return "already"
    import weasyprint  # loads pango; only the processes that draw PDFs need it

    pdf = weasyprint.HTML(string=document.html).write_pdf()
    stored = storage.save(io.BytesIO(pdf))
    document.pdf_key, document.pdf_sha256 = stored.key, stored.sha256
    session.commit()
    return "drawn"


def _number(session: Session, kind: str, year: int) -> str:
    prefix, word = KINDS[kind]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = CaseNumberCounter.__table__
    statement = (
        dialect.insert(table).values(prefix=prefix, day=date(year, 1, 1), last=1)
        .on_conflict_do_update(index_elements=[table.c.prefix, table.c.day], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    sequence = session.execute(statement).scalar_one()
    return f"〔{year}〕{word}字第{sequence:06d}号"
