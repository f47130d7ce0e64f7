"""The window's docks, each built the first time it is needed (pyqtgraph, which both use,
would slow the start-up): the inspector and the training dock, with their View actions."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence


class Docks:
    """``port``: the window (:class:`gui.window_port.WindowPort`); ``controller``: its
    :class:`gui.controller.StepController`, which the docks' jobs go through."""

    def __init__(self, port, controller):
        self.port, self.controller = port, controller
        self.inspector = None
        self.training = None
        translate = QCoreApplication.translate
        self.inspector_action = self._toggle(translate("Docks", "Inspector"), "Ctrl+I",
                                             self._show_inspector)
        self.training_action = self._toggle(translate("Docks", "Training"), "Ctrl+T",
                                            self._show_training)

    def _toggle(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self.port.widget)
        action.setShortcut(QKeySequence(key))
        action.setCheckable(True)
        action.triggered.connect(slot)  # the user's: a dock behind a tab only unchecks it
        self.port.widget.addAction(action)
        return action

    def ensure_inspector(self):
        if self.inspector is None:
            from .inspector import InspectorDock

            dock = InspectorDock(self.controller, self.port.widget)
            self._add(dock, self.inspector_action)
            dock.set_activation(self.port.current_spec())
            self.inspector = dock
            if self.controller.last_view is not None:
                dock.show_result(self.controller.last_view.result)
        return self.inspector

    def ensure_training(self):
        if self.training is None:
            from .training import TrainingDock

            self.training = TrainingDock(self.controller, self.port.session, self.port.widget,
                                         self.port.settings)
            self.training.show_trained.connect(
                lambda folder: self.port.edit({"mode": "network", "weights": folder}))
            self._add(self.training, self.training_action)
        return self.training

    def _add(self, dock, action) -> None:
        dock.hide()
        self.port.widget.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.visibilityChanged.connect(action.setChecked)

    def open(self, dock, other) -> None:
        """Show ``dock`` in front. Where ``other`` is open on the same side, ``dock`` opens
        as a tab beside it rather than sharing its height: each then has the whole side."""
        docks = self.port.widget  # the parent of the docks
        if (not dock.isVisible() and other is not None and other.isVisible()
                and not other.isFloating() and not dock.isFloating()
                and docks.dockWidgetArea(other) == docks.dockWidgetArea(dock)
                and other not in docks.tabifiedDockWidgets(dock)):
            docks.tabifyDockWidget(other, dock)
        dock.show()
        dock.raise_()

    def show_inspector(self):
        """The inspector, built if need be, open and in front."""
        self.open(self.ensure_inspector(), self.training)
        return self.inspector

    def reopen(self, settings) -> None:
        """The docks that were open when the window last closed, where they were."""
        docks = [d for key, d in (("window/inspector", self.ensure_inspector),
                                  ("window/training", self.ensure_training))
                 if settings.flag(key, False)]
        opened = [make() for make in docks]
        state = settings.blob("window/state")
        if state is not None:
            self.port.widget.restoreState(QByteArray(state))
        for dock in opened:
            dock.show()

    def save(self, settings) -> None:
        settings.set("window/inspector", self.inspector is not None and self.inspector.isVisible())
        settings.set("window/training", self.training is not None and self.training.isVisible())
        if self.training is not None:
            self.training.remember(settings)

    def _show_inspector(self, on: bool) -> None:
        if on:
            self.show_inspector()
        elif self.inspector is not None:
            self.inspector.hide()

    def _show_training(self, on: bool) -> None:
        if on:
            self.open(self.ensure_training(), self.inspector)
        elif self.training is not None:
            self.training.hide()

    def may_close(self) -> bool:
        """False if the user keeps the window open (a trained run is not saved yet)."""
        return self.training is None or self.training.may_close()

    def stop(self) -> None:
        if self.training is not None:
            self.training.stop()
