"""Application start-up: the window appears at once; torch is imported in the background."""

from __future__ import annotations

import argparse
import os
import sys

from ..engine import RESOURCES
from ..engine.cli import OneLineParser
from ..engine.errors import ActlensError
from ..engine.registry import parse_spec_list
from ..engine.session import add_session_options, check_view_options


def resource(name: str) -> bytes | None:
    """A file shipped in the package (style sheet, icon), however it was installed: a wheel,
    ``pip install .`` or an editable checkout."""
    from importlib import resources

    try:
        return resources.files(RESOURCES).joinpath(name).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("activation-lens")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The window's command line: the session options both command lines share. An option
    left out is None, so the remembered session stands."""
    p = OneLineParser(
        prog="actlens",
        description="Activation Lens: see what non-linear activations do to real images.",
        epilog="Commands: actlens export|devices|activations|download --help",
    )
    add_session_options(p, defaults=False)
    from .i18n import LANGUAGES

    p.add_argument("--lang", choices=sorted(LANGUAGES), default=None,
                   help="the window's language (default: as set under View → Language, else"
                        " the system's)")
    p.add_argument("--version", action="version", version=f"actlens {version()}")
    args = p.parse_args(argv)
    try:
        check_view_options(args)
        _check_paths(args)
    except ActlensError as exc:
        p.error(str(exc))
    if args.activations is not None:
        try:
            parse_spec_list(args.activations)
        except ActlensError as exc:
            p.error(str(exc))
    return args


def _check_paths(args: argparse.Namespace) -> None:
    """The paths given on the command line can be paths at all (not too long, no unknown
    ~user): said before the window opens."""
    from ..engine import objects
    from ..engine.data.datasets import expand_path

    for option, what in (("data_root", "data folder"), ("weights", "weights file"),
                         ("model", "module file")):
        value = getattr(args, option, None)
        if value and not objects.is_key(value):
            expand_path(value, what)


def launch_options(**given) -> argparse.Namespace:
    """The window's options as :func:`parse_args` returns them, with ``given`` set
    (for scripts and tests that open a window)."""
    args = parse_args([])
    for name, value in given.items():
        if not hasattr(args, name):
            raise TypeError(f"unknown window option {name!r}")
        setattr(args, name, value)
    return args


def run_app(argv: list[str]) -> int:
    args = parse_args(argv)
    from ..engine.settings import open_settings
    from .main_window import MainWindow

    settings = open_settings()  # read once: the language, then the window's session
    app = prepare_app(args.lang, settings)
    window = MainWindow(args, settings)
    window.show()
    if os.environ.get("ACTLENS_TRACE_STARTUP"):
        _trace_startup(app, window)
    _quit_on_sigint(window)
    _report_unexpected_errors(window)
    window.start()
    code = app.exec()
    _exit_past_busy_workers(code)
    return code


def prepare_app(lang, settings):
    """The application (the running one, if any): its names, the language, the icon, the
    style sheet and the wheel guard (:mod:`.wheel`). The language is installed once per
    application."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .i18n import chosen_language, install

    app = QApplication.instance()
    if app is None:  # ours: named; an application someone else made keeps its names
        app = QApplication([sys.argv[0] if sys.argv else "actlens"])
        app.setApplicationName("Activation Lens")
        app.setOrganizationName("ActivationLens")
        app.setDesktopFileName("actlens")
    if app.property("actlens_language") is None:
        language = chosen_language(lang, settings)
        app.translators = install(app, language)
        app.setProperty("actlens_language", language)  # what the window speaks now
    icon = resource("actlens.svg")
    if icon is not None:
        from PySide6.QtGui import QPixmap

        pixmap = QPixmap()
        pixmap.loadFromData(icon, "SVG")
        app.setWindowIcon(QIcon(pixmap))
    style = resource("style.qss")
    if style is not None:
        app.setStyleSheet(style.decode("utf-8"))
    from .wheel import install as guard_the_wheel

    guard_the_wheel(app)
    return app


def _exit_past_busy_workers(code: int) -> None:
    """A worker left inside torch (closing waits 2 s for it) would crash the interpreter's
    shutdown under it; the window has saved everything by now, so end the process here."""
    import threading

    if any(t.name.startswith("actlens-") and t.is_alive() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


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

    from .workers import describe_error

    def hook(kind, value, tb):
        traceback.print_exception(kind, value, tb)
        window.show_error(describe_error(value))

    sys.excepthook = hook


def _trace_startup(app, window) -> None:
    """Print wall-clock times of 'window shown', 'first look' (the input as read, before
    torch) and 'first batch painted' to stderr
    (used by benchmarks/bench_gui.py)."""
    import time

    app.processEvents()
    print(f"actlens-trace window-shown {time.time():.4f}", file=sys.stderr, flush=True)
    print(f"actlens-trace style-sheet {len(app.styleSheet())}", file=sys.stderr, flush=True)
    ours = [t for t in getattr(app, "translators", ()) if hasattr(t, "catalog")]
    print(f"actlens-trace catalogues {len(ours)}", file=sys.stderr, flush=True)

    def first_look(_view):
        print(f"actlens-trace first-look {time.time():.4f}", file=sys.stderr, flush=True)
        window.controller.looked.disconnect(first_look)

    window.controller.looked.connect(first_look)

    def first_batch(_latency):
        print(f"actlens-trace first-batch {time.time():.4f}", file=sys.stderr, flush=True)
        window.controller.step_shown.disconnect(first_batch)

    window.controller.step_shown.connect(first_batch)
