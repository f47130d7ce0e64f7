"""Figures for the reliability cases (the tests check the behaviour; this measures it).

    python benchmarks/bench_reliability.py

- 2,000 rapid navigation requests in the window (offscreen): requests computed, final batch,
  threads before/after, resident memory growth.
- Download with no network: seconds until the error for a refused connection, and for a
  server that accepts but never answers (the read timeout).
- Disk full mid-export (a 2 MB file-size limit): exit code, steps kept and readable.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import socket
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


def os_threads() -> int:
    """Threads of this process as the OS sees them (QThreads included)."""
    return len(os.listdir("/proc/self/task"))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rapid_requests(data: Path) -> None:
    from bench_gui import make_window, wait
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    w = make_window(app, data, batch_size=64, activations="relu,sigmoid")
    rng = random.Random(1)
    for _ in range(100):  # warm-up
        w.go_to(rng.randrange(w.num_batches))
        app.processEvents()
    wait(app, lambda: w.controller.shown_id == w.controller.latest_id, 30)
    threads, rss = os_threads(), rss_mb()
    shown_before = len(w.step_latencies)
    t = time.perf_counter()
    last = 0
    for i in range(2000):
        last = rng.randrange(w.num_batches)
        w.go_to(last)
        if i % 20 == 0:
            app.processEvents()
    wait(app, lambda: w.controller.shown_id == w.controller.latest_id, 30)
    elapsed = time.perf_counter() - t
    print(f"2000 rapid requests: {elapsed:.1f} s, {len(w.step_latencies) - shown_before} results"
          f" painted, final batch {w.last_view.result.batch.index} (last requested {last}),"
          f" threads {threads} -> {os_threads()},"
          f" RSS {rss:.0f} -> {rss_mb():.0f} MB ({rss_mb() - rss:+.1f} MB)")
    w.close()


def offline_download() -> None:
    from dataclasses import replace

    from activation_lens.engine.data import cifar, datasets
    from activation_lens.engine.errors import ActlensError

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    cases = [("refused connection", "http://127.0.0.1:9/c.tar.gz"),
             ("server that never answers",
              f"http://127.0.0.1:{silent.getsockname()[1]}/c.tar.gz")]
    with tempfile.TemporaryDirectory() as tmp:
        for label, url in cases:
            cifar.FILES["cifar10"] = replace(cifar.FILES["cifar10"], url=url)
            t = time.perf_counter()
            try:
                datasets.download("cifar10", Path(tmp) / label.replace(" ", "-"))
            except ActlensError as exc:
                message = str(exc)
            print(f"download, {label}: error after {time.perf_counter() - t:.2f} s:"
                  f" {message[:90]}…")
    silent.close()


def disk_full(data: Path) -> None:
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))

    from tensorboard.backend.event_processing import event_accumulator as ea

    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, "-m", "activation_lens", "export", "--data-root", str(data),
                            "--allow-unverified", "--logdir", tmp], capture_output=True,
                           text=True, preexec_fn=limit, cwd=HERE.parent)
        acc = ea.EventAccumulator(tmp, size_guidance={ea.IMAGES: 0})
        acc.Reload()
        steps = [e.step for e in acc.Images("input")]
        print(f"disk full (2 MB limit): exit {r.returncode}, readable steps {len(steps)}"
              f" (0..{max(steps)}), message: {r.stderr.strip().splitlines()[-1][:120]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        print(f"data: {build(data)}")
        os.environ["ACTLENS_SETTINGS"] = str(Path(tmp) / "settings.ini")
        rapid_requests(data)
        offline_download()
        disk_full(data)


if __name__ == "__main__":
    main()
