"""Who uses the CPU cores in a process: torch's pools, the PNG encoders, the GUI.

One place decides, from measurements on small machines (``benchmarks/bench_export.py`` and
``benchmarks/bench_gui.py``, idle and with ``--busy``):

* A step's tensors are small (64 x 3 x 32 x 32 floats is 786 kB). Splitting each elementwise
  op over OpenMP threads saves a millisecond, and the barrier at the end of every op waits for
  the slowest thread: when another program holds a core, that thread is parked for a scheduler
  slice, op after op (3.5 to 4.8x slower steps measured). So torch gets one thread, and a
  large step (batch 256 x 8 activations and up) as many as other programs left free over the
  last quarter of a second (:func:`step_threads`).
* The export parallelises across steps instead: the engine computes step N+1 on one thread
  while a small pool encodes step N's PNGs (zlib releases the GIL).
* The window's worker uses the same single torch thread, which leaves the other cores to the
  GUI thread and to whatever else the user runs.
"""

from __future__ import annotations

import os
import threading
import time

# Elements per step (batch x channels x height x width x panels) from which a step may be
# split over the cores that nobody else is using. Measured with benchmarks/bench_threads.py on
# 2 cores: idle, 2 threads took 0.63x the time of 1 at batch 64 x 2 (0.6 M elements; 1 ms
# saved) and 0.52x at 256 x 8 (7 M; 16 ms saved); with one core busy elsewhere they took
# 3.5 to 4.8x the time at every size. In the window, 2 threads made even the small step's p95
# worse idle (9.2 vs 6.2 ms: the GUI thread wants that core). So small steps use one thread,
# and large ones as many as are free right now (:class:`_FreeCores`).
PARALLEL_FROM_ELEMENTS = 4_000_000
THREADS_ENV = "ACTLENS_TORCH_THREADS"  # overrides the choice (benchmarks compare with it)
SAMPLE_EVERY_S = 0.25  # how often the free cores are measured again

_applied = threading.local()


class _FreeCores:
    """Cores that other programs left free since the last look: the machine's busy time
    (``/proc/stat``) minus this process's own (``/proc/self/stat``). Linux only; elsewhere
    nothing is known, and steps keep to one thread."""

    def __init__(self):
        self.last = self._sample()
        self.free = 0.0

    @staticmethod
    def _sample():
        try:
            with open("/proc/stat") as f:
                fields = [int(v) for v in f.readline().split()[1:]]
            with open("/proc/self/stat") as f:
                mine = f.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError, IndexError):
            return None
        busy = sum(fields) - fields[3] - (fields[4] if len(fields) > 4 else 0)  # not idle/iowait
        return time.monotonic(), busy, int(mine[11]) + int(mine[12]), sum(fields)

    def __call__(self) -> float:
        if self.last is None:
            return 0.0
        now = self._sample()
        if now is None or now[0] - self.last[0] < SAMPLE_EVERY_S:
            return self.free
        total = now[3] - self.last[3]
        if total > 0:
            others = max(0, (now[1] - self.last[1]) - (now[2] - self.last[2]))
            self.free = cores() * (1 - others / total)
        self.last = now
        return self.free


def cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _override() -> int | None:
    text = os.environ.get(THREADS_ENV, "").strip()
    if text.isdigit() and int(text) > 0:
        return min(int(text), 256)
    return None


def step_threads(elements: int) -> int:
    """Intra-op threads for a step touching ``elements`` values in total (on this thread)."""
    forced = _override()
    if forced is not None:
        return forced
    if elements < PARALLEL_FROM_ELEMENTS:
        return 1
    if not hasattr(_applied, "free"):
        _applied.free = _FreeCores()
    return max(1, min(4, int(_applied.free() + 0.25)))


def training_threads() -> int:
    """Intra-op threads for training: fixed for a machine (every core, at most 4, as torch
    itself would), never chosen by the load, because the thread count changes the float sums
    and the same settings must give the same figures run after run. Training batches are
    large enough to pay for the barrier when the machine is idle (benchmarks/bench_train.py:
    4 epochs of ReLU in 3.3 s on 2 threads against 5.3 s on one, the plain PyTorch loop 3.0 s);
    with another program busy every thread count suffers, ours no more than the plain loop."""
    forced = _override()
    if forced is not None:
        return forced
    return min(4, cores())


def encoder_threads() -> int:
    """PNG encoder threads for an export: one per core, at most 4 (zlib releases the GIL)."""
    return max(1, min(4, cores()))


def use_threads(threads: int) -> None:
    """Set torch's intra-op threads for the calling thread (OpenMP's count is per thread)."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def configure_torch() -> None:
    """Call once on a thread that will run steps: one intra-op thread, one inter-op thread."""
    import torch

    use_threads(step_threads(0))
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set, or inter-op work already started in this process
        pass
