"""The headless command line: ``actlens export``, ``devices``, ``activations``, ``download``.

Never imports Qt. User errors print one line on stderr and exit non-zero; ``--verbose``
adds the traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import time
import traceback

from . import modes
from .data.datasets import dataset_names
from .errors import ActlensError, CancelledError, DatasetMissingError, quote_user
from .session import Session, add_preprocess_option, add_session_options, bounded_int

COMMANDS = ("export", "train", "devices", "activations", "download", *modes.commands())
EXIT_USER_ERROR = 2
EXIT_CANCELLED = 130


class OneLineParser(argparse.ArgumentParser):
    """argparse whose usage errors are one line (the usage is one ``--help`` away), quoting
    at most a short piece of any value."""

    raises = False  # the Python API's parsers raise ActlensError instead of exiting

    def error(self, message: str):
        message = re.sub(r"'([^']{81,})'", lambda m: f"'{quote_user(m.group(1))}'",
                         message, flags=re.S)
        if OneLineParser.raises:
            raise ActlensError(quote_user(message, 400))
        self.exit(EXIT_USER_ERROR, f"{self.prog}: error: {quote_user(message, 400)}"
                                   f" (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from .registry import describe_all

    parser = OneLineParser(
        prog="actlens",
        description="Activation Lens: see what non-linear activations do to real images."
        " Without a command, opens the window.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    ex = sub.add_parser(
        "export",
        help="export a session to TensorBoard without opening the window",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="activations:\n" + describe_all(),
    )
    add_session_options(ex, defaults=True)
    ex.add_argument("--logdir", required=True, help="TensorBoard log directory to write into")
    ex.add_argument("--batches", default="all", help="all, A:B (B exclusive) or i,j,k")
    ex.add_argument("--histograms", action="store_true", help="also write value histograms")
    ex.add_argument("--no-download", action="store_true",
                    help="fail instead of downloading a missing data set")
    ex.add_argument("--verbose", action="store_true", help="show tracebacks")

    _add_train_parser(sub)

    for name, mode in modes.commands().items():
        mp = sub.add_parser(name, help=mode.command_help)
        add_session_options(mp, defaults=True)
        mode.add_command_arguments(mp)
        mp.add_argument("--verbose", action="store_true", help="show tracebacks")

    dv = sub.add_parser("devices", help="list the compute devices available here")
    dv.add_argument("--verbose", action="store_true")
    ac = sub.add_parser("activations", help="list every activation and its parameters")
    ac.add_argument("--verbose", action="store_true")
    dl = sub.add_parser("download", help="download a data set into the data root")
    dl.add_argument("--data-root", help="folder to download into (default: $ACTLENS_DATA_ROOT"
                    " or the user data directory)")
    dl.add_argument("--dataset", default=Session.dataset, choices=dataset_names())
    dl.add_argument("--verbose", action="store_true", help="show tracebacks")
    return parser


def _add_train_parser(sub) -> None:
    """``actlens train`` and its options; ``--preprocess`` and ``--no-download`` as the
    export takes them."""
    tr = sub.add_parser(
        "train", help="train the small CNN once per activation and compare",
        description="Train the same small CNN once per activation (same seed, data and"
        " recipe), then print each one's held-out accuracy, final loss and training time."
        " The trained weights are saved in a run folder beside the data, for"
        " 'actlens --network --weights'.")
    tr.add_argument("--activations", default="relu,identity,tanh,sigmoid",
                    help="the activations to compare (default: relu,identity,tanh,sigmoid)")
    tr.add_argument("--epochs", type=bounded_int(1, 1000), default=4,
                    help="passes over the training images (default: 4)")
    tr.add_argument("--lr", type=float, default=2e-3,
                    help="Adam's learning rate (default: 0.002)")
    tr.add_argument("--seed", type=bounded_int(0, 2**31 - 1), default=0,
                    help="initial weights and data order, the same for every activation"
                    " (default: 0)")
    tr.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N, mps or auto")
    tr.add_argument("--logdir", help="write TensorBoard scalars here, one run per activation")
    tr.add_argument("--train-on-test", action="store_true",
                    help="train on the first 80%% of the test split even if a train split exists")
    tr.add_argument("--data-root", help="folder holding the data set")
    tr.add_argument("--dataset", default=Session.dataset, choices=dataset_names(),
                    help=f"the data set to train on (default: {Session.dataset})")
    tr.add_argument("--allow-unverified", action="store_true",
                    help="load data files that fail the official checksum, as plain data only")
    add_preprocess_option(tr, Session.preprocess, "what the network trains on, as the window's"
                          " Preprocess")
    tr.add_argument("--no-download", action="store_true",
                    help="fail instead of downloading a missing data set")
    tr.add_argument("--verbose", action="store_true", help="show tracebacks")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            return _export(args)
        if args.command == "train":
            return _train(args)
        if args.command in modes.commands():
            return modes.commands()[args.command].run_command(args)
        if args.command == "devices":
            return _devices()
        if args.command == "activations":
            from .registry import describe_all

            print(describe_all())
            return 0
        if args.command == "download":
            _download(args.dataset, _root(args))
            return 0
        parser.print_help()
        return EXIT_USER_ERROR
    except CancelledError as exc:
        print(f"actlens: {exc}", file=sys.stderr)
        return EXIT_CANCELLED
    except ActlensError as exc:
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"actlens: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("actlens: interrupted", file=sys.stderr)
        return EXIT_CANCELLED
    except Exception as exc:  # a bug: still one line unless --verbose
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"actlens: internal error: {type(exc).__name__}: {quote_user(str(exc), 200)}"
              " (run with --verbose for details)", file=sys.stderr)
        return 1


def _root(args):
    from .data.datasets import expand_path
    from .pipeline import data_root_or_default

    given = expand_path(args.data_root, "data root") if args.data_root else None
    return data_root_or_default(given)


def _devices() -> int:
    from .devices import available_devices

    for d in available_devices():
        print(f"{d.id:<8} {d.name}")
    return 0


def _download(dataset: str, root) -> None:
    from .data import datasets

    bar = ProgressBar(f"downloading {dataset}", unit="MB", scale=1 / 1e6)
    with _cancel_on_sigint() as cancel:
        kept = datasets.download(dataset, root, progress=bar.update, cancel=cancel)
    bar.done()
    print(f"{dataset} is in {root}", file=sys.stderr)
    if kept is not None:
        print(f"the copy that was there differs from the download: it is kept in {kept}",
              file=sys.stderr)


def _export(args) -> int:
    from .data import datasets
    from .export import ExportRequest
    from .pipeline import Engine

    # Every argument is checked before any data is loaded or downloaded, and before anything
    # is created: the log dir is made only when the event file is.
    session = Session().with_args(args)
    export = ExportRequest(session.request(data_root=str(_root(args))), args.logdir,
                           args.batches, args.histograms)
    export.check_logdir()
    check_device(args.device)
    engine = Engine()
    try:
        outcome = _export_steps(engine, export, args)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt) and \
                threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupted: let it end cleanly
        _note_module_log(_close_module(engine))
        raise
    module_log = _close_module(engine)
    if outcome.new_run:
        print(f"actlens: {outcome.tensorboard_logdir} already held an export, so this one is a"
              f" separate run in {outcome.logdir} (TensorBoard merges a folder's event files)",
              file=sys.stderr)
    n = len(outcome.steps_written)
    state = "cancelled; kept" if outcome.cancelled else "wrote"
    info = datasets.dataset_info(args.dataset)
    what = info.title if info.user_folder else args.dataset
    notes = f" ({what}: {'; '.join(outcome.notes)})" if outcome.notes else ""
    print(
        f"actlens: {state} {n} step{'s' if n != 1 else ''} x {len(outcome.tags)} tags"
        f" ({', '.join(outcome.tags)}) to {outcome.event_file} in {outcome.seconds:.1f} s{notes}",
        file=sys.stderr,
    )
    print("View it with (TensorBoard shows only 10 steps per tag unless told otherwise):",
          file=sys.stderr)
    print(outcome.tensorboard_command)
    _note_module_log(module_log)
    return EXIT_CANCELLED if outcome.cancelled else 0


def _close_module(engine) -> str | None:
    """End the module's process, whatever threads it started; the log it printed to, if
    it printed anything."""
    process, engine.module_process = engine.module_process, None
    if process is None:
        return None
    process.close(keep_log=True)
    return process.log_path if os.path.exists(process.log_path) else None


def _note_module_log(path: str | None) -> None:
    if path:
        print(f"actlens: what the module printed is in {path}", file=sys.stderr)


def _export_steps(engine, export, args):
    from . import modes
    from .export import export_session

    modes.get(export.request.mode).warm_up(engine, export.request)
    try:
        engine.source(export.request)
    except DatasetMissingError as exc:
        _download_missing(exc, args)
    bar = ProgressBar("exporting", unit="steps")
    with _cancel_on_sigint() as cancel:
        outcome = export_session(export, engine=engine, progress=bar.update, cancel=cancel)
    bar.done()
    return outcome


def _download_missing(exc: DatasetMissingError, args) -> None:
    """A missing data set is downloaded, unless ``--no-download`` says not to (or it cannot
    be); then the caller opens it again."""
    from .data import datasets

    if args.no_download or not datasets.can_download(args.dataset):
        raise ActlensError(f"{exc}; run without --no-download to download it") from None
    print(f"actlens: {exc}; downloading", file=sys.stderr)
    _download(args.dataset, exc.root)


def _train_settings(args):
    """The run's settings from the command line, every one checked."""
    import math

    from .registry import parse_spec_list
    from .train import TrainSettings

    specs = tuple(parse_spec_list(args.activations))
    if not (math.isfinite(args.lr) and 0 < args.lr <= 1):
        raise ActlensError(f"--lr must be above 0 and at most 1 (got {quote_user(args.lr)})")
    check_device(args.device)
    return TrainSettings(specs, args.epochs, args.lr, args.seed, device=args.device,
                         preprocess=args.preprocess)


def _train(args) -> int:
    from .train import TrainLog, discard_empty_run, load_training_data, run_folder, train_all

    settings = _train_settings(args)
    specs = settings.specs
    request = Session().with_args(args).request(data_root=str(_root(args)))
    try:
        data = load_training_data(request, args.train_on_test)
    except DatasetMissingError as exc:
        _download_missing(exc, args)
        data = load_training_data(request, args.train_on_test)
    print(f"actlens: {settings.recipe(data)}", file=sys.stderr)

    folder = run_folder(_root(args), settings)  # writable, or said now, before training
    log = None
    if args.logdir:
        from .logdirs import check_logdir, logdir_path

        check_logdir(logdir_path(args.logdir))
        log = TrainLog(logdir_path(args.logdir), data)
    bar = ProgressBar("training", unit="batches")
    total = len(specs)

    def report(p):
        done = specs.index(p.spec) * p.steps + p.step
        bar.update(done, p.steps * total)
        if log is not None:
            log.report(p)

    try:
        with _cancel_on_sigint() as cancel:
            results = train_all(data, settings, report, cancel,
                                on_epoch=lambda s, net, e: log and log.epoch_maps(s, net, e, settings))
    except BaseException:
        discard_empty_run(folder)
        raise
    finally:
        bar.done()
        if log is not None:
            log.close()
    print(results_table(results, settings, data))  # the figures come first: a save that fails keeps them
    sys.stdout.flush()
    _save_training(results, folder, settings, data)
    if log is not None:
        print(f"tensorboard --logdir {args.logdir}")
    return EXIT_CANCELLED if any(r.cancelled for r in results) else 0


def _save_training(results, folder, settings, data) -> None:
    from .train import UnsavedRun, discard_empty_run, save_run

    try:
        save_run(results, folder, settings, data)
    except UnsavedRun as exc:
        discard_empty_run(folder)
        raise ActlensError(f"saving the trained weights in {quote_user(str(folder), 200)} failed"
                           f" ({exc.reason}); the table above holds the run's figures") from None
    print(f"actlens: trained weights in {folder}; see them with: actlens --network --weights"
          f" {folder}", file=sys.stderr)


def results_table(results, settings, data) -> str:
    """The recipe, the figures, how the seconds were taken, and a note for each mark."""
    from .cpu import training_threads
    from .devices import resolve_device
    from .train import TIMING, chance_note, sigmoid_note

    rows = [f"recipe: {settings.recipe(data)}",
            f"{'activation':<28} {'held-out accuracy':>18} {'held-out loss':>14} {'seconds*':>8}"]
    for r in results:
        acc = f"{r.accuracies[-1] * 100:.1f}%" if r.accuracies else "-"
        loss = f"{r.heldout_losses[-1]:.3f}" if r.heldout_losses else "-"
        state = " (cancelled)" if r.cancelled else " (diverged)" if r.diverged else \
            " (stayed at chance)" if r.stayed_at_chance else ""
        rows.append(f"{str(r.spec) + state:<28} {acc:>18} {loss:>14} {r.seconds:>8.1f}")
    where = settings.device
    if resolve_device(settings.device).type == "cpu":
        where += f", {training_threads()} threads"
    rows.append(f"* seconds: {TIMING} ({where}); the warm-up took"
                f" {sum(r.warmup_seconds for r in results):.1f} s, not counted")
    if any(r.diverged for r in results):
        rows.append("diverged: its loss grew instead of falling (to inf or NaN, or above twice"
                    " a guess's); try a smaller --lr")
    rows += [str(note) for note in (chance_note(results), sigmoid_note(results)) if note]
    return "\n".join(rows)


def check_device(text: str) -> None:
    """The device exists here; a long name is quoted shortened in the error."""
    from .devices import resolve_device

    try:
        resolve_device(text)
    except ActlensError as exc:
        if len(text) <= 80:
            raise
        raise ActlensError(str(exc).replace(text, quote_user(text))) from None


class _cancel_on_sigint:
    """First Ctrl-C sets a cancel flag (finish the step, keep the file); a second one aborts."""

    def __enter__(self) -> threading.Event:
        self.event = threading.Event()
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self.event

    def _handle(self, signum, frame):
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        print("\nactlens: cancelling after the current step (Ctrl-C again to abort)",
              file=sys.stderr)

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


class ProgressBar:
    """A one-line progress bar on stderr (a line per 10% when stderr is not a terminal)."""

    def __init__(self, label: str, unit: str, scale: float = 1.0, width: int = 30):
        self.label, self.unit, self.scale, self.width = label, unit, scale, width
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.last_decile = -1
        self.shown = False

    def update(self, done: int, total: int) -> None:
        frac = done / total if total else 0.0
        d, t = done * self.scale, total * self.scale
        amount = f"{d:.0f}/{t:.0f} {self.unit}" if total else f"{d:.1f} {self.unit}"
        if self.tty:
            filled = int(self.width * frac)
            bar = "#" * filled + "-" * (self.width - filled)
            rate = d / max(time.perf_counter() - self.start, 1e-9)
            sys.stderr.write(f"\r{self.label} [{bar}] {amount} ({rate:.1f} {self.unit}/s)")
            sys.stderr.flush()
            self.shown = True
        elif total and int(frac * 10) > self.last_decile:
            self.last_decile = int(frac * 10)
            print(f"{self.label}: {amount}", file=sys.stderr)

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
