"""The Training dock: train the network mode's CNN once per activation, watch the loss and the
held-out accuracy live, and look at the trained network's feature maps.

Training is a job of the controller's (:class:`gui.controller.StepController`), on a thread
of its own; never superseded, it ends when it is done or the user cancels it. Its reports come
back through the controller and the plots redraw at most every 200 ms, so the window stays
responsive.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .controller import TRAINING
from .i18n import engine_text
from .messages import text_label
from .workers import describe_error

COLOURS = ["#ffb454", "#6b9bff", "#6bdc6b", "#c792ea", "#ff6b6b", "#89ddff", "#f78c6c",
           "#c3e88d", "#ffcb6b", "#82aaff", "#ff5370", "#b2ccd6"]
# What the dock remembers between launches: (setting, widget attribute)
REMEMBERED = (("training/epochs", "epochs"), ("training/lr", "lr"), ("training/seed", "seed"),
              ("training/on_test", "on_test"))
LAST_RUN = "training/last_run"  # the folder of the last run trained: its table shows again
LESSON = QT_TRANSLATE_NOOP(
    "TrainingDock", "Without a non-linear activation the network is one linear map, whatever"
    " its depth (identity, with average pooling). Each activation's lead over identity is what"
    " non-linearity buys.")


class TrainingDock(QDockWidget):
    show_trained = Signal(str)  # a run folder: see its feature maps in the network mode

    def __init__(self, controller, session_source, parent=None, settings=None):
        """``controller`` runs the training (and lends a split it holds in memory);
        ``session_source()`` gives the window's session (activations, data, device,
        preprocessing); ``settings`` (engine.settings.Settings) remembers the dock's own
        choices between launches."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Training"))
        self.setObjectName("TrainingDock")
        self.controller = controller
        self.session_source = session_source
        self.results = []
        self.folder = ""
        self.data_note = ""
        self.run_recipe = ""
        self._curves: dict[str, tuple] = {}
        self._series: dict[str, tuple[list, list, list, list]] = {}
        controller.progressed.connect(self._on_progress)
        controller.answered.connect(self._on_answered)
        controller.failed.connect(self._on_job_failed)
        controller.shown.connect(self._on_step_shown)  # the side panel's data may be new
        self._redraw = QTimer(self, singleShot=True, interval=200)
        self._redraw.timeout.connect(self._draw)
        self._build()
        if settings is not None:
            self.restore(settings)
        for changed in (self.epochs.valueChanged, self.lr.valueChanged, self.seed.valueChanged,
                        self.on_test.toggled):
            changed.connect(self.show_recipe)
        self.show_recipe()

    def _build(self) -> None:
        self.epochs = QSpinBox(minimum=1, maximum=100, value=4)
        self.lr = QDoubleSpinBox(decimals=4, minimum=0.0001, maximum=1.0, singleStep=0.0005,
                                 value=0.002)
        self.seed = QSpinBox(minimum=0, maximum=2**31 - 1, value=0)
        self.on_test = QCheckBox(
            self.tr("Train on the test split (80/20) even if a train split exists"))
        self.recipe_label = text_label("")  # what Train will do, preprocessing included
        self._build_buttons()
        self.status = text_label(self.tr(LESSON))  # it quotes paths
        self._build_plots()
        self._build_table()
        choices = QHBoxLayout()  # one row: the side it shares leaves little height
        for text, box in ((self.tr("Epochs"), self.epochs), (self.tr("Learning rate"), self.lr),
                          (self.tr("Seed"), self.seed)):
            choices.addWidget(QLabel(text))
            choices.addWidget(box, 1)
        buttons = QHBoxLayout()
        for b in (self.train_button, self.cancel_button, self.show_button, self.save_button):
            buttons.addWidget(b)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.acc_plot)
        lay = QVBoxLayout()
        lay.addLayout(choices)
        for widget in (self.on_test, self.recipe_label):
            lay.addWidget(widget)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        lay.addLayout(plots)
        for widget in (self.legend, self.run_label, self.table, self.notes):
            lay.addWidget(widget, widget is self.table)  # the table takes the room left
        host = QWidget()
        host.setLayout(lay)
        scroll = QScrollArea()  # a dock that shares its side scrolls; nothing in it is squeezed
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(host)
        self.setWidget(scroll)
        self.setMinimumWidth(520)

    def _build_plots(self) -> None:
        """The loss per batch and the held-out accuracy per epoch, short axis labels, and one
        legend for both below them, where it covers no curve."""
        self.loss_plot = pg.PlotWidget(title=self.tr("training loss"))
        self.loss_plot.setLabel("bottom", self.tr("batch"))
        self.acc_plot = pg.PlotWidget(title=self.tr("held-out accuracy"))
        self.acc_plot.setLabel("bottom", self.tr("epoch"))
        self.acc_plot.setLabel("left", "%")
        for plot in (self.loss_plot, self.acc_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMinimumSize(220, 210)  # its axis labels never pile up
            plot.setMaximumHeight(280)  # the table below stays in sight
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)  # the names in it are escaped
        self.legend.setWordWrap(True)
        self.legend.hide()
        self._epoch_axis(self.epochs.value())

    def _epoch_axis(self, epochs: int) -> None:
        """The accuracy's axis in whole epochs (not 0.6, 0.8…)."""
        self.acc_plot.setXRange(0.5, epochs + 0.5, padding=0)
        self.acc_plot.getAxis("bottom").setTickSpacing(max(1, math.ceil(epochs / 8)), 1)

    def _build_buttons(self) -> None:
        self.train_button = QPushButton(self.tr("Train"))
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.show_button = QPushButton(self.tr("See the trained feature maps"))
        self.show_button.setEnabled(False)
        self.show_button.clicked.connect(lambda: self.show_trained.emit(self.folder))
        self.save_button = QPushButton(self.tr("Save elsewhere…"))
        self.save_button.setToolTip(self.tr("The trained weights could not be saved; choose a"
                                            " folder for them"))
        self.save_button.clicked.connect(lambda: self.save_elsewhere())
        self.save_button.hide()
        self.unsaved = None  # a finished run whose weights are only in memory

    def _build_table(self) -> None:
        from ..engine.train import TIMING

        self.run_label = text_label("")  # the recipe of the run in the table
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("activation"), self.tr("held-out accuracy"), self.tr("loss"),
             self.tr("seconds (after warm-up)")])
        self.timing = self.tr("Seconds: {0}.").format(engine_text(TIMING))
        self.table.horizontalHeaderItem(3).setToolTip(self.timing)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()  # the names take what the figures leave
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)  # a header and four runs, whatever shares the side
        self.notes = text_label("")  # why a mark or a surprising figure is what it is
        self.notes.hide()

    def restore(self, settings) -> None:
        """The choices remembered from the last launch (each checked, else its default)."""
        for key, name in REMEMBERED:
            widget = getattr(self, name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(settings.flag(key, widget.isChecked()))
            elif isinstance(widget, QDoubleSpinBox):
                widget.setValue(settings.real(key, widget.value(), widget.minimum(),
                                              widget.maximum()))
            else:
                widget.setValue(settings.integer(key, widget.value(), widget.minimum(),
                                                 widget.maximum()))

        if not self.show_saved(settings.text(LAST_RUN, "")):
            self._epoch_axis(self.epochs.value())

    def remember(self, settings) -> None:
        for key, name in REMEMBERED:
            widget = getattr(self, name)
            settings.set(key, widget.isChecked() if isinstance(widget, QCheckBox)
                         else repr(widget.value()) if isinstance(widget, QDoubleSpinBox)
                         else widget.value())
        settings.set(LAST_RUN, self.folder)

    def show_saved(self, folder: str) -> bool:
        """The table, accuracies and notes of the run saved in ``folder`` (the last one
        trained, at the next launch); False where it holds none."""
        from ..engine.train import load_run

        run = load_run(folder) if folder else None
        if run is None or not run.results:
            return False
        self._new_curves([str(r.spec) for r in run.results],
                         max(1, *(len(r.accuracies) for r in run.results)))
        for result in run.results:
            self.results.append(result)
            self._add_row(result)
            _, _, epochs, accs = self._series[str(result.spec)]
            epochs.extend(range(1, len(result.accuracies) + 1))
            accs.extend(a * 100 for a in result.accuracies)
        self.run_recipe = engine_text(run.recipe)
        self._show_notes()
        self._draw()
        self.folder = str(run.folder)
        self.show_button.setEnabled(True)
        self.status.setText(self.tr("The table shows the last run, saved in {0}. {1}").format(
            run.folder, self._lesson()))
        return True

    @Slot(object)
    def _on_step_shown(self, _view) -> None:
        """The recipe looks at the data's files: while the dock is hidden it waits for
        :meth:`showEvent` instead of looking at every step."""
        if self.isVisible():
            self.show_recipe()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.show_recipe()
        super().showEvent(event)

    @Slot()
    def show_recipe(self, *_) -> None:
        """What Train will do, said plainly: the activations, the optimiser, the epochs and
        steps, the seed, the data, and that the preprocessing is the window's (it follows the
        side panel)."""
        from ..engine.train import planned_data

        on_test, view = self.on_test.isChecked(), self.controller.last_view
        planned = planned_data(self.session_source().request(), on_test,
                               view.result if view is not None else None)
        self.recipe_label.setText(self.tr(
            "Recipe: {0}. The preprocessing is the side panel's Preprocess.").format(
            engine_text(self.settings().plan(planned, on_test))))

    def settings(self):
        from ..engine.train import TrainSettings

        s = self.session_source()
        return TrainSettings(s.active_specs, self.epochs.value(), self.lr.value(),
                             self.seed.value(), device=s.device, preprocess=s.preprocess)

    def running(self) -> bool:
        return self.controller.running(TRAINING, self)

    def start(self) -> None:
        from ..engine.pipeline import data_root_or_default
        from ..engine.train import discard_empty_run, load_training_data, run_folder, save_run, train_all

        settings, request = self.settings(), self.session_source().request()
        on_test, loaded = self.on_test.isChecked(), self.controller.cached_source
        root = data_root_or_default(request.data_root)

        def job(progress, cancel):
            data = load_training_data(request, on_test, loaded)
            folder = run_folder(root, settings)  # writable, or said now, before training
            progress("note", data.note)
            progress("recipe", settings.recipe(data))
            try:
                results = train_all(data, settings, lambda p: progress("step", p), cancel,
                                    lambda r: progress("trained", r))
            except BaseException:
                discard_empty_run(folder)
                raise
            return save_run(results, folder, settings, data)

        if self.controller.run_task(TRAINING, self, job) is None:
            self.status.setText(self.tr("Another training is running; wait for it or cancel it"
                                        " first."))
            return
        self._reset(settings)
        self.train_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Loading the data…"))

    def cancel(self) -> None:
        if self.running():
            self.controller.cancel(TRAINING, self)
            self.status.setText(self.tr("Cancelling after this batch…"))

    def stop(self) -> None:
        self.controller.stop_task(TRAINING, self)

    def _reset(self, settings) -> None:
        self.save_button.hide()
        self.unsaved = None
        self._new_curves([str(spec) for spec in settings.specs], settings.epochs)
        self.run_recipe = engine_text(settings.recipe())
        self.run_label.setText(self.tr("In the table: {0}.").format(self.run_recipe))
        self.show_button.setEnabled(False)

    def _new_curves(self, names: list[str], epochs: int) -> None:
        """Empty plots, table and notes for the runs ``names``, each with its colour."""
        self.results, self._series, self._curves = [], {}, {}
        for plot in (self.loss_plot, self.acc_plot):
            plot.clear()
        keys = []
        for i, name in enumerate(names):
            pen = pg.mkPen(COLOURS[i % len(COLOURS)], width=2)
            self._curves[name] = (self.loss_plot.plot([], [], pen=pen, name=name),
                                  self.acc_plot.plot([], [], pen=pen, symbol="o",
                                                     symbolBrush=pen.color(), name=name))
            self._series[name] = ([], [], [], [])
            keys.append(f'<span style="color:{pen.color().name()}">━━</span>&nbsp;{escape(name)}')
        self.legend.setText("&nbsp;&nbsp; ".join(keys))
        self.legend.setVisible(bool(keys))
        self._epoch_axis(epochs)
        self.table.setRowCount(0)
        self.notes.hide()

    @Slot(str, object, object)
    def _on_progress(self, kind: str, key, args) -> None:
        if kind != TRAINING or key is not self:
            return
        what, value = args
        if what == "note":  # where the data came from
            self.data_note = engine_text(value)
            self.status.setText(self.tr("Training: {0}.").format(self.data_note))
        elif what == "recipe":  # with the data: its steps and split
            self.run_recipe = engine_text(value)
            self.run_label.setText(self.tr("In the table: {0}.").format(self.run_recipe))
        elif what == "step":
            self._on_report(value)
        else:
            self._on_finished_one(value)

    def _on_report(self, p) -> None:
        steps, losses, epochs, accs = self._series[str(p.spec)]
        steps.append(p.step)
        losses.append(p.loss)
        if p.accuracy is not None:
            epochs.append(p.epoch)
            accs.append(p.accuracy * 100)
        self.status.setText(self.tr("Training {0}: epoch {1}, batch {2} of {3} · {4}.").format(
            p.spec, p.epoch, p.step, p.steps, self.data_note))
        if not self._redraw.isActive():
            self._redraw.start()

    def _draw(self) -> None:
        for key, (loss_item, acc_item) in self._curves.items():
            steps, losses, epochs, accs = self._series[key]
            loss_item.setData(steps, losses)
            acc_item.setData(epochs, accs)

    def _on_finished_one(self, result) -> None:
        self.results.append(result)
        self._add_row(result)
        self._show_notes()
        self._draw()

    def _add_row(self, result) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        acc = f"{result.accuracies[-1] * 100:.1f}%" if result.accuracies else "–"
        loss = f"{result.heldout_losses[-1]:.3f}" if result.heldout_losses else "–"
        state = self.tr(" (cancelled)") if result.cancelled else self.tr(
            " (diverged: try a smaller learning rate)") if result.diverged else self.tr(
            " (stayed at chance)") if result.stayed_at_chance else ""
        cells = [str(result.spec) + state, acc, loss,
                 f"{result.seconds:.1f}"]
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 3:
                item.setToolTip(self.timing)
            self.table.setItem(row, c, item)

    def _show_notes(self) -> None:
        """The run's recipe and warm-up above the table; below it, why a run stayed at
        chance and why Sigmoid scores below identity, when they do."""
        from ..engine.train import chance_note, sigmoid_note

        warmup = sum(r.warmup_seconds for r in self.results)
        self.run_label.setText(self.tr(
            "In the table: {0}. The warm-up before the first activation took {1} s and is not"
            " counted.").format(self.run_recipe, f"{warmup:.1f}"))
        notes = [engine_text(n) for n in (chance_note(self.results), sigmoid_note(self.results))
                 if n]
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))

    @Slot(str, object, object)
    def _on_answered(self, kind: str, key, folder) -> None:
        if kind == TRAINING and key is self:
            self._on_done(folder)

    @Slot(str, object, object)
    def _on_job_failed(self, kind: str, key, exc) -> None:
        if kind == TRAINING and key is self:
            self._on_failed(exc)

    def _on_done(self, folder) -> None:
        self.folder = str(folder)
        self._finish(self.tr("Done: {0}. Weights saved in {1}. {2}").format(
            self.data_note, folder, self._lesson()))
        self.show_button.setEnabled(True)

    def _lesson(self) -> str:
        """The lesson, and how to see it when identity, its baseline, was not trained."""
        if any(r.spec.name == "identity" for r in self.results):
            return self.tr(LESSON)
        return self.tr(LESSON) + " " + self.tr(
            "Add identity to the side panel's activations to train that baseline beside them.")

    def _on_failed(self, exc) -> None:
        from ..engine.train import UnsavedRun

        if isinstance(exc, UnsavedRun):  # trained, not saved: the weights wait in memory
            self.unsaved = exc
            self.save_button.show()
            self._finish(self.tr("Trained, but not saved: {0}").format(describe_error(exc)))
            return
        self._finish(self.tr("Training stopped: {0}").format(describe_error(exc)))

    def may_close(self) -> bool:
        """The window may close: no trained run waits in memory only, or the user lets it
        go. Otherwise the dock comes to the front with its Save elsewhere… button."""
        from PySide6.QtWidgets import QMessageBox

        if self.unsaved is None:
            return True
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("A trained run is not saved"),
                          self.tr("The weights just trained could not be saved and are only in"
                                  " memory: quitting now loses them."), parent=self)
        keep = box.addButton(self.tr("Keep the window open to save them"),
                             QMessageBox.ButtonRole.RejectRole)
        box.addButton(self.tr("Quit without saving"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        if box.clickedButton() is not keep:
            return True
        self.show()
        self.raise_()
        self.save_button.setFocus()
        return False

    def save_elsewhere(self, folder: str | None = None) -> None:
        """Save the run that could not be saved into ``folder`` (asked for if None)."""
        from PySide6.QtWidgets import QFileDialog

        from ..engine.train import run_folder, save_run

        run = self.unsaved
        folder = folder or QFileDialog.getExistingDirectory(
            self, self.tr("A folder for the trained weights"))
        if run is None or not folder:
            return

        def job(progress, cancel):  # a new run folder inside it: nothing overwritten
            target = run_folder(Path(folder), run.settings)
            return save_run(run.results, target, run.settings, run.data)

        if self.controller.run_task(TRAINING, self, job) is not None:
            self.save_button.hide()
            self.unsaved = None
            self.status.setText(self.tr("Saving…"))

    def _finish(self, message: str) -> None:
        self._draw()
        self.status.setText(message)
        self.train_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
