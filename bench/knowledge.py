"""`python -m bench.knowledge`: the console's knowledge-base search over a base far larger than a centre keeps.

The demo articles are copied with varied titles into BASE articles (bulk insert, search_text as the service
writes it), then each question a caller might ask is searched the way the console does. The search is a
LIKE scan of one small table bounded by CANDIDATES, so what matters is how it grows with the base."""
from __future__ import annotations

import logging
import random
import sys
from datetime import date

from sqlalchemy import delete, insert

from bench import timing
from bench.targets import app_on, postgres_server
from hotline.domain import knowledge as kb
from hotline.seed.demo_knowledge import ARTICLES

BASES = (500, 5000)
QUESTIONS = ("停水", "家里停水了怎么办", "社保卡丢了怎么办", "公积金怎么提取", "暖气不热", "办护照要带什么",
             "12345不受理什么", "量子纠缠")
ROUNDS = 25
PLACES = ("东湖区", "西山区", "南江区", "北塘区", "滨江街道", "翠屏街道", "荷塘街道", "新港街道")


def _fill(count: int, rng: random.Random) -> None:
    from hotline.extensions import db
    from hotline.models import KnowledgeArticle

    db.session.execute(delete(KnowledgeArticle))
    rows = []
    for n in range(count):
        seed = ARTICLES[n % len(ARTICLES)]
        title = f"{seed.title}（{rng.choice(PLACES)}{n}）"
        body = seed.body.format(start="5月1日", end="5月3日")
        rows.append({"title": title, "body": body, "keywords": seed.keywords, "active": True,
                     "search_text": kb.searchable(title, seed.keywords, body)})
    for start in range(0, len(rows), 1000):
        db.session.execute(insert(KnowledgeArticle), rows[start:start + 1000])
    db.session.commit()


def bench() -> list[tuple[int, timing.Series]]:
    from hotline.extensions import db
    from hotline.services import knowledge

    rng = random.Random(6)  # noqa: S311  (repeatable made-up data, not secrets)
    results = []
    for count in BASES:
        _fill(count, rng)
        calls = [lambda q=q: knowledge.search(db.session, q, date(2026, 5, 2)) for q in QUESTIONS] * ROUNDS
        for call in calls[:len(QUESTIONS)]:
            call()  # warm up: jieba's dictionary, the statement cache
        results.append((count, timing.run(calls, between=db.session.remove)))
    return results


def section(results: list[tuple[str, list[tuple[int, timing.Series]]]]) -> list[str]:
    """docs/benchmarks.md: each database's search times, the small base being the baseline of the large one."""
    lines = ["", "## Knowledge-base search (the console's 知识库 panel)", "",
             f"{len(QUESTIONS)} caller questions ({'、'.join(QUESTIONS[:3])} …) × {ROUNDS} rounds, each a LIKE scan "
             "over the stored text ranked in Python. The base of 500 articles is the baseline; a city's real base is "
             "in the hundreds.", "",
             "| database | articles | p50 | p95 | × the 500-article p50 |", "|---|---:|---:|---:|---:|"]
    for label, series in results:
        base = series[0][1].p50_ms
        for count, s in series:
            lines.append(f"| {label} | {count:,} | {s.p50_ms:.1f} ms | {s.p95_ms:.1f} ms | "
                         f"{s.p50_ms / base:.1f} |")
    return lines


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    server, skipped = postgres_server()
    plan = [("SQLite", None)] + ([("PostgreSQL", server)] if server else [])
    for label, url in plan:
        with app_on(label, url) as (_app, target):
            for count, series in bench():
                print(f"{label} {target.version}: {count:>5} articles, {len(QUESTIONS)} questions × {ROUNDS}: "
                      f"p50 {series.p50_ms:.1f} ms, p95 {series.p95_ms:.1f} ms")
    if skipped:
        print(f"PostgreSQL skipped: {skipped}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
