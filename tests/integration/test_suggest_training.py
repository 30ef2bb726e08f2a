"""Retraining the category suggester: closed cases teach it, every process uses the newest stored model,
and a new install trains one on first use. The worker job and the CLI run the same service."""
from __future__ import annotations

from sqlalchemy import delete, func, select

from hotline.clock import now
from hotline.domain.kinds import Channel, Kind, Track
from hotline.extensions import db
from hotline.models import Case, Category, ClassifierModel, OutboxJob
from hotline.seed.complaint_texts import TEXTS
from hotline.services import classifier, intake, suggest
from tests.helpers import act, some_category_and_area

LIBRARY_TEXT = "市图书馆自习室晚上八点就清场了，考研的学生没地方看书，能不能延长开放到十点"


def new_case(app, description: str, category_code: str) -> str:
    category_id, area_id = some_category_and_area(app, category_code=category_code)
    with app.test_request_context():
        new = intake.NewCase(track=Track.HOTLINE, kind=Kind.SUGGESTION, channel=Channel.PHONE,
                             description=description, category_id=category_id, area_id=area_id,
                             phone="+8613812345678", name="陈女士")
        return intake.register(db.session, new, intake.Context(now=now(), timezone="Asia/Shanghai", locale="zh")).number


def closed_case(app, description: str, category_code: str) -> str:
    """A case taken to 办结 by whichever road is open: answered directly if intake left it for the
    dispatcher, else signed and answered by its departments, reviewed and called back."""
    number = new_case(app, description, category_code)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.number == number))
        state = case.state
        departments = [a.department.code for a in sorted(case.assignments, key=lambda a: not a.lead) if a.active]
    if state == "registered":
        assert act(app, number, "operator", "answer-directly", note="已解答") == "closed"
        return number
    for code in departments:
        act(app, number, f"{code}-staff", "sign")
        act(app, number, f"{code}-staff", "reply", text="已延长自习室开放时间。", resolved=True)
    act(app, number, "dispatcher", "review-reply", decision="approve")
    assert act(app, number, "operator", "callback", satisfaction="satisfied", resolved=True) == "closed"
    return number


def versions(app) -> list[int]:
    with app.app_context():
        return stored_versions()


def stored_versions() -> list[int]:
    return list(db.session.scalars(select(ClassifierModel.version).order_by(ClassifierModel.version)))


def test_closed_cases_are_learnt_with_their_final_subject_and_open_ones_are_not(app):
    closed_case(app, LIBRARY_TEXT, "public.culture")
    new_case(app, "这条还没办完的工单不应该用来训练", "city.garbage")
    with app.app_context():
        data = suggest.training_set(db.session)
        assert data.cases == [("public.culture", LIBRARY_TEXT)]
        assert len(data.seed) == len(TEXTS)
        assert ("city.noise-construction", "夜间施工") in data.catalogue  # the catalogue's keywords
        before = max(stored_versions() or [0])
        model = suggest.retrain(db.session, now())
        assert model.version == before + 1 and model.case_count == 1
        assert model.sample_count == len(data.seed) + len(data.catalogue) + 1
        assert model.category_count == db.session.scalar(
            select(func.count()).select_from(Category).where(Category.level == 2))
        assert model.test_count > 100 and model.accuracy_top3 > 0.85 and model.baseline_top3 < 0.15
        assert model.library == classifier.LIBRARY and len(model.sha256) == 64


def test_only_the_newest_few_models_are_kept(app):
    with app.app_context():
        top = max(stored_versions() or [0])
        for version in range(top + 1, top + suggest.KEEP + 2):  # older models, as earlier nights left them
            db.session.add(ClassifierModel(version=version, trained_at=now(), sample_count=1, case_count=0,
                                           category_count=2, library=classifier.LIBRARY, sha256="0" * 64, blob=b"x"))
        db.session.commit()
        newest = suggest.retrain(db.session, now()).version
        assert stored_versions() == list(range(newest - suggest.KEEP + 1, newest + 1))


def test_a_new_install_trains_on_first_use_and_then_reuses_the_stored_model(app):
    with app.app_context():
        db.session.execute(delete(ClassifierModel))
        db.session.commit()
        first = suggest.suggest(db.session, "小区电梯又坏了，困了人", now())
        assert first.items[0].category.code == "housing.elevator"
        assert stored_versions() == [first.model.version]
        again = suggest.suggest(db.session, "楼里电梯停运一个月了", now())
        assert again.model == first.model and stored_versions() == [first.model.version]


def test_every_process_moves_to_a_newer_stored_model(app):
    with app.app_context():
        before = suggest.suggest(db.session, "暖气不热", now()).model
        newer = suggest.retrain(db.session, now())
        suggest._cache._pipelines.clear()  # as in another process, which never saw it trained
        after = suggest.suggest(db.session, "暖气不热", now())
        assert after.model.version == newer.version > before.version
        assert after.items[0].category.code == "utilities.heating"


def test_a_model_that_no_longer_matches_its_digest_is_replaced(app):
    with app.app_context():
        suggest.suggest(db.session, "暖气不热", now())
        row = db.session.scalar(select(ClassifierModel).order_by(ClassifierModel.version.desc()).limit(1))
        bad_version = row.version
        row.sha256 = "0" * 64
        db.session.commit()
        suggest._cache._pipelines.clear()
        found = suggest.suggest(db.session, "暖气不热", now())
        assert found.model.version == bad_version + 1 and found.items[0].category.code == "utilities.heating"


def test_the_cli_retrains_now_or_queues_it(app):
    runner = app.test_cli_runner()
    before = max(versions(app) or [0])
    result = runner.invoke(args=["hotline", "retrain-classifier"])
    assert result.exit_code == 0, result.output
    assert f"version {before + 1}:" in result.output and "top-3" in result.output
    queued = runner.invoke(args=["hotline", "retrain-classifier", "--queue"])
    assert queued.exit_code == 0 and "queued as outbox job" in queued.output
    with app.app_context():
        assert db.session.scalar(select(OutboxJob.job)) == "retrain_classifier"

