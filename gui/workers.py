"""Background threads. Qt objects are touched on the GUI thread only; results cross as
Python objects holding numpy arrays and copied QImages.

``StepWorker`` is one long-lived thread that owns the engine: it imports torch, then computes
the newest request (older pending ones are dropped) and the inspector's small jobs.
``TaskThread`` runs one long job (training, an export, a download, a save) with progress and
cooperative cancel. Both are daemon threads that report through signals of a QObject living
in the GUI thread; :class:`gui.controller.StepController` starts them all, and closing waits a
few seconds for them and then abandons any that are stuck, so the window always closes.
"""

from __future__ import annotations

import os
import sys
import threading
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QImage

from ..engine.errors import ActlensError
from .i18n import engine_text
from .qimage import rgb_to_qimage

GRID_PAD = 2


@dataclass
class StepView:
    """A step's result plus one padded grid image per panel, ready to paint."""

    result: object  # engine.pipeline.StepResult
    grids: list[QImage]
    ncols: int
    pad: int = GRID_PAD


def view_of(result) -> StepView:
    """``result`` (engine.pipeline.StepResult) with one padded grid image per panel."""
    from ..engine.imaging import GRID_COLUMNS, make_grid

    grids = [rgb_to_qimage(make_grid(p.images, GRID_COLUMNS, pad=GRID_PAD, pad_value=40))
             for p in result.panels]
    return StepView(result, grids, min(GRID_COLUMNS, len(result.batch.labels)))


def describe_error(exc: BaseException) -> str:
    """One line for the window, in its language where the engine's text allows."""
    if isinstance(exc, ActlensError):
        message = exc.args[0] if len(exc.args) == 1 else str(exc)
        return engine_text(message)
    return QCoreApplication.translate("Errors", "unexpected error: {0}: {1}").format(
        type(exc).__name__, exc)


STOP_TIMEOUT_S = 2.0  # closing waits this long for a thread, then abandons it


class _StepSignals(QObject):
    ready = Signal(object)  # list[DeviceInfo], once torch is imported
    startup_failed = Signal(str)
    result = Signal(object)  # StepView
    failed = Signal(int, object)  # request id, exception
    answered = Signal(str, object, object)  # kind, token, value: a small job's answer
    looked = Signal(object)  # StepView of the first batch as read, before torch has loaded


class _TaskSignals(QObject):
    progress = Signal(object, object)  # the TaskThread, the arguments of its progress call
    finished_ok = Signal(object, object)  # the TaskThread, what its job returned
    failed = Signal(object, object)  # the TaskThread, the exception


class _Background:
    """A daemon Python thread whose signals live on a QObject of the GUI thread.

    Not a QThread: a QThread must be waited for before it is destroyed, so a load stuck in
    a hostile file would hold the window open. A daemon thread that does not stop within
    :data:`STOP_TIMEOUT_S` is abandoned (it emits nothing more, and ends with the process).
    """

    name = "actlens-worker"

    def __init__(self, signals: QObject):
        self.signals = signals
        self._thread = threading.Thread(target=self._main, name=self.name, daemon=True)
        self._abandoned = False

    def start(self) -> None:
        self._thread.start()

    def isRunning(self) -> bool:  # noqa: N802 - the QThread spelling the callers use
        return self._thread.is_alive() and not self._abandoned

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; False if it is still running after ``timeout``."""
        if self._thread.ident is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def request_stop(self) -> None:
        """Ask the thread to end, without waiting for it."""
        raise NotImplementedError

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Ask the thread to end and wait up to ``timeout`` seconds; one still running then is
        abandoned (it emits nothing more). False if it was abandoned."""
        self.request_stop()
        return self._finish(timeout)

    def _finish(self, timeout: float) -> bool:
        ended = self.wait(max(timeout, 0.0))
        if not ended:
            self._abandoned = True
            print(f"actlens: {self.name} did not stop in time; left behind", file=sys.stderr)
        return ended

    def _emit(self, signal, *args) -> None:
        if self._abandoned:
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # the window (and its relay) is already gone
            pass

    def _main(self) -> None:
        raise NotImplementedError


class StepWorker(_Background):
    """Owns the engine: imports torch, then computes the newest step request (the newest
    wins) and small jobs (a curve, histograms; the newest of each kind wins) in between."""

    name = "actlens-step"

    def __init__(self, parent=None):
        super().__init__(_StepSignals(parent))
        self.ready = self.signals.ready
        self.startup_failed = self.signals.startup_failed
        self.result = self.signals.result
        self.failed = self.signals.failed
        self.answered = self.signals.answered
        self.looked = self.signals.looked
        self._looks = ()  # requests whose images may show before torch loads, in order
        self._cond = threading.Condition()
        self._pending = None
        self._jobs: dict[str, tuple] = {}
        self._stepped = False  # the last thing computed was a step
        self._abort = False
        self.engine = None  # once torch is loaded; other threads may only look into it

    def start(self, looks=()) -> None:
        """Start the thread: it reads the images of the first of ``looks`` (StepRequests)
        whose data is there and reports them (``looked``), then imports torch (``ready``)."""
        self._looks = tuple(looks)
        super().start()

    def submit(self, request) -> None:
        """Queue ``request``, replacing any request not yet started (the newest wins)."""
        with self._cond:
            self._pending = request
            self._cond.notify()

    def ask(self, kind: str, token, fn, *args) -> None:
        """Run ``fn(*args)`` on this thread; ``answered(kind, token, value)`` reports it. A
        job not yet started is replaced by a newer one of the same kind."""
        with self._cond:
            self._jobs[kind] = (token, fn, args)
            self._cond.notify()

    def request_stop(self) -> None:
        with self._cond:
            self._abort = True
            self._pending = None
            self._jobs.clear()
            self._cond.notify()

    def _main(self) -> None:
        try:
            from ..engine.pipeline import Engine

            engine = Engine()
            self._first_look(engine)
            from ..engine.cpu import configure_torch
            from ..engine.devices import available_devices

            configure_torch()
            self.engine = engine
            engine.superseded = self._superseded  # a step waiting on a module gives way
            devices = available_devices()
        except Exception as exc:  # a broken torch install must not kill the window
            self._emit(self.startup_failed, f"{type(exc).__name__}: {exc}")
            return
        if not self._aborted():
            self._emit(self.ready, devices)
        while True:
            with self._cond:
                while self._pending is None and not self._jobs and not self._abort:
                    self._cond.wait()
                if self._abort:
                    engine.close()  # the module's process ends with the window
                    return
                # steps and the inspector's jobs take turns: a drag's next step never waits
                # for more than one job, and the Curve tab still follows the drag
                if self._pending is not None and not (self._jobs and self._stepped):
                    job, (request, self._pending) = None, (self._pending, None)
                else:
                    kind = next(iter(self._jobs))
                    job, request = (kind, *self._jobs.pop(kind)), None
                self._stepped = job is None
            if job is not None:
                self._answer(*job)
            else:
                self._step(engine, request)

    def _first_look(self, engine) -> None:
        """The first batch's images, read and sent before torch is imported. Whatever fails
        here fails again in the first step, which reports it; nothing is lost by skipping."""
        from ..engine.errors import DatasetMissingError

        result = None
        for n, request in enumerate(self._looks):
            if self._aborted():
                return
            try:
                result = engine.first_look(request, standing_in=n > 0)
                break
            except DatasetMissingError:  # the next look is what the window shows instead
                continue
            except Exception:  # noqa: BLE001 - the first step says what it was
                return
        if result is None:
            return
        try:
            view = view_of(result)
        except Exception:  # noqa: BLE001 - the first step says what it was
            return
        if not self._aborted():
            self._emit(self.looked, view)

    def _superseded(self) -> bool:
        """A newer step (or the end) waits: the one in hand may give way."""
        with self._cond:
            return self._pending is not None or self._abort

    def _answer(self, kind, token, fn, args) -> None:
        try:
            value = fn(*args)
        except BaseException as exc:  # shown where the answer would have been
            value = exc if isinstance(exc, Exception) else RuntimeError(describe_error(exc))
        if not self._aborted():
            self._emit(self.answered, kind, token, value)

    def _step(self, engine, request) -> None:
        try:
            view = self._compute(engine, request)
        except BaseException as exc:  # the thread lives on whatever a step raises
            if os.environ.get("ACTLENS_DEBUG"):
                traceback.print_exc()
            if not self._aborted():
                self._emit(self.failed, request.id, exc)
            return
        if not self._aborted():
            self._emit(self.result, view)

    def _aborted(self) -> bool:
        with self._cond:
            return self._abort

    @staticmethod
    def _compute(engine, request) -> StepView:
        return view_of(engine.run(request))


class TaskThread(_Background):
    """Runs ``job(progress, cancel)`` once for the job ``kind`` and ``key``; reports each
    ``progress(*args)`` call, the outcome or the error, each signal carrying this thread."""

    name = "actlens-task"

    def __init__(self, kind: str, key, job, parent=None):
        super().__init__(_TaskSignals(parent))
        self.kind, self.key = kind, key
        self.progress = self.signals.progress
        self.finished_ok = self.signals.finished_ok
        self.failed = self.signals.failed
        self._job = job
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        """Ask the job to end early (it checks between its steps and still reports)."""
        self.cancel_event.set()

    request_stop = cancel

    def _main(self) -> None:
        try:
            outcome = self._job(self._report, self.cancel_event)
        except BaseException as exc:  # SystemExit from a user's module too
            if os.environ.get("ACTLENS_DEBUG"):
                traceback.print_exc()
            self._emit(self.failed, self, exc)
            return
        self._emit(self.finished_ok, self, outcome)

    def _report(self, *args) -> None:
        self._emit(self.progress, self, args)
