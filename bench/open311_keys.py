"""Benchmark 10.4: the Open311 key check per request against the REST API's token check (the baseline).

`api_keys.authenticate` (sha256 of the key, one indexed read of `api_key`) against `tokens.authenticate` (sha256,
an indexed read of `api_token`, its user), each in a fresh session as a request has, alternating; and what an
Open311 request that names a key pays for it in all: the check, then its use-log row and a commit
(`api_keys.log_use`, as `hotline/web/open311/keys.py` does after every such request). With 1,000 keys and 1,000
tokens in the tables, so the reads go through their indexes. SQLite and PostgreSQL, each in a database of its own.
`python -m bench.open311_keys` runs it alone and rewrites its part.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

from sqlalchemy import insert, select

from bench.section10 import load, loads, ms, p, run_alone
from bench.targets import app_on
from hotline.clock import now
from hotline.domain import api_keys as rules
from hotline.extensions import db
from hotline.models import ApiKey, ApiToken, User
from hotline.services import api_keys, tokens

RUNS, WARMUP, OTHERS = 2000, 200, 1000
PART = "### 10.4 The Open311 key check"
TOKEN, KEY, KEY_LOGGED = ("REST API token: `tokens.authenticate` (baseline)", "Open311 key: `api_keys.authenticate`",
                          "Open311 key, checked and its use logged (`log_use` + commit)")


@dataclass
class Target:
    label: str
    version: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {TOKEN: [], KEY: [], KEY_LOGGED: []})


@dataclass
class Result:
    targets: list[Target] = field(default_factory=list)
    load: list[float] = field(default_factory=list)


def _fill(user: User) -> None:
    """OTHERS keys and tokens besides the measured ones (their hashes only: nothing here needs the raw values)."""
    at = now()
    db.session.execute(insert(ApiKey), [
        {"name": f"bench {i}", "prefix": f"h311_b{i:04d}"[:rules.SHOWN], "key_hash": rules.digest(f"bench-key-{i}"),
         "scopes": [rules.CREATE], "rate_limit": "", "note": "", "created_at": at} for i in range(OTHERS)])
    db.session.execute(insert(ApiToken), [
        {"user_id": user.id, "name": f"bench {i}", "token_hash": tokens.digest(f"bench-token-{i}"), "created_at": at}
        for i in range(OTHERS)])
    db.session.commit()


def _runs(app, t: Target) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "operator"))
        _fill(user)
        _token, raw_token = tokens.issue(db.session, user, "bench", at=now())
        _key, raw_key = api_keys.create(db.session, "bench", [rules.CREATE, rules.READ], by=None, at=now())
        db.session.commit()
        db.session.remove()
        production = app.config["HOTLINE_ENV"] == "production"

        def token():
            if tokens.authenticate(db.session, raw_token, production=production, at=now()) is None:
                sys.exit("bench/open311_keys.py: the token did not authenticate")

        def key():
            if api_keys.authenticate(db.session, raw_key, at=now()) is None:
                sys.exit("bench/open311_keys.py: the key did not authenticate")
            db.session.commit()  # the request's own commit of last_used_at, when it is touched

        def key_logged():
            found = api_keys.authenticate(db.session, raw_key, at=now())
            api_keys.log_use(db.session, found, at=now(), method="GET", path="/open311/v2/requests.json", status=200,
                             ip="127.0.0.1")
            db.session.commit()

        calls = {TOKEN: token, KEY: key, KEY_LOGGED: key_logged}
        names = list(calls)
        for i in range(WARMUP + RUNS):
            for name in names if i % 2 else names[::-1]:
                started = time.perf_counter()
                calls[name]()
                if i >= WARMUP:
                    t.samples[name].append(time.perf_counter() - started)
                db.session.remove()


def bench(server: str | None) -> Result:
    r = Result(load=[load()])
    for label, url in [("SQLite", None)] + ([("PostgreSQL", server)] if server else []):
        with app_on(label, url) as (app, target):
            t = Target(label, target.version)
            _runs(app, t)
            r.targets.append(t)
            print(f"  {label}: " + "; ".join(f"{name.split(':')[0]} p50 {p(s, 50):.3f} ms"
                                             for name, s in t.samples.items()), flush=True)
    r.load.append(load())
    return r


def section(r: Result) -> list[str]:
    lines = [
        PART, "",
        f"Each call in a fresh session, as a request has; {RUNS:,} timed rounds after {WARMUP} untimed, the three "
        f"in turn, the order alternating; {OTHERS:,} other keys and tokens in the tables; "
        f"{loads(r.load[0], r.load[-1])}. "
        "Both checks hash the presented value (sha256) and read one row by its unique hash; the token's also loads "
        "its user (may they still sign in?). `last_used_at` is written at most once a minute by both, so nearly "
        "every call here is a read. The third row is what an Open311 request that names a key pays for it in all: "
        "the check, one `api_key_use` row and the commit that writes it.", "",
        "| database | check | p50 / p95 / min ms | × baseline (p50) |", "|---|---|---:|---:|",
    ]
    for t in r.targets:
        base = p(t.samples[TOKEN], 50)
        lines += [f"| {t.label} {t.version} | {name} | {ms(s)} | {p(s, 50) / base:.2f} |"
                  for name, s in t.samples.items()]
    for t in r.targets:
        base, key, logged = (p(t.samples[n], 50) for n in (TOKEN, KEY, KEY_LOGGED))
        lines.append(f"\n{t.label}: the key check takes {abs(key - base):.2f} ms {'less' if key < base else 'more'} "
                     f"than the token's at p50 (it has no user to load); writing the use log and committing adds "
                     f"{logged - key:.2f} ms more. Nothing to change for the check itself.")
    lines.append("")
    return lines


def main() -> int:
    return run_alone(bench, section)


if __name__ == "__main__":
    sys.exit(main())
