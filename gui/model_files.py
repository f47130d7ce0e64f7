"""File → Open module… and Open Recent Module: choosing a module file, with the warning that
opening one runs its code (shown the first time), and the recent files (never reopened
silently). Also the network's weights: a state dict, or a training run's ``run.json``."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ..engine.network import RUN_RECORD as RUN_FILE  # a training run's record
from .recent import RecentList

WEIGHT_SUFFIXES = (".pt", ".pth")


def is_weights_file(path: str) -> bool:
    p = Path(path)
    return p.name == RUN_FILE or p.suffix.lower() in WEIGHT_SUFFIXES


class ModelFiles(QObject):
    """Opens what the user chose through the window's ``edit`` (``port``: a
    :class:`gui.window_port.WindowPort`): ``{"model": FILE.py}`` once the user has agreed to
    run it, ``{"weights": ...}`` for the network."""

    def __init__(self, port, controller):
        parent = port.widget
        self.controller = controller
        super().__init__(parent)
        self.port, self.settings = port, port.settings
        self.recent_list = RecentList(self.settings, "models/recent")
        self.warning: QMessageBox | None = None  # the first-time warning, while it shows
        self.open_action = QAction(self.tr("Open module…"), parent)
        self.open_action.setShortcut(QKeySequence("Ctrl+M"))
        self.open_action.triggered.connect(lambda: self.choose())
        parent.addAction(self.open_action)
        self.recent_menu = QMenu(self.tr("Open Recent Module"), parent)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def recent(self) -> list[str]:
        return self.recent_list.entries()

    def choose(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(
            self.port.widget, self.tr("Open a module file"), "",
            self.tr("Python files") + " (*.py)")[0]
        if not path:
            return
        if self.settings.flag("models/warned", False):
            self._open(path)
            return
        from html import escape

        text = self.tr(
            "Opening a module file runs its Python code, with your permissions, like"
            " <tt>python FILE.py</tt> would. Open only files you trust.<br><br>"
            "Activation Lens never reopens a module file by itself: the next time, pick it"
            " again here or under File → Open Recent Module.")
        self.warning = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Open a module file"),
            f"<b>{escape(path)}</b><br><br>{text}",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, self.port.widget)
        self.warning.setModal(True)
        self.warning.finished.connect(lambda _code, p=path: self._answered(p))
        self.warning.open()

    def _answered(self, path: str) -> None:
        box, self.warning = self.warning, None
        if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Open:
            self.settings.set("models/warned", True)
            self._open(path)
        box.deleteLater()

    def _open(self, path: str) -> None:
        self.recent_list.add(path)
        self.controller.restart_module(step=False)  # opened again: run again, even if stopped
        self.port.edit({"model": path, "mode": "module"})

    def _fill_recent(self) -> None:
        self.recent_list.fill(self.recent_menu, str, self.choose, self.tr("No module files yet"))

    # --- the network's weights ---------------------------------------------------------

    def choose_weights(self) -> None:
        path = QFileDialog.getOpenFileName(
            self.port.widget, self.tr("Weights of the network: a state dict, or a training run's"
                                 " run.json"), "",
            self.tr("PyTorch weights or training runs") + " (*.pt *.pth run.json);;"
            + self.tr("All files") + " (*)")[0]
        if path:
            self.use_weights(path)

    def use_weights(self, path: str) -> None:
        """The network view with these weights; a training run's ``run.json`` gives each
        activation its own weights from the run's folder."""
        weights = str(Path(path).parent) if Path(path).name == RUN_FILE else path
        self.port.edit({"weights": weights, "mode": "network"})
