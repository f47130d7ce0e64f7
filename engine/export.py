"""Export a session to TensorBoard: what the panels show, one grid image per tag per step.

The default session writes tags ``input``, ``output_relu`` and ``output_sigmoid`` whose decoded
pixels equal what ``SummaryWriter.add_images`` writes for the tutorial's float tensors. Each
step (batch index) is one event record holding every tag, written and flushed in order, so an
interrupted export keeps every finished step. PNG encoding runs on a thread pool.

:class:`ExportRequest` says what to export; the log dir and its run folders are
engine/logdirs.py, the event file engine/events.py, the summary values engine/summaries.py.
"""

from __future__ import annotations

import operator
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cpu import encoder_threads
from .errors import ActlensError, CancelledError, quote_user
from .logdirs import check_logdir, logdir_path, open_event_log, remove_dirs
from .module_process import Superseded
from .pipeline import Engine, StepRequest
from .summaries import histogram_value, image_values, tensorboard_command, text_value


@dataclass(frozen=True)
class ExportRequest:
    """What to export: the session's step ``request``, the ``logdir`` to write a run into,
    the ``batches`` (``all``, ``A:B``, ``i,j,k``, or indices) and whether value
    ``histograms`` go along.

    Made, it is checked as far as it can be without the disk or the data: the log dir's name
    (``~`` expanded; ``logdir`` is then a Path) and the batches' syntax. :meth:`check_logdir`
    looks at the disk, :meth:`batch_indices` at the number of batches of the split.
    """

    request: StepRequest
    logdir: Path
    batches: str | tuple[int, ...] = "all"
    histograms: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.request, StepRequest):
            raise TypeError(f"an export needs a StepRequest, not {type(self.request).__name__}")
        object.__setattr__(self, "logdir", logdir_path(self.logdir))
        object.__setattr__(self, "histograms", bool(self.histograms))
        if isinstance(self.batches, str):
            _read_batches(self.batches)
        else:
            picked = tuple(operator.index(i) for i in self.batches)
            if not picked:
                raise ActlensError("no batches to export")
            object.__setattr__(self, "batches", picked)

    def with_(self, **changes) -> ExportRequest:
        return replace(self, **changes)

    def check_logdir(self) -> None:
        """ActlensError unless the log dir can be written or made (creating nothing)."""
        check_logdir(self.logdir)

    def batch_indices(self, num_batches: int) -> list[int]:
        """The batches to export, in order, of a split of ``num_batches``; ActlensError for
        one that does not exist."""
        if isinstance(self.batches, str):
            return parse_batches(self.batches, num_batches)
        return _existing(list(self.batches), num_batches, ",".join(map(str, self.batches)))

    def step_request(self) -> StepRequest:
        """The request each step runs: no raw values kept, and statistics and histograms
        only when histograms are exported (they cost passes per panel)."""
        return self.request.with_(keep_raw=False, stats=self.histograms,
                                  histograms=("*",) if self.histograms else ())


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


def parse_batches(text: str, num_batches: int) -> list[int]:
    """``all``, ``A:B`` (B exclusive; either end may be left out) or ``i,j,k``."""
    read = _read_batches(text)
    if read is None:
        return list(range(num_batches))
    if isinstance(read, tuple):
        start = 0 if read[0] is None else read[0]
        stop = num_batches if read[1] is None else read[1]
        if not 0 <= start < stop <= num_batches:
            raise ActlensError(
                f"batch range {quote_user(text.strip())} is outside 0:{num_batches} (there are"
                f" {num_batches} batches, 0 to {num_batches - 1})"
            )
        return list(range(start, stop))
    return _existing(read, num_batches, text.strip())


def _read_batches(text: str) -> None | tuple[int | None, int | None] | list[int]:
    """What ``text`` names before the number of batches is known: None for all, a range
    ``(start, stop)`` (None for an end left out) or a list of indices."""
    text = (text or "all").strip()
    if text == "all":
        return None
    try:
        if ":" in text:
            a, _, b = text.partition(":")
            return (int(a) if a.strip() else None, int(b) if b.strip() else None)
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise ActlensError(
            f"cannot read batches '{quote_user(text)}'; use all, A:B (e.g. 0:10) or a list like"
            " 0,5,9"
        ) from None


def _existing(picked: list[int], num_batches: int, text: str) -> list[int]:
    """``picked`` (read from ``text``), sorted without repeats, when every index is a batch
    of the split."""
    last = num_batches - 1
    bad = [i for i in picked if not 0 <= i <= last]
    if bad or not picked:
        raise ActlensError(
            f"batch {quote_user(bad[0]) if bad else quote_user(text)} does not exist; batches"
            f" run from 0 to {last}"
        )
    return sorted(set(picked))


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
    from . import modes

    return [f"| {k} | {v} |" for k, v in modes.get(request.mode).export_rows(request)]


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

    before = engine.superseded
    if cancel is not None:  # a module's step in hand gives way at once to a cancel
        engine.superseded = lambda: cancel.is_set() or before()
    try:
        _write_each(engine, request, picked, outcome, histograms, cancel, pending, workers,
                    finish_one)
    finally:
        engine.superseded = before


def _write_each(engine, request, picked, outcome, histograms, cancel, pending, workers,
                finish_one) -> None:
    """:func:`_write_steps`' loop: a step computed here, its PNGs encoded on the pool."""
    with ThreadPoolExecutor(workers, thread_name_prefix="actlens-png") as pool:
        for step in picked:
            if cancel is not None and cancel.is_set():
                outcome.cancelled = True
                break
            try:
                result = engine.run(request.with_(batch_index=step))
            except Superseded:  # cancelled while a module's step was on its way: not waited for
                outcome.cancelled = True
                break
            outcome.tags = [p.tag for p in result.panels]
            images = [(p.tag, p.images) for p in result.panels]
            hists = [histogram_value(p) for p in result.panels] if histograms else []
            pending.append((step, pool.submit(image_values, images), hists))
            while len(pending) > workers:
                finish_one()
        while pending:
            finish_one()


def export_session(
    export: ExportRequest | StepRequest,
    logdir: os.PathLike | str | None = None,
    batches: str | Sequence[int] = "all",
    *,
    histograms: bool = False,
    engine: Engine | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> ExportOutcome:
    """Write ``export``'s batches of its session to a new event file in its log dir.

    ``export`` is an :class:`ExportRequest`, or a StepRequest that makes one with ``logdir``,
    ``batches`` and ``histograms``. ``progress(done, total)`` is called after each step is on
    disk; setting ``cancel`` stops after the step in hand, keeping every finished step.
    Raises ActlensError for user errors.
    """
    if not isinstance(export, ExportRequest):
        export = ExportRequest(export, logdir, batches, histograms)
    elif logdir is not None or batches != "all" or histograms:
        raise TypeError("give an ExportRequest alone: its log dir, batches and histograms")
    export.check_logdir()
    if engine is None:
        with closing(Engine()) as engine:  # and the module's process, if one was started
            return export_session(export, engine=engine, progress=progress, cancel=cancel,
                                  workers=workers)
    request = export.step_request()
    source = engine.source(request)
    num_batches = source.num_batches(request.batch_size)
    picked = export.batch_indices(num_batches)
    if not picked:
        raise ActlensError("no batches to export")
    started = time.perf_counter()
    log, created, new_run = _open_log(export.logdir)
    outcome = ExportOutcome(logdir=log.path.parent, event_file=log.path,
                            tensorboard_logdir=export.logdir, new_run=new_run)
    try:
        log.summary(0, [text_value("session", session_text(request, picked, num_batches))])
        _write_steps(engine, request, picked, log, outcome, export.histograms,
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
            remove_dirs(created)
    if outcome.cancelled and not outcome.steps_written:
        raise CancelledError("export cancelled before any step was written")
    outcome.notes = tuple(getattr(source, "notes", ()))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _open_log(logdir: Path):
    """:func:`open_event_log`, its OSError one clear line."""
    try:
        return open_event_log(logdir)
    except OSError as exc:
        raise ActlensError(
            f"cannot write an event file in {quote_user(str(logdir), 200)}:"
            f" {exc.strerror or exc}") from None
