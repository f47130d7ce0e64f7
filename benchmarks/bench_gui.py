"""Viewer speed: step latency, start-up, and responsiveness during an export.

    python benchmarks/bench_gui.py [--steps 100] [--runs 5] [--busy] [--threads 2]
    python benchmarks/bench_gui.py --drag [--moves 100] [--interval-ms 16] [--runs 5] [--busy]

Every figure is the median of ``--runs`` runs with the worst beside it; ``--threads N``
alternates each latency run with one using N torch threads (the policy before
``engine/cpu.py``), and ``--busy`` keeps one core busy with another process throughout.

- Step latency (offscreen): from the request to every panel repainted, over ``--steps``
  consecutive batches, for the default session (batch 64, relu and sigmoid) and for batch 256
  with 8 activations, each also with the inspector's Histogram tab open. Reports p50/p95 and
  the engine's share.
- Start-up (offscreen, whole process): window shown, the input panel painted before torch
  has loaded, and the first batch painted, against ``python -c "import torch"`` measured
  just before each launch; medians of ``--runs``.
- Export responsiveness (offscreen): the longest gap between 10 ms timer ticks of the GUI
  event loop while the window exports every batch of the split in the background.
- ``--drag`` (only this): step latency while leaky_relu's negative_slope slider is dragged
  from 0 to 1 through ``--moves`` values, one every ``--interval-ms`` (a hand's pace), with
  the inspector closed and with its Curve tab open, alternated with the arrow-key figure
  above (batch 64, relu and sigmoid) measured in the same run. Each figure is the latency of
  the frames painted during the drag (requests a newer one replaced are never painted);
  p50 and p95, and how many of the moves were painted.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cifar_copy import build  # noqa: E402
from conditions import (  # noqa: E402
    EventLoopGaps,
    add_condition_arguments,
    alternate,
    busy_core,
    condition_name,
    summary,
)

EIGHT = "relu,sigmoid,tanh,leaky_relu(negative_slope=0.2),elu,gelu,silu,softplus"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def make_window(app, data, **options):
    from activation_lens.gui.app import launch_options
    from activation_lens.gui.main_window import MainWindow

    w = MainWindow(launch_options(data_root=str(data), allow_unverified=True, **options))
    w.resize(1600, 1000)
    w.step_latencies = []  # seconds from request to panels repainted, as the controller times it
    w.controller.step_shown.connect(w.step_latencies.append)
    w.show()
    w.start()
    wait(app, lambda: w.last_view is not None, 120)
    return w


def wait(app, predicate, timeout):
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError
        app.processEvents()
        time.sleep(0.0005)


def step_latency(app, data, steps, histogram_tab=False, **options):
    w = make_window(app, data, **options)
    if histogram_tab:  # the inspector's Histogram tab open: two histograms per step, a plot
        w.ensure_inspector().show()
        w.inspector.tabs.setCurrentWidget(w.inspector.histogram_tab)
        wait(app, lambda: w.last_view.result.panels[0].hist is not None, 30)
    full = w.num_batches - 1  # full batches 0..full-1 (the last one may be short)
    for _ in range(20):  # warm-up: caches, allocator pools, first paints
        w.go_to((w.session.batch_index + 1) % full)
        wait(app, lambda: w.controller.shown_id == w.controller.latest_id, 30)
    w.step_latencies.clear()
    engine = []
    for _ in range(steps):
        target = (w.session.batch_index + 1) % full  # walk forward, wrapping, never a no-op
        w.go_to(target)
        wait(app, lambda: w.controller.shown_id == w.controller.latest_id, 30)
        t = w.last_view.result.timings
        engine.append(t["load"] + t["compute"])
    lat = list(w.step_latencies)
    w.close()
    return lat, engine


DRAGGED = "relu,sigmoid,leaky_relu"  # the default session with the activation dragged


def drag_latency(app, data, moves, interval_s, curve_tab=False, **options):
    """Step latencies (s), one per frame painted, while negative_slope's slider is dragged
    from 0 to 1 through ``moves`` values, one every ``interval_s``."""
    w = make_window(app, data, activations=DRAGGED, **options)
    editor = w.form.activations
    editor.list.setCurrentRow(2)
    if curve_tab:  # the Curve tab follows the slider: a curve job every 50 ms at most
        inspector = w.ensure_inspector()
        inspector.show()
        inspector.tabs.setCurrentWidget(inspector.curve_tab)
        wait(app, lambda: inspector.curve_tab.shown_key is not None, 30)
    slider, scale = editor.form.sliders["negative_slope"], editor.form.scales["negative_slope"]
    start, end = scale.position(0.0), scale.position(1.0)
    positions = [start + round(i * (end - start) / (moves - 1)) for i in range(moves)]
    drag(app, w, slider, positions[:0:-1], 0.002)  # warm-up, back to the 2nd position
    w.step_latencies.clear()
    drag(app, w, slider, positions, interval_s)
    lat = list(w.step_latencies)
    w.close()
    return lat


def drag(app, w, slider, positions, interval_s):
    """Set ``positions`` one every ``interval_s`` as a mouse drag does (the event loop runs
    in between), then wait for the last one to be painted."""
    slider.setSliderDown(True)
    due = time.perf_counter()
    for pos in positions:
        slider.setSliderPosition(pos)  # sliderMoved and valueChanged, as under the mouse
        due += interval_s
        wait(app, lambda due=due: time.perf_counter() >= due, 5)
    slider.setSliderDown(False)
    wait(app, lambda: w.controller.shown_id == w.controller.latest_id, 30)


def drag_comparison(app, data, args):
    """``--drag``: the drag's latency against the arrow keys', alternated in one run."""
    from activation_lens.engine.cpu import THREADS_ENV

    interval, moves = args.interval_ms / 1000, args.moves
    dragged = f"batch 64, {DRAGGED}"
    runs = {  # name -> (latencies of one run, torch threads or None)
        "arrow keys, batch 64, relu+sigmoid": (lambda: step_latency(
            app, data, args.steps, batch_size=64, activations="relu,sigmoid")[0], None),
        f"drag, {dragged}": (lambda: drag_latency(
            app, data, moves, interval, batch_size=64), None),
        f"drag, {dragged}, curve tab open": (lambda: drag_latency(
            app, data, moves, interval, True, batch_size=64), None),
    }
    if args.threads:
        runs[f"drag, {dragged}, {args.threads} torch threads"] = (lambda: drag_latency(
            app, data, moves, interval, batch_size=64), args.threads)
    p50s, frames = {}, {}

    def measure(name):
        fn, threads = runs[name]
        if threads:
            os.environ[THREADS_ENV] = str(threads)
        try:
            lat = fn()
        finally:
            os.environ.pop(THREADS_ENV, None)
        p50s.setdefault(name, []).append(percentile(lat, 50))
        frames.setdefault(name, []).append(len(lat))
        return percentile(lat, 95)

    rows = alternate(args.runs, {name: lambda n=name: measure(n) for name in runs})
    for name, p95s in rows.items():
        print(f"step latency p50, {name}: {summary(p50s[name], 'ms', 1000)}")
        print(f"step latency p95, {name}: {summary(p95s, 'ms', 1000)}")
        if name.startswith("drag"):
            print(f"frames painted of {moves} moves {args.interval_ms:g} ms apart, {name}:"
                  f" {summary(frames[name], 'frames', worst=min)}")


def startup(data, runs):
    """Process start to window shown and to first batch painted, on the real data and, in the
    same runs alternately, offline on an empty data root (the window opens on the sample)."""
    env = {**os.environ, "ACTLENS_TRACE_STARTUP": "1", "QT_QPA_PLATFORM": "offscreen"}
    rows = {"import torch": [], "window shown": [], "input panel painted (before torch)": [],
            "first batch painted": [], "first batch painted after import torch": [],
            "window shown, offline (the sample)": [],
            "input panel painted (before torch), offline (the sample)": [],
            "first batch painted, offline (the sample)": [],
            "first batch painted after import torch, offline (the sample)": []}
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import torch"], check=True)
        floor = time.perf_counter() - t
        rows["import torch"].append(floor)
        with tempfile.TemporaryDirectory() as tmp:
            for root, suffix in ((data, ""), (Path(tmp) / "empty", ", offline (the sample)")):
                env["ACTLENS_SETTINGS"] = str(Path(tmp) / f"s{bool(suffix)}.ini")
                marks = _launch(env, root)
                rows["window shown" + suffix].append(marks["window-shown"])
                rows["input panel painted (before torch)" + suffix].append(
                    marks.get("first-look", float("nan")))
                rows["first batch painted" + suffix].append(marks["first-batch"])
                rows["first batch painted after import torch" + suffix].append(
                    marks["first-batch"] - floor)
    return rows


def _launch(env, root) -> dict[str, float]:
    """Seconds from starting ``actlens`` to each ``actlens-trace`` mark, up to the first batch."""
    start = time.time()
    p = subprocess.Popen([sys.executable, "-m", "activation_lens", "--data-root", str(root),
                          "--allow-unverified"], env=env, stderr=subprocess.PIPE, text=True)
    marks = {}
    for line in p.stderr:
        if line.startswith("actlens-trace"):
            _, what, stamp = line.split()
            if what in ("window-shown", "first-look", "first-batch"):
                marks[what] = float(stamp) - start
            if what == "first-batch":
                break
    p.terminate()
    p.wait()
    return marks


def export_stalls(app, data, logdir):
    w = make_window(app, data, batch_size=64, activations="relu,sigmoid")
    w.open_export()
    dialog = w.export_dialogs[-1]
    dialog.all_radio.setChecked(True)
    dialog.logdir_edit.setText(str(logdir))
    loop = EventLoopGaps()
    t = time.perf_counter()
    dialog.start_button.click()
    wait(app, lambda: dialog.outcome is not None, 300)
    elapsed = time.perf_counter() - t
    gaps = loop.stop()
    steps = len(dialog.outcome.steps_written)
    dialog.close()
    w.close()
    return max(gaps), percentile(gaps, 99), elapsed, steps


def main():
    ap = argparse.ArgumentParser()
    add_condition_arguments(ap)
    ap.add_argument("--steps", type=int, default=100, help="steps per latency run")
    ap.add_argument("--skip", type=int, default=0, help="skip the first N latency settings")
    ap.add_argument("--latency-only", action="store_true", help="no start-up or export runs")
    ap.add_argument("--startup-only", action="store_true",
                    help="only the start-up runs (real data, and offline on the sample)")
    ap.add_argument("--threads", type=int, default=0,
                    help="baseline: also measure step latency with this many torch threads")
    ap.add_argument("--drag", action="store_true",
                    help="only: step latency while a parameter's slider is dragged, against"
                         " the arrow keys' in the same run")
    ap.add_argument("--moves", type=int, default=100, help="slider values per drag")
    ap.add_argument("--interval-ms", type=float, default=16.0, help="time between moves")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from activation_lens.engine.cpu import THREADS_ENV

    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        print(f"data: {build(data)}")
        gc.collect()  # the data build's garbage is no part of the viewer's steps
        os.environ["ACTLENS_SETTINGS"] = str(Path(tmp) / "settings.ini")
        print(f"{condition_name(args.busy)}, {args.runs} runs of each, alternated")
        big = {"batch_size": 256, "activations": EIGHT}
        small = {"batch_size": 64, "activations": "relu,sigmoid"}
        with busy_core(args.busy):
            if args.drag:
                drag_comparison(app, data, args)
                return
            for label, opts in [("batch 64, relu+sigmoid", small),
                                ("batch 256, 8 activations", big),
                                ("batch 64, relu+sigmoid, histogram tab open",
                                 {**small, "histogram_tab": True}),
                                ("batch 256, 8 activations, histogram tab open",
                                 {**big, "histogram_tab": True}),
                                ("network mode, batch 64, relu+sigmoid (8 map panels)",
                                 {**small, "network": True})][args.skip:] \
                    if not args.startup_only else []:
                def p95(opts=opts, threads=None):
                    if threads:
                        os.environ[THREADS_ENV] = str(threads)
                    try:
                        lat, _engine = step_latency(app, data, args.steps, **opts)
                    finally:
                        os.environ.pop(THREADS_ENV, None)
                    return percentile(lat, 95)

                measures = {"ours": p95}
                if args.threads:
                    measures[f"{args.threads} torch threads"] = lambda o=opts: p95(o, args.threads)
                rows = alternate(args.runs, measures)
                for name, values in rows.items():
                    print(f"step latency p95, {label}, {name}: {summary(values, 'ms', 1000)}")
            if args.latency_only:
                return
            rows = startup(data, args.runs)
            for k, v in rows.items():
                print(f"start-up, {k}: {summary(v)}")
            if args.startup_only:
                return
            stalls = alternate(args.runs, {"longest gap": lambda: export_stalls(
                app, data, Path(tmp) / f"logs{time.monotonic_ns()}")[0]})["longest gap"]
            print(f"export of the whole split from the window, longest event-loop gap"
                  f" (10 ms timer): {summary(stalls, 'ms', 1000)}")


if __name__ == "__main__":
    main()
