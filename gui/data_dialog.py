"""Where the data lives: the missing-data dialog (Download with progress and cancel, Choose a
folder, Quit), "Change data folder…", and File → Open Recent Data Folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from ..engine.data.datasets import dataset_info, dataset_names, expand_path
from ..engine.errors import ActlensError, quote_user
from .controller import DOWNLOAD
from .fitting_dialog import FittingDialog
from .i18n import choice_text
from .messages import text_label
from .recent import RecentList
from .workers import describe_error


class MissingDataDialog(FittingDialog):
    """``result()`` is Accepted when data is in place (downloaded or chosen), else Rejected.
    ``chosen_root`` holds the folder to use."""

    QUIT = 2

    def __init__(self, message: str, dataset: str, root: str, downloadable: bool, parent=None,
                 on_sample: bool = False, showing: bool = False, *, controller, split=None):
        """``on_sample``: the window shows the built-in sample meanwhile; ``showing``: it shows
        other images meanwhile. Either way closing keeps them instead of quitting.
        ``controller`` runs the download; ``split``: the split missing from a copy that holds
        the data set (the download replaces that copy, keeping it aside if it differs)."""
        super().__init__(parent)
        self.controller = controller
        controller.progressed.connect(self._on_progress)
        controller.answered.connect(self._on_answered)
        controller.failed.connect(self._on_job_failed)
        self.on_sample = on_sample
        self.keeps = on_sample or showing
        self.setWindowTitle(self.tr("Data set not found"))
        self.dataset, self.root = dataset, root
        self.chosen_root = root
        self.task = None  # the download's thread, once started
        self.kept = None  # where the download moved a differing copy that was there
        self.split = split
        self.text = text_label(self.tr(
            "{0}\n\nDownload it into {1} (about 163 MB for CIFAR-10), or choose a folder that"
            " already holds it.").format(message, root) + ("" if split is None else "\n\n" + self.tr(
                "The copy already there is not deleted: if the download differs from it, it is"
                " kept beside the new one, and the window says where.")))
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = text_label("")
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setEnabled(downloadable)
        self.download_button.clicked.connect(self.start_download)
        self.choose_button = QPushButton(self.tr("Choose a folder…"))
        self.choose_button.clicked.connect(self.choose)
        self.quit_button = QPushButton(self._keep_text())
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
        from ..engine.data import datasets

        dataset, root = self.dataset, self.root

        def job(progress, cancel):
            return datasets.download(dataset, root, progress=progress, cancel=cancel)

        self.task = self.controller.run_task(DOWNLOAD, self, job)
        if self.task is None:  # another dialog's download is still running
            return
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(self.tr("Connecting…"))
        self.download_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.quit_button.setText(self.tr("Cancel"))

    def choose(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder holding the data set"),
                                                self.root)
        if path:
            self.chosen_root = path
            self.accept()

    @Slot(str, object, object)
    def _on_answered(self, kind: str, key, kept) -> None:
        if kind == DOWNLOAD and key is self:
            self.kept = kept  # where the differing copy that was there went, or None
            self.accept()

    @Slot(str, object, object)
    def _on_job_failed(self, kind: str, key, exc) -> None:
        if kind == DOWNLOAD and key is self:
            self._on_failed(exc)

    @Slot(str, object, object)
    def _on_progress(self, kind: str, key, args) -> None:
        if kind != DOWNLOAD or key is not self:
            return
        done, total = args
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
            self.status.setText(self.tr("{0:.1f} of {1:.1f} MB").format(done / 1e6, total / 1e6))
        else:
            self.status.setText(self.tr("{0:.1f} MB").format(done / 1e6))

    def _on_failed(self, exc) -> None:
        self.progress.hide()
        self.status.setText(describe_error(exc))
        self.download_button.setEnabled(True)
        self.choose_button.setEnabled(True)
        self.quit_button.setText(self._keep_text())
        self.refit()

    def _quit_or_cancel(self) -> None:
        if self.controller.running(DOWNLOAD, self):
            self.controller.cancel(DOWNLOAD, self)
            self.status.setText(self.tr("Cancelling…"))
        else:
            self.done(QDialog.DialogCode.Rejected if self.keeps else self.QUIT)

    def _keep_text(self) -> str:
        return (self.tr("Keep the sample") if self.on_sample else
                self.tr("Keep the images shown") if self.keeps else self.tr("Quit"))

    def stop(self) -> None:
        self.controller.stop_task(DOWNLOAD, self)

    def reject(self) -> None:  # Esc / window close: cancel a running download first
        self.stop()
        super().reject()


class DataPrompt(QObject):
    """Asks the user for a data folder: the missing-data dialog (download, choose a folder,
    quit), "Change data folder…", dropped folders, the recent folders. ``use_root(path,
    dataset)`` receives the folder to use, once it is known to be a folder; ``port`` is the
    window (:class:`gui.window_port.WindowPort`); ``controller`` runs the downloads."""

    def __init__(self, port, use_root, controller):
        super().__init__(port.widget)
        self.port, self.use_root, self.controller = port, use_root, controller
        self.dialog: MissingDataDialog | None = None
        self.recent = RecentList(port.settings, "data/recent", _valid_entry)
        self.recent_menu = QMenu(self.tr("Open Recent Data Folder"), port.widget)
        self.recent_menu.aboutToShow.connect(self._fill_recent)

    def missing(self, exc, shown_split: str = "") -> None:
        """Ask about the data set or split ``exc`` says is missing; with ``shown_split``, the
        split of the same copy that shows instead is said, and nothing is asked."""
        if shown_split:
            self.port.show_error(self.tr(
                "{0} in {1} has only the {2} split, which is shown; the {3} split is missing."
                " Choose it under Split to download it.").format(
                    dataset_info(exc.dataset).title, exc.root, choice_text(shown_split),
                    choice_text(exc.split)))
            return
        if self.dialog is not None:
            return
        message = describe_error(exc)
        self.port.show_placeholder(message)
        self.port.show_status(message)
        on_stand_in = bool(dataset_info(self.port.session().dataset).stands_in_for)
        self.dialog = MissingDataDialog(message, exc.dataset, exc.root, exc.downloadable,
                                        self.port.widget, on_stand_in, self.port.showing(),
                                        controller=self.controller, split=exc.split)
        self.dialog.finished.connect(self._finished)
        self.dialog.open()

    def offer_trust(self, exc, trusted, use) -> tuple[str, tuple | None]:
        """What the banner says of the failed step's ``exc``, and its remedy: for data whose
        sums differ (``trusted``: the session that loads it anyway), the button that hands
        that session to ``use``, and what the window says while it loads."""
        if trusted is None or not getattr(exc, "file", ""):
            return describe_error(exc), None
        message = self.tr(
            "{0} failed the MD5 check against the official {1} sums, so it was not loaded"
            " (unpickling an unverified file can run code). Download the data again, or, if"
            " you trust this copy, press “Load it anyway” to read it as plain data.").format(
                exc.file, exc.title)

        def load() -> None:
            loading = self.tr("Loading data…")
            self.port.show_status(loading)
            if not self.port.showing():
                self.port.show_placeholder(loading)
            use(trusted)

        return message, (self.tr("Load it anyway, as plain data"), load)

    def _finished(self, code: int) -> None:
        dialog, self.dialog = self.dialog, None
        dialog.deleteLater()
        if code == MissingDataDialog.QUIT:
            self.port.close()
        elif code:
            self.open_root(dialog.chosen_root, dialog.dataset)
            if dialog.kept is not None:
                self.port.flash(self.tr(
                    "The copy that was in the data folder differs from the download: it is"
                    " kept in {0}").format(dialog.kept), 30_000)
        elif dialog.on_sample:
            self.port.show_status(self.tr(
                "Showing the built-in sample. To get {0}, choose it again under Dataset, or use"
                " 'Change data folder…'.").format(dialog.dataset))
        else:
            self.port.revert_to_shown()  # the images on screen and the side panel agree
            if dialog.split and self.port.session().dataset == dialog.dataset:
                self.port.show_status(self.tr(  # the data set is loaded: only a split is not
                    "The {0} split is not in the data folder; the images shown stay. Choose"
                    " it again under Split to download it.").format(choice_text(dialog.split)))
                return
            self.port.show_error(self.tr(
                "{0} is not loaded. Choose it again under Dataset to download it, or use"
                " 'Change data folder…'.").format(dialog.dataset))

    def choose(self, current) -> None:
        path = QFileDialog.getExistingDirectory(
            self.port.widget, self.tr("Folder holding the data set"), str(current))
        if path:
            self.open_root(path)

    def checked(self, text: str) -> tuple[str | None, str]:
        """``text`` as an absolute folder path, or None and why it is not one."""
        text = text.strip()
        if not text:
            return None, self.tr("No data folder given.")
        shown = quote_user(text, 200)
        try:
            path = expand_path(text, "data folder").absolute()
            if not path.exists():
                return None, self.tr("The data folder {0} does not exist.").format(shown)
            if not path.is_dir():
                return None, self.tr("{0} is a file, not a folder: choose the folder that"
                                     " holds the data set.").format(shown)
        except ActlensError as exc:
            return None, describe_error(exc)
        except (OSError, ValueError):
            return None, self.tr("{0} is not a valid folder path.").format(shown)
        return str(path), ""

    def open_root(self, text: str, dataset: str | None = None) -> bool:
        """Use the folder ``text`` for ``dataset`` (a user-folder data set: as an image folder;
        None: the current data set) and remember it; a bad path is one message and changes
        nothing."""
        path, problem = self.checked(text)
        if path is None:
            self.port.show_error(problem)
            return False
        dataset = dataset or self.port.session().dataset
        self.recent.add(f"{dataset}\t{path}")
        self.use_root(path, dataset)
        return True

    def reopen(self, entry: str) -> None:
        """A recent folder again; one that is gone is taken off the list, with a message."""
        dataset, _, path = entry.partition("\t")
        if path_kind(path) != "dir":
            self.recent.remove(entry)
            self.port.show_error(self.tr(
                "{0} is no longer there; it was removed from the recent data folders.")
                .format(quote_user(path, 200)))
            return
        self.open_root(path, dataset)

    def _fill_recent(self) -> None:
        self.recent.fill(self.recent_menu, self._entry_text, self.reopen,
                         self.tr("No data folders yet"))

    def _entry_text(self, entry: str) -> str:
        dataset, _, path = entry.partition("\t")
        if dataset_info(dataset).user_folder:
            return self.tr("{0} (image folder)").format(path)
        return f"{path} ({dataset})"


def _valid_entry(entry: str) -> bool:
    dataset, tab, path = entry.partition("\t")
    return bool(tab and path.strip()) and dataset in dataset_names()


def path_kind(path: str) -> str:
    """``dir``, ``file``, or "" for anything else: gone, a pipe or device, or a name the
    system refuses (too long)."""
    try:
        return "dir" if Path(path).is_dir() else "file" if Path(path).is_file() else ""
    except (OSError, ValueError):
        return ""
