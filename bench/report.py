"""docs/benchmarks.md: the figures of one run, each beside its baseline, and the machine they came from."""
from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import intake, search
from bench import routing as routing_bench
from bench import suggest as suggest_bench
from bench.targets import ENV_PG, Target

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def header(targets: list[Target], skipped: str, seconds: float) -> list[str]:
    databases = ", ".join(f"{t.label} {t.version}" for t in targets)
    lines = [
        "# Benchmarks", "",
        "Written by `make bench` (`.venv/bin/python -m bench`), which overwrites this file. Every figure stands",
        "next to a baseline measured in the same run on the same machine; compare figures within a run, not",
        "across machines.", "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; the whole run took {seconds:.0f} s",
        f"- machine: nproc {os.cpu_count()}, {_cpu()}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}; databases: {databases}",
        f"- rerun: `make bench`. PostgreSQL is used when `{ENV_PG}` names a server (a throwaway database",
        "  is created on it and dropped) or when `postgresql://postgres@127.0.0.1:5432/test` answers.",
        "  SQLite runs in a temporary file. Both are migrated and seeded with the demo city first.",
    ]
    if skipped:
        lines.append(f"- PostgreSQL skipped: {skipped}")
    return [*lines, ""]


def intake_section(results: list[tuple[Target, intake.IntakeResult]]) -> list[str]:
    lines = [
        "## 1. Intake", "",
        f"{intake.N} calls of `intake.register` in a row, each its own transaction and its own session (as a",
        "request has): case-number upsert, person, case, first event, SMS row, outbox row and the dispatch",
        "catalogue's decision, commit; then, when the demo catalogue's rule is `auto` (about 7 cases in 10), the",
        "dispatch through `handling.act` in a second transaction (lock, event, assignments, the deadlines stamped",
        "by the SLA policies on the calendar, and the watched clocks the sweep reads: sign, handle, return). Baseline:",
        f"{intake.N} inserts of one `Case` row with the same fields and a commit, numbered in Python.",
        f"{intake.WARMUP} untimed calls of each come first.", "",
        "| database | what | cases/s | p50 ms | p95 ms | p50 × baseline |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for target, r in results:
        ratio = r.intake.p50_ms / r.baseline.p50_ms
        lines.append(f"| {target.label} | bare `Case` insert + commit (baseline) | {r.baseline.per_second:.0f} "
                     f"| {r.baseline.p50_ms:.2f} | {r.baseline.p95_ms:.2f} | 1.0 |")
        lines.append(f"| {target.label} | `intake.register` | {r.intake.per_second:.0f} "
                     f"| {r.intake.p50_ms:.2f} | {r.intake.p95_ms:.2f} | {ratio:.1f} |")
    lines += ["", "Rows the measured intake calls added (the day's case-number counter row is updated in place;",
              "about one caller in ten calls again and is found, not added):", ""]
    for target, r in results:
        counts = ", ".join(f"{name} {n}" for name, n in r.rows.items())
        lines.append(f"- {target.label}: {counts}")
    return [*lines, ""]


def search_section(results: list[tuple[Target, search.SearchResult]]) -> list[str]:
    big, small = search.BIG, search.SMALL
    lines = [
        "## 2. The case list", "",
        f"`cases.search` (page 1: {50} cases, newest first, plus one to know there is a next page), median of",
        f"{search.RUNS} runs after {search.WARMUP} untimed ones, each in a fresh session. The table holds {big:,}",
        f"cases over {30} days, spread across departments and states (bulk inserts, ~6 callers per 10 cases); the",
        f"baseline is a random {small} of the same cases. The phone search types the caller's 11-digit mobile",
        "number, as an operator would. PostgreSQL is `ANALYZE`d after loading; SQLite is not (the app never",
        "runs `ANALYZE` there).", "",
        f"| database | query | {small} cases (baseline) ms | {big:,} cases ms | × baseline | rows |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for target, r in results:
        for name, by_size in r.medians.items():
            lines.append(f"| {target.label} | {name} | {by_size[small]:.2f} | {by_size[big]:.2f} "
                         f"| {by_size[big] / by_size[small]:.1f} | {r.hits[name][big]} |")
    lines.append("")
    for target, r in results:
        lines.append(f"- {target.label}: the department holds {r.department_cases:,} of the {big:,} cases.")
    lines += ["", f"### Query plans at {big:,} cases (the page query; eager loads not shown)", ""]
    for target, r in results:
        for name, plan in r.plans.items():
            lines += [f"{target.label}, {name}:", "", "```", *plan, "```", ""]
    return lines


def suggest_section(r: suggest_bench.SuggestResult) -> list[str]:
    def row(what: str, e) -> str:
        return (f"| {what} | {e.train_count} | {e.top1:.1%} | {e.top3:.1%} | {e.baseline_top1:.1%} "
                f"| {e.baseline_top3:.1%} | {e.top3 / e.baseline_top3:.1f} |")

    test = r.with_catalogue.test_count
    return [
        "## 3. Category suggestion", "",
        "The suggester (`services/classifier.py`: jieba words and character pairs, TF-IDF, a calibrated linear",
        f"SVM) trained on a stratified 80% of the {r.texts} seed texts (`hotline/seed/complaint_texts.py`, "
        f"{r.subjects} sub-categories)",
        f"and measured on the other {test}, which it never saw (split seed {suggest_bench.SPLIT_SEED}, the same "
        "held-out texts as",
        "`tests/unit/test_suggest_quality.py`). A suggestion is right when the text's own sub-category is first",
        "(top-1) or among the three offered (top-3). Baseline: always offering the most common sub-categories of",
        "the training texts. In production the catalogue's names and keywords are always part of the training",
        "set (first row); the second row shows the texts alone.", "",
        "| trained on | samples | top-1 | top-3 | baseline top-1 | baseline top-3 | top-3 × baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("seed texts + catalogue keywords", r.with_catalogue),
        row("seed texts only", r.texts_only), "",
        f"Training on all {r.texts} texts and the catalogue took {r.fit_seconds:.1f} s; the stored model is "
        f"{r.stored_bytes / 1e6:.1f} MB.",
        f"One suggestion (a {len(suggest_bench.PROBE)}-character text through the trained model, no database): "
        f"p50 {r.suggest.p50_ms:.2f} ms, p95 {r.suggest.p95_ms:.2f} ms",
        f"over {suggest_bench.RUNS} runs after {suggest_bench.WARMUP} untimed ones.", "",
        "The seed texts were written for this project, each on its own, by one hand; real callers are terser,",
        "vaguer and mix subjects more, so expect lower figures on live traffic. Each retraining measures itself",
        "the same way on the texts it learns from, closed cases included, and stores the result with the model",
        "(`classifier_model.accuracy_top1/top3`, `flask hotline retrain-classifier` prints it).", "",
    ]


def routing_section(r: routing_bench.RoutingResult) -> list[str]:
    from statistics import median

    fast, slow = median(r.indexed_us), median(r.plain_us)
    return [
        "## 4. Routing a case", "",
        f"`Catalogue.route` (hotline/domain/routing.py: domain time, no database) for {r.cases:,} cases with a",
        f"catalogue of {r.rules:,} rules: the demo catalogue's {len(routing_bench.demo_catalogue.RULES)} general "
        "rules last, and before them specific ones",
        "generated over the demo codes (a sub-category or subject in a street or district, some only for some kinds,",
        "urgencies or words; 2% are emergency-word rules for every subject). Cases are drawn from the demo",
        "sub-categories, streets (85%) and districts (15%), with each sub-category's own keywords in the text.",
        f"Each case is timed on its own after {routing_bench.WARMUP} untimed ones. Baseline: the same rules "
        "scanned in order, every",
        "rule looked at until one matches (no category index).", "",
        "| how | p50 µs | p95 µs | p99 µs | p50 × indexed |",
        "|---|---:|---:|---:|---:|",
        f"| category index (`Catalogue.route`) | {fast:.1f} | {r.p(r.indexed_us, 95):.1f} "
        f"| {r.p(r.indexed_us, 99):.1f} | 1.0 |",
        f"| plain scan of every rule (baseline) | {slow:.1f} | {r.p(r.plain_us, 95):.1f} "
        f"| {r.p(r.plain_us, 99):.1f} | {slow / fast:.1f} |", "",
        f"- The index hands the matcher {median(r.looked_at):.0f} of the {r.rules:,} rules for the median case "
        f"(p95 {r.p(r.looked_at, 95):.0f}).",
        f"- Both routed all {r.cases:,} cases the same way: {r.agree:,} of {r.cases:,} "
        f"({', '.join(f'{m} {n}' for m, n in sorted(r.modes.items()))}; "
        f"{r.specific:,} by a specific rule).",
        f"- Compiling the catalogue (sorting and indexing {r.rules:,} rules) took {r.build_ms:.1f} ms; it is done "
        "once per catalogue version and process.",
        "- Around it, routing at registration reads the catalogue version and the department directory from the",
        "  database (`services/routing.py`); that is part of the intake figures in section 1.", "",
    ]


def write(lines: list[str]) -> Path:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return DOC
