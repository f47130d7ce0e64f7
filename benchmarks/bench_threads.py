"""Where splitting a step over torch's intra-op threads starts to pay.

    python benchmarks/bench_threads.py [--runs 5] [--busy]

For a few step sizes (batch x activations), times ``Engine.run`` (compute and display
mapping, 40 consecutive batches a run) with 1 intra-op thread and with every core, the two
alternated run by run; prints the median and worst of each and their ratio. The choice in
``engine/cpu.py`` comes from these figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from conditions import add_condition_arguments, alternate, busy_core, condition_name, summary  # noqa: E402

SIZES = [(64, "relu,sigmoid"), (256, "relu,sigmoid,tanh,leaky_relu(negative_slope=0.2),elu,gelu,"
                                 "silu,softplus"), (1024, "relu,sigmoid,tanh,gelu")]
STEPS = 40


def main() -> None:
    ap = argparse.ArgumentParser()
    add_condition_arguments(ap)
    args = ap.parse_args()
    from cifar_copy import build

    from activation_lens.engine.cpu import THREADS_ENV, cores
    from activation_lens.engine.pipeline import Engine, StepRequest
    from activation_lens.engine.registry import parse_spec_list

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        build(data)
        engine = Engine()
        print(f"{cores()} cores, {condition_name(args.busy)}, {STEPS} steps a run")
        with busy_core(args.busy):
            for batch, acts in SIZES:
                req = StepRequest(data_root=str(data), allow_unverified=True, batch_size=batch,
                                  activations=tuple(parse_spec_list(acts)))
                n_acts = len(req.activations)
                elements = batch * 3 * 32 * 32 * (n_acts + 1)

                def timed(threads, req=req, batch=batch):
                    os.environ[THREADS_ENV] = str(threads)  # Engine.run applies it
                    engine.run(req)  # warm: modules built, source cached
                    t = time.perf_counter()
                    for i in range(STEPS):
                        engine.run(req.with_(batch_index=i % min(20, 10000 // batch)))
                    return (time.perf_counter() - t) / STEPS

                rows = alternate(args.runs, {"1 thread": lambda: timed(1),
                                             f"{cores()} threads": lambda: timed(cores())})
                one, many = (statistics.median(v) for v in rows.values())
                print(f"batch {batch} x {n_acts} activations ({elements / 1e6:.1f} M elements):")
                for name, values in rows.items():
                    print(f"  {name:<10} {summary(values, 'ms', 1000)} per step")
                print(f"  {cores()} threads / 1 thread: {many / one:.2f}x the time")


if __name__ == "__main__":
    main()
