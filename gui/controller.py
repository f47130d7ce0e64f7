"""Between the window and the engine: one object owns the step worker and what it answers.

:class:`StepController` numbers requests, drops results that a newer request superseded
(except the frames of a parameter being dragged, which are shown on the way to the newest),
times each step from request to repaint, routes errors of the newest request, and runs the
small jobs the inspector asks for (an activation's curve, a panel's histogram) on the worker,
never on the GUI thread.
"""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import QObject, Signal, Slot

from gui.workers import StepWorker


class StepController(QObject):
    ready = Signal(object)  # list[DeviceInfo], once torch is imported
    startup_failed = Signal(str)
    shown = Signal(object)  # StepView of the newest request; slots paint it
    step_failed = Signal(object, object)  # (StepRequest, exception) of the newest request
    step_shown = Signal(float)  # seconds from request to the `shown` slots having returned
    curve_ready = Signal(object, object)  # the question's key, curve_data's answer or an error
    histograms_ready = Signal(object, object)  # StepResult, {tag: (counts, edges)}

    def __init__(self, parent=None):
        super().__init__(parent)
        self.worker = StepWorker(self)
        self.worker.ready.connect(self._on_ready)
        self.worker.startup_failed.connect(self.startup_failed)
        self.worker.result.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.worker.answered.connect(self._on_answer)
        self._ids = itertools.count(1)
        self.engine_ready = False
        self.latest_id = 0
        self.shown_id = 0
        self.last_request = None
        self.last_view = None
        self._requested_at: dict[int, float] = {}

    def start(self) -> None:
        """Import torch in the background; ``ready`` follows."""
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def submit(self, request):
        """Number ``request`` and hand it to the worker; returns the numbered request."""
        request = request.with_(id=next(self._ids))
        self.latest_id = request.id
        self.last_request = request
        self._requested_at[request.id] = time.perf_counter()
        self.worker.submit(request)
        return request

    def pending(self) -> bool:
        """A step is computing whose result will replace the one shown."""
        return self.latest_id != self.shown_id

    def curve(self, key, *args) -> None:
        """The Curve tab's job (:func:`engine.inspection.curve_data`); the worker keeps only the
        newest question of a kind, and the answer comes back as ``curve_ready(key, value)``."""
        from engine.inspection import curve_data

        self.worker.ask("curve", key, curve_data, *args)

    def histograms(self, result, tags) -> None:
        """Histograms of ``tags`` in ``result`` from its raw values (no step recomputed)."""
        from engine.inspection import panel_histograms

        self.worker.ask("histograms", result, panel_histograms, result, tuple(tags))

    @Slot(object)
    def _on_ready(self, devices) -> None:
        self.engine_ready = True
        self.ready.emit(devices)

    @Slot(object)
    def _on_result(self, view) -> None:
        request_id = view.result.request.id
        if request_id <= self.shown_id or (request_id != self.latest_id and not _on_the_way(
                view.result.request, self.last_request)):
            return  # superseded: a batch or data set the user has left
        self.last_view = view
        self.shown_id = request_id
        self.shown.emit(view)
        started = self._requested_at.pop(request_id, None)
        self._requested_at = {k: v for k, v in self._requested_at.items() if k > request_id}
        if started is not None:
            self.step_shown.emit(time.perf_counter() - started)

    @Slot(int, object)
    def _on_failed(self, request_id: int, exc) -> None:
        if request_id == self.latest_id:
            self.step_failed.emit(self.last_request, exc)

    @Slot(str, object, object)
    def _on_answer(self, kind: str, token, value) -> None:
        if kind == "curve":
            self.curve_ready.emit(token, value)
        elif kind == "histograms" and not isinstance(value, Exception):
            self.histograms_ready.emit(token, value)


def _on_the_way(done, newest) -> bool:
    """``done`` differs from ``newest`` only in the activations' parameters: a frame of a
    parameter being dragged, shown while the newest value computes (on a large batch, every
    step ends after the next move)."""
    return newest is not None and done.with_(id=0, activations=(), histograms=()) == \
        newest.with_(id=0, activations=(), histograms=())
