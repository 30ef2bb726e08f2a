"""The words of part 10.3 of docs/benchmarks.md (bench/webhooks.py measures)."""
from __future__ import annotations

import statistics

from bench.section10 import loads, ms, p
from bench.webhooks import (
    DELIVER,
    DEPARTMENT,
    FAN_CASES,
    FAN_RUNS,
    FAN_WARMUP,
    KEPT,
    PART,
    PER_CASE,
    PLAIN,
    SEND_CASES,
    SEND_ROUNDS,
    SUBSCRIPTIONS,
    Result,
    Target,
)
from hotline.services import webhook_delivery


def _pages(plan: list[str]) -> int:
    line = next((x for x in plan if "Buffers: shared" in x), "")
    return sum(int(part.split("=")[1]) for part in line.split() if part.startswith(("hit=", "read=")))


def _findings(r: Result) -> list[str]:
    out = ["", "What this shows:", ""]
    for t in r.targets:
        a0, a1, a5 = (t.acts[n] for n in SUBSCRIPTIONS)
        out.append(
            f"- {t.label}, fan-out: with no active subscription the act pays one query more; with one it pays "
            f"{p(a1, 50) - p(a0, 50):+.1f} ms at p50 ({(min(a1) - min(a0)) * 1000:+.1f} ms at the minimums), with "
            f"five {p(a5, 50) - p(a0, 50):+.1f} ms ({(min(a5) - min(a0)) * 1000:+.1f} ms): the cost is per "
            "transaction (who holds the case, accusations, the codes for the payload, an outbox job), little per "
            "subscription more.")
        per = 1000 / statistics.median(t.rates[DELIVER])
        firsts = [jobs[0] for jobs in t.batches if jobs]
        lasts = [jobs[-1] for jobs in t.batches if jobs]
        pages = f" ({_pages(t.plan):,} pages for one pick with {t.deliveries:,} pending)" if _pages(t.plan) else ""
        out.append(
            f"- {t.label}, delivery: {per:.1f} ms a delivery, of which the POST is "
            f"{statistics.median(t.posts_ms):.0f} ms: the rest is a transaction per delivery (the subscription's "
            "row lock, `next_due`, the attempt, the delivery, the \"receiver is back\" update, the commit). "
            "`next_due` reads every pending due delivery of the subscription and probes the case index for each "
            f"to find the first whose case has nothing earlier waiting{pages}, so a pick costs more the longer the "
            f"backlog: the first job of a round took {statistics.median(firsts) * 1000:,.0f} ms (median of the "
            f"rounds), the last {statistics.median(lasts) * 1000:,.0f} ms.")
    kept = [statistics.median(t.rates[KEPT]) / statistics.median(t.rates[PLAIN]) for t in r.targets]
    out.append(
        "- Suggestions: send several deliveries per transaction (e.g. the heads of up to N cases picked in one "
        "statement, each recorded, one commit), and reuse one `requests.Session` per job: a kept connection was "
        + " and ".join(f"{k:.1f}×" for k in kept) + " the plain posts' rate here (on loopback; a TLS receiver "
        "would gain more from not shaking hands for every delivery). Not urgent: at the rates above a backlog of "
        f"{r.targets[0].deliveries:,} deliveries drains in "
        + " and ".join(f"{t.deliveries / statistics.median(t.rates[DELIVER]):.0f} s" for t in r.targets)
        + " (" + " and ".join(t.label for t in r.targets) + ").")
    return out


def section(r: Result) -> list[str]:
    lines = [
        PART, "",
        f"The fan-out: `handling.act` (urge) on {FAN_CASES} cases dispatched to `{DEPARTMENT}`, in turn with 0 "
        f"(baseline), 1 and 5 active subscriptions of that department (switched between acts, untimed); "
        f"{FAN_RUNS} timed rounds after {FAN_WARMUP} untimed, the order alternating; the whole call, commit "
        f"included, as the page that urges pays it. {loads(r.load[0], r.load[-1])}.", "",
        "| database | active subscriptions | deliveries written per act | p50 / p95 / min ms | added to p50 ms "
        "| × baseline (p50) |", "|---|---:|---:|---:|---:|---:|",
    ]
    for t in r.targets:
        base = p(t.acts[0], 50)
        for n, samples in t.acts.items():
            lines.append(f"| {t.label} {t.version} | {n} | {t.written.get(n, 0)} | {ms(samples)} "
                         f"| {p(samples, 50) - base:+.2f} | {p(samples, 50) / base:.2f} |")
    first = r.targets[0] if r.targets else Target("", "")
    lines += [
        "", f"Delivery: {first.deliveries:,} deliveries over {SEND_CASES} cases ({PER_CASE} each) to a "
        "`ThreadingHTTPServer` on loopback answering 204; before each round (untimed) every delivery is made "
        "pending and due again and its attempts deleted. `deliver` is called as consecutive jobs run it "
        f"({webhook_delivery.BATCH} a job) until nothing is due; the bench checks that every delivery is marked "
        f"delivered and that the receiver got each POST. {SEND_ROUNDS} rounds, the order alternating; "
        "deliveries/s is the median of the rounds (all rounds in brackets).", "",
        "| database | sender | deliveries/s | rounds | × baseline |", "|---|---|---:|---|---:|",
    ]
    for t in r.targets:
        base = statistics.median(t.rates[PLAIN])
        for variant, rates in t.rates.items():
            lines.append(f"| {t.label} {t.version} | {variant} | {statistics.median(rates):,.0f} "
                         f"| {', '.join(f'{x:,.0f}' for x in rates)} | {statistics.median(rates) / base:.2f} |")
    for t in r.targets:
        if t.posts_ms:
            per = 1000 / statistics.median(t.rates[DELIVER])
            lines.append(f"\n{t.label}: inside `deliver`, the POST itself (`WebhookAttempt.duration_ms`, whole "
                         f"milliseconds) took p50 {statistics.median(t.posts_ms):.0f} ms, p95 "
                         f"{statistics.quantiles(t.posts_ms, n=20)[18]:.0f} ms, of {per:.1f} ms a delivery in all "
                         "(the rest: the lock, choosing the next delivery in case order, recording the attempt, "
                         "the commit).")
    lines += ["", f"Each job's time ({webhook_delivery.BATCH} deliveries; the backlog shrinks from "
              f"{first.deliveries:,} job by job), ms, every round:", ""]
    for t in r.targets:
        lines.append(f"- {t.label}: " + "; ".join(" → ".join(f"{x * 1000:,.0f}" for x in jobs) for jobs in t.batches))
    lines += _findings(r)
    lines += ["", "How `next_due` picks the next delivery with the whole backlog pending (the first pick of a job; "
              "SQLite: EXPLAIN QUERY PLAN, PostgreSQL: EXPLAIN ANALYZE):", ""]
    for t in r.targets:
        lines += [f"{t.label}:", "", "```", *[x if len(x) <= 160 else x[:159] + "…" for x in t.plan], "```", ""]
    lines.append("")
    return lines
