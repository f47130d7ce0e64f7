"""Where a step's time goes: the engine's stages, the worker's grids and QImages, the window.

    python benchmarks/bench_breakdown.py [--batch-size 256] [--activations EIGHT]
                                         [--histogram-tab] [--steps 60] [--busy]

Runs ``--steps`` consecutive steps in a real (offscreen) window on the real CIFAR-10 test
images, as ``bench_gui.py`` does, with each stage's functions wrapped in a timer: the
statistics, the display mapping, the histograms (in full and per pixel level), the whole of
``Engine.run``, the grids and the QImages made on the worker, and the window's slot that
shows the result. Prints each stage's mean wall time per step and its thread CPU time (a
thread kept waiting by another program shows wall well above CPU), and the p50 and p95 of
the latency from request to panels repainted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_gui  # noqa: E402
from cifar_copy import build  # noqa: E402
from conditions import busy_core, condition_name  # noqa: E402

TIMES: dict[str, list[float]] = {}  # stage -> [wall, thread CPU] seconds, summed, and calls


def timed(owner, name: str, stage: str) -> None:
    """Wrap ``owner.name`` so that its calls add to ``stage``'s time."""
    fn = getattr(owner, name)

    def wrapper(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent = TIMES.setdefault(stage, [0.0, 0.0, 0])
            spent[0] += time.perf_counter() - wall
            spent[1] += time.thread_time() - cpu
            spent[2] += 1

    setattr(owner, name, wrapper)


def instrument() -> None:
    from activation_lens.engine import imaging, levels, pipeline
    from activation_lens.gui import controller, workers

    timed(pipeline, "compute_stats", "statistics (full)")
    timed(levels.LevelValues, "stats", "statistics (per level)")
    timed(pipeline, "to_images", "display mapping (full)")
    timed(levels.LevelValues, "images", "display mapping (per level)")
    timed(pipeline, "histogram", "histograms (full)")
    timed(levels.LevelValues, "histogram", "histograms (per level)")
    timed(pipeline.Engine, "run", "Engine.run, all of it")
    timed(imaging, "make_grid", "grids (worker)")
    timed(workers, "rgb_to_qimage", "QImages (worker)")
    timed(controller.StepController, "_on_result", "the window's slot (GUI thread)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--activations", default=bench_gui.EIGHT)
    ap.add_argument("--histogram-tab", action="store_true", help="the inspector's tab open")
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    args = ap.parse_args()
    instrument()  # before the window connects the slots it wraps
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        print(f"data: {build(data)}")
        gc.collect()
        os.environ["ACTLENS_SETTINGS"] = str(Path(tmp) / "settings.ini")
        with busy_core(args.busy):
            latencies, _ = bench_gui.step_latency(
                app, data, args.steps, histogram_tab=args.histogram_tab,
                batch_size=args.batch_size, activations=args.activations)
    steps = len(latencies)
    print(f"{condition_name(args.busy)}, batch {args.batch_size}, {args.activations},"
          f" histogram tab {'open' if args.histogram_tab else 'closed'}: latency p50"
          f" {1000 * bench_gui.percentile(latencies, 50):.1f} ms, p95"
          f" {1000 * bench_gui.percentile(latencies, 95):.1f} ms over {steps} steps")
    total = TIMES["Engine.run, all of it"][2]  # every step the window took, warm-up too
    for stage, (wall, cpu, _calls) in TIMES.items():
        print(f"  {stage:32s} {1000 * wall / total:6.2f} ms wall, {1000 * cpu / total:6.2f}"
              f" ms CPU per step")


if __name__ == "__main__":
    main()
