"""The words of part 10.1 of docs/benchmarks.md (bench/open311.py measures)."""
# ruff: noqa: S608 (the words describe a statement; nothing here is sent to a database)
from __future__ import annotations

from bench import open311_data as data
from bench.open311 import CODE, CODE_IDS, DATABASE, FIRST, KEPT, NONE, PART, RUNS, VARIANTS, WARMUP, Result
from bench.section10 import loads, ms, p

KEY_NODES = ("Limit", "Sort", "Gather", "Aggregate", "Scan", "Index Cond", "Filter", "Rows Removed", "Join")
SMALL_LOOKUPS = ("category_2", "category_1", "pk_area", "pk_department", "(id = cases.", "(id = area_2.",
                 "Left Join")  # the joined names, looked up by primary key (mostly from Memoize's cache)


def _key_lines(plan: list[str]) -> list[str]:
    """The root, its page count, and the nodes that say how the rows are found: the index, its condition, the
    filter, the sort, the joins of what is not a joined name."""
    kept = plan[:2] + [line for line in plan[2:] if any(k in line for k in KEY_NODES)
                       and not any(s in line for s in SMALL_LOOKUPS)]
    return [line if len(line) <= 160 else line[:159] + "…" for line in kept]


def _pages(plan: list[str]) -> int:
    line = next((x for x in plan if "Buffers: shared" in x), "")
    return sum(int(part.split("=")[1]) for part in line.split() if part.startswith(("hit=", "read=")))


def _scanned(plan: list[str]) -> str:
    """The index the page is read by, and how many rows it gave (all workers)."""
    line = next((x for x in plan if "Index Scan" in x and " on cases" in x), "")
    index = line.split(" using ")[1].split(" on ")[0] if " using " in line else "?"
    rows = loops = 0
    if "actual rows=" in line:
        rows = int(line.split("actual rows=")[1].split()[0])
        loops = int(line.split("loops=")[1].rstrip(")"))
    return f"`{index}`, {rows * loops:,} rows"


def _findings(r: Result) -> list[str]:
    base, kept, first = (p(r.samples[v], 50) for v in (NONE, KEPT, FIRST))
    base_min, kept_min, first_min = (min(r.samples[v]) * 1000 for v in (NONE, KEPT, FIRST))
    texts = r.records[FIRST][1]
    coded = next((plan for name, plan in r.plans.items() if "service_code" in name and "experiment" not in name), [])
    tried = next((plan for name, plan in r.plans.items() if "experiment" in name), [])
    stmt = {("real" if "experiment" not in name else "ids"): samples for name, samples in r.statements.items()
            if "service_code" in name}
    lines = [
        "What this shows:", "",
        f"- The kept texts: {kept - base:+.0f} ms at p50 over the baseline ({kept_min - base_min:+.0f} ms at the "
        f"minimums). The first read of a page pays the redaction of its {texts} records with a text: "
        f"{first - kept:+.0f} ms at p50 over the kept read ({first_min - kept_min:+.0f} ms at the minimums). Redaction "
        f"is slow enough to need the cache `PublicText` is: {p(r.redact_texts, 50):.1f} ms a text, "
        f"{sum(r.redact_texts):.1f} s for a page of 1,000 Open311 requests if every read redacted again.",
        f"- The default list reads the window newest first through `ix_cases_received_at` backward, stopping after "
        f"the page: {_pages(r.plans[next(iter(r.plans))]):,} pages touched, however many cases the table holds.",
    ]
    if coded and tried and stmt:
        lines.append(
            f"- **The `service_code` filter**: the statement `open311_requests.find` sends is read by "
            f"{_scanned(coded)} ({_pages(coded):,} pages), {p(stmt['real'], 50):.0f} ms at p50 "
            f"({min(stmt['real']) * 1000:.0f} ms at the minimum); the experiment, the category ids looked up first "
            f"by the bench, by {_scanned(tried)} ({_pages(tried):,} pages), {p(stmt['ids'], 50):.0f} ms "
            f"({min(stmt['ids']) * 1000:.0f} ms); the whole read {p(r.samples[CODE], 50):.0f} and "
            f"{p(r.samples[CODE_IDS], 50):.0f} ms. (`find` first wrote the filter as `category_id IN (SELECT id FROM "
            "category WHERE code IN …)`, which the planner joined and answered by walking the whole window by date: "
            "69,204 rows, 48,378 pages, 206 ms at p50 in this bench's first run. It has looked the ids up first "
            "since.)")
    lines += [
        "- Most of a 1,000-record read is Python, not SQL (above); a profile of one read on a small copy "
        "(cProfile, not part of this bench) points at the ORM loading the joined rows. (It also pointed at a "
        "commit that expired every object the page loaded even when no text was new; the texts are now committed "
        "only when one was made.)", ""]
    return lines


def section(r: Result) -> list[str]:
    c = r.counts
    base = r.samples[NONE]
    lines = [
        PART, "",
        f"{c['cases']:,} work orders received over {data.DAYS} days ({c['open311']:,} through Open311, their "
        f"descriptions and replies naming the person, their mobile number and their flat; {c['publication']:,} "
        f"others published after moderation) over {c['categories']} categories and {c['streets']} streets, "
        f"{c['case_event']:,} events, in a PostgreSQL {r.version} database of its own (`{DATABASE}`, dropped "
        f"afterwards); loading took {r.load_seconds:.0f} s; {loads(r.load[0], r.load[-1])}. Through the Flask test "
        f"client (the whole request: routing, rate-limit check, queries, records, rendering), {RUNS} timed rounds "
        f"after {WARMUP} untimed, the variants in turn, the order alternating. The first read deletes the page's "
        "PublicText rows before it (untimed), so it redacts every text it shows and writes them again. The "
        "baseline is the same statement answering the same cases with `_source` answering None for each (as for "
        "a phone case): no text looked up, redacted or shown.", "",
        "| variant | records (with a text) | bytes | p50 / p95 / min ms | × baseline (p50) |",
        "|---|---:|---:|---:|---:|",
    ]
    for variant in VARIANTS:
        n, texts, size = r.records[variant]
        lines.append(f"| {variant} | {n:,} ({texts:,}) | {size:,} | {ms(r.samples[variant])} "
                     f"| {p(r.samples[variant], 50) / p(base, 50):.2f} |")
    per_text = p(r.redact_texts, 50)
    default = [samples for name, samples in r.statements.items() if "service_code" not in name]
    sql, sql_min = sum(p(x, 50) for x in default), sum(min(x) * 1000 for x in default)
    lines += [
        "", "The first three answered the same request ids in the same order: "
        + ("yes." if r.same_cases else "**no** (the comparison is not like for like)."), "",
        f"Redaction alone (`hotline.domain.redact.redact`, the case's name and place given) on the description and "
        f"reply of the {r.redact_records:,} newest Open311 requests: {len(r.redact_texts):,} texts, p50 "
        f"{per_text:.2f} ms, p95 {p(r.redact_texts, 95):.2f} ms, min {min(r.redact_texts) * 1000:.2f} ms a text, "
        f"{sum(r.redact_texts):.1f} s for all of them — what a page of 1,000 Open311 requests would cost on every "
        "read without the kept texts.", "",
        f"Where the time goes: the five statements of the default read, each sent again alone through the driver, "
        f"add up to {sql:.0f} ms at p50 ({sql_min:.0f} ms at their minimums) of the baseline's {p(base, 50):.0f} ms "
        f"(min {min(base) * 1000:.0f} ms); the rest is Python: loading 1,000 cases with their category, area, "
        "department and person as ORM objects, the records, the JSON or XML.", "",
        "The statements (p50 / p95 / min ms; EXPLAIN (ANALYZE, BUFFERS) below):", "",
        "| statement | p50 / p95 / min ms |", "|---|---:|",
        *[f"| {name} | {ms(samples)} |" for name, samples in r.statements.items()], "",
    ]
    lines += _findings(r)
    lines += ["Their plans' key lines (the index, its condition, the filter, the sort; the category, area, department "
              "and person each page joins are looked up by primary key, mostly from Memoize's cache, and left out):",
              ""]
    for name, plan in r.plans.items():
        lines += [f"{name}:", "", "```", *_key_lines(plan), "```", ""]
    return lines
