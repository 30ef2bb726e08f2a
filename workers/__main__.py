"""`python -m workers`        the RQ worker, with the scheduler (for retries with backoff)
`python -m workers clock`  the outbox relay: pushes committed jobs to Redis
`python -m workers --burst`  work until the queues are empty, then stop (tests, cron)
`python -m workers --queues webhooks`  listen to these queues only (comma-separated; default: every queue)."""
import logging
import sys


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    from hotline import create_app

    app = create_app()
    if argv[:1] == ["clock"]:
        from workers.clock import run_clock
        run_clock(app, once="--once" in argv)
        return 0
    from workers.worker import run_worker
    run_worker(app, burst="--burst" in argv, queues=_queues(argv))
    return 0


def _queues(argv: list[str]) -> tuple[str, ...] | None:
    from hotline.queues import QUEUE_NAMES

    if "--queues" not in argv:
        return None
    at = argv.index("--queues")
    names = tuple(n for n in (argv[at + 1] if at + 1 < len(argv) else "").split(",") if n)
    unknown = [n for n in names if n not in QUEUE_NAMES]
    if not names or unknown:
        raise SystemExit(f"--queues takes some of {','.join(QUEUE_NAMES)}")
    return names


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
