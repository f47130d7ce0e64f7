"""Drag and drop onto the window: a folder opens as an image folder, a ``.py`` file as a module
(File → Open module…, with its warning), ``.pt``/``.pth`` weights or a training run's
``run.json`` as the network's weights. Only local files are taken."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject

from ..engine.data.datasets import user_folder_dataset
from ..engine.errors import quote_user
from .data_dialog import path_kind
from .model_files import is_weights_file


def local_paths(mime) -> list[str]:
    """The local files and folders ``mime`` carries; empty when anything else is in it."""
    if mime is None or not mime.hasUrls():
        return []
    urls = mime.urls()
    paths = [url.toLocalFile() for url in urls if url.isLocalFile()]
    return paths if len(paths) == len(urls) and all(paths) else []


class Drops(QObject):
    """Installed on the window (``port``: a :class:`gui.window_port.WindowPort`): takes what
    is dropped on any part of it. Folders open through ``data_prompt``
    (:class:`gui.data_dialog.DataPrompt`), files through ``models``
    (:class:`gui.model_files.ModelFiles`)."""

    def __init__(self, port, data_prompt, models):
        super().__init__(port.widget)
        self.port, self.data_prompt, self.models = port, data_prompt, models
        port.widget.setAcceptDrops(True)
        port.widget.installEventFilter(self)

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
            self.port.show_error(self.tr(
                "Drop one file or folder at a time ({0} were dropped).").format(len(paths)))
            return
        path = Path(paths[0])
        shown = quote_user(str(path), 200)
        if not self.port.engine_ready():
            self.port.show_error(self.tr("{0} can be opened once PyTorch has loaded: drop it"
                                         " again in a moment.").format(shown))
            return
        kind = path_kind(str(path))
        if kind == "dir":
            self.data_prompt.open_root(str(path), user_folder_dataset())
        elif kind != "file":
            self.port.show_error(self.tr("{0} cannot be opened: it is not a file or folder"
                                         " (or it is gone).")
                                 .format(shown))
        elif path.suffix.lower() == ".py":
            self.models.choose(str(path))
        elif is_weights_file(str(path)):
            self.models.use_weights(str(path))
        else:
            self.port.show_error(self.tr(
                "{0} cannot be opened here: drop an image folder, a module file (.py),"
                " network weights (.pt, .pth) or a training run's run.json.").format(shown))
