"""Suggesting a complaint's subject from what the person types (issue 4).

The model is trained on the demo seed's labelled texts, the catalogue's own names and keywords, and the
texts of closed cases with the subject they were closed under (the operators' and departments' final
word). It is stored in the database, so every web process and worker suggests with the same model; each
process keeps the model it last loaded in memory and loads again only when a newer one is stored. With
no model yet (a new install), the first suggestion trains one from what there is and stores it.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.domain.lifecycle import State
from hotline.models import Case, Category, ClassifierModel, OutboxJob
from hotline.seed.complaint_texts import TEXTS
from hotline.services import classifier, outbox

log = logging.getLogger("hotline.suggest")

JOB = "retrain_classifier"  # workers.jobs.retrain_classifier, through the outbox
KEEP = 3  # stored models: the one in use and the two before it
MAX_CASES = 50_000  # the newest closed cases are trained on; older ones add little but time
MIN_TEXT = 2  # characters before anything is suggested
CANDIDATES = 12  # ranked subjects looked up to find k that are still active


class NothingToLearn(RuntimeError):
    """Fewer than two active sub-categories have enough samples (an empty catalogue)."""


@dataclass(frozen=True)
class ModelInfo:
    id: int
    version: int
    trained_at: datetime


@dataclass(frozen=True)
class Suggestion:
    category: Category
    score: float


@dataclass(frozen=True)
class Suggestions:
    items: list[Suggestion]
    model: ModelInfo | None


@dataclass(frozen=True)
class TrainingSet:
    seed: list[classifier.Sample]  # the labelled texts shipped with hotline (hotline/seed/complaint_texts.py)
    catalogue: list[classifier.Sample]  # each active sub-category's name and keywords, one short sample each
    cases: list[classifier.Sample]  # closed cases: (final sub-category, description)

    @property
    def texts(self) -> list[classifier.Sample]:
        return self.seed + self.cases


# --- training ---------------------------------------------------------------------------------------


def training_set(session: Session) -> TrainingSet:
    active = {c.code: c for c in session.scalars(select(Category).where(Category.active, Category.level == 2))}
    seed = [(code, text) for code, text in TEXTS if code in active]
    catalogue = [(code, word) for code, c in active.items() for word in (c.name, *c.keywords.split()) if word]
    closed = session.execute(
        select(Category.code, Case.description).join(Case.category)
        .where(Case.state == State.CLOSED, Category.active, Category.level == 2)
        .order_by(Case.id.desc()).limit(MAX_CASES)
    ).tuples()
    return TrainingSet(seed, catalogue, [(code, text) for code, text in closed if text and text.strip()])


def retrain(session: Session, now: datetime) -> ClassifierModel:
    """Measure on a held-out fifth of the texts, fit on all of them, store the model as the newest version."""
    data = training_set(session)
    # End the reading transaction before the seconds of fitting: on SQLite every transaction holds the write lock
    # (BEGIN IMMEDIATE), and the first suggestion of a new install would make every other request wait.
    session.commit()
    train, test = classifier.split(data.texts)
    try:
        evaluation = classifier.evaluate(train, test, data.catalogue) if test else None
        pipeline = classifier.fit(data.texts + data.catalogue)
    except ValueError as exc:
        raise NothingToLearn(str(exc)) from exc
    blob, digest = classifier.dumps(pipeline)
    version = (session.scalar(select(func.max(ClassifierModel.version))) or 0) + 1
    row = ClassifierModel(
        version=version, trained_at=now, sample_count=len(data.texts) + len(data.catalogue),
        case_count=len(data.cases), category_count=len(pipeline.classes_),
        test_count=evaluation.test_count if evaluation else 0,
        accuracy_top1=evaluation.top1 if evaluation else None,
        accuracy_top3=evaluation.top3 if evaluation else None,
        baseline_top3=evaluation.baseline_top3 if evaluation else None,
        library=classifier.LIBRARY, sha256=digest, blob=blob,
    )
    session.add(row)
    session.flush()
    _prune(session)
    session.commit()
    _cache.put(digest, pipeline)
    log.info("category suggester v%d: %d samples (%d closed cases), top-3 %.3f", version, row.sample_count,
             row.case_count, row.accuracy_top3 or 0)
    return row


def _prune(session: Session) -> None:
    keep = select(ClassifierModel.id).order_by(ClassifierModel.version.desc()).limit(KEEP).scalar_subquery()
    session.execute(delete(ClassifierModel).where(ClassifierModel.id.not_in(keep))
                    .execution_options(synchronize_session=False))


def request_retrain(session: Session) -> tuple[OutboxJob, bool]:
    """Queue a retraining through the outbox; one already waiting is returned instead of queueing another."""
    waiting = session.scalar(
        select(OutboxJob).where(OutboxJob.job == JOB, OutboxJob.status.in_(("pending", "pushed")))
        .order_by(OutboxJob.id.desc()).limit(1)
    )
    if waiting is not None:
        return waiting, False
    row = outbox.add(session, JOB)
    session.commit()
    return row, True


# --- the model in use -------------------------------------------------------------------------------


class _Cache:
    """The pipelines this process has loaded, by the SHA-256 of their stored blob (so two databases in one
    process — tests, benchmarks — never mix their models). Two are kept: the newest and the one before."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pipelines: dict[str, object] = {}

    def get(self, digest: str):
        with self._lock:
            return self._pipelines.get(digest)

    def put(self, digest: str, pipeline) -> None:
        with self._lock:
            self._pipelines[digest] = pipeline
            while len(self._pipelines) > 2:
                self._pipelines.pop(next(iter(self._pipelines)))


_cache = _Cache()


def latest(session: Session):
    """The newest stored model's description (never its blob)."""
    return session.execute(
        select(ClassifierModel.id, ClassifierModel.version, ClassifierModel.trained_at, ClassifierModel.sha256,
               ClassifierModel.library)
        .order_by(ClassifierModel.version.desc()).limit(1)
    ).first()


def _usable(session: Session):
    row = latest(session)
    if row is None or row.library != classifier.LIBRARY:
        return None
    pipeline = _cache.get(row.sha256)
    if pipeline is None:
        pipeline = _load(session, row)
    return (ModelInfo(row.id, row.version, row.trained_at), pipeline) if pipeline is not None else None


_training = threading.Lock()


def current(session: Session, now: datetime) -> tuple[ModelInfo, object] | None:
    """The model in use, trained first if there is none that this version of scikit-learn can read."""
    found = _usable(session)
    if found is not None:
        return found
    with _training:  # the first requests of a new install: one of them trains, the others wait for it
        session.rollback()  # see what was committed while waiting
        return _usable(session) or _train_now(session, now)


def _train_now(session: Session, now: datetime) -> tuple[ModelInfo, object] | None:
    try:
        stored = retrain(session, now)
    except NothingToLearn:
        session.rollback()
        return None
    except IntegrityError:  # another process stored a model at the same moment: use that one
        session.rollback()
        return _usable(session)
    return ModelInfo(stored.id, stored.version, stored.trained_at), _cache.get(stored.sha256)


def _load(session: Session, row):
    blob = session.scalar(select(ClassifierModel.blob).where(ClassifierModel.id == row.id))
    try:
        pipeline = classifier.loads(blob, row.sha256)
    except classifier.CorruptModel:
        log.error("category suggester v%d does not match its SHA-256; training a new one", row.version)
        return None
    _cache.put(row.sha256, pipeline)
    return pipeline


def suggest(session: Session, text: str, now: datetime, k: int = 3, min_score: float = 0.0) -> Suggestions:
    """The k likeliest active sub-categories for `text`, most likely first. On a new install this trains
    and commits the first model, so call it outside a transaction of your own."""
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        row = latest(session)
        return Suggestions([], ModelInfo(row.id, row.version, row.trained_at) if row else None)
    loaded = current(session, now)
    if loaded is None:
        return Suggestions([], None)
    info, pipeline = loaded
    ranked = [(code, score) for code, score in classifier.rank(pipeline, text)[:CANDIDATES] if score >= min_score]
    rows = {c.code: c for c in session.scalars(
        select(Category).where(Category.code.in_([code for code, _ in ranked]), Category.active))}
    items = [Suggestion(rows[code], score) for code, score in ranked if code in rows][:k]
    return Suggestions(items, info)
