"""When the data root lacks the data set: Download (progress, cancel), Choose a folder, Quit."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from gui.fitting_dialog import FittingDialog
from gui.workers import TaskThread, describe_error


class MissingDataDialog(FittingDialog):
    """``result()`` is Accepted when data is in place (downloaded or chosen), else Rejected.
    ``chosen_root`` holds the folder to use."""

    QUIT = 2

    def __init__(self, message: str, dataset: str, root: str, downloadable: bool, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Data set not found")
        self.dataset, self.root = dataset, root
        self.chosen_root = root
        self.task: TaskThread | None = None
        self.text = QLabel(
            f"{message}\n\nDownload it into {root} (about 163 MB for CIFAR-10), or choose a"
            " folder that already holds it."
        )
        self.text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.download_button = QPushButton("Download")
        self.download_button.setEnabled(downloadable)
        self.download_button.clicked.connect(self.start_download)
        self.choose_button = QPushButton("Choose a folder…")
        self.choose_button.clicked.connect(self.choose)
        self.quit_button = QPushButton("Quit")
        self.quit_button.clicked.connect(self._quit_or_cancel)
        row = QHBoxLayout()
        row.addWidget(self.download_button)
        row.addWidget(self.choose_button)
        row.addStretch(1)
        row.addWidget(self.quit_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addLayout(row)
        self.fit_layout(lay, 520)

    def start_download(self) -> None:
        from engine.data import datasets

        dataset, root = self.dataset, self.root

        def job(progress, cancel):
            datasets.download(dataset, root, progress=progress, cancel=cancel)

        self.task = TaskThread(job, self)
        self.task.progress.connect(self._on_progress)
        self.task.finished_ok.connect(self._on_downloaded)
        self.task.failed.connect(self._on_failed)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText("Connecting…")
        self.download_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.quit_button.setText("Cancel")
        self.task.start()

    def choose(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder holding the data set", self.root)
        if path:
            self.chosen_root = path
            self.accept()

    @Slot(object)
    def _on_downloaded(self, _outcome) -> None:
        self.accept()

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(f"{done / 1e6:.1f} of {total / 1e6:.1f} MB")
        else:
            self.status.setText(f"{done / 1e6:.1f} MB")

    @Slot(object)
    def _on_failed(self, exc) -> None:
        self.progress.hide()
        self.status.setText(describe_error(exc))
        self.download_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.quit_button.setText("Quit")

    def _quit_or_cancel(self) -> None:
        if self.task is not None and self.task.isRunning():
            self.task.cancel()
            self.status.setText("Cancelling…")
        else:
            self.done(self.QUIT)

    def stop(self) -> None:
        if self.task is not None:
            self.task.stop()

    def reject(self) -> None:  # Esc / window close: cancel a running download first
        self.stop()
        super().reject()


class DataPrompt:
    """Asks the user for a data folder: the missing-data dialog (download, choose a folder,
    quit) and "Change data folder…". ``use_root(path)`` receives the folder to use."""

    def __init__(self, window, use_root):
        self.window, self.use_root = window, use_root
        self.dialog: MissingDataDialog | None = None

    def missing(self, exc) -> None:
        if self.dialog is not None:
            return
        self.window.placeholder.setText(str(exc))
        self.window.status_label.setText(str(exc))
        self.dialog = MissingDataDialog(str(exc), exc.dataset, exc.root, exc.downloadable,
                                        self.window)
        self.dialog.finished.connect(self._finished)
        self.dialog.open()

    def _finished(self, code: int) -> None:
        dialog, self.dialog = self.dialog, None
        dialog.deleteLater()
        if code == MissingDataDialog.QUIT:
            self.window.close()
        elif code:
            self.use_root(dialog.chosen_root, dialog.dataset)
        else:
            self.window.show_error(
                f"{dialog.dataset} is not loaded. Choose it again under Dataset to download it,"
                " or use 'Change data folder…'.")

    def choose(self, current) -> None:
        path = QFileDialog.getExistingDirectory(self.window, "Folder holding the data set",
                                                str(current))
        if path:
            self.use_root(path)

    def stop(self) -> None:
        if self.dialog is not None:
            self.dialog.stop()
