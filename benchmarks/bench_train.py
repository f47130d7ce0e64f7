"""The lesson's recipe, ours against a plain PyTorch loop, on the real CIFAR-10 test images.

The recipe: the network mode's small CNN (average pooling), Adam lr 2e-3, batch 64, seed 0,
4 epochs, trained on the first 8,000 test images and held out on the last 2,000, the held-out
accuracy measured after each epoch (what the live plot shows). For each
activation, ``activation_lens.engine.train`` and a plain loop written here (torch's default threads) run in
alternation, ``--runs`` times; prints the median held-out accuracy and seconds of each, with
the worst run's seconds beside them.

    python benchmarks/bench_train.py [--runs 3] [--epochs 4] [--busy] [--window]
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

from conditions import EventLoopGaps, busy_core, condition_name  # noqa: E402

ACTIVATIONS = "relu,identity,tanh,sigmoid"


def plain_loop(spec, data, epochs: int, seed: int = 0, lr: float = 2e-3, batch: int = 64):
    """The recipe as a learner would write it: no engine code but the network's definition."""
    import torch
    import torch.nn.functional as F

    from activation_lens.engine.network import build_network

    net = build_network(spec, 32, seed).train()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    x_all = torch.from_numpy(data.train_images).permute(0, 3, 1, 2).float() / 255
    y_all = torch.from_numpy(data.train_labels)
    x_held = torch.from_numpy(data.heldout_images).permute(0, 3, 1, 2).float() / 255
    y_held = torch.from_numpy(data.heldout_labels)
    t = time.perf_counter()
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(y_all), generator=gen)
        for i in range(0, len(y_all), batch):
            idx = perm[i:i + batch]
            loss = F.cross_entropy(net(x_all[idx]), y_all[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        net.eval()  # held-out accuracy after each epoch, as the live plot shows it
        with torch.no_grad():
            acc = float((net(x_held).argmax(1) == y_held).float().mean())
    return acc, time.perf_counter() - t


def ours(spec, data, epochs: int):
    from activation_lens.engine.train import TrainSettings, train_one

    r = train_one(spec, data, TrainSettings((spec,), epochs=epochs))
    return r.accuracies[-1], r.seconds


def window_gap(root: Path, epochs: int) -> float:
    """The longest gap between 10 ms timer ticks of the window's event loop while its
    Training dock trains every activation (offscreen)."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from activation_lens.gui.app import launch_options
    from activation_lens.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    w = MainWindow(launch_options(data_root=str(root), allow_unverified=True,
                                  activations=ACTIVATIONS))
    w.show()
    w.start()

    def wait(pred):
        while not pred():
            app.processEvents()
            time.sleep(0.002)

    wait(lambda: w.last_view is not None)
    dock = w.docks.ensure_training()
    dock.show()
    dock.epochs.setValue(epochs)
    dock.start()
    loop = EventLoopGaps()
    wait(lambda: not dock.running())
    gaps = loop.stop()
    w.close()
    return max(gaps)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--busy", action="store_true")
    ap.add_argument("--window", action="store_true",
                    help="instead: the window's longest event-loop gap while it trains")
    args = ap.parse_args()
    import torch
    from cifar_copy import build

    from activation_lens.engine.pipeline import StepRequest
    from activation_lens.engine.registry import parse_spec_list
    from activation_lens.engine.train import load_training_data

    default_threads = torch.get_num_threads()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        print(f"data: {build(root)}")
        if args.window:
            import os

            os.environ["ACTLENS_SETTINGS"] = str(Path(tmp) / "settings.ini")
            with busy_core(args.busy):
                gaps = [window_gap(root, args.epochs) for _ in range(args.runs)]
            print(f"training in the window, {condition_name(args.busy)}: longest event-loop"
                  f" gap median {statistics.median(gaps) * 1000:.0f} ms (worst"
                  f" {max(gaps) * 1000:.0f}; runs {', '.join(f'{g * 1000:.0f}' for g in gaps)})")
            return
        data = load_training_data(StepRequest(data_root=str(root), allow_unverified=True),
                                  train_on_test=True)
        print(f"{data.note}; {condition_name(args.busy)}; {args.runs} runs, alternated")
        rows = {}
        with busy_core(args.busy):
            for spec in parse_spec_list(ACTIVATIONS):
                for i in range(args.runs):
                    for name, fn in (("plain loop", plain_loop), ("actlens", ours)):
                        torch.set_num_threads(default_threads)
                        acc, sec = fn(spec, data, args.epochs)
                        rows.setdefault((str(spec), name), []).append((acc, sec))
                        print(f"  run {i + 1} {spec} {name}: {acc:.3f} {sec:.1f} s",
                              file=sys.stderr, flush=True)
        print(f"{'activation':<10} {'who':<11} {'held-out acc':>12} {'seconds (worst)':>16}")
        for (spec, name), values in rows.items():
            acc = statistics.median(a for a, _ in values)
            sec = statistics.median(s for _, s in values)
            worst = max(s for _, s in values)
            print(f"{spec:<10} {name:<11} {acc * 100:>11.1f}% {sec:>9.1f} ({worst:.1f})")


if __name__ == "__main__":
    main()
