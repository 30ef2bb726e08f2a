"""Benchmark 3: how often the category suggester's first (and first three) suggestions are right, on a
stratified fifth of the seed texts it never saw, against always guessing the most common subjects.
Also what a suggestion costs: the model's time for one text, and the time to train it. No database."""
from __future__ import annotations

import time
from dataclasses import dataclass

from bench.timing import Series, repeat
from hotline.seed.complaint_texts import TEXTS
from hotline.seed.demo_categories import CATEGORIES
from hotline.services import classifier

SPLIT_SEED = 12345  # the same held-out texts as tests/unit/test_suggest_quality.py
RUNS, WARMUP = 200, 20
PROBE = "小区北边工地每天夜里十一点以后还在打桩，噪音很大，老人孩子都睡不着"


@dataclass(frozen=True)
class SuggestResult:
    with_catalogue: classifier.Evaluation  # the seed texts (80%) and the catalogue's names and keywords
    texts_only: classifier.Evaluation  # the seed texts (80%) alone
    texts: int
    subjects: int
    fit_seconds: float  # training on every seed text and the catalogue, as a new install does
    stored_bytes: int
    suggest: Series  # one text through the trained model


def catalogue() -> list[classifier.Sample]:
    return [(c.code, word) for c in CATEGORIES if c.parent for word in (c.name, *c.keywords)]


def bench() -> SuggestResult:
    train, test = classifier.split(list(TEXTS), test_share=0.2, seed=SPLIT_SEED)
    with_catalogue = classifier.evaluate(train, test, catalogue())
    texts_only = classifier.evaluate(train, test)
    started = time.perf_counter()
    model = classifier.fit(list(TEXTS) + catalogue())
    fit_seconds = time.perf_counter() - started
    blob, _ = classifier.dumps(model)
    series = repeat(lambda: classifier.top_k(model, PROBE, 3), RUNS, WARMUP, lambda: None)
    return SuggestResult(with_catalogue, texts_only, len(TEXTS), len({c for c, _ in TEXTS}), fit_seconds,
                         len(blob), series)
