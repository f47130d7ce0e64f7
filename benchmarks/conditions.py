"""Measuring on a shared, noisy machine: a busy core on request, alternated runs, medians.

Every figure a benchmark prints is the median of its runs with the worst run beside it; a
figure and its baseline are measured in alternation in the same process, so drift (another
job, thermal limits) hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from contextlib import contextmanager

BUSY_LOOP = "while True: pass"


@contextmanager
def busy_core(enabled: bool = True):
    """Keep one core busy with a CPU-bound process for the duration (a desktop is never idle)."""
    if not enabled:
        yield
        return
    proc = subprocess.Popen([sys.executable, "-c", BUSY_LOOP])
    try:
        yield
    finally:
        proc.kill()
        proc.wait()


def condition_name(busy: bool) -> str:
    return "one core busy" if busy else "idle"


def summary(values: list[float], unit: str = "s", scale: float = 1.0, worst=max) -> str:
    """``median X unit (worst Y; runs a, b, c)``."""
    fmt = (lambda v: f"{v * scale:.2f}") if scale == 1.0 else (lambda v: f"{v * scale:.1f}")
    return (f"median {fmt(statistics.median(values))} {unit} (worst {fmt(worst(values))};"
            f" runs {', '.join(fmt(v) for v in values)})")


def alternate(runs: int, measures: dict) -> dict[str, list]:
    """Run each ``name -> fn()`` in turn, ``runs`` times round; the values of each, in order."""
    rows = {name: [] for name in measures}
    for i in range(runs):
        for name, fn in measures.items():
            value = fn()
            rows[name].append(value)
            print(f"  run {i + 1}/{runs} {name}: {value:.3f}", file=sys.stderr, flush=True)
    return rows


def add_condition_arguments(parser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement (>= 5)")
    parser.add_argument("--busy", action="store_true",
                        help="keep one core busy with another process while measuring")


class EventLoopGaps:
    """The gaps between ticks of a 10 ms Qt timer: how long the GUI thread was kept busy."""

    def __init__(self, interval_ms: int = 10):
        import time

        from PySide6.QtCore import QTimer

        self._clock = time.perf_counter
        self.gaps: list[float] = []
        self._last = self._clock()
        self._timer = QTimer()
        self._timer.timeout.connect(self._tick)
        self._timer.start(interval_ms)

    def _tick(self) -> None:
        now = self._clock()
        self.gaps.append(now - self._last)
        self._last = now

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.gaps
