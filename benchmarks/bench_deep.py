"""The depth view's cost: one update against a plain torch forward and backward pass of the
same networks, and the window's longest event-loop gap while it computes.

    python benchmarks/bench_deep.py [--runs 5] [--busy] [--depth 20] [--no-window]

One update is ``Engine.run`` in the depth mode (batch 64, relu and sigmoid, Kaiming): the
batch, its preprocessing and input panel, each stack's forward and backward pass with the
per-layer statistics and histograms, and the selected image's maps. The baseline runs the
same cached stacks forward and backward with nothing else (cross-entropy on the labels).
The two are alternated run by run; each run is the mean of 5 consecutive updates.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from conditions import add_condition_arguments, alternate, busy_core, condition_name, summary  # noqa: E402

UPDATES = 5


def plain(engine, req, batches):
    """What torch alone does for the same networks: forward, loss, backward."""
    import numpy as np
    import torch
    import torch.nn.functional as F

    from activation_lens.engine import modes
    from activation_lens.engine.preprocess import preprocess, to_float

    mode = modes.get("deep")
    source = engine.source(req)
    nets = [(mode.stack(engine, s, "kaiming", req, 3, torch.device("cpu")),
             mode.head(engine, req, 10, torch.device("cpu"))) for s in req.activations]

    def run():
        for i in batches:
            batch = source.batch(i, req.batch_size)
            x = preprocess(to_float(batch.images, torch.device("cpu")), req.preprocess,
                           source.mean, source.std)
            y = torch.as_tensor(np.asarray(batch.labels))
            for net, head in nets:
                net.zero_grad(set_to_none=True)
                h = x
                for conv in net.convs:
                    h = net.act(conv(h))
                F.cross_entropy(head(h.mean((2, 3))), y).backward()
    return run


def engine_times(args, data: Path) -> None:
    from activation_lens.engine.pipeline import Engine, StepRequest
    from activation_lens.engine.registry import parse_spec_list

    engine = Engine()
    req = StepRequest(data_root=str(data), allow_unverified=True, mode="deep",
                      preprocess="centered", depth=args.depth, init="kaiming",
                      activations=tuple(parse_spec_list("relu,sigmoid")))
    engine.run(req)  # the stacks built, the source read
    baseline = plain(engine, req, range(UPDATES))

    def timed(fn):
        t = time.perf_counter()
        fn()
        return (time.perf_counter() - t) / UPDATES

    def update():
        for i in range(UPDATES):
            engine.run(req.with_(batch_index=i))

    rows = alternate(args.runs, {"plain torch": lambda: timed(baseline),
                                 "depth view": lambda: timed(update)})
    base, view = (statistics.median(v) for v in rows.values())
    worst = max(v / b for v, b in zip(rows["depth view"], rows["plain torch"]))
    print(f"depth {args.depth}, batch 64, relu and sigmoid, kaiming:")
    for name, values in rows.items():
        print(f"  {name:<12} {summary(values, 'ms', 1000)} per update")
    print(f"  depth view / plain torch: {view / base:.2f}x (worst run {worst:.2f}x)")


def window_gaps(args, data: Path) -> None:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["ACTLENS_SETTINGS"] = str(data.parent / "settings.ini")
    from conditions import EventLoopGaps
    from PySide6.QtWidgets import QApplication

    from activation_lens.gui.app import launch_options
    from activation_lens.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    w = MainWindow(launch_options(data_root=str(data), allow_unverified=True, deep=True,
                                  depth=args.depth, preprocess="centered", init="kaiming"))
    w.show()
    w.start()
    wait(app, lambda: w.last_view is not None, 120)
    worst, ends = [], []
    for _ in range(args.runs):
        gaps = EventLoopGaps()
        for depth in range(1, 51):  # a drag of the depth from 1 to 50
            w.edit({"depth": depth})
            app.processEvents()
        wait(app, lambda: w.last_view.result.request.depth == 50 and not w.controller.pending(),
             300)
        worst.append(max(gaps.stop()))
        ends.append(w.last_view.result.request.depth)
        w.edit({"depth": args.depth})
        wait(app, lambda: not w.controller.pending(), 120)
    print(f"window, a drag of the depth from 1 to 50: longest event-loop gap"
          f" {summary(worst, 'ms', 1000)}; each drag ended showing depth {sorted(set(ends))}")
    w.close()


def wait(app, done, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not answer in time")
        app.processEvents()
        time.sleep(0.005)


def main() -> None:
    ap = argparse.ArgumentParser()
    add_condition_arguments(ap)
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--no-window", action="store_true", help="skip the window's measurement")
    args = ap.parse_args()
    from cifar_copy import build

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        what = build(data)
        print(f"{what}, {condition_name(args.busy)}, {args.runs} runs")
        with busy_core(args.busy):
            engine_times(args, data)
            if not args.no_window:
                window_gaps(args, data)


if __name__ == "__main__":
    main()
