"""Drag and drop onto the window: a folder opens as an image folder, a ``.py`` file as a module
(File → Open module…, with its warning), ``.pt``/``.pth`` weights or a training run's
``run.json`` as the network's weights. Only local files are taken."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject

from engine.errors import quote_user
from gui.data_dialog import FOLDER, path_kind
from gui.model_files import is_weights_file


def local_paths(mime) -> list[str]:
    """The local files and folders ``mime`` carries; empty when anything else is in it."""
    if mime is None or not mime.hasUrls():
        return []
    urls = mime.urls()
    paths = [url.toLocalFile() for url in urls if url.isLocalFile()]
    return paths if len(paths) == len(urls) and all(paths) else []


class Drops(QObject):
    """Installed on ``window`` (a MainWindow): takes what is dropped on any part of it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if local_paths(event.mimeData()):
                event.acceptProposedAction()
            else:
                event.ignore()  # the cursor says no
            return True
        if kind == QEvent.Type.Drop:
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.open(paths)
            else:
                event.ignore()
            return True
        return super().eventFilter(watched, event)

    def open(self, paths: list[str]) -> None:
        """Open what was dropped; anything else is one message and changes nothing."""
        if len(paths) != 1:
            self.window.show_error(self.tr(
                "Drop one file or folder at a time ({0} were dropped).").format(len(paths)))
            return
        path = Path(paths[0])
        shown = quote_user(str(path), 200)
        if not self.window.controller.engine_ready:
            self.window.show_error(self.tr("{0} can be opened once PyTorch has loaded: drop it"
                                           " again in a moment.").format(shown))
            return
        kind = path_kind(str(path))
        if kind == "folder":
            self.window.data_prompt.open_root(str(path), FOLDER)
        elif kind != "file":
            self.window.show_error(self.tr("{0} cannot be opened: it is not a file or folder"
                                           " (or it is gone).")
                                   .format(shown))
        elif path.suffix.lower() == ".py":
            self.window.models.choose(str(path))
        elif is_weights_file(str(path)):
            self.window.models.use_weights(str(path))
        else:
            self.window.show_error(self.tr(
                "{0} cannot be opened here: drop an image folder, a module file (.py),"
                " network weights (.pt, .pth) or a training run's run.json.").format(shown))
