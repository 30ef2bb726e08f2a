"""handling.act with a reply's files: stored and recorded in the reply's transaction, or not at all — if
the transaction fails after the files were stored, they are removed again. The hash chain covers them."""
from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.clock import now
from hotline.extensions import db
from hotline.integrations.storage import LocalStorage
from hotline.models import Case, CaseEvent, User
from hotline.services import handling
from hotline.services.attachments import IncomingFile
from tests.integration.attachment_helpers import minimal_pdf, on_disk, png_1x1, signed_case, written


def reply(app, number: str, files: list[IncomingFile], storage, username: str = "dh-cgj-staff"):
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == username))
        ctx = handling.Context(now=now(), storage=storage)
        return handling.act(db.session, number, "reply", user, {"text": "已处理。", "resolved": True}, ctx,
                            files=files).state


def two_files() -> list[IncomingFile]:
    return [IncomingFile("照片.png", BytesIO(png_1x1())), IncomingFile("通知.pdf", BytesIO(minimal_pdf()))]


def test_a_failed_commit_removes_the_stored_files(app, upload_dir, monkeypatch):
    number = signed_case(app)
    before_rows, before_files = written(app, number), on_disk(upload_dir)
    stored = []
    storage = LocalStorage(upload_dir)
    real_save = storage.save
    monkeypatch.setattr(storage, "save", lambda stream: stored.append(real_save(stream)) or stored[-1])

    def commit_fails(self):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Session, "commit", commit_fails)
    with pytest.raises(RuntimeError):
        reply(app, number, two_files(), storage)
    monkeypatch.undo()

    assert len(stored) == 2  # they were written, in the transaction …
    assert on_disk(upload_dir) == before_files  # … and removed when it failed
    assert written(app, number) == before_rows


def test_a_storage_failure_on_the_second_file_leaves_nothing(app, upload_dir):
    number = signed_case(app)
    before_rows, before_files = written(app, number), on_disk(upload_dir)

    class FullDisk(LocalStorage):
        saved = 0

        def save(self, stream):
            if self.saved == 1:
                raise OSError(28, "No space left on device")
            self.saved += 1
            return super().save(stream)

    with pytest.raises(OSError):
        reply(app, number, two_files(), FullDisk(upload_dir))
    assert on_disk(upload_dir) == before_files
    assert written(app, number) == before_rows


def test_a_reply_by_a_co_handler_records_its_assignment_and_department(app, upload_dir):
    from tests.helpers import act, department_id

    number = signed_case(app)
    act(app, number, "dh-xhj-staff", "sign")
    assert reply(app, number, two_files()[:1], LocalStorage(upload_dir), "dh-xhj-staff") == "in_progress"
    street_office = department_id(app, "dh-xhj")
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        (attachment,) = case.attachments
        assignment = next(a for a in case.active_assignments if a.id == attachment.assignment_id)
        assert attachment.department_id == assignment.department_id == street_office
        assert attachment.event.action == "reply" and attachment.event.data["lead"] is False


def test_the_hash_chain_covers_the_files(app, upload_dir):
    number = signed_case(app)
    reply(app, number, two_files(), LocalStorage(upload_dir))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hotline", "verify-audit"])
    assert result.exit_code == 0, result.output

    with app.app_context():  # someone swaps a file's recorded hash in the database
        event = db.session.scalar(select(CaseEvent).join(Case)
                                  .where(Case.number == number, CaseEvent.action == "reply"))
        data = dict(event.data)
        data["attachments"] = [dict(data["attachments"][0], sha256="0" * 64), data["attachments"][1]]
        event.data = data
        db.session.commit()
    result = runner.invoke(args=["hotline", "verify-audit"])
    assert result.exit_code != 0 and number in result.output


def test_files_come_only_with_a_reply(app, upload_dir):
    number = signed_case(app)
    with app.test_request_context():
        user = db.session.scalar(select(User).where(User.username == "dh-cgj-staff"))
        ctx = handling.Context(now=now(), storage=LocalStorage(upload_dir))
        with pytest.raises(ValueError):
            handling.act(db.session, number, "return", user, {"reason": "不属于本单位"}, ctx, files=two_files())
