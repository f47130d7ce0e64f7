"""Between the window and the engine: one object owns every background job.

:class:`StepController` runs steps, the inspector's small jobs (an activation's curve, a
panel's histograms), training, exports, downloads and saves, all off the GUI thread, each
kind under the rule :data:`KINDS` gives it: the newest wins (an older job not yet started is
replaced, and its answer or error, if it comes, is dropped), or one at a time until it ends
or the user cancels it, or every job to its end. A job's outcome comes back as
``answered(kind, key, value)``, its progress as ``progressed(kind, key, args)`` and its error
as ``failed(kind, key, exception)``: one route for every error, steps' included.

Steps are numbered; a result that a newer request superseded is dropped, except the frames
of a parameter being dragged, which are shown on the way to the newest. Each step is timed
from request to repaint. The controller holds the current result: :attr:`last_view`, the
newest view shown (with the histograms computed since); the others ask it.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from .workers import STOP_TIMEOUT_S, StepWorker, TaskThread

STEP, CURVE, HISTOGRAMS = "step", "curve", "histograms"
TRAINING, EXPORT, DOWNLOAD, SAVE = "training", "export", "download", "save"
NEWEST, ONE, EVERY = "newest", "one", "every"
SLOW_AFTER_S = 0.4  # a step not shown by then is said to be computing


@dataclass(frozen=True)
class JobKind:
    """How the controller runs one kind of job.

    ``rule``: NEWEST, a newer job of the kind supersedes an older one (one not yet started
    is replaced; an answer or error to any but the newest is dropped); ONE, never
    superseded (only the user cancels it), and a second is refused while one runs; EVERY,
    never superseded, jobs of different keys run side by side (one of the same key is
    refused).
    ``on_worker``: it runs on the step worker's thread, between steps (it needs the engine).
    ``in_place``: whoever asked shows its errors where its answer would have been, so the
    window's error banner does not repeat them."""

    rule: str
    on_worker: bool = False
    in_place: bool = False


KINDS = {
    STEP: JobKind(NEWEST, on_worker=True),
    CURVE: JobKind(NEWEST, on_worker=True, in_place=True),  # the Curve tab says it
    HISTOGRAMS: JobKind(NEWEST, on_worker=True),
    TRAINING: JobKind(ONE, in_place=True),  # the training dock's status line
    EXPORT: JobKind(ONE, in_place=True),  # the export dialog's message
    DOWNLOAD: JobKind(ONE, in_place=True),  # the missing-data dialog
    SAVE: JobKind(EVERY),  # key: (what, path); two saves of one file are refused
}


class StepController(QObject):
    ready = Signal(object)  # list[DeviceInfo], once torch is imported
    startup_failed = Signal(str)
    looked = Signal(object)  # StepView: the first batch's images as read, while torch loads
    shown = Signal(object)  # StepView of the newest request; slots paint it
    step_shown = Signal(float)  # seconds from request to the `shown` slots having returned
    answered = Signal(str, object, object)  # kind, key, the job's outcome
    progressed = Signal(str, object, object)  # kind, key, the arguments of a progress call
    failed = Signal(str, object, object)  # kind, key, exception (a step's key: its request)
    slow = Signal(object)  # the newest request has not been shown SLOW_AFTER_S after it was asked

    def __init__(self, parent=None):
        super().__init__(parent)
        self.worker = StepWorker(self)
        self.worker.ready.connect(self._on_ready)
        self.worker.startup_failed.connect(self.startup_failed)
        self.worker.result.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)
        self.worker.answered.connect(self._on_answer)
        self.worker.looked.connect(self._on_looked)
        self._ids = itertools.count(1)
        self._serials = itertools.count(1)  # of the small jobs asked of the worker
        self.engine_ready = False
        self.latest_id = 0
        self.shown_id = 0
        self._slow_timer = QTimer(self, singleShot=True, interval=int(SLOW_AFTER_S * 1000))
        self._slow_timer.timeout.connect(self._check_slow)
        self.last_request = None
        self.last_view = None
        self._requested_at: dict[int, float] = {}
        self._asked: dict[str, tuple[int, object]] = {}  # kind -> (serial, key) of the newest
        self._tasks: dict[tuple[str, object], TaskThread] = {}

    @property
    def current_result(self):
        """The StepResult shown now (None before the first)."""
        return self.last_view.result if self.last_view is not None else None

    def start(self, looks=()) -> None:
        """Import torch in the background; ``ready`` follows. ``looks``: requests whose
        images are read first, the first whose data is there sent as ``looked`` unless a
        step has been shown by then."""
        self.worker.start(looks)

    @Slot(object)
    def _on_looked(self, view) -> None:
        if self.last_view is None:
            self.looked.emit(view)

    def stop(self) -> None:
        """End every job: tasks are cancelled and the worker stopped at once, then each is
        waited for until STOP_TIMEOUT_S have passed in all; any still running is abandoned."""
        threads = [*self._tasks.values(), self.worker]
        self._tasks.clear()
        for thread in threads:
            thread.request_stop()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for thread in threads:
            thread.stop(deadline - time.monotonic())
        if self.worker.engine is not None:
            self.worker.engine.close()  # even if the worker was abandoned

    # --- the module's process ----------------------------------------------------------

    def _module_process(self):
        engine = self.worker.engine
        return engine.module_process if engine is not None else None

    def stop_module(self) -> None:
        """Kill the module's process now (a step waiting on it ends with that reason)."""
        process = self._module_process()
        if process is not None:
            process.stop()

    def restart_module(self, step: bool = True) -> None:
        """A fresh process for the module, and (``step``) the last step asked again."""
        process = self._module_process()
        if process is not None:
            process.restart()
        if step and self.last_request is not None:
            self.submit(self.last_request)

    def module_state(self) -> tuple[str, str]:
        """``(state, log)``: "none", "running", "stopped" or "idle", and what it printed."""
        process = self._module_process()
        if process is None:
            return "none", ""
        state = "stopped" if process.stopped else "running" if process.running() else "idle"
        return state, process.log_text()

    # --- steps ---------------------------------------------------------------------------

    def submit(self, request):
        """Number ``request`` and hand it to the worker; returns the numbered request."""
        request = request.with_(id=next(self._ids))
        self.latest_id = request.id
        self.last_request = request
        self._requested_at[request.id] = time.perf_counter()
        self.worker.submit(request)
        self._slow_timer.start()
        return request

    def _check_slow(self) -> None:
        if self.pending():
            self.slow.emit(self.last_request)

    def pending(self) -> bool:
        """A step is computing whose result will replace the one shown."""
        return self.latest_id != self.shown_id

    def cached_source(self, request):
        """The data ``request`` reads if the engine holds it in memory already, else None
        (any thread may call it: it only looks into the engine's cache)."""
        engine = self.worker.engine
        return engine.cached_source(request) if engine is not None else None

    # --- the inspector's jobs --------------------------------------------------------------

    def curve(self, key, *args) -> None:
        """The Curve tab's job (:func:`engine.inspection.curve_data`); only the newest
        question's answer comes back, as ``answered(CURVE, key, CurveData)``."""
        from ..engine.inspection import curve_data

        self._ask(CURVE, key, curve_data, *args)

    def histograms(self, result, tags) -> None:
        """Histograms of ``tags`` in ``result`` from its raw values (no step recomputed). When
        ``result`` is still the one shown, the answer is a copy of it with them filled in,
        which becomes the current result: ``answered(HISTOGRAMS, (result, tags), copy)``."""
        from ..engine.inspection import panel_histograms

        tags = tuple(tags)
        newest = self._asked.get(HISTOGRAMS)
        if newest is not None and newest[1][0] is result and newest[1][1] == tags:
            return  # the same question is on its way
        self._ask(HISTOGRAMS, (result, tags), panel_histograms, result, tags)

    def _ask(self, kind: str, key, fn, *args) -> None:
        serial = next(self._serials)
        self._asked[kind] = (serial, key)
        self.worker.ask(kind, serial, fn, *args)

    # --- tasks on threads of their own -------------------------------------------------------

    def run_task(self, kind: str, key, job) -> TaskThread | None:
        """Run ``job(progress, cancel)`` for a kind that is not on the worker (rule ONE or
        EVERY) on a thread of its own: ``progress(*args)`` reports ``progressed(kind, key,
        args)``, ``cancel`` is a threading.Event the job checks between its steps. Returns
        the thread, or None when the kind's rule refuses the job (then nothing starts)."""
        if KINDS[kind].on_worker:
            raise ValueError(f"{kind} jobs run on the step worker")
        if (kind, key) in self._tasks or KINDS[kind].rule == ONE and self.running(kind):
            return None
        task = TaskThread(kind, key, job, self)
        task.progress.connect(self._on_task_progress)
        task.finished_ok.connect(self._on_task_done)
        task.failed.connect(self._on_task_failed)
        self._tasks[(kind, key)] = task
        task.start()
        return task

    def running(self, kind: str, key=None) -> bool:
        """A task of ``kind`` (with ``key``, when given) has started and not yet reported
        its end."""
        return any(k == kind and (key is None or k_key is key or k_key == key)
                   for k, k_key in self._tasks)

    def cancel(self, kind: str, key) -> None:
        """Ask a task to end early; it still reports its outcome (what it kept) or error."""
        task = self._tasks.get((kind, key))
        if task is not None:
            task.cancel()

    def stop_task(self, kind: str, key) -> None:
        """Cancel a task and wait a few seconds for it (its owner is closing); nothing it
        reports afterwards is delivered."""
        task = self._tasks.pop((kind, key), None)
        if task is not None:
            task.stop()

    # --- what the threads report --------------------------------------------------------------

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
            self._slow_timer.stop()  # it has ended: not "computing" any more
            self.failed.emit(STEP, self.last_request, exc)

    @Slot(str, object, object)
    def _on_answer(self, kind: str, serial, value) -> None:
        newest = self._asked.get(kind)
        if newest is None or newest[0] != serial:
            return  # a newer question of this kind superseded it
        key = self._asked.pop(kind)[1]
        if isinstance(value, Exception):
            self.failed.emit(kind, key, value)
            return
        if kind == HISTOGRAMS:
            value = self._with_histograms(key[0], value)
            if value is None:
                return  # a newer step is shown: the inspector asks for its histograms
        self.answered.emit(kind, key, value)

    def _with_histograms(self, result, hists):
        """The current result again with ``hists`` filled in, now the current result; None
        when ``result`` is no longer the one shown."""
        view = self.last_view
        if view is None or view.result is not result:
            return None
        panels = [replace(p, hist=hists[p.tag]) if p.tag in hists else p for p in result.panels]
        self.last_view = replace(view, result=replace(result, panels=panels))
        return self.last_view.result

    def _current(self, task) -> bool:
        """``task`` is still this controller's: not stopped by its owner or at closing."""
        return self._tasks.get((task.kind, task.key)) is task

    def _end(self, task) -> bool:
        """``task`` has sent its last report: forget it; True if it was still current."""
        task.signals.deleteLater()
        current = self._current(task)
        if current:
            del self._tasks[(task.kind, task.key)]
        return current

    @Slot(object, object)
    def _on_task_progress(self, task, args) -> None:
        if self._current(task):
            self.progressed.emit(task.kind, task.key, args)

    @Slot(object, object)
    def _on_task_done(self, task, outcome) -> None:
        if self._end(task):
            self.answered.emit(task.kind, task.key, outcome)

    @Slot(object, object)
    def _on_task_failed(self, task, exc) -> None:
        if self._end(task):
            self.failed.emit(task.kind, task.key, exc)


def _on_the_way(done, newest) -> bool:
    """``done`` differs from ``newest`` only in the activations' parameters: a frame of a
    parameter being dragged, shown while the newest value computes (on a large batch, every
    step ends after the next move)."""
    return newest is not None and done.with_(id=0, activations=(), histograms=()) == \
        newest.with_(id=0, activations=(), histograms=())
