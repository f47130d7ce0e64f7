"""File → Open module… and Open Recent: choosing a module file, with the warning that opening
one runs its code (shown the first time), and the recent files (never reopened silently)."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

MAX_RECENT = 8
WARNING = ("Opening a module file runs its Python code, with your permissions, like"
           " <tt>python FILE.py</tt> would. Open only files you trust.<br><br>"
           "Activation Lens never reopens a module file by itself: the next time, pick it"
           " again here or under File → Open Recent.")


class ModelFiles:
    """``use_model(text)`` receives ``FILE.py`` once the user has chosen and agreed."""

    def __init__(self, window, settings, use_model):
        self.window, self.settings, self.use_model = window, settings, use_model
        self.warning: QMessageBox | None = None  # the first-time warning, while it shows
        self.open_action = QAction("Open module…", window)
        self.open_action.setShortcut(QKeySequence("Ctrl+M"))
        self.open_action.triggered.connect(lambda: self.choose())
        window.addAction(self.open_action)
        self.recent_menu = QMenu("Open Recent", window)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def recent(self) -> list[str]:
        text = self.settings.text("models/recent", "")
        return [line for line in text.split("\n") if line.strip()][:MAX_RECENT]

    def choose(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(
            self.window, "Open a module file", "", "Python files (*.py)")[0]
        if not path:
            return
        if self.settings.flag("models/warned", False):
            self._open(path)
            return
        from html import escape

        self.warning = QMessageBox(
            QMessageBox.Icon.Warning, "Open a module file",
            f"<b>{escape(path)}</b><br><br>{WARNING}",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel, self.window)
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
        recent = [path] + [p for p in self.recent() if p != path]
        self.settings.set("models/recent", "\n".join(recent[:MAX_RECENT]))
        self.use_model(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.choose(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No module files yet").setEnabled(False)
