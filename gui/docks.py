"""The window's docks, each built the first time it is needed (pyqtgraph, which both use,
would slow the start-up): the inspector and the training dock, with their View actions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence


class Docks:
    def __init__(self, window):
        self.window = window
        self.inspector = None
        self.training = None
        translate = QCoreApplication.translate
        self.inspector_action = self._toggle(translate("Docks", "Inspector"), "Ctrl+I",
                                             self._show_inspector)
        self.training_action = self._toggle(translate("Docks", "Training"), "Ctrl+T",
                                            self._show_training)

    def _toggle(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(key))
        action.setCheckable(True)
        action.toggled.connect(slot)
        self.window.addAction(action)
        return action

    def ensure_inspector(self):
        if self.inspector is None:
            from gui.inspector import InspectorDock

            w = self.window
            dock = InspectorDock(w.controller, w)
            self._add(dock, self.inspector_action)
            dock.set_activation(w.form.activations.current_spec())
            self.inspector = dock
            if w.last_view is not None:
                dock.show_result(w.last_view.result)
        return self.inspector

    def ensure_training(self):
        if self.training is None:
            from gui.training import TrainingDock

            w = self.window
            worker = w.controller.worker
            self.training = TrainingDock(
                lambda: w.session,
                lambda req: worker.engine.cached_source(req) if worker.engine else None, w)
            self.training.show_trained.connect(
                lambda folder: w.edit({"mode": "network", "weights": folder}))
            self._add(self.training, self.training_action)
        return self.training

    def _add(self, dock, action) -> None:
        dock.hide()
        self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.visibilityChanged.connect(action.setChecked)

    def reopen(self, settings) -> None:
        """The docks that were open when the window last closed, where they were."""
        docks = [d for key, d in (("window/inspector", self.ensure_inspector),
                                  ("window/training", self.ensure_training))
                 if settings.flag(key, False)]
        opened = [make() for make in docks]
        state = settings.blob("window/state")
        if state is not None:
            self.window.restoreState(QByteArray(state))
        for dock in opened:
            dock.show()

    def save(self, settings) -> None:
        settings.set("window/inspector", self.inspector is not None and self.inspector.isVisible())
        settings.set("window/training", self.training is not None and self.training.isVisible())

    def _show_inspector(self, on: bool) -> None:
        if on:
            self.ensure_inspector().show()
        elif self.inspector is not None:
            self.inspector.hide()

    def _show_training(self, on: bool) -> None:
        if on:
            self.ensure_training().show()
        elif self.training is not None:
            self.training.hide()

    def stop(self) -> None:
        if self.training is not None:
            self.training.stop()
