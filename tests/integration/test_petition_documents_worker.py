"""The PDF of an issued document is drawn by the `render_document` job: through the outbox, Redis and a real RQ
worker; once, however often the job runs; and never as a PDF of empty boxes — without pango or a Chinese font
the job fails loudly, is retried, and stores nothing."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import timedelta

import pytest
import redis
from rq import Queue
from rq.job import Job
from sqlalchemy import select

from hotline import ROOT
from hotline.clock import now
from hotline.extensions import db
from hotline.models import OutboxJob, PetitionDocument
from hotline.services import outbox
from tests.integration.lifecycle_helpers import dept, local, step
from tests.integration.petition_helpers import new_petition
from tests.integration.test_petition_documents_helpers import flat, pdf_text
from tests.integration.worker_helpers import burst


def _accepted(app) -> str:
    number = new_petition(app, local(2026, 11, 27, 10))
    step(app, number, "dispatcher", "forward", local(2026, 11, 27, 11), organ_id=dept(app, "dh-gov"),
         forwarding="forward")
    step(app, number, "dh-gov-staff", "accept", local(2026, 12, 1, 9), decision="accept")
    return number


def _relay(app) -> int:
    with app.app_context():
        connection = redis.Redis.from_url(app.config["REDIS_URL"])
        return outbox.relay(db.session, lambda name: Queue(name, connection=connection), connection, now(),
                            timedelta(minutes=5))


def _document(app) -> PetitionDocument:
    with app.app_context():
        document = db.session.scalar(select(PetitionDocument))
        db.session.expunge_all()
        return document


def _render_row(app) -> OutboxJob:
    with app.app_context():
        row = db.session.scalar(select(OutboxJob).where(OutboxJob.job == "render_document"))
        db.session.expunge_all()
        return row


def _stored_files(upload_dir) -> list:
    return sorted(p for p in upload_dir.rglob("*") if p.is_file())


def test_the_worker_draws_the_pdf_once(app, upload_dir):
    number = _accepted(app)
    assert _document(app).pdf_key is None  # issued with the step; drawn after it
    assert _relay(app) >= 1
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    before = _stored_files(upload_dir)
    burst(app, connection)

    document, row = _document(app), _render_row(app)
    assert row.status == "done" and document.pdf_key
    [path] = [p for p in _stored_files(upload_dir) if p not in before]
    pdf = path.read_bytes()
    assert path.name == document.pdf_key and hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    assert flat(f"你于2026年11月27日提出的信访事项（信访事项编号：{number}）") in pdf_text(pdf)
    assert Job.fetch(outbox.rq_job_id(row.id), connection=connection).return_value() == "drawn"

    # the same job again (pushed twice, or run again after a restart): the PDF drawn first stays
    again = Queue("default", connection=connection).enqueue("workers.jobs.render_document",
                                                           kwargs={"document_id": document.id})
    burst(app, connection)
    assert again.return_value() == "already"
    assert _document(app).pdf_key == document.pdf_key and len(_stored_files(upload_dir)) == len(before) + 1


def test_without_pango_the_job_fails_loudly_and_is_retried(app, upload_dir, monkeypatch):
    _accepted(app)
    _relay(app)
    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    before = _stored_files(upload_dir)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as where pango cannot be loaded: the import fails
    burst(app, connection)

    row, document = _render_row(app), _document(app)
    assert row.status == "pushed" and "CannotDraw" in row.last_error and "pango" in row.last_error
    assert document.pdf_key is None and _stored_files(upload_dir) == before
    job = Job.fetch(outbox.rq_job_id(row.id), connection=connection)
    assert job.get_status() == "scheduled" and job.retries_left == 4  # RQ tries again in 10 s, then later

    monkeypatch.undo()  # pango is installed; the retry comes round
    Queue("default", connection=connection).enqueue_job(job)
    burst(app, connection)
    assert _render_row(app).status == "done" and _document(app).pdf_key


@pytest.mark.slow
def test_without_a_chinese_font_the_job_fails_and_stores_nothing(app, upload_dir, tmp_path):
    """A worker whose fontconfig knows only Latin fonts (a server missing fonts-wqy-zenhei)."""
    _accepted(app)
    _relay(app)
    fonts = tmp_path / "fonts.conf"
    fonts.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                     f'<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/cache</cachedir></fontconfig>')
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_ENV="testing", HOTLINE_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"], HOTLINE_UPLOAD_DIR=str(upload_dir), FONTCONFIG_FILE=str(fonts))
    before = _stored_files(upload_dir)
    worker = subprocess.run([sys.executable, "-m", "workers", "--burst"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=120)

    assert worker.returncode == 0, worker.stderr
    assert "CannotDraw" in worker.stderr and "fonts-wqy-zenhei" in worker.stderr  # loudly, in the worker's log
    row = _render_row(app)
    assert row.status == "pushed" and "fonts-wqy-zenhei" in row.last_error
    assert _document(app).pdf_key is None and _stored_files(upload_dir) == before
