"""File → Save…: the view as one PNG, each panel's exact pixels, the statistics."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from gui.workers import describe_error


class SaveActions:
    """The three save actions of the window; ``shown()`` gives the StepView on screen."""

    def __init__(self, window, shown, panels):
        self.window, self.shown, self.panels = window, shown, panels
        self.view_action = QAction("Save view as PNG…", window)
        self.view_action.setShortcut(QKeySequence("Ctrl+S"))
        self.view_action.triggered.connect(lambda: self.save_view())
        self.panels_action = QAction("Save each panel as PNG…", window)
        self.panels_action.triggered.connect(lambda: self.save_panels())
        self.stats_action = QAction("Save statistics (CSV or JSON)…", window)
        self.stats_action.triggered.connect(lambda: self.save_stats())
        self.actions = [self.view_action, self.panels_action, self.stats_action]

    def _batch(self) -> int:
        return self.shown().result.batch.index

    def save_view(self, path: str | None = None) -> None:
        """The panels as they look (titles, statistics, badges) in one PNG."""
        if self.shown() is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self.window, "Save view", f"batch{self._batch():05d}.png", "PNG image (*.png)")[0]
        if path:
            self._report(self.panels.widget().grab().save(path, "PNG"), path)

    def save_panels(self, folder: str | None = None) -> None:
        """Each panel's grid at its exact pixels, one PNG per panel."""
        if self.shown() is None:
            return
        folder = folder or QFileDialog.getExistingDirectory(self.window,
                                                            "Folder for the panel PNGs")
        if folder:
            from engine.inspect import save_panel_pngs

            self._run(lambda: f"{len(save_panel_pngs(self.shown().result, folder))} PNGs in"
                              f" {folder}")

    def save_stats(self, path: str | None = None) -> None:
        if self.shown() is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self.window, "Save statistics", f"batch{self._batch():05d}-stats.csv",
            "CSV (*.csv);;JSON (*.json)")[0]
        if path:
            from engine.inspect import save_stats

            self._run(lambda: str(save_stats(self.shown().result, path)))

    def _run(self, save) -> None:
        try:
            what = save()
        except Exception as exc:
            self.window.show_error(describe_error(exc))
            return
        self._report(True, what)

    def _report(self, ok: bool, what: str) -> None:
        if ok:
            self.window.statusBar().showMessage(f"Saved {what}", 5000)
        else:
            self.window.show_error(f"Could not save {what}")
