"""What each petition document says, read as the petitioner reads it: on the page (the issued HTML) and in the
PDF drawn from it. The petitioner's name, the numbers, the dates the statute sets, the route to take next, and
the outcome in words (never a code). And the SMS that brings the link."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hotline.domain.kinds import Kind
from hotline.extensions import db
from hotline.models import Case, Person, PetitionDocument, SmsMessage
from hotline.services import notify, petition_documents
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition, petitioner
from tests.integration.test_petition_documents_helpers import (
    BASIS,
    FACTS,
    documents,
    every_document,
    flat,
    html_text,
    pdf_page_sizes,
    pdf_pages,
    pdf_text,
    referred,
)

NAME = "李建国"
RECEIVED = "2026年11月27日"
REQUEST = "要求补发拆迁安置补偿款"
CODES = ("support", "explain", "reject", "uphold", "change", "revoke", "litigation", "arbitration",
         "administrative_review", "grievance", "None")

# kind → what the petitioner must read in it (flattened: no white space)
EXPECTED = {
    "acceptance": ["东湖区人民政府", "〔2026〕信受字第000001号", "信访事项受理告知书", f"{NAME}：",
                   f"你于{RECEIVED}提出的信访事项（信访事项编号：{{case}}）", "决定予以受理", "第二十三条",
                   "于2027年2月1日前向你出具书面处理意见", "受理日期2026年12月1日", f"信访请求{REQUEST}",
                   "请保持电话畅通，以便核实情况。", "东湖区人民政府2026年12月1日"],
    "extension": ["〔2027〕信延字第000001号", "信访事项延期办理告知书", "本机关已于2026年12月1日受理",
                  "因需要会同住建部门核实补偿协议，该事项情况复杂", "第三十四条", "办理期限延长30日",
                  "将于2027年3月1日前向你出具书面处理意见", "延期理由需要会同住建部门核实补偿协议",
                  "2027年1月20日"],
    "decision": ["〔2027〕信处字第000001号", "信访事项处理意见书", "第三十二条", f"信访请求{REQUEST}",
                 "事实和理由2025年旧城改造中房屋被征收", "一、经调查核实的事实" + FACTS, "二、处理依据" + BASIS,
                 "处理结论：解释说明", "对补偿款支付情况予以解释说明。",
                 "如不服，可自收到本意见书之日起30日内向江川市人民政府请求复查。", "截止日为2027年3月17日",
                 "东湖区人民政府2027年2月15日"],
    "review_decision": ["市城市管理委员会", "〔2027〕信复查字第000001号", "信访事项复查意见书",
                        "你不服东湖区人民政府于2027年2月15日作出的《信访事项处理意见书》（〔2027〕信处字第000001号），"
                        "于2027年3月10日向本机关请求复查", "第三十五条", "复查结论：维持原处理意见",
                        "如不服，可自收到本意见书之日起30日内向江川市人民政府请求复核。", "截止日为2027年5月3日",
                        "2027年4月1日"],
    "re_review_decision": ["市住房和城乡建设委员会", "〔2027〕信复核字第000001号", "信访事项复核意见书",
                           "《信访事项复查意见书》（〔2027〕信复查字第000001号），于2027年4月20日向本机关请求复核",
                           "复核结论：变更复查意见", "变更复查意见，补发差额。", "本复核意见为该信访事项的最终处理意见",
                           "仍然以同一事实和理由提出投诉请求的，各级党委和政府信访部门和其他机关、单位不再受理",
                           "2027年5月10日"],
    "referral": ["江川市信访局", "〔2026〕信告字第000001号", "信访事项不予受理告知书", "王秀英：",
                 "该事项依法应当通过仲裁途径解决", "第三十一条", "请你依法通过仲裁途径向有关机关提出",
                 "请向江川市劳动人事争议仲裁委员会申请仲裁。", "告知途径仲裁途径", "江川市信访局2026年11月30日"],
}


@pytest.fixture
def issued(app):
    grievance = every_document(app)
    other = referred(app)
    docs = documents(app, grievance)
    docs.update(documents(app, other))
    return {"grievance": grievance, "referral": other, "documents": docs}


def _expected(kind: str, issued: dict) -> list[str]:
    number = issued["referral" if kind == "referral" else "grievance"]
    return [flat(text.replace("{case}", number)) for text in EXPECTED[kind]] + [number]


def test_every_document_says_what_the_statute_requires_on_the_page(issued):
    assert set(issued["documents"]) == set(EXPECTED)
    for kind, document in issued["documents"].items():
        text = html_text(document.html).replace("（印章）", "")  # the seal's place, over the signature
        for expected in _expected(kind, issued):
            assert expected in text, (kind, expected)
        assert not [code for code in CODES if code in text], (kind, text)
        assert document.sha256 == petition_documents.hashlib.sha256(document.html.encode()).hexdigest()


def test_the_pdf_says_the_same(app, issued):
    with app.app_context():
        for kind, document in issued["documents"].items():
            pdf = petition_documents.draw(document.html)
            text = pdf_text(pdf).replace("（印章）", "")
            for expected in _expected(kind, issued):
                assert expected in text, (kind, expected)
            # A4 pages, the short notices on one
            pages = 1 if kind in ("acceptance", "extension", "referral") else 2
            assert pdf_pages(pdf) == pages and pdf_page_sizes(pdf) == [(210, 297)] * pages, kind
            assert "第1页共" in text


def test_every_outcome_and_route_reads_as_words(app):
    with app.app_context():
        base = {"number": "〔2027〕信处字第000009号", "issued_on": "2027-02-15", "organ": "东湖区人民政府",
                "addressees": [NAME], "case_number": "XF-20261127-000001", "received_on": "2026-11-27",
                "request": REQUEST, "facts": "f", "basis": "b", "text": "t"}
        words = {"support": "处理结论：支持", "explain": "处理结论：解释说明", "reject": "处理结论：不予支持"}
        for code, said in words.items():
            assert said in html_text(petition_documents.render_html("decision", {**base, "outcome": code}))
        for code, said in {"uphold": "维持", "change": "变更", "revoke": "撤销"}.items():
            fields = {**base, "outcome": code, "next_authority": "江川市人民政府"}
            review = html_text(petition_documents.render_html("review_decision", fields))
            assert f"复查结论：{said}原处理意见" in review
            # a revoked decision is made again below: no re-review is offered
            assert ("请求复核" in review) is (code != "revoke")
            final = html_text(petition_documents.render_html("re_review_decision", {**base, "outcome": code}))
            assert f"复核结论：{said}复查意见" in final
        routes = {"litigation": "诉讼途径", "arbitration": "仲裁途径", "administrative_review": "行政复议途径",
                  "other": "其他法定途径"}
        for code, said in routes.items():
            text = html_text(petition_documents.render_html("referral", {**base, "legal_route": code, "note": ""}))
            assert f"依法应当通过{said}解决" in text and code not in text


def test_a_suggestion_is_answered_without_a_route_to_review(app):
    number = new_petition(app, local(2026, 11, 2, 9), kind=Kind.PETITION_SUGGESTION, request="建议增设公交线路",
                          facts="东湖新村没有公交线路。", reasons="居民出行不便。")
    step(app, number, "dispatcher", "forward", local(2026, 11, 2, 10), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 11, 3, 9), decision="accept")
    step(app, number, "dh-gov-staff", "decide", local(2026, 11, 10, 9), outcome="support", facts="已调研",
         basis="《江川市公共交通条例》", text="采纳，2027年开通。")
    text = html_text(documents(app, number)["decision"].html)
    assert "处理结论：支持" in text and "请求复查" not in text


def test_a_group_is_written_to_through_its_representatives(app):
    people = (petitioner("张伟", phone="+8613900003333", id_number="", representative=True),
              petitioner("刘芳", phone="+8613900004444", id_number="", representative=True),
              petitioner("陈静", phone="+8613900005555", id_number=""))
    number = new_petition(app, local(2026, 11, 27, 10), people=people, group_size=12, request="要求修复小区供暖管道",
                          facts="小区供暖管道破裂已两周。", reasons="影响全楼供暖。")
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    text = html_text(documents(app, number)["acceptance"].html)
    assert "张伟、刘芳（信访人代表）：" in text
    assert "信访人张伟等12人（代表人：张伟、刘芳）" in text
    assert "你们于2026年11月27日提出的信访事项" in text and "陈静" not in text
    assert sorted(phone for phone, _ in _sms(app, number)) == ["+8613900003333", "+8613900004444"]


def _sms(app, number: str) -> list[tuple[str, str]]:
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        return [tuple(r) for r in db.session.execute(
            select(SmsMessage.to_phone, SmsMessage.body)
            .where(SmsMessage.case_id == case_id, SmsMessage.purpose == "petition_document")
            .order_by(SmsMessage.id))]


def _accepted(app, **kwargs) -> str:
    number = new_petition(app, local(2026, 11, 27, 10), **kwargs)
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    return number


def test_the_petitioner_is_texted_the_link_and_it_opens_the_document(app, client):
    app.config["HOTLINE_PUBLIC_URL"] = "https://rexian.jiangchuan.gov.cn"
    try:
        number = _accepted(app)
    finally:
        app.config["HOTLINE_PUBLIC_URL"] = ""
    [(phone, body)] = _sms(app, number)
    assert phone == "+8613900001111"
    assert body.startswith(f"【江川市信访】您的信访事项{number}的受理告知书已出具，请查看：https://rexian.jiangchuan.gov.cn/")
    assert len(body) <= notify.TWO_SMS["zh"] and "\n" not in body
    path = re.search(r"https://[^/]+(/petition-documents/\S+)$", body).group(1)
    page = client.get(path)
    assert page.status_code == 200 and flat(NAME + "：") in html_text(page.get_data(as_text=True))


def test_a_petitioner_who_chose_english_gets_the_text_in_english(app):
    number = new_petition(app, local(2026, 11, 27, 10))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        db.session.get(Person, case.person_id).locale = "en"
        db.session.commit()
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    [(_, body)] = _sms(app, number)
    assert body.startswith(f"[Jiangchuan Petitions] Petition {number}: the acceptance notice has been issued.")
    assert re.search(r"/petition-documents/[A-Za-z0-9_-]{32}\?lang=en$", body) and len(body) <= notify.TWO_SMS["en"]
    # the document itself stays in Chinese: it is a legal document
    assert "信访事项受理告知书" in documents(app, number)["acceptance"].html


def test_someone_with_no_mobile_gets_no_text_and_the_office_prints_the_letter(app):
    number = _accepted(app, people=(petitioner(phone="+862584561234"),))  # a landline
    assert _sms(app, number) == []
    assert "acceptance" in documents(app, number)


@pytest.mark.parametrize("locale", ["zh", "en"])
def test_every_kind_fits_two_sms_with_a_long_public_address(app, locale):
    url = "https://rexian.jiangchuan.gov.cn" + petition_documents.LINK_PATH + "x" * 32 + ("?lang=en" if locale == "en"
                                                                                          else "")
    with app.app_context():
        for kind, title in petition_documents.TITLES.items():
            body = notify.render("petition_document", locale, city=notify.city(locale), number="XF-20261127-000001",
                                 kind=kind, url=url)
            assert len(body) <= notify.TWO_SMS[locale] and body.endswith(url), (kind, len(body))
            said = title[4:] if locale == "zh" else "has been issued"  # 受理告知书, 处理意见书 …
            assert said in body and "_" not in body.replace(url, ""), body


def test_a_correction_is_a_new_numbered_document_that_names_the_old_one(app):
    number = _accepted(app)
    before = documents(app, number)["acceptance"]
    assert step(app, number, "dh-gov-staff", "correct-document", local(2026, 12, 2, 9), document=before.number,
                text="办结期限应为2027年1月30日。") == "accepted"
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.number == number))
        rows = db.session.scalars(select(PetitionDocument).where(PetitionDocument.case_id == case_id)
                                  .order_by(PetitionDocument.id)).all()
        old, new = rows
        assert (old.html, old.sha256, old.number) == (before.html, before.sha256, "〔2026〕信受字第000001号")
        assert new.number == "〔2026〕信受字第000002号" and new.corrects_id == old.id and new.kind == "acceptance"
        text = html_text(new.html)
    assert "信访事项受理告知书（更正）" in text
    assert "本文书系对〔2026〕信受字第000001号文书的更正。更正内容：办结期限应为2027年1月30日。" in text
    assert f"{NAME}：" in text and "2026年12月2日" in text
    assert len(_sms(app, number)) == 2  # the petitioner gets the correction too
