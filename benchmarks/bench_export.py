"""Default export vs the classic tutorial loop, on the same 10,000 CIFAR-10 test images.

The tutorial: DataLoader(CIFAR10(test, ToTensor()), batch_size=64), then per step
``add_images("input")``, ``add_images("output_relu")``, ``add_images("output_sigmoid")``.
Measured in-process (data set construction included, imports excluded) and as whole
processes (``python tutorial.py`` vs ``actlens export``), alternated run by run; each figure
is the median of ``--runs`` runs with the worst beside it. ``--busy`` keeps one core busy
with another process throughout. The decoded images of both exports are compared pixel by
pixel.

    python benchmarks/bench_export.py [--runs 5] [--busy] [--threads 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from cifar_copy import build  # noqa: E402
from conditions import add_condition_arguments, alternate, busy_core, condition_name, summary  # noqa: E402


def tutorial_loop(root: str, logdir: str) -> None:
    """The classic exercise, as written in countless notebooks."""
    import torchvision
    import torchvision.datasets.cifar as tv_cifar
    from torch import nn
    from torch.utils.data import DataLoader
    from torch.utils.tensorboard import SummaryWriter

    tv_cifar.check_integrity = lambda *a, **k: True  # the copy is not the official file
    dataset = torchvision.datasets.CIFAR10(
        root, train=False, transform=torchvision.transforms.ToTensor()
    )
    loader = DataLoader(dataset, batch_size=64)
    relu, sigmoid = nn.ReLU(), nn.Sigmoid()
    writer = SummaryWriter(logdir)
    for step, (imgs, _targets) in enumerate(loader):
        writer.add_images("input", imgs, step)
        writer.add_images("output_relu", relu(imgs), step)
        writer.add_images("output_sigmoid", sigmoid(imgs), step)
    writer.close()


def tutorial_in_process(root: str, logdir: str) -> float:
    t = time.perf_counter()
    tutorial_loop(root, logdir)
    return time.perf_counter() - t


def ours_in_process(root: str, logdir: str) -> float:
    from activation_lens.engine.export import export_session
    from activation_lens.engine.pipeline import StepRequest

    t = time.perf_counter()
    export_session(StepRequest(data_root=root, allow_unverified=True), logdir, "all")
    return time.perf_counter() - t


def whole_process(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def decoded_digest(logdir: str) -> tuple[int, str]:
    """(number of images, sha256 of every decoded image in tag/step order)."""
    import io

    import numpy as np
    from PIL import Image
    from tensorboard.backend.event_processing import event_accumulator as ea

    acc = ea.EventAccumulator(logdir, size_guidance={ea.IMAGES: 0})
    acc.Reload()
    h, n = hashlib.sha256(), 0
    for tag in sorted(acc.Tags()["images"]):
        for ev in acc.Images(tag):
            px = np.asarray(Image.open(io.BytesIO(ev.encoded_image_string)).convert("RGB"))
            h.update(f"{tag}/{ev.step}".encode())
            h.update(px.tobytes())
            n += 1
    return n, h.hexdigest()


def main() -> None:
    if sys.argv[1:2] == ["--tutorial"]:
        return tutorial_loop(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser()
    add_condition_arguments(ap)
    ap.add_argument("--threads", type=int, default=0,
                    help="also measure our export with this many torch threads (the old policy"
                         " used every core)")
    args = ap.parse_args()
    import torch  # noqa: F401  (imports excluded from the in-process figures)
    import torchvision  # noqa: F401

    from activation_lens.engine.cpu import THREADS_ENV

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        print(f"data: {build(data)}")
        actlens = [sys.executable, "-m", "activation_lens", "export", "--data-root", str(data),
                   "--allow-unverified"]
        counter = iter(range(10**6))

        def out(kind):
            return str(Path(tmp) / f"{kind}{next(counter)}")

        def with_threads(n, fn):
            def run():
                os.environ[THREADS_ENV] = str(n)
                try:
                    return fn()
                finally:
                    del os.environ[THREADS_ENV]
            return run

        measures = {
            "tutorial in-process": lambda: tutorial_in_process(str(data), out("ti")),
            "actlens in-process": lambda: ours_in_process(str(data), out("ai")),
            "tutorial process": lambda: whole_process(
                [sys.executable, __file__, "--tutorial", str(data), out("tp")]),
            "actlens process": lambda: whole_process(actlens + ["--logdir", out("ap")]),
        }
        if args.threads:
            measures[f"actlens in-process, {args.threads} torch threads"] = with_threads(
                args.threads, lambda: ours_in_process(str(data), out("at")))
        print(f"{condition_name(args.busy)}, {args.runs} runs of each, alternated")
        with busy_core(args.busy):
            rows = alternate(args.runs, measures)
        for name, values in rows.items():
            print(f"{name:<36} {summary(values)}")
        med = {k: statistics.median(v) for k, v in rows.items()}
        print(f"speed-up in-process:    {med['tutorial in-process'] / med['actlens in-process']:.1f}x")
        print(f"speed-up whole process: {med['tutorial process'] / med['actlens process']:.1f}x")
        for name in ("actlens in-process", "actlens process"):
            print(f"{name}: worst run / median {max(rows[name]) / med[name]:.2f}")
        n1, d1 = decoded_digest(str(Path(tmp) / "ti0"))
        n2, d2 = decoded_digest(str(Path(tmp) / "ai1"))
        print(f"decoded images: tutorial {n1}, actlens {n2}; pixel-identical: {d1 == d2}")
        sizes = {k: sum(f.stat().st_size for f in (Path(tmp) / k).iterdir()) / 1e6
                 for k in ("ti0", "ai1")}
        print(f"event file size: tutorial {sizes['ti0']:.1f} MB, actlens {sizes['ai1']:.1f} MB")


if __name__ == "__main__":
    main()
