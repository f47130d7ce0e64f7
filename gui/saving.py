"""File → Save…: the view as one PNG, each panel's exact pixels, the statistics; Edit → Copy
view: the same picture of the view on the clipboard.

The picture of the view is grabbed on the GUI thread (widgets live there); encoding it and
writing every file are the controller's save jobs, on a thread of their own. Each save runs
to its end beside any other; a second save of the same file while the first is written is
refused with a message.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QAction, QGuiApplication, QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog

from .controller import SAVE

MAX_VIEW_PIXELS = 60_000_000  # a 240 MB picture: beyond it, grabbing freezes the window


def write_png(image: QImage, path: str) -> str | None:
    """Encode ``image`` as a PNG file at ``path`` (on a save job's thread); None if Qt could
    not write it."""
    return path if image.save(path, "PNG") else None


class SaveActions(QObject):
    """The save and copy actions of the window; ``controller`` holds the StepView on screen
    (``last_view``) and runs the saves."""

    def __init__(self, window, controller, panels):
        super().__init__(window)
        self.window, self.controller, self.panels = window, controller, panels
        controller.answered.connect(self._on_saved)
        self.view_action = QAction(self.tr("Save view as PNG…"), window)
        self.view_action.setShortcut(QKeySequence("Ctrl+S"))
        self.view_action.triggered.connect(lambda: self.save_view())
        self.panels_action = QAction(self.tr("Save each panel as PNG…"), window)
        self.panels_action.triggered.connect(lambda: self.save_panels())
        self.stats_action = QAction(self.tr("Save statistics (CSV or JSON)…"), window)
        self.stats_action.triggered.connect(lambda: self.save_stats())
        self.actions = [self.view_action, self.panels_action, self.stats_action]
        self.copy_action = QAction(self.tr("Copy view"), window)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_action.setToolTip(self.tr("The panels as they look, as one image on the"
                                            " clipboard"))
        self.copy_action.triggered.connect(lambda: self.copy_view())
        window.addAction(self.copy_action)

    def shown(self):
        """The StepView on screen, or None before the first batch."""
        return self.controller.last_view

    def _batch(self) -> int:
        return self.shown().result.batch.index

    def render(self) -> QImage | None:
        """The panels as they look: titles, statistics, badges; None (and a message) when the
        view is too large to hold as one picture or could not be drawn."""
        size = self.panels.widget().size()
        scale = self.panels.widget().devicePixelRatioF()  # a picture holds device pixels
        if size.width() * size.height() * scale * scale > MAX_VIEW_PIXELS:
            self.window.show_error(self.tr(
                "The view is {0} × {1} pixels, too large for one picture: zoom out (Ctrl+0"
                " fits it to the window), or save each panel as PNG.").format(
                size.width(), size.height()))
            return None
        image = self.panels.widget().grab().toImage()
        if image.isNull():
            self.window.show_error(self.tr("The view could not be drawn as a picture (not"
                                           " enough memory?)."))
            return None
        return image

    def save_view(self, path: str | None = None) -> None:
        """The panels as they look (titles, statistics, badges) in one PNG."""
        if self.shown() is None:
            return
        image = self.render()  # first: a view too large is refused before a name is asked
        if image is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self.window, self.tr("Save view"), f"batch{self._batch():05d}.png",
            self.tr("PNG image") + " (*.png)")[0]
        if path:
            self._save("view", path, write_png, image, path)

    def copy_view(self) -> None:
        """The picture :meth:`save_view` writes, on the clipboard."""
        if self.shown() is None:
            self.window.show_error(self.tr("Nothing to copy yet: load a batch first."))
            return
        image = self.render()
        if image is None:
            return
        QGuiApplication.clipboard().setImage(image)
        self.window.statusBar().showMessage(
            self.tr("Copied the view ({0} × {1} pixels) to the clipboard")
            .format(image.width(), image.height()), 5000)

    def save_panels(self, folder: str | None = None) -> None:
        """Each panel's grid at its exact pixels, one PNG per panel."""
        if self.shown() is None:
            return
        folder = folder or QFileDialog.getExistingDirectory(
            self.window, self.tr("Folder for the panel PNGs"))
        if folder:
            from ..engine.inspection import save_panel_pngs

            self._save("panels", folder, save_panel_pngs, self.shown().result, folder)

    def save_stats(self, path: str | None = None) -> None:
        if self.shown() is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self.window, self.tr("Save statistics"), f"batch{self._batch():05d}-stats.csv",
            "CSV (*.csv);;JSON (*.json)")[0]
        if path:
            from ..engine.inspection import save_stats

            self._save("stats", path, save_stats, self.shown().result, path)

    def _save(self, what: str, path: str, write, *args) -> None:
        """``write(*args)`` as the controller's save job ``(what, path)``; its error comes back
        on the controller's error route, which the window shows."""
        if self.controller.run_task(SAVE, (what, path), lambda _p, _c: write(*args)) is None:
            self.window.show_error(self.tr("{0} is still being saved.").format(path))

    @Slot(str, object, object)
    def _on_saved(self, kind: str, key, written) -> None:
        if kind != SAVE:
            return
        what, path = key
        if written is None:  # the view's PNG: Qt could not write it
            self.window.show_error(self.tr("Could not save {0}").format(path))
            return
        text = self.tr("{0} PNGs in {1}").format(len(written), path) if what == "panels" \
            else str(written)
        self.window.statusBar().showMessage(self.tr("Saved {0}").format(text), 5000)
