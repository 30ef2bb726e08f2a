"""The category suggester's model: fitting, ranking, measuring and storing it. No database here.

TF-IDF over jieba words (and word pairs) and over characters (and character pairs), and a linear SVM
whose scores are calibrated into probabilities, so a score of 0.8 means about four in five texts like
it had that subject. The catalogue's own names and keywords join the training texts as short samples
of their sub-category, so a subject with few examples is still found by the words people use for it."""
from __future__ import annotations

import hashlib
import pickle
import random
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from hotline.domain import text_features

Sample = tuple[str, str]  # (category code, text)

FOLDS = 3  # calibration folds: a subject needs at least this many samples to be learnt
MAX_FEATURES = 60_000  # per vocabulary: bounds the stored model as closed cases pile up
LIBRARY = f"scikit-learn {sklearn.__version__}"  # a pickle is only read back by the version that wrote it


def build() -> Pipeline:
    features = make_union(
        TfidfVectorizer(analyzer=text_features.words, sublinear_tf=True, max_features=MAX_FEATURES),
        TfidfVectorizer(analyzer="char", preprocessor=text_features.characters, ngram_range=(1, 2),
                        sublinear_tf=True, max_features=MAX_FEATURES),
    )
    svm = CalibratedClassifierCV(LinearSVC(C=0.5), cv=FOLDS, ensemble=False)
    return Pipeline([("features", features), ("svm", svm)])


def learnable(samples: Iterable[Sample]) -> list[Sample]:
    """Samples of the subjects with enough of them to be learnt (and to be calibrated across the folds)."""
    samples = [(code, text) for code, text in samples if code and text and text.strip()]
    counts = Counter(code for code, _ in samples)
    return [(code, text) for code, text in samples if counts[code] >= FOLDS]


def fit(samples: Iterable[Sample]) -> Pipeline:
    samples = learnable(samples)
    if len({code for code, _ in samples}) < 2:
        raise ValueError("at least two subjects with enough samples are needed to train the suggester")
    pipeline = build()
    pipeline.fit([text for _, text in samples], [code for code, _ in samples])
    _shrink(pipeline)
    return pipeline


def _shrink(pipeline: Pipeline) -> None:
    """Single-precision weights: half the stored size, the same ranking."""
    for calibrated in pipeline.named_steps["svm"].calibrated_classifiers_:
        svm = calibrated.estimator
        svm.coef_ = svm.coef_.astype(np.float32)


def understood(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """For each text, whether it has a word the model has seen. Characters alone ("测试", "asdf") are no
    evidence: ranked on them, a subject sharing a character would come first with a confident score."""
    words = pipeline.named_steps["features"].transformer_list[0][1]
    return words.transform(texts).getnnz(axis=1) > 0


def rank_many(pipeline: Pipeline, texts: Sequence[str], k: int | None = None) -> list[list[tuple[str, float]]]:
    """For each text, the subjects the model knows, most likely first, with their probability (the first
    k of them); none for a text it does not understand."""
    if not texts:
        return []
    probabilities = pipeline.predict_proba(texts)
    known = understood(pipeline, texts)
    classes = pipeline.classes_
    ranked = []
    for row, ok in zip(probabilities, known, strict=True):
        order = np.argsort(-row, kind="stable")[:k] if ok else []
        ranked.append([(str(classes[i]), float(row[i])) for i in order])
    return ranked


def rank(pipeline: Pipeline, text: str) -> list[tuple[str, float]]:
    return rank_many(pipeline, [text])[0]


def top_k(pipeline: Pipeline, text: str, k: int = 3) -> list[tuple[str, float]]:
    return rank_many(pipeline, [text], k)[0]


# --- measuring --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    top1: float
    top3: float
    baseline_top1: float  # always guess the most common subject of the training texts
    baseline_top3: float  # always guess the three most common
    train_count: int  # training samples, the catalogue's included
    test_count: int


def split(samples: Sequence[Sample], test_share: float = 0.2, seed: int = 12345) -> tuple[list, list]:
    """A stratified split: each subject gives about `test_share` of its samples (at least one) to the test
    set, keeping at least FOLDS for training; a subject with too few to spare stays in training whole."""
    rng = random.Random(seed)  # noqa: S311  (a repeatable split, not a secret)
    by_code: dict[str, list[Sample]] = {}
    for sample in samples:
        by_code.setdefault(sample[0], []).append(sample)
    train, test = [], []
    for code in sorted(by_code):
        group = by_code[code][:]
        rng.shuffle(group)
        held = max(0, min(max(1, round(len(group) * test_share)), len(group) - FOLDS))
        test += group[:held]
        train += group[held:]
    return train, test


def evaluate(train: Sequence[Sample], test: Sequence[Sample], extra: Sequence[Sample] = ()) -> Evaluation:
    """Fit on `train` (+ `extra`, e.g. the catalogue's keywords) and measure on `test`."""
    pipeline = fit([*train, *extra])
    hits1 = hits3 = 0
    for (code, _), top in zip(test, rank_many(pipeline, [text for _, text in test], 3), strict=True):
        ranked = [c for c, _ in top]
        hits1 += bool(ranked) and ranked[0] == code
        hits3 += code in ranked
    common = [code for code, _ in Counter(code for code, _ in train).most_common(3)]
    n = len(test) or 1
    return Evaluation(
        top1=hits1 / n, top3=hits3 / n,
        baseline_top1=sum(code == common[0] for code, _ in test) / n if common else 0.0,
        baseline_top3=sum(code in common for code, _ in test) / n,
        train_count=len(train) + len(extra), test_count=len(test),
    )


# --- storing ----------------------------------------------------------------------------------------


def dumps(pipeline: Pipeline) -> tuple[bytes, str]:
    """The stored form of a model, and its SHA-256 (checked before it is ever unpickled)."""
    blob = zlib.compress(pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL), 3)
    return blob, hashlib.sha256(blob).hexdigest()


class CorruptModel(ValueError):
    pass


def loads(blob: bytes, sha256: str) -> Pipeline:
    """Only a blob this application wrote to its own database, whose digest still matches, is unpickled."""
    if hashlib.sha256(blob).hexdigest() != sha256:
        raise CorruptModel("the stored model does not match its SHA-256")
    return pickle.loads(zlib.decompress(blob))  # noqa: S301  (our own blob, verified above)
