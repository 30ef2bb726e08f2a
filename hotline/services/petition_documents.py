"""The documents a petitioner is given in writing (信访工作条例 Arts. 23, 31, 32, 34–36): numbered, issued once with
the step that decides them, never changed, drawn as a PDF by a worker, and sent to the petitioner as a link.

`issue` runs inside handling.act's transaction (without autoflush); `after_issue` once the event is written.
The documents are legal documents and stay in Chinese whatever language the screens around them use."""
from __future__ import annotations

import hashlib
import io
import re
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from hotline.domain.access import Actor, sees_contact_unmasked
from hotline.domain.errors import NotFound
from hotline.domain.phone import is_mobile
from hotline.integrations.storage import Storage
from hotline.models import Case, CaseNumberCounter, Department, PetitionDocument, SmsMessage, User
from hotline.services import cases, notify, outbox

# kind → the counter's prefix and the word in the document's number (〔2026〕信受字第000001号)
KINDS = {
    "acceptance": ("DA", "信受"),
    "referral": ("DR", "信告"),
    "extension": ("DX", "信延"),
    "decision": ("DD", "信处"),
    "review_decision": ("DV", "信复查"),
    "re_review_decision": ("DW", "信复核"),
}
TITLES = {
    "acceptance": "信访事项受理告知书",
    "referral": "信访事项不予受理告知书",
    "extension": "信访事项延期办理告知书",
    "decision": "信访事项处理意见书",
    "review_decision": "信访事项复查意见书",
    "re_review_decision": "信访事项复核意见书",
}
# the codes a step records, as the document says them (a document never shows a code)
WORDS = {
    "outcome": {"support": "支持", "explain": "解释说明", "reject": "不予支持"},
    "review": {"uphold": "维持", "change": "变更", "revoke": "撤销"},
    "route": {"litigation": "诉讼", "arbitration": "仲裁", "administrative_review": "行政复议", "other": "其他法定"},
    "petition_kind": {"petition_suggestion": "建议意见类", "accusation": "检举控告类", "grievance": "申诉求决类"},
}
# the document each decision answers: a review answers the decision, a re-review the review (Arts. 35, 36)
ANSWERS = {"review_decision": "decision", "re_review_decision": "review_decision"}
# WenQuanYi first (Debian's fonts-wqy-zenhei, installed where the worker runs); the others where they are installed
FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Serif CJK SC", "Source Han Serif SC")
LINK_PATH = "/petition-documents/"
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


class CannotDraw(RuntimeError):
    """The PDF cannot be drawn as it must look (no pango, no Chinese font): the job fails and is retried, and
    nothing is stored, rather than a PDF of empty boxes."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def cn_date(iso: str | None) -> str:
    """2026-12-01 → 2026年12月1日, as official documents write dates."""
    if not iso:
        return ""
    day = date.fromisoformat(iso[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def font_stack() -> str:
    return ", ".join(f'"{family}"' for family in FONTS) + ", sans-serif"


def issue(session: Session, case: Case, kind: str, values: dict, user: User | None, now: datetime,
          department_id: int | None, corrects: PetitionDocument | None = None) -> PetitionDocument:
    """A new numbered document, its words rendered once and kept. `document.token` (not stored) is the
    petitioner's link until the transaction ends; only its hash is kept.

    `fields` hold everything the template was filled with, so a document can be read without the case as it
    is now; a correction starts from the fields of the document it corrects."""
    tz = current_app.config["HOTLINE_TIMEZONE"]
    local = now.astimezone(ZoneInfo(tz))
    number = _number(session, kind, local.year)
    organ = session.get(Department, department_id) if department_id else None
    fields = {**_about(session, case, kind, tz), **values, "number": number, "issued_on": local.date().isoformat(),
              "organ": organ.name if organ else office_name(),
              "corrects": corrects.number if corrects else None}
    html = render_html(kind, fields)
    token = secrets.token_urlsafe(24)
    document = PetitionDocument(
        case_id=case.id, kind=kind, number=number, issued_at=now, issued_by_id=user.id if user else None,
        department_id=department_id, corrects=corrects, fields=fields, html=html,
        sha256=hashlib.sha256(html.encode()).hexdigest(), token_hash=token_hash(token))
    document.token = token
    session.add(document)
    return document


def render_html(kind: str, fields: dict) -> str:
    """The document's words: from its fields only (no request, no user, no language of the screens)."""
    return current_app.jinja_env.get_template(f"petition_documents/{kind}.html").render(
        document=fields, kind=kind, title=TITLES[kind], words=WORDS, cn_date=cn_date, font_stack=font_stack())


def _about(session: Session, case: Case, kind: str, tz: str) -> dict:
    """What every document says about the matter: who it is written to (Art. 20: a group's representatives),
    the case, when it was received, the request and the petitioner's facts and reasons (Arts. 19, 32)."""
    petition = case.petition
    people = addressees(case)
    about = {
        "case_number": case.number, "received_on": _day(case.received_at, tz), "request": case.description,
        "petition_kind": case.kind, "petitioner_facts": petition.facts, "petitioner_reasons": petition.reasons,
        "addressees": [p.name for p in people], "representatives": any(p.representative for p in people),
        "petitioners": len(petition.petitioners), "group_size": max(petition.group_size, len(petition.petitioners)),
        "accepted_on": _day(petition.accepted_at, tz),
    }
    if kind in ANSWERS:
        earlier = session.scalar(select(PetitionDocument).where(
            PetitionDocument.case_id == case.id, PetitionDocument.kind == ANSWERS[kind])
            .order_by(PetitionDocument.id.desc()).limit(1))
        about["answers"] = {"number": earlier.number, "organ": earlier.fields.get("organ", ""),
                            "issued_on": earlier.fields.get("issued_on", "")} if earlier else None
        asked = petition.review_requested_at if kind == "review_decision" else petition.re_review_requested_at
        about["requested_on"] = _day(asked, tz)
    return about


def _day(moment: datetime | None, tz: str) -> str | None:
    return moment.astimezone(ZoneInfo(tz)).date().isoformat() if moment else None


def after_issue(session: Session, case: Case, document: PetitionDocument) -> None:
    """Once the step's event is written: the PDF is drawn by a worker, and each addressee with a mobile number
    gets the link by SMS. Someone with no mobile gets the letter the office prints."""
    session.flush()
    outbox.add(session, "render_document", document_id=document.id)
    locale = (case.person.locale if case.person else None) or "zh"
    url = link(document.token) + ("?lang=en" if locale == "en" else "")  # the page around it in their language
    body = notify.render("petition_document", locale, city=notify.city(locale), number=case.number,
                         kind=document.kind, url=url)
    for person in addressees(case):
        if person.phone and is_mobile(person.phone):
            message = SmsMessage(case_id=case.id, to_phone=person.phone, body=body, purpose="petition_document")
            session.add(message)
            session.flush()
            outbox.add(session, "deliver_sms", message_id=message.id)


def link(token: str) -> str:
    return current_app.config.get("HOTLINE_PUBLIC_URL", "") + LINK_PATH + token


def addressees(case: Case) -> list:
    """Art. 20: a group's representatives are the ones written to; otherwise every petitioner."""
    people = list(case.petition.petitioners) if case.petition else []
    representatives = [p for p in people if p.representative]
    return representatives or people


def office_name() -> str:
    return current_app.config.get("HOTLINE_PETITION_OFFICE_NAME") or f"{current_app.config['HOTLINE_CITY_NAME']}信访局"


# --- reading them ---------------------------------------------------------------------------------------------

def get_visible(session: Session, actor: Actor, number: str, document_id: int) -> tuple[Case, PetitionDocument]:
    """NotFound unless the actor may see the case (never the accused unit, never a recused person) and the
    document is one of its own: no existence leak."""
    case = cases.get_visible(session, actor, number)
    document = session.get(PetitionDocument, document_id)
    if document is None or document.case_id != case.id:
        raise NotFound("document")
    return case, document


def names_withheld(actor: Actor, case: Case) -> bool:
    """A document names its petitioner: a confidential petitioner or an accuser stays known to the petition
    office only (Art. 30), so a unit handling the matter sees that the document exists, not the document."""
    return not sees_contact_unmasked(actor, case.confidential, case.kind)


def by_token(session: Session, token: str) -> PetitionDocument | None:
    if not TOKEN.fullmatch(token or ""):
        return None
    return session.scalar(select(PetitionDocument).where(PetitionDocument.token_hash == token_hash(token)))


def corrected_by(session: Session, document: PetitionDocument) -> list[PetitionDocument]:
    return list(session.scalars(select(PetitionDocument).where(PetitionDocument.corrects_id == document.id)
                                .order_by(PetitionDocument.id)))


# --- the PDF --------------------------------------------------------------------------------------------------

def render_pdf(session: Session, document_id: int, storage: Storage) -> str:
    """Idempotent: a document already drawn is left as it is, and of two drawing it at once (a worker and a
    page asking for it) only the first is kept."""
    document = session.get(PetitionDocument, document_id)
    if document is None:
        return "missing"
    if document.pdf_key:
        return "already"
    stored = storage.save(io.BytesIO(draw(document.html)))
    # set once, from nothing: the database's own rule for issued documents allows exactly this (migration 0009)
    won = session.execute(
        update(PetitionDocument).where(PetitionDocument.id == document.id, PetitionDocument.pdf_key.is_(None))
        .values(pdf_key=stored.key, pdf_sha256=stored.sha256).execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if not won:
        storage.delete(stored.key)
        return "already"
    session.refresh(document)
    return "drawn"


def pdf_bytes(session: Session, document: PetitionDocument, storage: Storage) -> bytes:
    """The stored PDF (drawn now when the worker has not got to it yet), checked against its hash; a file
    missing or changed in the storage is drawn afresh from the issued words and the fault logged."""
    if not document.pdf_key:
        render_pdf(session, document.id, storage)
        session.refresh(document)
    try:
        with storage.open(document.pdf_key) as stream:
            pdf = stream.read()
    except FileNotFoundError:
        current_app.logger.error("petition document %s: PDF %s missing from the storage", document.number,
                                 document.pdf_key)
        return draw(document.html)
    if hashlib.sha256(pdf).hexdigest() != document.pdf_sha256:
        current_app.logger.error("petition document %s: PDF %s does not match its hash", document.number,
                                 document.pdf_key)
        return draw(document.html)
    return pdf


def draw(html: str) -> bytes:
    """The PDF of the issued HTML, only it (no other file is fetched). Raises CannotDraw when pango or a Chinese
    font is missing, or a character had no glyph."""
    try:
        import weasyprint  # loads pango; only the processes that draw PDFs need it
    except (ImportError, OSError) as exc:
        raise CannotDraw(f"WeasyPrint cannot load ({exc}): install pango (Debian: libpango-1.0-0)") from exc
    _need_a_chinese_font()
    document = weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).render()
    pdf = document.write_pdf()
    missing = sorted({chr(c) for font in document.fonts.values() for c in font.missing})
    if missing:
        raise CannotDraw(f"no glyph for {''.join(missing[:20])!r}: install fonts-wqy-zenhei")
    if not pdf.startswith(b"%PDF") or not document.pages:
        raise CannotDraw("WeasyPrint drew no page")
    return pdf


def _fetch_nothing(url: str, *args, **kwargs):
    raise ValueError(f"an issued document fetches nothing ({url})")


def _need_a_chinese_font() -> None:
    """Asked of fontconfig before drawing: with no font at all pango crashes the process, and with only Latin
    fonts the document would be drawn in empty boxes."""
    from weasyprint.text.ffi import ffi, fontconfig

    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
        if fonts == ffi.NULL or fonts.nfont == 0:
            raise CannotDraw("fontconfig finds no font at all: install fonts-wqy-zenhei")
        for family in FONTS:
            if family.lower() in (f.lower() for f in _matched_families(config, family)):
                return
        raise CannotDraw(f"none of the fonts {', '.join(FONTS)} is installed: install fonts-wqy-zenhei")
    finally:
        fontconfig.FcConfigDestroy(config)


def _matched_families(config, family: str) -> list[str]:
    from weasyprint.text.ffi import ffi, fontconfig

    pattern = fontconfig.FcPatternCreate()
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
    fontconfig.FcPatternDestroy(pattern)
    if match == ffi.NULL:
        return []
    names, value, i = [], ffi.new("FcChar8 **"), 0
    while fontconfig.FcPatternGetString(match, b"family", i, value) == fontconfig.FcResultMatch:
        names.append(ffi.string(value[0]).decode())
        i += 1
    fontconfig.FcPatternDestroy(match)
    return names


def _number(session: Session, kind: str, year: int) -> str:
    """Per kind and year, with no gaps: the counter row stays locked until the step commits, and goes back
    with it when the step fails."""
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
