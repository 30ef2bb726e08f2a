"""`python -m bench`: run every benchmark on SQLite and, when one answers, PostgreSQL; write docs/benchmarks.md."""
from __future__ import annotations

import logging
import sys
import time

from bench import figures as figures_bench
from bench import (
    inbound_sms,
    intake,
    locate_report,
    open311_keys,
    open311_report,
    petitions_report,
    report,
    search,
    section10,
    webhooks_report,
)
from bench import knowledge as knowledge_bench
from bench import locate as locate_bench
from bench import open311 as open311_bench
from bench import petitions as petitions_bench
from bench import routing as routing_bench
from bench import suggest as suggest_bench
from bench import sweep as sweep_bench
from bench import webhooks as webhooks_bench
from bench.targets import app_on, postgres_server


def main() -> int:
    logging.basicConfig(level=logging.WARNING)  # keeps Alembic's INFO lines out of the output
    started = time.perf_counter()
    server, skipped = postgres_server()
    plan = [("SQLite", None)] + ([("PostgreSQL", server)] if server else [])
    targets, intakes, searches, knowledge, texts = [], [], [], [], []
    for label, url in plan:
        with app_on(label, url) as (_app, target):
            print(f"{label} {target.version}: intake ...", flush=True)
            intakes.append((target, intake.bench()))
            print(f"{label} {target.version}: case list ...", flush=True)
            searches.append((target, search.bench()))
            print(f"{label} {target.version}: knowledge-base search ...", flush=True)
            knowledge.append((label, knowledge_bench.bench()))
            print(f"{label} {target.version}: inbound texts ...", flush=True)
            texts.append((label, inbound_sms.bench()))
        targets.append(target)
    print("category suggester ...", flush=True)
    suggestion = suggest_bench.bench()
    print("routing (2,000 rules) ...", flush=True)
    routed = routing_bench.bench()
    swept = figures = petitioned = None
    if server:  # databases of its own: the case list's cases would be in the way of its numbered rows
        print("deadline sweep (10,000 and 1,000,000 open cases) ...", flush=True)
        swept = sweep_bench.bench(server)
        print(f"published figures ({figures_bench.CASES:,} cases in a month) ...", flush=True)
        figures = figures_bench.bench(server)
        print(f"petitions: protections, calendar, sweep ({petitions_bench.data.CASES:,} cases) ...", flush=True)
        petitioned = petitions_bench.bench(server)
    issue9 = []  # section 10: Open311 (PostgreSQL only: a million cases), location, webhooks, the key check
    if server:
        print(f"Open311 GET requests ({open311_bench.data.CASES:,} cases) ...", flush=True)
        issue9.append(open311_report.section(open311_bench.bench(server)))
    print("location: points and addresses ...", flush=True)
    issue9.append(locate_report.section(locate_bench.bench(server)))
    print("webhooks: fan-out and delivery ...", flush=True)
    issue9.append(webhooks_report.section(webhooks_bench.bench(server)))
    print("Open311 key check ...", flush=True)
    issue9.append(open311_keys.section(open311_keys.bench(server)))
    lines = report.header(targets, skipped, time.perf_counter() - started)
    lines += report.intake_section(intakes) + report.search_section(searches)
    lines += knowledge_bench.section(knowledge) + inbound_sms.section(texts)
    lines += report.suggest_section(suggestion)
    lines += report.routing_section(routed)
    lines += sweep_bench.section(swept) if swept else []
    lines += figures_bench.section(figures) if figures else []
    lines += petitions_report.section(petitioned) if petitioned else []
    lines += section10.section(issue9)
    path = report.write(lines)
    print("\n".join(lines))
    print(f"written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
