"""Application start-up: the window appears at once; torch is imported in the background."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _bounded(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") \
                from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high} (got {text[:40]})")
        return value

    return parse


def parse_args(argv: list[str]):
    from engine.cli import DATASET_CHOICES
    from engine.display import DISPLAYS
    from engine.pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE
    from engine.preprocess import PREPROCESSING

    p = argparse.ArgumentParser(
        prog="actlens",
        description="Activation Lens: see what non-linear activations do to real images.",
        epilog="Commands: actlens export|devices|activations|download --help",
    )
    p.add_argument("--data-root", help="folder holding the data set")
    p.add_argument("--dataset", choices=DATASET_CHOICES)
    p.add_argument("--split", choices=("test", "train"))
    p.add_argument("--device", help="cpu, cuda, cuda:N, mps or auto")
    p.add_argument("--batch-size", type=_bounded(1, MAX_BATCH_SIZE), help="images per batch")
    p.add_argument("--image-size", type=_bounded(4, MAX_IMAGE_SIZE),
                   help="image folders: square size in pixels")
    p.add_argument("--coarse-labels", action="store_true", help="CIFAR-100: 20 superclasses")
    p.add_argument("--activations", help="e.g. relu,sigmoid,leaky_relu(negative_slope=0.2)")
    p.add_argument("--preprocess", choices=list(PREPROCESSING))
    p.add_argument("--display", choices=list(DISPLAYS))
    p.add_argument("--allow-unverified", action="store_true",
                   help="load data files that fail the official checksum, as plain data only")
    args = p.parse_args(argv)
    if args.activations is not None:
        from engine.errors import ActlensError
        from engine.registry import parse_spec_list

        try:
            parse_spec_list(args.activations)
        except ActlensError as exc:
            p.error(str(exc))
    return args


def run_app(argv: list[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from gui.main_window import LaunchOptions, MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Activation Lens")
    app.setOrganizationName("ActivationLens")
    app.setDesktopFileName("actlens")
    icon = RESOURCES / "actlens.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    style = RESOURCES / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text())
    window = MainWindow(LaunchOptions(**vars(args)))
    window.show()
    if os.environ.get("ACTLENS_TRACE_STARTUP"):
        _trace_startup(app, window)
    _quit_on_sigint(window)
    _report_unexpected_errors(window)
    window.start()
    return app.exec()


def _quit_on_sigint(window) -> None:
    """Ctrl-C in the terminal closes the window cleanly (threads stopped, settings saved)."""
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: window.close())
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)  # let Python run its signal handlers now and then
    timer.start(250)


def _report_unexpected_errors(window) -> None:
    """A bug in a slot shows in the window and on stderr instead of passing unnoticed."""
    import traceback

    def hook(kind, value, tb):
        traceback.print_exception(kind, value, tb)
        window.show_error(f"unexpected error: {kind.__name__}: {value}")

    sys.excepthook = hook


def _trace_startup(app, window) -> None:
    """Print wall-clock times of 'window shown' and 'first batch painted' to stderr
    (used by benchmarks/bench_gui.py)."""
    import time

    app.processEvents()
    print(f"actlens-trace window-shown {time.time():.4f}", file=sys.stderr, flush=True)

    def first_batch(_latency):
        print(f"actlens-trace first-batch {time.time():.4f}", file=sys.stderr, flush=True)
        window.step_shown.disconnect(first_batch)

    window.step_shown.connect(first_batch)
