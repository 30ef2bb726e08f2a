"""The labelled texts the category suggester starts from: enough, varied, and every sub-category covered."""
from __future__ import annotations

from collections import Counter
from statistics import median

from hotline.seed.complaint_texts import TEXTS
from hotline.seed.demo_categories import CATEGORIES

SUB_CATEGORIES = {c.code for c in CATEGORIES if c.parent}
COMMON = ("city.noise-construction", "order.noise-social", "housing.property-service", "labour.wage-arrears",
          "utilities.water-outage", "utilities.power-outage")


def test_there_are_at_least_600_texts_each_labelled_with_a_sub_category():
    assert len(TEXTS) >= 600
    assert {code for code, _ in TEXTS} == SUB_CATEGORIES  # every sub-category, and nothing else


def test_every_sub_category_has_at_least_six_and_the_common_ones_more():
    counts = Counter(code for code, _ in TEXTS)
    assert min(counts.values()) >= 6
    assert all(counts[code] >= 12 for code in COMMON)


def test_no_text_is_repeated_or_a_fill_in():
    texts = [text for _, text in TEXTS]
    assert len(set(texts)) == len(texts)
    # a template repeats its wording around the blanks; these texts share no run of 13 characters (a place
    # like 东湖区西湖街道碧水湾小区 is 12), not even across subjects
    runs: dict[str, set[int]] = {}
    for i, text in enumerate(texts):
        for j in range(len(text) - 12):
            runs.setdefault(text[j:j + 13], set()).add(i)
    assert [run for run, where in runs.items() if len(where) > 1] == []


def test_lengths_and_places_vary_as_callers_do():
    lengths = [len(text) for _, text in TEXTS]
    assert min(lengths) <= 15 and max(lengths) >= 150 and 30 <= median(lengths) <= 80
    for district in ("东湖区", "西山区", "南江区", "北塘区"):
        assert sum(district in text for _, text in TEXTS) >= 30
