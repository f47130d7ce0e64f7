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

# Elements per step (batch x channels x height x width x activations) from which splitting
# elementwise ops over cores pays for its barrier on a 2-core machine (measured with
# benchmarks/bench_threads.py: below about 8 M elements one thread wins or ties).
PARALLEL_FROM_ELEMENTS = 8_000_000


def cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's total)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def step_threads(elements: int) -> int:
    """Intra-op threads for a step touching ``elements`` values in total."""
    if elements < PARALLEL_FROM_ELEMENTS:
        return 1
    return max(1, min(cores() - 1, 4))


def encoder_threads() -> int:
    """PNG encoder threads for an export: every core but the one computing steps."""
    return max(1, min(4, cores() - 1))


def configure_torch(workload: str = "step") -> None:
    """Set torch's thread pools for ``workload`` (``window``, ``export`` or ``step``).

    Call on the thread that will run torch ops (OpenMP's thread count is per thread).
    """
    import torch

    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set, or inter-op work already started in this process
        pass
