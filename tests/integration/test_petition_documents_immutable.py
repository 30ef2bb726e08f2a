"""An issued document never changes: not through the ORM, and on PostgreSQL not even by SQL through the
application's connection (migration 0009's trigger); only its PDF is recorded, once. Numbers run per kind and
year without a gap or a repeat, even when two organs issue at the same moment."""
from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hotline.extensions import db
from hotline.models import Case, PetitionDocument, User
from hotline.services import handling, petition_documents
from tests.integration.lifecycle_helpers import TZ, dept, local, step
from tests.integration.petition_helpers import new_petition, petitioner
from tests.servers import ThrowawayPostgres

ON_POSTGRES = pytest.mark.skipif(not os.environ.get("HOTLINE_TEST_DATABASE_URL"),
                                 reason="HOTLINE_TEST_DATABASE_URL is not set")
ROUNDS = 3


def _forwarded(app, i: int = 0) -> str:
    """A petition of its own (its own petitioner and matter, so none is the same matter as another)."""
    number = new_petition(app, local(2026, 11, 27, 10), people=(petitioner(f"信访人{i}", phone=None, id_number=""),),
                          request=f"第{i}号请求：要求维修第{i}栋楼的电梯", facts=f"第{i}栋楼电梯停运{i + 3}个月。",
                          reasons=f"第{i}栋楼住户出行困难。")
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    return number


def _issued(app) -> int:
    number = _forwarded(app)
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    with app.app_context():
        return db.session.scalar(select(PetitionDocument.id))


@pytest.mark.parametrize("change", [
    lambda d: setattr(d, "html", d.html.replace("决定予以受理", "决定不予受理")),
    lambda d: setattr(d, "number", "〔2026〕信受字第000099号"),
    lambda d: setattr(d, "fields", {**d.fields, "decide_due": "2027-06-30"}),
    lambda d: setattr(d, "issued_at", d.issued_at.replace(year=2025)),
], ids=["words", "number", "fields", "date"])
def test_the_orm_refuses_to_change_an_issued_document(app, change):
    document_id = _issued(app)
    with app.app_context():
        document = db.session.get(PetitionDocument, document_id)
        before = document.html
        change(document)
        with pytest.raises(ValueError, match="never changed"):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(PetitionDocument, document_id).html == before


def test_the_orm_refuses_to_delete_an_issued_document(app):
    document_id = _issued(app)
    with app.app_context():
        db.session.delete(db.session.get(PetitionDocument, document_id))
        with pytest.raises(ValueError, match="never deleted"):
            db.session.flush()
        db.session.rollback()
        assert db.session.get(PetitionDocument, document_id) is not None


def test_the_pdf_is_recorded_once_from_nothing(app):
    document_id = _issued(app)
    with app.app_context():
        document = db.session.get(PetitionDocument, document_id)
        document.pdf_key, document.pdf_sha256 = "a" * 32, "b" * 64
        db.session.commit()
        document.pdf_key = "c" * 32
        with pytest.raises(ValueError, match="never changed"):
            db.session.flush()
        db.session.rollback()


@ON_POSTGRES
@pytest.mark.parametrize("statement", [
    "UPDATE petition_document SET html = replace(html, '决定予以受理', '决定不予受理') WHERE id = :id",
    "UPDATE petition_document SET number = '〔2026〕信受字第000099号' WHERE id = :id",
    "UPDATE petition_document SET fields = CAST('{}' AS JSON) WHERE id = :id",
    "UPDATE petition_document SET corrects_id = id WHERE id = :id",
    "DELETE FROM petition_document WHERE id = :id",
    "TRUNCATE petition_document",
], ids=["words", "number", "fields", "corrects", "delete", "truncate"])
def test_not_even_sql_changes_an_issued_document_on_postgresql(app, statement):
    document_id = _issued(app)
    with app.app_context():
        html = db.session.get(PetitionDocument, document_id).html
        db.session.rollback()
        with pytest.raises(DBAPIError, match="never (changed|deleted)"):
            db.session.execute(text(statement), {"id": document_id})
        db.session.rollback()
        assert db.session.get(PetitionDocument, document_id).html == html


@ON_POSTGRES
def test_sql_may_record_the_pdf_once_and_never_again(app):
    document_id = _issued(app)
    with app.app_context():
        record = "UPDATE petition_document SET pdf_key = :key, pdf_sha256 = :sha WHERE id = :id"
        db.session.execute(text(record), {"key": "a" * 32, "sha": "b" * 64, "id": document_id})
        db.session.commit()
        for key, sha in (("c" * 32, "b" * 64), (None, None), ("a" * 32, "d" * 64)):
            with pytest.raises(DBAPIError, match="never changed"):
                db.session.execute(text(record), {"key": key, "sha": sha, "id": document_id})
            db.session.rollback()
        assert db.session.get(PetitionDocument, document_id).pdf_key == "a" * 32


def _accept_at_once(app, numbers: list[str]) -> None:
    """Each petition accepted by its own person, in its own thread and session, released together."""
    barrier = threading.Barrier(len(numbers))

    def run(number):
        with app.test_request_context():
            try:
                user = db.session.scalar(select(User).where(User.username == "dh-gov-staff"))
                db.session.commit()  # hold no transaction (on SQLite, no write lock) while waiting for the other
                barrier.wait(timeout=10)
                ctx = handling.Context(now=local(2026, 12, 1, 9), timezone=TZ)
                handling.act(db.session, number, "accept", user, {"decision": "accept"}, ctx)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(len(numbers)) as pool:
        list(pool.map(run, numbers))


def test_two_organs_issuing_at_once_get_the_next_two_numbers(app):
    numbers = []
    for i in range(ROUNDS):
        pair = [_forwarded(app, 2 * i), _forwarded(app, 2 * i + 1)]
        _accept_at_once(app, pair)
        numbers += pair
    with app.app_context():
        issued = db.session.execute(select(Case.number, PetitionDocument.number)
                                    .join(Case, Case.id == PetitionDocument.case_id)).all()
    assert sorted(case for case, _ in issued) == sorted(numbers)  # each accepted, each with its notice
    assert sorted(n for _, n in issued) == [f"〔2026〕信受字第{i:06d}号" for i in range(1, 2 * ROUNDS + 1)]


def test_a_number_taken_by_a_step_that_fails_is_given_to_the_next(app):
    number = _forwarded(app)
    with app.test_request_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        taken = petition_documents.issue(db.session, case, "acceptance", {"decide_due": "2027-02-01", "note": ""},
                                         None, local(2026, 12, 1, 9), None)
        assert taken.number == "〔2026〕信受字第000001号"
        db.session.rollback()  # the step failed: its number goes back with it
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    other = _forwarded(app, 1)
    step(app, other, "dh-gov-staff", "accept", local(2027, 1, 4, 9), decision="accept")  # a new year starts at 1
    with app.app_context():
        assert sorted(db.session.scalars(select(PetitionDocument.number))) == [
            "〔2026〕信受字第000001号", "〔2027〕信受字第000001号"]


@ON_POSTGRES
@pytest.mark.slow
def test_migration_0009_adds_the_trigger_and_its_downgrade_drops_it(redis_url):
    from flask_migrate import downgrade, upgrade

    from hotline import create_app
    from hotline.config import database_driver_url

    server = ThrowawayPostgres(os.environ["HOTLINE_TEST_DATABASE_URL"])
    other = create_app({"HOTLINE_ENV": "testing", "SECRET_KEY": "x", "REDIS_URL": redis_url,
                        "SQLALCHEMY_DATABASE_URI": database_driver_url(server.create()),
                        "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        with other.app_context():
            def triggers():
                return set(db.session.scalars(text(
                    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'petition_document%'")))

            def functions():
                return set(db.session.scalars(text("SELECT proname FROM pg_proc WHERE proname LIKE 'petition_doc%'")))

            upgrade(revision="head")
            assert triggers() == {"petition_document_stays", "petition_document_not_truncated"}
            assert functions() == {"petition_document_stays"}
            db.session.remove()
            downgrade(revision="0008")
            assert triggers() == set() and functions() == set()
            db.session.remove()
            upgrade(revision="head")
            assert triggers() == {"petition_document_stays", "petition_document_not_truncated"}
            db.session.remove()
            db.engine.dispose()
    finally:
        server.drop()
