"""Export a session to TensorBoard: what the panels show, one grid image per tag per step.

The default session writes tags ``input``, ``output_relu`` and ``output_sigmoid`` whose decoded
pixels equal what ``SummaryWriter.add_images`` writes for the tutorial's float tensors. Each
step (batch index) is one event record holding every tag, written and flushed in order, so an
interrupted export keeps every finished step. PNG encoding runs on a thread pool.
"""

from __future__ import annotations

import os
import shlex
import stat
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from engine.cpu import encoder_threads
from engine.errors import ActlensError, CancelledError, quote_user
from engine.imaging import encode_png, make_grid
from engine.pipeline import Engine, StepRequest
from engine.text import Text


@dataclass
class ExportOutcome:
    logdir: Path  # the folder the event file is in (a run folder inside the one asked for)
    event_file: Path | None
    steps_written: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    cancelled: bool = False
    seconds: float = 0.0
    # The log dir asked for, which TensorBoard should read so that runs can be compared;
    # differs from ``logdir`` when that already held an export (``new_run``).
    tensorboard_logdir: Path | None = None
    new_run: bool = False
    notes: tuple[str, ...] = ()  # the data set's notes once every exported image was read

    @property
    def tensorboard_command(self) -> str:
        return tensorboard_command(self.tensorboard_logdir or self.logdir, len(self.steps_written))


def samples_flag(steps: int) -> list[str]:
    """TensorBoard's option that shows every exported step: it keeps 10 images per tag by
    default, and ``images=0`` shows none at all in TensorBoard 2.21."""
    return ["--samples_per_plugin", f"images={max(steps, 1)}"]


def tensorboard_command(logdir: os.PathLike | str, steps: int) -> str:
    """The command that shows every exported step of ``logdir``."""
    return shlex.join(["tensorboard", "--logdir", os.fspath(logdir), *samples_flag(steps)])


def parse_batches(text: str, num_batches: int) -> list[int]:
    """``all``, ``A:B`` (B exclusive; either end may be left out) or ``i,j,k``."""
    text = (text or "all").strip()
    shown = quote_user(text)
    last = num_batches - 1
    if text == "all":
        return list(range(num_batches))
    try:
        if ":" in text:
            a, _, b = text.partition(":")
            start = int(a) if a.strip() else 0
            stop = int(b) if b.strip() else num_batches
            if not 0 <= start < stop <= num_batches:
                raise ActlensError(
                    f"batch range {shown} is outside 0:{num_batches} (there are {num_batches}"
                    f" batches, 0 to {last})"
                )
            return list(range(start, stop))
        picked = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise ActlensError(
            f"cannot read batches '{shown}'; use all, A:B (e.g. 0:10) or a list like 0,5,9"
        ) from None
    bad = [i for i in picked if not 0 <= i <= last]
    if bad or not picked:
        raise ActlensError(
            f"batch {quote_user(bad[0]) if bad else shown} does not exist; batches run from 0"
            f" to {last}"
        )
    return sorted(set(picked))


EVENT_PREFIX = "events.out.tfevents."


def logdir_path(logdir: os.PathLike | str) -> Path:
    """``logdir`` as a Path; an empty name is refused (it would mean the current folder)."""
    text = os.fspath(logdir)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise ActlensError("the log dir is empty; give a folder name, e.g. --logdir runs/relu")
    if "\0" in text:
        raise ActlensError(f"log dir {quote_user(text)} is not a valid path")
    from engine.data.datasets import expand_path

    return expand_path(text, "log dir")


def check_logdir(logdir: Path) -> None:
    """Refuse an unusable log directory before any work is done, creating nothing.

    ``logdir`` must be a writable folder, or not exist yet below the nearest existing folder,
    which must then be writable (the folders are created only when the event file is).
    """
    shown = quote_user(str(logdir), 200)
    here = logdir
    while True:
        try:
            st = here.stat()
            break
        except FileNotFoundError:
            if here.parent == here:
                raise ActlensError(Text("cannot create log dir {logdir}: no such place",
                                        logdir=shown)) from None
            here = here.parent
        except NotADirectoryError:
            raise ActlensError(Text("cannot create log dir {logdir}: a part of that path is a"
                                    " file", logdir=shown)) from None
        except (OSError, ValueError) as exc:
            raise ActlensError(
                f"cannot create log dir {shown}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    if not stat.S_ISDIR(st.st_mode):
        if here == logdir:
            raise ActlensError(f"log dir {shown} is not a directory")
        raise ActlensError(Text("cannot create log dir {logdir}: {path} is a file",
                                logdir=shown, path=quote_user(str(here), 200)))
    if not os.access(here, os.W_OK | os.X_OK):
        if here == logdir:
            raise ActlensError(f"log dir {shown} is not writable")
        raise ActlensError(Text("cannot create log dir {logdir}: {path} is not writable",
                                logdir=shown, path=quote_user(str(here), 200)))


def _make_dirs(path: Path) -> list[Path]:
    """``mkdir -p path``; return the folders this call created, outermost first."""
    missing = []
    here = path
    while not here.exists():
        missing.append(here)
        here = here.parent
    created = []
    for d in reversed(missing):
        try:
            d.mkdir()
            created.append(d)
        except FileExistsError:  # another export made it meanwhile
            if not d.is_dir():
                raise
    return created


def _holds_events(folder: Path) -> bool:
    with os.scandir(folder) as it:
        return any(e.name.startswith(EVENT_PREFIX) for e in it)


class _FolderLock:
    """An exclusive ``flock`` on a folder (released when the process ends, however it ends);
    nothing where ``fcntl`` does not exist."""

    def __init__(self, folder: Path):
        self.folder, self.fd = folder, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: go on without one
            pass
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
        return False


def open_event_log(logdir: Path) -> tuple[EventLog, list[Path], bool]:
    """Create ``logdir`` (as needed) and a new event file in it, or, when ``logdir`` already
    holds an export's event files, in a new run folder ``logdir/run-N``: TensorBoard merges
    every event file of one folder into one run, so two exports in one folder would show
    twice the images per step. The check and the file's creation happen under a lock on
    the folder, so two exports started at once still end up in two runs.

    Returns the log, the folders created (outermost first) and whether a run folder was made.
    """
    created = _make_dirs(logdir)
    try:
        with _FolderLock(logdir):
            if not _holds_events(logdir):
                return EventLog(logdir), created, False
            for n in range(2, 100_000):
                run = logdir / f"run-{n}"
                try:
                    run.mkdir()
                except FileExistsError:
                    continue
                created.append(run)
                return EventLog(run), created, True
            raise ActlensError(f"log dir {logdir} holds too many runs already")
    except BaseException:
        _remove_dirs(created)
        raise


def _remove_dirs(created: list[Path]) -> None:
    """Remove the folders an export created, innermost first, where they are still empty."""
    for d in reversed(created):
        try:
            d.rmdir()
        except OSError:
            pass


class EventLog:
    """An append-only TensorBoard event file, written synchronously from one thread."""

    def __init__(self, logdir: Path):
        import socket

        from tensorboard.compat.proto import event_pb2

        self._event_pb2 = event_pb2
        name = f"events.out.tfevents.{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}"
        for n in range(1000):  # never append to another writer's file
            path = logdir / (f"{name}.actlens" if n == 0 else f"{name}.{n}.actlens")
            try:
                self._file = open(path, "xb")
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(f"{logdir} holds 1000 event files named {name}.*")
        self.path = path
        try:
            self.write(event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2"))
        except BaseException:  # e.g. a full disk: leave no empty file that looks like an export
            self._file.close()
            path.unlink(missing_ok=True)
            raise

    def write(self, event) -> None:
        data = event.SerializeToString()
        header = len(data).to_bytes(8, "little")
        self._file.write(
            header
            + _masked_crc(header).to_bytes(4, "little")
            + data
            + _masked_crc(data).to_bytes(4, "little")
        )
        self._file.flush()

    def summary(self, step: int, values) -> None:
        from tensorboard.compat.proto.summary_pb2 import Summary

        self.write(
            self._event_pb2.Event(wall_time=time.time(), step=step, summary=Summary(value=values))
        )

    def close(self) -> None:
        self._file.close()


def _masked_crc(data: bytes) -> int:
    crc = _crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


try:
    from google_crc32c import value as _crc32c
except ImportError:  # pragma: no cover - pure-Python fallback, about 1000x slower
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import crc32c as _crc32c


def _image_values(tags_and_images) -> list:
    from tensorboard.compat.proto.summary_pb2 import Summary

    return [
        Summary.Value(
            tag=tag,
            image=Summary.Image(
                height=grid.shape[0], width=grid.shape[1], colorspace=3,
                encoded_image_string=encode_png(grid),
            ),
        )
        for tag, grid in ((tag, make_grid(images)) for tag, images in tags_and_images)
    ]


def _histogram_value(panel):
    """The panel's histogram as TensorBoard's proto, from the engine's own statistics
    (the numbers the window shows): finite values only."""
    from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary

    counts, edges = panel.hist
    s = panel.stats
    n = s.count - s.nan - s.inf
    empty = n == 0
    return Summary.Value(
        tag=panel.tag,
        histo=HistogramProto(
            min=0.0 if empty else s.min,
            max=0.0 if empty else s.max,
            num=float(n),
            sum=0.0 if empty else s.mean * n,
            sum_squares=0.0 if empty else n * (s.std * s.std + s.mean * s.mean),
            bucket_limit=edges[1:].tolist(),
            bucket=counts.astype(np.float64).tolist(),
        ),
    )


def session_text(request: StepRequest, batches: list[int], num_batches: int) -> str:
    specs = ", ".join(str(s) for s in request.activations)
    return "\n".join(
        [
            "| setting | value |",
            "|---|---|",
            f"| dataset | {request.dataset} ({request.split}) |",
            f"| batch size | {request.batch_size} |",
            f"| batches | {len(batches)} of {num_batches} |",
            f"| preprocess | {request.preprocess} |",
            f"| activations | {specs} |",
            f"| display | {request.display} |",
            f"| device | {request.device} |",
        ] + _mode_rows(request)
    )


def _mode_rows(request: StepRequest) -> list[str]:
    if request.mode == "network":
        weights = request.weights or f"seeded random (seed {request.network_seed})"
        return ["| view | inside the small CNN (conv 3→16, act, avgpool, conv 16→32, act) |",
                f"| weights | {weights} |", f"| image | {request.image} of each batch |"]
    if request.mode == "module":
        return [f"| view | module {request.model} |"]
    return []


def _text_value(tag: str, text: str):
    from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboard.compat.proto.tensor_pb2 import TensorProto
    from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
    tensor = TensorProto(
        dtype="DT_STRING",
        string_val=[text.encode("utf-8")],
        tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]),
    )
    return Summary.Value(tag=tag, metadata=metadata, tensor=tensor)


def _write_steps(engine, request, picked, log, outcome, histograms, progress, cancel,
                 workers) -> None:
    """Compute step after step on this thread while ``workers`` threads encode the PNGs of
    the steps before (zlib releases the GIL); records are written in step order."""
    pending: deque = deque()

    def finish_one() -> None:
        step, future, hists = pending.popleft()
        log.summary(step, future.result() + hists)
        outcome.steps_written.append(step)
        if progress:
            progress(len(outcome.steps_written), len(picked))

    with ThreadPoolExecutor(workers, thread_name_prefix="actlens-png") as pool:
        for step in picked:
            if cancel is not None and cancel.is_set():
                outcome.cancelled = True
                break
            result = engine.run(request.with_(batch_index=step))
            outcome.tags = [p.tag for p in result.panels]
            images = [(p.tag, p.images) for p in result.panels]
            hists = [_histogram_value(p) for p in result.panels] if histograms else []
            pending.append((step, pool.submit(_image_values, images), hists))
            while len(pending) > workers:
                finish_one()
        while pending:
            finish_one()


def export_session(
    request: StepRequest,
    logdir: os.PathLike | str,
    batches: str | list[int] = "all",
    *,
    histograms: bool = False,
    engine: Engine | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> ExportOutcome:
    """Write ``batches`` of ``request``'s session to a new event file in ``logdir``.

    ``progress(done, total)`` is called after each step is on disk; setting ``cancel`` stops
    after the step in hand, keeping every finished step. Raises ActlensError for user errors.
    """
    asked = logdir_path(logdir)
    check_logdir(asked)
    engine = engine or Engine()
    # Statistics and histograms only when histograms are exported: they cost passes per panel.
    request = request.with_(keep_raw=False, stats=histograms,
                            histograms=("*",) if histograms else ())
    source = engine.source(request)
    num_batches = source.num_batches(request.batch_size)
    picked = parse_batches(batches, num_batches) if isinstance(batches, str) else list(batches)
    if not picked:
        raise ActlensError("no batches to export")
    started = time.perf_counter()
    try:
        log, created, new_run = open_event_log(asked)
    except OSError as exc:
        raise ActlensError(
            f"cannot write an event file in {quote_user(str(asked), 200)}:"
            f" {exc.strerror or exc}") from None
    outcome = ExportOutcome(logdir=log.path.parent, event_file=log.path,
                            tensorboard_logdir=asked, new_run=new_run)
    try:
        log.summary(0, [_text_value("session", session_text(request, picked, num_batches))])
        _write_steps(engine, request, picked, log, outcome, histograms,
                     progress, cancel, workers or encoder_threads())
    except OSError as exc:
        raise ActlensError(
            f"writing {log.path} failed: {exc.strerror or exc}; the"
            f" {len(outcome.steps_written)} steps written before it are readable"
        ) from None
    finally:
        try:
            log.close()
        except OSError:
            pass
        if not outcome.steps_written:  # nothing useful: leave no file that looks like an export
            log.path.unlink(missing_ok=True)
            _remove_dirs(created)
    if outcome.cancelled and not outcome.steps_written:
        raise CancelledError("export cancelled before any step was written")
    outcome.notes = tuple(getattr(source, "notes", ()))
    outcome.seconds = time.perf_counter() - started
    return outcome
