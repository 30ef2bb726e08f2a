"""`flask hotline api-key create|list|revoke`: the key printed once as the only line on stdout, only its hash
stored, bad input refused with nothing created, revocation by id, prefix or the whole key."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from hotline.clock import now
from hotline.domain import api_keys as rules
from hotline.extensions import db
from hotline.models import AccessLog, ApiKey
from hotline.services import api_keys


def run(app, *args):
    return app.test_cli_runner().invoke(args=["hotline", "api-key", *args])


def stored(app) -> list[ApiKey]:
    with app.app_context():
        rows = list(db.session.scalars(select(ApiKey).order_by(ApiKey.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def test_create_prints_the_key_alone_on_stdout_and_stores_only_its_hash(app):
    result = run(app, "create", "市民通 app", "--scope", "requests:create", "--scope", "requests:read",
                 "--rate", "60 per minute", "--note", "王工")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(rules.PREFIX)
    raw = lines[0]
    assert "shown below this once" in result.stderr and raw not in result.stderr
    [key] = stored(app)
    assert (key.name, key.scopes, key.rate_limit, key.note) == ("市民通 app", [rules.CREATE, rules.READ],
                                                                "60 per minute", "王工")
    assert key.key_hash == rules.digest(raw) and raw[rules.SHOWN:] not in repr(vars(key))
    with app.app_context():
        assert api_keys.authenticate(db.session, raw, at=now()).id == key.id
        assert db.session.scalar(select(AccessLog.detail).where(AccessLog.action == "api_key_created")) == \
            f"api key {key.id} {key.prefix}"


def test_create_without_a_scope_gives_the_filing_scope(app):
    result = run(app, "create", "back office")
    assert result.exit_code == 0, result.output
    assert [k.scopes for k in stored(app)] == [[rules.CREATE]]


@pytest.mark.parametrize("args, says", [
    (["create", "x", "--rate", "often"], "not a rate limit"),
    (["create", "x", "--rate", "0 per minute"], "at least one request"),
    (["create", "x", "--scope", "cases:delete"], "cases:delete"),
    (["create", "   "], "needs a name"),
    (["create", "x" * 65], "at most 64"),
    (["create", "x", "--note", "n" * 201], "at most 200"),
])
def test_create_refuses_bad_input_and_creates_nothing(app, args, says):
    result = run(app, *args)
    assert result.exit_code != 0 and says in result.output
    assert result.stdout == "" and stored(app) == []


def test_list_shows_the_keys_in_force_and_with_all_the_revoked_ones_never_the_key(app):
    raw_a = run(app, "create", "app A").stdout.strip()
    raw_b = run(app, "create", "app B", "--scope", "requests:read", "--rate", "5 per second").stdout.strip()
    a, b = stored(app)
    assert run(app, "revoke", str(a.id)).exit_code == 0
    listed = run(app, "list")
    assert listed.exit_code == 0
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [(r[0], r[1], r[2], r[3], r[4], r[-1]) for r in rows] == [
        (str(b.id), b.prefix, "active", "requests:read", "5 per second", "app B")]
    everything = run(app, "list", "--all").stdout
    assert "app A" in everything and "revoked" in everything
    for output in (listed.stdout, everything):
        assert raw_a not in output and raw_b not in output and raw_b[rules.SHOWN:] not in output


def test_list_says_when_there_is_none(app):
    result = run(app, "list")
    assert result.exit_code == 0 and result.stdout == "" and "no API keys" in result.stderr


@pytest.mark.parametrize("how", ["id", "prefix", "short prefix", "whole key"])
def test_revoke_by_id_prefix_or_the_whole_key_makes_authenticate_refuse_it(app, how):
    raw = run(app, "create", "app A").stdout.strip()
    other = run(app, "create", "app B").stdout.strip()
    key = stored(app)[0]
    name = {"id": str(key.id), "prefix": key.prefix, "short prefix": key.prefix[:9], "whole key": raw}[how]
    if how == "short prefix" and other.startswith(name):
        pytest.skip("the two random keys share their first characters")
    result = run(app, "revoke", name)
    assert result.exit_code == 0, result.output
    assert f"revoked API key {key.id} {key.prefix}" in result.stdout
    with app.app_context():
        assert api_keys.authenticate(db.session, raw, at=now()) is None
        assert api_keys.authenticate(db.session, other, at=now()) is not None
        assert db.session.scalar(select(AccessLog.detail).where(AccessLog.action == "api_key_revoked")) == \
            f"api key {key.id} {key.prefix}"
    again = run(app, "revoke", str(key.id))
    assert again.exit_code == 0 and "revoked already" in again.stderr


def test_revoke_refuses_an_unknown_or_ambiguous_key(app):
    run(app, "create", "app A")
    run(app, "create", "app B")
    for name in ("999999", "h311_nothing-like-it", "nonsense", rules.PREFIX):
        result = run(app, "revoke", name)
        assert result.exit_code != 0 and "no API key" in result.output, name
    result = run(app, "revoke", rules.PREFIX[:-1] + "_")  # "h311_" + nothing: names no key in particular
    assert result.exit_code != 0
    with app.app_context():
        # two keys that share a prefix's start: made so, since random ones rarely do
        a, b = db.session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
        a.prefix, b.prefix = rules.PREFIX + "SAMEa12", rules.PREFIX + "SAMEb45"
        db.session.commit()
    result = run(app, "revoke", rules.PREFIX + "SAME")
    assert result.exit_code != 0 and "could be any of" in result.output
    assert all(k.active for k in stored(app))
    assert run(app, "revoke", rules.PREFIX + "SAMEb").exit_code == 0
    assert [k.active for k in stored(app)] == [True, False]


def test_check_rate_limit_reads_what_flask_limiter_reads():
    assert api_keys.check_rate_limit("  60  per minute ") == "60 per minute"
    assert api_keys.check_rate_limit("100/minute; 5000 per day") == "100/minute; 5000 per day"
    assert api_keys.check_rate_limit("") == ""
    for bad in ("often", "0 per minute", "10 per 0 minute", "60 per fortnight", "1 per minute;" * 10):
        with pytest.raises(ValueError):
            api_keys.check_rate_limit(bad)
