"""Small real files made here (a 1×1 PNG, a one-page PDF) and bad ones, a case ready for its reply,
and what the storage holds on disk. (No tests here.)"""
from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from hotline.extensions import db
from hotline.models import AccessLog, Attachment, Case, CaseEvent
from tests.helpers import act, dispatch
from tests.integration.test_screens_support import file_case


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_1x1() -> bytes:
    """A valid 1×1 red PNG: signature, IHDR, one IDAT row, IEND."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")  # filter byte, then one red pixel
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


def minimal_pdf() -> bytes:
    """A one-page PDF with a valid cross-reference table."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


NOT_A_PHOTO = b"MZ\x90\x00\x03\x00\x00\x00 this is a program, not a photo"
ELEVEN_MB = b"\x89PNG\r\n\x1a\n" + b"\x00" * (11 * 1024 * 1024)


def upload(data: bytes, name: str, content_type: str = "application/octet-stream") -> FileStorage:
    """One file of a multipart body."""
    return FileStorage(BytesIO(data), filename=name, content_type=content_type)


def multipart(fields: dict) -> dict:
    """The body a browser sends, as keyword arguments of the test client. Encoded here in memory: for a
    large body the test client's own encoder leaves a temporary file open."""
    stream, _, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return {"data": stream.getvalue(), "content_type": f"multipart/form-data; boundary={boundary}"}


def on_disk(upload_dir: Path) -> set[str]:
    """Every file under the storage root, temporary ones included."""
    return {str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*") if p.is_file()}


def signed_case(app) -> str:
    """Lead 东湖区城管执法局 has signed; co-handler 西湖街道 has not: ready for the lead's reply."""
    number = file_case(app)
    dispatch(app, number, "dh-cgj", "dh-xhj")
    act(app, number, "dh-cgj-staff", "sign")
    return number


def written(app, number: str) -> dict:
    """What the database holds of the case: to show that a refused reply wrote nothing."""
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        return {
            "state": case.state, "version": case.version,
            "events": db.session.scalar(select(func.count()).select_from(CaseEvent)
                                        .where(CaseEvent.case_id == case.id)),
            "attachments": db.session.scalar(select(func.count()).select_from(Attachment)
                                             .where(Attachment.case_id == case.id)),
        }


def attachment_rows(app, number: str) -> list[Attachment]:
    with app.app_context():
        rows = db.session.scalars(select(Attachment).join(Case).where(Case.number == number)
                                  .order_by(Attachment.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def downloads_logged(app, number: str) -> list[AccessLog]:
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).join(Case, Case.id == AccessLog.case_id)
                                  .where(Case.number == number, AccessLog.action == "download_attachment")).all()
        for row in rows:
            db.session.expunge(row)
        return rows
