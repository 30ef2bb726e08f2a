"""Clocks and summaries. time.perf_counter only; callers warm up before they time."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """Latencies of one measured loop, in seconds, and the wall time of the whole loop."""

    samples: list[float]
    wall: float

    @property
    def per_second(self) -> float:
        return len(self.samples) / self.wall

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.samples) * 1000

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.samples, n=100, method="inclusive")[94] * 1000


def run(calls: list[Callable[[], object]], between: Callable[[], object] | None = None) -> Series:
    """Time each call on its own; `between` (untimed) runs after each, e.g. to end the request's session."""
    samples = []
    started = time.perf_counter()
    untimed = 0.0
    for call in calls:
        t0 = time.perf_counter()
        call()
        t1 = time.perf_counter()
        samples.append(t1 - t0)
        if between is not None:
            between()
            untimed += time.perf_counter() - t1
    return Series(samples, time.perf_counter() - started - untimed)


def repeat(call: Callable[[], object], times: int, warmup: int, between: Callable[[], object]) -> Series:
    for _ in range(warmup):
        call()
        between()
    return run([call] * times, between)
