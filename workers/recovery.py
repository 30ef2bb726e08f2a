"""Jobs that a killed worker was running are run again as soon as a worker starts in its place.

RQ 2 notices an abandoned job only when its started-registry entry expires (the job's timeout + 60 s, then
the next maintenance pass, up to 10 minutes later), and a killed worker's key lingers for its TTL, so "is
that worker alive?" cannot be asked of RQ right after a kill. Instead every worker process holds a *slot*:
a stable name (HOTLINE_WORKER_SLOT, else `<hostname>-1`, `<hostname>-2`, … the first one free) kept by a
short lease in Redis that the worker renews while it lives. Before running a job the worker writes the
job's id under its slot and clears it after. A worker that takes a slot over finds the id of the job its
predecessor never finished; if RQ still counts that job as started (or dequeued but not started), the
job leaves the started registry and goes back to the front of its queue. Jobs take ids and are idempotent,
so a job that had in fact got further than we think changes nothing the second time.

A slot is taken over when its lease has lapsed (the holder died LEASE_SECONDS ago or more), or at once
when the holder ran on this host and its process is gone (pid and start time no longer match): a worker
restarted by systemd or honcho after a SIGKILL takes its own slot back without waiting.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.worker import Worker

log = logging.getLogger("hotline.worker")

LEASE = "hotline:worker-slot:{}"  # who holds the slot: "host|pid|process start|worker name", expires unless renewed
RUNNING = "hotline:worker-slot:{}:job"  # "queue job_id worker" of the job the slot's worker is running
LEASE_SECONDS = 30
RENEW_EVERY = 10
RUNNING_TTL = 7 * 86400  # outlives any job; only a slot never used again leaves one behind
AUTO_SLOTS = 64
# a job whose worker was killed this many times is not run again: it is what kills them (out of memory …)
MAX_INTERRUPTIONS = 3

_RENEW = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 1 end
return 0"""
_TAKE_OVER = """if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end
return 0"""
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def process_start(pid: int) -> str | None:
    """The process's start time (Linux: ticks since boot), None when no such process is running. With the
    pid it names one process, so a pid reused after a restart (pid 1 in a container) is not mistaken for it."""
    if Path("/proc/self/stat").exists():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return None if fields[0] in ("Z", "X") else fields[19]  # a zombie has finished
    try:  # no /proc: the pid alone
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return "?"


@dataclass(frozen=True)
class Holder:
    host: str
    pid: int
    started: str
    worker: str

    @classmethod
    def me(cls, worker: str) -> Holder:
        return cls(socket.gethostname(), os.getpid(), process_start(os.getpid()) or "?", worker)

    @classmethod
    def parse(cls, raw: bytes | str | None) -> Holder | None:
        if raw is None:
            return None
        text = raw.decode() if isinstance(raw, bytes) else raw
        try:
            host, pid, started, worker = text.split("|", 3)
            return cls(host, int(pid), started, worker)
        except ValueError:
            return None

    def __str__(self) -> str:
        return f"{self.host}|{self.pid}|{self.started}|{self.worker}"

    def gone(self) -> bool:
        """True when the holder certainly stopped: it ran on this host and its process is not running."""
        return self.host == socket.gethostname() and process_start(self.pid) != self.started


@dataclass
class Slot:
    name: str
    holder: Holder
    connection: Redis
    predecessor: Holder | None = None  # the holder we took the slot from, when it died holding it
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def key(self) -> str:
        return LEASE.format(self.name)

    def running(self, job_id: str, queue: str) -> None:
        self.connection.set(RUNNING.format(self.name), f"{queue} {job_id} {self.holder.worker}", ex=RUNNING_TTL)

    def idle(self) -> None:
        self.connection.delete(RUNNING.format(self.name))

    def renew(self) -> bool:
        return bool(self.connection.eval(_RENEW, 1, self.key, str(self.holder), LEASE_SECONDS))

    def keep(self) -> threading.Thread:
        """Renew the lease from a thread of its own, so a long job does not let it lapse."""
        def run():
            while not self._stop.wait(RENEW_EVERY):
                try:
                    if not self.renew():
                        log.error("worker slot %s was taken by another worker", self.name)
                except RedisError as exc:
                    log.warning("worker slot %s: lease not renewed (%s)", self.name, exc)
        thread = threading.Thread(target=run, name=f"slot-{self.name}", daemon=True)
        thread.start()
        return thread

    def release(self) -> None:
        self._stop.set()
        with suppress(RedisError):
            if self.connection.eval(_RELEASE, 1, self.key, str(self.holder)):
                self.idle()


def slot_names(configured: str) -> list[str]:
    if configured:
        return [configured]
    host = socket.gethostname()
    return [f"{host}-{i}" for i in range(1, AUTO_SLOTS + 1)]


def claim(connection: Redis, configured: str, worker: str, sleep: Callable[[float], None] = time.sleep) -> Slot:
    """Take the configured slot (waiting while a live worker holds it), or the first free one of this host."""
    me = Holder.me(worker)
    names = slot_names(configured)
    waited = False
    while True:
        for name in names:
            taken, predecessor = _take(connection, name, me)
            if taken:
                return Slot(name, me, connection, predecessor)
        if not waited:
            log.warning("worker slot %s is held by a running worker; waiting for it to stop (set "
                        "HOTLINE_WORKER_SLOT to give each worker its own)", " / ".join(names[:2]))
            waited = True
        sleep(1)


def _take(connection: Redis, name: str, me: Holder) -> tuple[bool, Holder | None]:
    key = LEASE.format(name)
    if connection.set(key, str(me), nx=True, ex=LEASE_SECONDS):
        return True, None
    raw = connection.get(key)
    holder = Holder.parse(raw)
    dead = raw is not None and (holder is None or holder.gone())
    if dead and connection.eval(_TAKE_OVER, 1, key, raw, str(me), LEASE_SECONDS):
        return True, holder
    return False, None


@dataclass(frozen=True)
class Recovered:
    job_id: str
    queue: str
    outcome: str  # requeued, given_up, settled (RQ had already finished or failed it), gone (no such job)
    interruptions: int = 0
    kwargs: dict = field(default_factory=dict)


def recover(slot: Slot, give_up: Callable[[Recovered, str], None] | None = None) -> list[Recovered]:
    """Run again the job this slot's previous worker did not finish, and those of slots nobody holds."""
    found = []
    job = _take_running(slot.connection, slot.name)
    if job:
        found.append(_requeue(slot.connection, *job, give_up))
    found += recover_orphans(slot.connection, give_up)
    if slot.predecessor is not None:
        _bury(slot.connection, slot.predecessor.worker)
    return found


def recover_orphans(connection: Redis, give_up=None) -> list[Recovered]:
    """Other slots with a job recorded whose worker died (its lease lapsed, or it ran on this host and is
    gone) and that no worker has taken since: their jobs need not wait for a worker to start in that slot."""
    found = []
    for key in connection.scan_iter(match=RUNNING.format("*"), count=200):
        name = key.decode()[len(LEASE.format("")):-len(":job")]
        raw = connection.get(LEASE.format(name))
        holder = Holder.parse(raw)
        if raw is not None and holder is not None and not holder.gone():
            continue
        job = _take_running(connection, name)
        if job:
            found.append(_requeue(connection, *job, give_up))
    return found


def _take_running(connection: Redis, slot_name: str) -> tuple[str, str, str] | None:
    raw = connection.getdel(RUNNING.format(slot_name))  # atomic: two starting workers never both take it
    if not raw:
        return None
    queue, job_id, worker = (raw.decode().split(" ") + ["", ""])[:3]
    return queue, job_id, worker


def _requeue(connection: Redis, queue_name: str, job_id: str, worker: str, give_up) -> Recovered:
    try:
        job = Job.fetch(job_id, connection=connection)
    except NoSuchJobError:
        return Recovered(job_id, queue_name, "gone")
    status = job.get_status()
    # started by another worker since (RQ retried it after its own timeout): that one is running it now
    elsewhere = status == JobStatus.STARTED and job.worker_name and job.worker_name != worker
    if status not in (JobStatus.STARTED, JobStatus.QUEUED) or elsewhere:
        return Recovered(job_id, queue_name, "settled")
    queue = Queue(queue_name, connection=connection)
    registry = StartedJobRegistry(queue_name, connection=connection)
    executions = [m for m in connection.zrange(registry.key, 0, -1) if m.decode().startswith(f"{job_id}:")]
    interruptions = int(job.meta.get("interruptions", 0)) + 1
    job.meta["interruptions"] = interruptions
    job.save_meta()
    try:
        kwargs = dict(job.kwargs)
    except Exception:  # noqa: BLE001 (an undeserialisable job is still requeued or failed)
        kwargs = {}
    with connection.pipeline() as pipe:
        if executions:
            pipe.zrem(registry.key, *executions)
        pipe.lrem(queue.intermediate_queue_key, 0, job_id)
        pipe.lrem(queue.key, 0, job_id)  # dequeued but not started, or still queued: never twice in the list
        if interruptions > MAX_INTERRUPTIONS:
            reason = f"stopped: the worker running it was killed {interruptions} times"
            job.set_status(JobStatus.FAILED, pipeline=pipe)
            job._handle_failure(reason, pipe, worker_name="")  # what RQ's own cleanup of abandoned jobs does
            pipe.execute()
            found = Recovered(job_id, queue_name, "given_up", interruptions, kwargs)
            if give_up:
                give_up(found, reason)
            return found
        pipe.execute()
    queue.enqueue_job(job, at_front=True)
    return Recovered(job_id, queue_name, "requeued", interruptions, kwargs)


def _bury(connection: Redis, worker_name: str) -> None:
    """The dead worker's RQ key would show it busy with our job until its TTL ran out."""
    with suppress(Exception):
        dead = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name, connection=connection)
        if dead is not None:
            dead.register_death()
