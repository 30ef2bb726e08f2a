"""For the petition document tests: a petition driven to every document, the documents read back, and the text
of a PDF read the way a PDF reader does (its content streams through the fonts' ToUnicode maps: pypdf and
poppler are not installed here)."""
from __future__ import annotations

import re
import zlib

from sqlalchemy import select

from hotline.extensions import db
from hotline.models import Case, PetitionDocument
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition, petitioner

FACTS = "经核实，补偿款已按协议分两期支付。"
BASIS = "《国有土地上房屋征收与补偿条例》第二十五条"


def every_document(app, people=None, kind=None) -> str:
    """A grievance received 2026-11-27, through acceptance, extension, decision, review and re-review: the
    dates of tests/integration/test_petition_procedure.py."""
    extra = {"kind": kind} if kind else {}
    number = new_petition(app, local(2026, 11, 27, 10), people=people, **extra)
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept",
         note="请保持电话畅通，以便核实情况。")
    step(app, number, "dh-gov-staff", "request-extension", local(2027, 1, 20, 9), days=30,
         reason="需要会同住建部门核实补偿协议。")
    step(app, number, "dh-gov-head", "decide-extension", local(2027, 1, 20, 10), decision="approve")
    step(app, number, "dh-gov-staff", "decide", local(2027, 2, 15, 9), outcome="explain", facts=FACTS, basis=BASIS,
         text="对补偿款支付情况予以解释说明。")
    step(app, number, "operator", "request-review", local(2027, 3, 10, 9), organ_id=dept(app, "cgw"),
         note="对处理意见不服，请求复查")
    step(app, number, "cgw-staff", "decide-review", local(2027, 4, 1, 9), outcome="uphold",
         facts="原处理意见认定事实清楚。", basis="《信访工作条例》第三十五条", text="维持原处理意见。",
         next_authority="江川市人民政府")
    step(app, number, "operator", "request-re-review", local(2027, 4, 20, 9), organ_id=dept(app, "zjw"),
         note="请求复核")
    step(app, number, "zjw-staff", "decide-re-review", local(2027, 5, 10, 9), outcome="change",
         facts="复查意见认定事实清楚，但补偿款计算有误。", basis="《信访工作条例》第三十六条",
         text="变更复查意见，补发差额。")
    return number


def referred(app, route="arbitration", people=None) -> str:
    number = new_petition(app, local(2026, 11, 27, 10), people=people or (
        petitioner("王秀英", phone="+8613900002222", id_number=""),), request="要求公司支付拖欠的三个月工资",
        facts="本人在某物业公司工作，2026年8月至10月工资未发放。", reasons="用人单位应当按月足额支付劳动报酬。")
    step(app, number, "dispatcher", "refer", local(2026, 11, 30, 9), legal_route=route,
         note="请向江川市劳动人事争议仲裁委员会申请仲裁。")
    return number


def documents(app, number: str) -> dict[str, PetitionDocument]:
    """kind → the latest document of that kind (detached, with its fields and html)."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        rows = db.session.scalars(select(PetitionDocument).where(PetitionDocument.case_id == case_id)
                                  .order_by(PetitionDocument.id)).all()
        db.session.expunge_all()
    return {row.kind: row for row in rows}


def flat(text: str) -> str:
    """Without any white space: what a reader sees, however lines and table cells break it."""
    return "".join(text.split())


def html_text(html: str) -> str:
    from html import unescape

    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", html, flags=re.S)
    return flat(unescape(re.sub(r"<[^>]+>", "", body)))


# --- reading a PDF -------------------------------------------------------------------------------------------

def _objects(pdf: bytes) -> dict[int, bytes]:
    """Every object, those packed in object streams too, by number."""
    objects: dict[int, bytes] = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S):
        objects[int(match.group(1))] = match.group(2)
    for body in list(objects.values()):
        if b"/ObjStm" not in body:
            continue
        data = _stream(body)
        first = int(re.search(rb"/First (\d+)", body).group(1))
        header = data[:first].split()
        pairs = [(int(header[i]), int(header[i + 1])) for i in range(0, len(header), 2)]
        for k, (number, offset) in enumerate(pairs):
            end = pairs[k + 1][1] if k + 1 < len(pairs) else len(data) - first
            objects[number] = data[first + offset:first + end]
    return objects


def _stream(body: bytes) -> bytes:
    match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
    if not match:
        return b""
    data = match.group(1)
    return zlib.decompress(data) if b"/FlateDecode" in body[:match.start()] else data


def _cmap(data: bytes) -> dict[int, str]:
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            start = int(dst, 16)
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[code] = chr(start + i)
    return out


def pdf_text(pdf: bytes) -> str:
    """The text drawn on every page, in drawing order, without white space."""
    objects = _objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/([A-Za-z0-9+_-]+) (\d+) 0 R", body):
            font = objects.get(int(ref), b"")
            unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if b"/Font" in font and unicode_ref:
                fonts[name] = _cmap(_stream(objects[int(unicode_ref.group(1))]))
    text = []
    pages = [body for body in objects.values() if re.search(rb"/Type\s*/Page\b", body)]
    for page in pages:
        contents = re.search(rb"/Contents (\d+) 0 R", page)
        stream = _stream(objects[int(contents.group(1))]) if contents else b""
        current: dict[int, str] = {}
        for font, shown in re.findall(rb"/([A-Za-z0-9+_-]+) [\d.]+ Tf|(\[.*?\] ?TJ|<[0-9a-fA-F]*> ?Tj)", stream, re.S):
            if font:
                current = fonts.get(font, {})
                continue
            for hexes in re.findall(rb"<([0-9a-fA-F]*)>", shown):
                codes = bytes.fromhex(hexes.decode())
                text.extend(current.get(int.from_bytes(codes[i:i + 2], "big"), "?") for i in range(0, len(codes), 2))
    return flat("".join(text))


def pdf_pages(pdf: bytes) -> int:
    return len([b for b in _objects(pdf).values() if re.search(rb"/Type\s*/Page\b", b)])


def pdf_page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Each page's size in millimetres."""
    sizes = []
    for body in _objects(pdf).values():
        if re.search(rb"/Type\s*/Page\b", body):
            box = [float(v) for v in re.search(rb"/MediaBox\s*\[([^\]]*)\]", body).group(1).split()]
            sizes.append((round((box[2] - box[0]) * 25.4 / 72), round((box[3] - box[1]) * 25.4 / 72)))
    return sizes
