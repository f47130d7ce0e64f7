"""Step latency of this checkout against another one (the baseline), runs alternated.

    git worktree add /tmp/baseline <commit>
    python benchmarks/bench_versions.py /tmp/baseline [--rows big,big-hist] [--runs 5] [--busy]

Each run is a fresh process that imports the package from one checkout and measures the p95
of ``--steps`` consecutive steps in a real (offscreen) window, as ``bench_gui.py`` does, on the
real CIFAR-10 test images; this checkout's run and the baseline's take turns, so what else the
machine does falls on both alike. Prints the median of the runs with the worst beside it.
Rows: ``b64`` (batch 64, ReLU and Sigmoid), ``b64-hist`` (the same with the inspector's
Histogram tab open), ``net`` (network mode, batch 64), ``big`` (batch 256, 8 activations),
``big-hist``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_gui import EIGHT  # noqa: E402
from cifar_copy import build  # noqa: E402
from conditions import add_condition_arguments, alternate, busy_core, summary  # noqa: E402

ROWS = {
    "b64": {"batch_size": 64, "activations": "relu,sigmoid"},
    "b64-hist": {"batch_size": 64, "activations": "relu,sigmoid", "histogram_tab": True},
    "net": {"batch_size": 64, "activations": "relu,sigmoid", "network": True},
    "big": {"batch_size": 256, "activations": EIGHT},
    "big-hist": {"batch_size": 256, "activations": EIGHT, "histogram_tab": True},
}

# One run in a fresh interpreter: the package comes from ``root`` alone (a folder of links
# stands in for the installed package, whose engine/, gui/ and resources/ are sub-packages).
CHILD = r'''
import json, os, sys, tempfile
root, shim, data, opts, steps = sys.argv[1:6]
sys.path[:0] = [root + "/benchmarks"]
import bench_gui
sys.path = [shim] + [p for p in sys.path if os.path.realpath(p) != os.path.realpath(root)]
os.environ["ACTLENS_SETTINGS"] = os.path.join(tempfile.mkdtemp(), "settings.ini")  # fresh
import activation_lens.engine.pipeline as pipeline
assert os.path.realpath(pipeline.__file__).startswith(os.path.realpath(root)), pipeline.__file__
from PySide6.QtWidgets import QApplication
app = QApplication([])
latencies, _ = bench_gui.step_latency(app, data, int(steps), **json.loads(opts))
print(json.dumps(bench_gui.percentile(latencies, 95)))
'''


def shim(root: Path, into: Path) -> Path:
    """A folder whose ``activation_lens`` package is ``root``'s."""
    package = into / "activation_lens"
    package.mkdir(parents=True)
    for item in (root / "activation_lens").iterdir():
        (package / item.name).symlink_to(item)
    for sub in ("engine", "gui", "resources"):
        (package / sub).symlink_to(root / sub)
    return into


def run(root: Path, shim_dir: Path, data: Path, opts: dict, steps: int) -> float:
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run([sys.executable, "-c", CHILD, str(root), str(shim_dir), str(data),
                        json.dumps(opts), str(steps)], capture_output=True, text=True,
                       cwd=tempfile.gettempdir(), env=env)
    if p.returncode:
        raise SystemExit(f"a run from {root} failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("baseline", type=Path, help="another checkout of the repository")
    ap.add_argument("--rows", default=",".join(ROWS), help=f"of {', '.join(ROWS)}")
    ap.add_argument("--steps", type=int, default=100, help="steps per run")
    add_condition_arguments(ap)
    args = ap.parse_args()
    rows = [r.strip() for r in args.rows.split(",") if r.strip()]
    unknown = [r for r in rows if r not in ROWS]
    if unknown:
        ap.error(f"unknown rows {', '.join(unknown)}; choose of {', '.join(ROWS)}")
    checkouts = {"this checkout": HERE.parent, "baseline": args.baseline.resolve()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        print(f"data: {build(data)}")
        shims = {name: shim(root, tmp / f"shim{i}") for i, (name, root) in
                 enumerate(checkouts.items())}
        with busy_core(args.busy):
            for row in rows:
                measures = {name: lambda n=name, r=row: run(checkouts[n], shims[n], data,
                                                             ROWS[r], args.steps)
                            for name in checkouts}
                for name, values in alternate(args.runs, measures).items():
                    print(f"step latency p95, {row}, {name}: {summary(values, 'ms', 1000)}")


if __name__ == "__main__":
    main()
