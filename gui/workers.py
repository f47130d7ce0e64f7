"""Background threads. Qt objects are touched on the GUI thread only; results cross as
Python objects holding numpy arrays and copied QImages.

``StepWorker`` is one long-lived thread that owns the engine: it imports torch, then computes
the newest request (older pending ones are dropped). ``TaskThread`` runs one long job
(export, download) with progress and cooperative cancel.
"""

from __future__ import annotations

import os
import threading
import traceback
from dataclasses import dataclass

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

from gui.qimage import rgb_to_qimage

GRID_PAD = 2


@dataclass
class StepView:
    """A step's result plus one padded grid image per panel, ready to paint."""

    result: object  # engine.pipeline.StepResult
    grids: list[QImage]
    ncols: int
    pad: int = GRID_PAD


def describe_error(exc: BaseException) -> str:
    from engine.errors import ActlensError

    if isinstance(exc, ActlensError):
        return str(exc)
    return f"unexpected error: {type(exc).__name__}: {exc}"


class StepWorker(QThread):
    ready = Signal(object)  # list[DeviceInfo], once torch is imported
    startup_failed = Signal(str)
    result = Signal(object)  # StepView
    failed = Signal(int, object)  # request id, exception

    def __init__(self, parent=None):
        super().__init__(parent)
        # A Python condition, not QMutexLocker: PySide6 6.12's QMutexLocker context manager
        # drops a reference to None on every exit and eventually aborts the interpreter.
        self._cond = threading.Condition()
        self._pending = None
        self._abort = False

    def submit(self, request) -> None:
        """Queue ``request``, replacing any request not yet started (the newest wins)."""
        with self._cond:
            self._pending = request
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._abort = True
            self._pending = None
            self._cond.notify()
        self.wait()

    def run(self) -> None:
        try:
            import torch

            from engine.devices import available_devices
            from engine.pipeline import Engine

            # Intra-op threads are a per-thread setting: set it here, where the work runs. The
            # GUI thread is idle while a step computes, so every core helps latency.
            torch.set_num_threads(os.cpu_count() or 1)
            engine = Engine()
            devices = available_devices()
        except Exception as exc:  # a broken torch install must not kill the window
            self.startup_failed.emit(f"{type(exc).__name__}: {exc}")
            return
        if not self._aborted():
            self.ready.emit(devices)
        while True:
            with self._cond:
                while self._pending is None and not self._abort:
                    self._cond.wait()
                if self._abort:
                    return
                request, self._pending = self._pending, None
            try:
                view = self._compute(engine, request)
            except Exception as exc:
                if os.environ.get("ACTLENS_DEBUG"):
                    traceback.print_exc()
                if not self._aborted():
                    self.failed.emit(request.id, exc)
                continue
            if not self._aborted():
                self.result.emit(view)

    def _aborted(self) -> bool:
        with self._cond:
            return self._abort

    @staticmethod
    def _compute(engine, request) -> StepView:
        from engine.imaging import GRID_COLUMNS, make_grid

        result = engine.run(request)
        grids = [
            rgb_to_qimage(make_grid(p.images, GRID_COLUMNS, pad=GRID_PAD, pad_value=40))
            for p in result.panels
        ]
        return StepView(result, grids, min(GRID_COLUMNS, len(result.batch.labels)))


class TaskThread(QThread):
    """Runs ``job(progress, cancel)`` once; reports progress, the outcome or the error."""

    progress = Signal(int, int)
    finished_ok = Signal(object)
    failed = Signal(object)

    def __init__(self, job, parent=None):
        super().__init__(parent)
        self._job = job
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def stop(self) -> None:
        self.cancel_event.set()
        self.wait()

    def run(self) -> None:
        try:
            outcome = self._job(self._report, self.cancel_event)
        except Exception as exc:
            if os.environ.get("ACTLENS_DEBUG"):
                traceback.print_exc()
            self.failed.emit(exc)
            return
        self.finished_ok.emit(outcome)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)
