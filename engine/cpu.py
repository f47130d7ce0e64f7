"""Who uses the CPU cores in a process: torch's pools, the PNG encoders, the GUI.

One place decides, from measurements on small machines (``benchmarks/bench_export.py`` and
``benchmarks/bench_gui.py``, idle and with ``--busy``):

* A step's tensors are small (64 x 3 x 32 x 32 floats is 786 kB). Splitting each elementwise
  op over OpenMP threads saves microseconds, and the barrier at the end of every op waits for
  the slowest thread: when another program holds a core, that thread is parked for a scheduler
  slice (milliseconds), op after op. One intra-op thread was faster in every condition
  measured, idle included, so torch gets one thread for steps of ordinary size and more only
  for steps large enough to pay for the barrier (:func:`step_threads`).
* The export parallelises across steps instead: the engine computes step N+1 on one thread
  while a small pool encodes step N's PNGs (zlib releases the GIL).
* The window's worker uses the same single torch thread, which leaves the other cores to the
  GUI thread and to whatever else the user runs.
"""

from __future__ import annotations

import os
import threading

# Elements per step (batch x channels x height x width x panels) from which a step may be
# split over several cores, on machines with more than two. On two cores one thread won at
# every size measured once another program held a core (benchmarks/bench_threads.py: 3.5 to
# 4.8x faster at batch 64 x 2, 256 x 8 and 1024 x 4), and lost by under 20 ms idle.
PARALLEL_FROM_ELEMENTS = 8_000_000
THREADS_ENV = "ACTLENS_TORCH_THREADS"  # overrides the choice (benchmarks compare with it)

_applied = threading.local()


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
    """Intra-op threads for a step touching ``elements`` values in total."""
    forced = _override()
    if forced is not None:
        return forced
    if elements < PARALLEL_FROM_ELEMENTS or cores() <= 2:
        return 1
    return max(1, min(4, cores() // 2))  # leave half the cores to the rest of the desktop


def encoder_threads() -> int:
    """PNG encoder threads for an export: one per core, at most 4 (zlib releases the GIL)."""
    return max(1, min(4, cores()))


def use_threads(threads: int) -> None:
    """Set torch's intra-op threads for the calling thread (OpenMP's count is per thread),
    skipping the call when it is already set."""
    if getattr(_applied, "threads", None) == threads:
        return
    import torch

    torch.set_num_threads(threads)
    _applied.threads = threads


def configure_torch() -> None:
    """Call once on a thread that will run steps: one intra-op thread, one inter-op thread."""
    import torch

    use_threads(step_threads(0))
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set, or inter-op work already started in this process
        pass
