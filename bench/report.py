"""docs/benchmarks.md: the figures of one run, each beside its baseline, and the machine they came from."""
from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import intake, search
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
        "request has): case-number upsert, person, case, first event, SMS row, outbox row, commit. Baseline:",
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


def write(lines: list[str]) -> Path:
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return DOC
