"""The demo petitions (hotline/seed/petitions.py): lived through the real services into every state of the
procedure, once, with their texts delivered and their PDFs left for the worker."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from hotline.extensions import db
from hotline.models import AccusedDepartment, Case, Department, OutboxJob, Petition, PetitionDocument, SmsMessage
from hotline.seed import petitions as demo
from hotline.seed.petition_texts import MATTERS
from tests.integration.lifecycle_helpers import local

NOW = local(2026, 11, 28, 12)
KEY = f"{demo.KEY_PREFIX}%"


def test_every_state_of_the_procedure_through_the_services(app):
    with app.app_context():
        tally = demo.seed_petitions(db.session, NOW, "Asia/Shanghai")
        assert tally.petitions == len(demo.PLANS) >= 38 and tally.steps > 100
        states = Counter(db.session.scalars(select(Case.state).where(Case.submission_key.like(KEY))))
        assert set(states) == {"registered", "forwarded", "objected", "accepted", "decided", "reviewing", "reviewed",
                               "re_reviewing", "closed", "not_accepted"}
        petitions = db.session.scalars(select(Petition).join(Case, Case.id == Petition.case_id)
                                       .where(Case.submission_key.like(KEY))).all()
        assert sum(p.major for p in petitions) == 1
        groups = [p for p in petitions if p.group_size >= 5]
        assert groups and all(1 <= sum(x.representative for x in p.petitioners) <= 5 for p in groups)
        assert any(p.hearing_started_at for p in petitions)  # a re-review in a hearing
        assert any(p.final for p in petitions)  # concluded after re-review
        assert {p.extension_status for p in petitions} >= {"pending", "approved"}
        assert any(p.same_matter_kind == "open" for p in petitions)  # the same person again (Art. 19)
        accused = db.session.scalars(select(Department.code).join(AccusedDepartment)).all()
        assert Counter(accused)["dh-cgj"] >= 2  # a district bureau accused
        # every step went through handling.act: each petition's history ends in its state
        for case in db.session.scalars(select(Case).where(Case.submission_key.like(KEY))):
            assert case.events[-1].to_state == case.state and case.events[0].action == "register"
        kinds = Counter(db.session.scalars(select(Case.kind).where(Case.submission_key.like(KEY))))
        assert set(kinds) == {"grievance", "petition_suggestion", "accusation"}
        assert db.session.scalar(select(func.count()).select_from(PetitionDocument)) > 30


def test_the_texts_went_out_and_the_pdfs_are_left_for_the_worker(app):
    with app.app_context():
        demo.seed_petitions(db.session, NOW, "Asia/Shanghai")
        statuses = Counter(db.session.scalars(select(SmsMessage.status)))
        assert statuses and set(statuses) == {"delivered"}
        jobs = Counter(db.session.execute(select(OutboxJob.job, OutboxJob.status)).tuples())
        assert jobs[("deliver_sms", "done")] == sum(statuses.values())
        assert not [k for k in jobs if k[0] == "deliver_sms" and k[1] != "done"]
        assert jobs[("render_document", "pending")] == db.session.scalar(
            select(func.count()).select_from(PetitionDocument))


def test_it_runs_once(app):
    with app.app_context():
        demo.seed_petitions(db.session, NOW, "Asia/Shanghai")
        again = demo.seed_petitions(db.session, NOW, "Asia/Shanghai")
        assert again.already
        assert db.session.scalar(select(func.count()).select_from(Case)) == len(demo.PLANS)


def test_the_command(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["hotline", "seed-petitions"])
    assert first.exit_code == 0 and f"{len(demo.PLANS)} demo petitions" in first.output
    second = runner.invoke(args=["hotline", "seed-petitions"])
    assert second.exit_code == 0 and "already" in second.output


def test_every_plan_stays_in_the_past_and_names_a_matter():
    matters = {m.key: m for m in MATTERS}
    for plan in demo.PLANS:
        m = matters[plan.matter]
        steps = demo._steps(plan, m, m.organ)
        assert not steps or steps[-1][0] <= plan.days_ago - 1, plan
        if plan.path in ("reviewing", "revoked", "reviewed", "re_reviewing", "hearing", "final", "final_direct"):
            assert m.review and m.review != m.organ, plan
        if plan.path in ("re_reviewing", "hearing", "final", "final_direct"):
            assert m.re_review and m.re_review != m.review, plan
        assert plan.representatives <= 5 and plan.listed <= plan.group
