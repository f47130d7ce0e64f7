"""Export the session to TensorBoard in the background: batches, log dir, run name,
histograms; progress with Cancel; then the command to view it and a button that opens it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..engine.errors import CancelledError
from .controller import EXPORT
from .fitting_dialog import FittingDialog
from .messages import text_label
from .workers import describe_error


def default_logdir() -> str:
    return str(Path.home() / "actlens-runs")


class ExportDialog(FittingDialog):
    """Collects the export settings, has the controller run the export (one at a time: a
    second is refused while one runs; only the user cancels it) and reports."""

    open_tensorboard = Signal(str, int)  # logdir, steps

    def __init__(self, controller, request, visited: list[int], num_batches: int, logdir: str,
                 parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export to TensorBoard"))
        self.setModal(False)
        self.request = request
        self.visited = sorted(set(visited))
        self.num_batches = num_batches
        self.controller = controller
        self.task = None  # the export's thread, once started
        self.outcome = None
        controller.progressed.connect(self._on_progress)
        controller.answered.connect(self._on_answered)
        controller.failed.connect(self._on_job_failed)

        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<b>" + self.tr("Which batches") + "</b>"))
        self._build_batch_choice(lay)
        self._build_destination(lay, logdir)
        self._build_outcome(lay)
        self.fit_layout(lay, 640)

    def _build_batch_choice(self, lay) -> None:
        self.visited_radio = QRadioButton(
            self.tr("Batches visited in this session ({0})").format(len(self.visited)))
        self.all_radio = QRadioButton(
            self.tr("All batches of the split ({0})").format(self.num_batches))
        self.range_radio = QRadioButton(self.tr("Range:"))
        self.range_edit = QLineEdit(f"0:{min(10, self.num_batches)}")
        self.range_edit.setToolTip(self.tr("A:B (B exclusive) or a list like 0,5,9"))
        group = QButtonGroup(self)
        for b in (self.visited_radio, self.all_radio, self.range_radio):
            group.addButton(b)
        (self.visited_radio if self.visited else self.all_radio).setChecked(True)
        self.visited_radio.setEnabled(bool(self.visited))
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_radio)
        range_row.addWidget(self.range_edit, 1)
        lay.addWidget(self.visited_radio)
        lay.addWidget(self.all_radio)
        lay.addLayout(range_row)

    def _build_destination(self, lay, logdir: str) -> None:
        self.logdir_edit = QLineEdit(logdir or default_logdir())
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        logdir_row = QHBoxLayout()
        logdir_row.addWidget(self.logdir_edit, 1)
        logdir_row.addWidget(browse)
        self.run_edit = QLineEdit(_default_run_name(self.request))
        self.run_edit.setMinimumWidth(420)
        self.histograms = QCheckBox(self.tr("Also write value histograms"))
        form = QFormLayout()
        form.addRow(self.tr("Log dir"), _wrap(logdir_row))
        form.addRow(self.tr("Run name"), self.run_edit)
        lay.addLayout(form)
        lay.addWidget(self.histograms)

    def _build_outcome(self, lay) -> None:
        self.progress = QProgressBar()
        self.progress.hide()
        self.message = text_label("", "ExportMessage")
        self.command_edit = QLineEdit()
        self.command_edit.setMinimumWidth(460)
        self.command_edit.setReadOnly(True)
        self.command_edit.hide()
        self.copy_button = QPushButton(self.tr("Copy"))
        self.copy_button.hide()
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.command_edit.text()))
        self.open_button = QPushButton(self.tr("Open in TensorBoard"))
        self.open_button.hide()
        self.open_button.clicked.connect(self._open)
        self.start_button = QPushButton(self.tr("Export"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._cancel_or_close)
        command_row = QHBoxLayout()
        command_row.addWidget(self.command_edit, 1)
        command_row.addWidget(self.copy_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addLayout(command_row)
        lay.addLayout(buttons)

    def batches(self) -> str | list[int]:
        if self.visited_radio.isChecked():
            return list(self.visited)
        if self.all_radio.isChecked():
            return "all"
        return self.range_edit.text()

    def export_request(self):
        """The export the dialog describes: the session, the log dir with the run name, the
        batches (checked against the split) and the histograms choice."""
        from ..engine.export import ExportRequest

        base = Path(self.logdir_edit.text().strip() or default_logdir())
        run = self.run_edit.text().strip()
        export = ExportRequest(self.request, base / run if run else base, self.batches(),
                               self.histograms.isChecked())
        export.batch_indices(self.num_batches)
        return export

    def start(self) -> None:
        from ..engine.export import export_session

        try:
            export = self.export_request()
        except Exception as exc:
            self.message.setText(describe_error(exc))
            return
        target = export.logdir

        def job(progress, cancel):
            return export_session(export, progress=progress, cancel=cancel)

        task = self.controller.run_task(EXPORT, self, job)
        if task is None:
            self.message.setText(self.tr("Another export is running: wait for it to finish,"
                                         " or cancel it, then export again."))
            return
        self.task = task
        self.start_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.message.setText(self.tr("Exporting to {0} …").format(target))

    def running(self) -> bool:
        return self.controller.running(EXPORT, self)

    def stop(self) -> None:
        """Cancel and wait a few seconds (the dialog is closing)."""
        self.controller.stop_task(EXPORT, self)

    @Slot(str, object, object)
    def _on_progress(self, kind: str, key, args) -> None:
        if kind == EXPORT and key is self:
            done, total = args
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    @Slot(str, object, object)
    def _on_answered(self, kind: str, key, outcome) -> None:
        if kind == EXPORT and key is self:
            self._on_done(outcome)

    @Slot(str, object, object)
    def _on_job_failed(self, kind: str, key, exc) -> None:
        if kind == EXPORT and key is self:
            self._on_failed(exc)

    def _on_done(self, outcome) -> None:
        from ..engine.summaries import samples_flag

        self.outcome = outcome
        n = len(outcome.steps_written)
        tags = ", ".join(outcome.tags[:6]) + (", …" if len(outcome.tags) > 6 else "")
        view = (self.tr("TensorBoard shows 10 steps per tag unless started with {0}:").format(
            " ".join(samples_flag(n))) if n > 10 else self.tr("View it with:"))
        run = self.tr(" (a run of its own: the folder held an export)") if outcome.new_run else ""
        if outcome.cancelled:
            text = self.tr("Cancelled; kept {0} step(s) ({1}) to {2}{3}.")
        else:
            text = self.tr("Exported {0} step(s) ({1}) to {2}{3}.")
        self.message.setText(text.format(n, tags, outcome.logdir, run) + " " + view)
        self.command_edit.setText(outcome.tensorboard_command)
        for w in (self.command_edit, self.copy_button, self.open_button):
            w.show()
        self.cancel_button.setText(self.tr("Close"))
        self.start_button.setEnabled(True)
        self.start_button.setText(self.tr("Export again"))
        self.adjustSize()

    def _on_failed(self, exc) -> None:
        self.progress.hide()
        self.start_button.setEnabled(True)
        if isinstance(exc, CancelledError):
            self.message.setText(self.tr("Export cancelled; nothing was written."))
        else:
            self.message.setText(self.tr("Export failed: {0}").format(describe_error(exc)))

    def _cancel_or_close(self) -> None:
        if self.running():
            self.controller.cancel(EXPORT, self)
            self.message.setText(self.tr("Cancelling after the current step…"))
        else:
            self.close()

    def _open(self) -> None:
        if self.outcome is not None:
            self.open_tensorboard.emit(str(self.outcome.tensorboard_logdir or self.outcome.logdir),
                                       len(self.outcome.steps_written))

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Log directory"), self.logdir_edit.text())
        if path:
            self.logdir_edit.setText(path)

    def closeEvent(self, event) -> None:
        self.stop()  # cancel; a step stuck past a few seconds is abandoned
        super().closeEvent(event)


def _default_run_name(request) -> str:
    from ..engine import modes

    what = modes.get(request.mode).run_name(request)
    return f"{request.dataset}-{request.split}-{request.preprocess}-{what}"


def _wrap(layout) -> QWidget:
    w = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    w.setLayout(layout)
    return w
