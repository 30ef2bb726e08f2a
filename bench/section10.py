"""What the four parts of benchmark 10 (Open311, location, webhooks, the key check) share: quantiles, the machine's
load, and rewriting one `###` part of section 10 of docs/benchmarks.md while leaving the other parts and sections."""
from __future__ import annotations

import os
import statistics

SECTION = "## 10. Open311, location and webhooks"
INTRO = ("Issue 9's new paths, each figure next to a baseline measured in the same run (the variants alternate in "
         "one loop, so whatever else the machine does weighs on each alike). The machine has "
         f"{os.cpu_count()} cores; every part gives the 1-minute load average before and after it ran. Each part is "
         "written by its own module (`python -m bench.open311`, `bench.locate`, `bench.webhooks`, "
         "`bench.open311_keys`), "
         "which rewrites only its part; `make bench` runs all four.")
PARTS = ("### 10.1", "### 10.2", "### 10.3", "### 10.4")


def p(samples: list[float], q: int) -> float:
    """The q-th percentile in milliseconds (samples in seconds)."""
    if len(samples) == 1:
        return samples[0] * 1000
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1] * 1000


def ms(samples: list[float]) -> str:
    """p50 / p95 / min in milliseconds, as the tables show them."""
    return f"{p(samples, 50):.2f} / {p(samples, 95):.2f} / {min(samples) * 1000:.2f}"


def load() -> float:
    return os.getloadavg()[0]


def loads(before: float, after: float) -> str:
    return f"1-minute load average {before:.1f} before, {after:.1f} after"


def run_alone(bench, section, needs_postgres: bool = False) -> int:
    """`python -m bench.<part>`: run one part on SQLite and (when one answers) PostgreSQL, rewrite its part."""
    import logging
    import sys

    from bench.targets import postgres_server

    logging.basicConfig(level=logging.WARNING)
    server, skipped = postgres_server()
    if not server:
        print(f"PostgreSQL skipped: {skipped}", file=sys.stderr)
        if needs_postgres:
            return 1
    lines = section(bench(server))
    write_part(lines)
    print("\n".join(lines))
    return 0


def write_part(lines: list[str]) -> None:
    """Replace the part (a `### 10.n` heading, the first line) in section 10, adding the section or the part
    where missing, parts kept in their number order."""
    from bench.report import DOC
    from bench.sweep import write_section

    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start = old.find(SECTION)
    body = ""
    if start >= 0:
        end = old.find("\n## ", start + len(SECTION))
        body = old[start + len(SECTION):] if end < 0 else old[start + len(SECTION):end + 1]
    parts = _parts(body)
    parts[lines[0].split(" ", 2)[1]] = "\n".join(lines).rstrip() + "\n"
    text = [SECTION, "", INTRO, ""] + [parts[k].rstrip() + "\n" for k in sorted(parts)]
    write_section("\n".join(text).split("\n"), SECTION)


def _parts(body: str) -> dict[str, str]:
    """The `### 10.n …` parts of the section's body by number ("10.1" …)."""
    found: dict[str, str] = {}
    chunks = body.split("\n### ")
    for chunk in chunks[1:]:
        number = chunk.split(" ", 1)[0]
        found[number] = "### " + chunk
    return found


def section(parts: list[list[str]]) -> list[str]:
    """The whole section from the parts' lines (for `python -m bench`, which writes the whole file)."""
    out = [SECTION, "", INTRO, ""]
    for lines in parts:
        out += lines + [""]
    return out
