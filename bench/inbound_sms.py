"""The inbound-text webhook (`/twilio/sms`), through the whole Flask stack as Twilio calls it: signature check,
the MessageSid taken once, the per-number limits counted, the text threaded and answered. Baseline: a signed
delivery report for a message we never sent (the signature check and one indexed lookup, nothing written).
The table already holds HISTORY texts from other numbers, so the counts and lookups read through their indexes
as they would after months of use."""
from __future__ import annotations

import random
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, insert
from sqlalchemy import text as sql
from twilio.request_validator import RequestValidator

from bench.timing import Series, run
from hotline.clock import now
from hotline.extensions import db
from hotline.models import SmsMessage, SmsThread

N = 300
WARMUP = 20
HISTORY = 50_000
BASE = "https://12345.example.gov.cn"
WORDS = ("我们小区门口的路灯坏了一个多星期了，晚上很黑。", "楼下饭店油烟很大，晚上十点以后还在营业。",
         "东湖区新华街道幸福小区三号楼前垃圾三天没人清运。", "请问公积金提取需要带什么材料？")


@dataclass(frozen=True)
class InboundResult:
    baseline: Series  # a signed delivery report for an unknown message
    new_thread: Series  # a number's first text: a thread opens and the sender is asked where
    into_thread: Series  # a further text from a number whose thread is open: no answer
    history: int


def _fill(rng: random.Random) -> None:
    db.session.execute(delete(SmsMessage))
    db.session.execute(delete(SmsThread))
    rows, at = [], now()
    for n in range(HISTORY):
        phone = f"+86137{n // 5:08d}"  # five texts per number
        rows.append({"direction": "in", "from_phone": phone, "to_phone": "12345", "body": rng.choice(WORDS),
                     "purpose": "inbound", "status": "received", "transport": "twilio",
                     "provider_id": f"SMhistory{n:010d}", "created_at": at})
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(SmsMessage), rows[start:start + 2000])
    db.session.commit()
    # months of texts come with the planner's statistics of them (autovacuum's ANALYZE); a bulk load does not,
    # and PostgreSQL would plan the per-number counts as for an empty table
    db.session.execute(sql("ANALYZE sms_message"))
    db.session.commit()


def _post(client, validator: RequestValidator, path: str, form: dict):
    signature = validator.compute_signature(BASE + path, form)
    return lambda: _ok(client.post(path, data=form, base_url=BASE, headers={"X-Twilio-Signature": signature}))


def _ok(response) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code}: {response.get_data(as_text=True)[:200]}")


def bench(seed: int = 6) -> InboundResult:
    app = current_app._get_current_object()
    saved = app.config["HOTLINE_PUBLIC_URL"], app.config["HOTLINE_RATE_INBOUND_SMS"]
    app.config["HOTLINE_PUBLIC_URL"] = BASE
    app.config["HOTLINE_RATE_INBOUND_SMS"] = "1000 per hour"  # a benchmark's one sender is no flood
    rng = random.Random(seed)  # noqa: S311  (repeatable made-up data, not secrets)
    try:
        _fill(rng)
        client, validator = app.test_client(), RequestValidator(app.config["HOTLINE_TWILIO_AUTH_TOKEN"])

        def text(n: int, phone: str):
            return _post(client, validator, "/twilio/sms", {"MessageSid": f"SMbench{n:010d}", "From": phone,
                                                            "To": "12345", "Body": rng.choice(WORDS)})

        def report(n: int):
            return _post(client, validator, "/twilio/sms/status", {"MessageSid": f"SMunknown{n:08d}",
                                                                   "MessageStatus": "delivered"})

        run([report(n) for n in range(WARMUP)], db.session.remove)
        baseline = run([report(WARMUP + n) for n in range(N)], db.session.remove)
        run([text(n, f"+86136{n:08d}") for n in range(WARMUP)], db.session.remove)
        new_thread = run([text(WARMUP + n, f"+86135{n:08d}") for n in range(N)], db.session.remove)
        into_thread = run([text(10**6 + n, "+8613400000000") for n in range(N)], db.session.remove)
    finally:
        app.config["HOTLINE_PUBLIC_URL"], app.config["HOTLINE_RATE_INBOUND_SMS"] = saved
    return InboundResult(baseline, new_thread, into_thread, HISTORY)


def section(results: list[tuple[str, InboundResult]]) -> list[str]:
    lines = ["", "## Inbound texts (`/twilio/sms`)", "",
             f"{N} signed posts of each kind through the Flask test client, each its own request, with "
             f"{HISTORY:,} earlier texts from other numbers in the table. Baseline: a signed delivery report for a "
             "message we never sent (signature check, one indexed lookup, nothing written).", "",
             "| database | what | p50 ms | p95 ms | p50 × baseline |", "|---|---|---:|---:|---:|"]
    for label, r in results:
        base = r.baseline.p50_ms
        for what, s in (("delivery report, unknown message (baseline)", r.baseline),
                        ("a number's first text: thread opened, sender asked where", r.new_thread),
                        ("a further text into the open thread", r.into_thread)):
            lines.append(f"| {label} | {what} | {s.p50_ms:.2f} | {s.p95_ms:.2f} | {s.p50_ms / base:.1f} |")
    return [*lines, ""]
