"""A real worker in the test's own process."""
from __future__ import annotations

import signal


def burst(app, connection) -> None:
    """An AppWorker in this process, as `python -m workers --burst` runs one (without the scheduler): it runs
    every job queued now, and leaves the retries scheduled for later."""
    from hotline.queues import QUEUE_NAMES
    from workers.worker import AppWorker

    AppWorker.flask_app = app
    worker = AppWorker(list(QUEUE_NAMES), connection=connection)
    worker.push_exc_handler(worker.record_failure)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.work(burst=True, logging_level="WARNING")
    finally:
        for sig, handler in handlers.items():  # RQ installs its own; pytest keeps Ctrl-C
            signal.signal(sig, handler)
