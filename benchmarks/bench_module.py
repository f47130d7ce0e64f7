"""What running a module file in a process of its own costs per step.

    python benchmarks/bench_module.py [--runs 5] [--busy] [--steps 20]

The exercise's ``MyModel`` (``relu1``, ``sigmoid1``; forward returns both) on batches of 64 of
the real images, through ``Engine.run`` in the module view: once as a file (loaded and run in
its child process: the batch out through shared memory, the outputs back), once as the same
module object handed over in-process (what every step cost before). The network view's step
at the same batch is measured beside them, as the target. Each run is ``--steps`` steps over
different batches (the process is started and warm before the first run); the runs alternate.
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

MY_MODEL = '''\
from torch import nn
from torch.nn import ReLU, Sigmoid


class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.relu1 = ReLU()
        self.sigmoid1 = Sigmoid()

    def forward(self, input):
        return self.relu1(input), self.sigmoid1(input)
'''


def measure(args, data: Path, folder: Path) -> None:
    from activation_lens.engine import objects
    from activation_lens.engine.cpu import configure_torch
    from activation_lens.engine.pipeline import Engine, StepRequest
    from activation_lens.engine.usermodule import load_module, parse_model

    configure_torch()
    path = folder / "my_model.py"
    path.write_text(MY_MODEL)
    base = StepRequest(data_root=str(data), allow_unverified=True, batch_size=64)
    key = objects.keep(load_module(parse_model(str(path))), "model")
    requests = {
        "module file, own process": base.with_(mode="module", model=str(path)),
        "module object, in-process": base.with_(mode="module", model=key),
        "network view": base.with_(mode="network"),
    }
    engine = Engine()
    steps: dict[str, list[float]] = {name: [] for name in requests}
    try:
        for req in requests.values():  # warm: the process started, the data loaded
            engine.run(req)

        def run(name):
            def go():
                times = []
                for i in range(args.steps):
                    t = time.perf_counter()
                    engine.run(requests[name].with_(batch_index=1 + i % 150))
                    times.append(time.perf_counter() - t)
                steps[name] += times
                return statistics.mean(times) * 1000
            return go

        rows = alternate(args.runs, {name: run(name) for name in requests})
    finally:
        engine.close()
    print(f"\nper step, ms (each run the mean of {args.steps} steps):")
    for name, values in rows.items():
        p95 = statistics.quantiles(steps[name], n=20)[-1] * 1000
        print(f"  {name:<28} {summary(values, 'ms')}; p95 of all steps {p95:.1f} ms")
    own, inproc = rows["module file, own process"], rows["module object, in-process"]
    ratios = [a / b for a, b in zip(own, inproc)]
    print(f"  own process / in-process: median {statistics.median(ratios):.2f}x"
          f" (worst {max(ratios):.2f}x); extra per step median"
          f" {statistics.median(a - b for a, b in zip(own, inproc)):.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    add_condition_arguments(ap)
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()
    from cifar_copy import build

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        what = build(data)
        print(f"{what}, {condition_name(args.busy)}, {args.runs} runs")
        with busy_core(args.busy):
            measure(args, data, Path(tmp))


if __name__ == "__main__":
    main()
