"""The depth view's Training tab: train each (activation, init) pair of the deep stack for a
number of steps and watch, live, the loss, the held-out accuracy and the std of each layer's
weight gradient over the steps (layer × step: do the lower layers ever start to learn?).

Training is a job of the controller's (kind TRAINING, on a thread of its own): it ends when
it is done or the user cancels it, and cancelling keeps every finished step. The plots
redraw at most every 200 ms.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
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

COLOURS = ["#ffb454", "#5ec8ff", "#ff6b6b", "#6bdc6b", "#c792ea", "#f78c6c", "#89ddff",
           "#e6db74"]
INIT_STYLES = {"kaiming": Qt.PenStyle.SolidLine, "xavier": Qt.PenStyle.DashDotLine,
               "default": Qt.PenStyle.DotLine}
LINE_NAMES = {"kaiming": "——", "xavier": "—·—", "default": "·····"}  # the legend, in words


def pair_pen(specs: list[str], spec: str, init: str, width: int = 2):
    """One colour per activation, one line style per initialisation (the profile's too)."""
    colour = COLOURS[specs.index(spec) % len(COLOURS)] if spec in specs else COLOURS[0]
    return pg.mkPen(colour, width=width, style=INIT_STYLES.get(init, Qt.PenStyle.SolidLine))


class DeepTraining(QWidget):
    def __init__(self, controller, session_source, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.session_source = session_source
        self.runs: dict[str, dict] = {}  # label -> steps, losses, grads, evals, item refs
        self.specs: list[str] = []
        self.data_note = ""
        self.cancelling = False
        controls = self._build_controls()
        self._build_plots(controls)
        self._redraw = QTimer(self, singleShot=True, interval=200)
        self._redraw.timeout.connect(self._draw)
        controller.progressed.connect(self._on_progress)
        controller.answered.connect(self._on_answered)
        controller.failed.connect(self._on_failed)

    def _build_controls(self) -> QHBoxLayout:
        self.steps = QSpinBox(minimum=1, maximum=100_000, value=300, singleStep=50)
        self.optimiser = QComboBox()
        self.optimiser.addItem(self.tr("Adam"), "adam")
        self.optimiser.addItem(self.tr("SGD with momentum 0.9"), "sgd")
        self.lr = QDoubleSpinBox(decimals=4, minimum=0.0001, maximum=1.0, singleStep=0.0005,
                                 value=0.001)
        self.optimiser.currentIndexChanged.connect(self._default_rate)
        self.train_button = QPushButton(self.tr("Train"))
        self.train_button.setToolTip(self.tr(
            "Train every activation and initialisation shown for this many steps, from the same"
            " seed and the same batches"))
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = text_label(self.tr(
            "Trains the stack shown (its depth, width, pools and seed) on the data set's images"
            " and measures the held-out accuracy. 10% is chance."))
        controls = QHBoxLayout()
        for label, widget in ((self.tr("Steps"), self.steps), (self.tr("Optimiser"), self.optimiser),
                              (self.tr("Learning rate"), self.lr)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.train_button)
        controls.addWidget(self.cancel_button)
        controls.addStretch(1)
        return controls

    def _build_plots(self, controls) -> None:
        self.loss_plot = self._plot(self.tr("training loss"), self.tr("step"))
        self.acc_plot = self._plot(self.tr("held-out accuracy (%)"), self.tr("step"))
        self.grad_combo = QComboBox()
        self.grad_combo.currentIndexChanged.connect(lambda _: self._draw_grads())
        self.grad_plot = pg.PlotWidget(title=self.tr("log10 of the weight gradient's std"))
        self.grad_plot.setLabel("bottom", self.tr("step"))
        self.grad_plot.setLabel("left", self.tr("layer"))
        self.grad_plot.invertY(True)
        self.grad_plot.setMinimumHeight(160)  # readable even when its caption takes 2 lines
        for axis in ("left", "bottom"):
            self.grad_plot.getAxis(axis).enableAutoSIPrefix(False)
        self.grad_plot.setRange(xRange=(0, 10), yRange=(0.5, 20.5), padding=0)  # until trained
        self.grad_image = pg.ImageItem(axisOrder="row-major")
        self.grad_image.setColorMap(pg.colormap.get("viridis"))
        self.grad_plot.addItem(self.grad_image)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("activation · init"), self.tr("line"),
                                              self.tr("held-out accuracy"), self.tr("last loss"),
                                              self.tr("state")])
        self.table.resizeColumnsToContents()
        self.table.setMinimumHeight(4 * self.table.verticalHeader().defaultSectionSize())
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        grads = QVBoxLayout()
        pick = QHBoxLayout()
        pick.addWidget(QLabel(self.tr("Layer × step of")))
        pick.addWidget(self.grad_combo, 1)
        grads.addLayout(pick)
        grads.addWidget(self.grad_plot, 1)
        self.grad_range = text_label("")
        grads.addWidget(self.grad_range)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot, 1)
        plots.addWidget(self.acc_plot, 1)
        plots.addLayout(grads, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(controls)
        lay.addWidget(self.status)
        lay.addLayout(plots, 3)
        lay.addWidget(self.table, 1)

    def _plot(self, title: str, bottom: str):
        plot = pg.PlotWidget(title=title)
        plot.setLabel("bottom", bottom)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMinimumHeight(120)
        return plot

    def _default_rate(self) -> None:
        from ..engine.deep_train import DEFAULT_LR

        self.lr.setValue(DEFAULT_LR[self.optimiser.currentData()])

    def settings(self):
        from ..engine.deep_train import DeepTrainSettings
        from ..engine.modes.deep import parse_inits

        s = self.session_source()
        return DeepTrainSettings(tuple(s.active_specs), parse_inits(s.init), s.depth, s.width,
                                 s.deep_pool, s.deep_seed, self.steps.value(),
                                 self.optimiser.currentData(), self.lr.value(), s.batch_size,
                                 s.device, s.preprocess)

    def running(self) -> bool:
        return self.controller.running(TRAINING, self)

    def start(self) -> None:
        from ..engine.deep_train import held_out_note, train_pairs
        from ..engine.train import load_training_data

        settings, request = self.settings(), self.session_source().request()
        loaded = self.controller.cached_source

        def job(progress, cancel):
            data = load_training_data(request, False, loaded)
            progress("note", held_out_note(data))
            return train_pairs(data, settings, lambda step: progress("step", step), cancel,
                               lambda run: progress("trained", run))

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
            self.cancelling = True
            self.status.setText(self.tr("Cancelling after this step…"))

    def _reset(self, settings) -> None:
        self.cancelling = False
        self.recipe = engine_text(settings.recipe())
        self.specs = list(dict.fromkeys(str(s) for s in settings.specs))
        for plot in (self.loss_plot, self.acc_plot):
            plot.clear()
        self.runs = {}
        for spec, init in settings.pairs:
            label = f"{spec} · {init}"
            pen = pair_pen(self.specs, str(spec), init)
            self.runs[label] = {
                "steps": [], "losses": [], "grads": [], "evals": [],
                "loss": self.loss_plot.plot([], [], pen=pen),
                "acc": self.acc_plot.plot([], [], pen=pen, symbol="o", symbolSize=6,
                                          symbolBrush=pen.color())}
        self.grad_combo.blockSignals(True)
        self.grad_combo.clear()
        self.grad_combo.addItems(list(self.runs))
        self.grad_combo.blockSignals(False)
        self.grad_image.clear()
        self.grad_plot.setXRange(0.5, settings.steps + 0.5, padding=0)
        self.grad_plot.setYRange(0.5, settings.depth + 0.5, padding=0)
        for plot in (self.loss_plot, self.acc_plot):
            plot.setXRange(0, settings.steps, padding=0.02)
        self.table.setRowCount(0)
        self.chance = self.acc_plot.addLine(y=10, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine))

    @Slot(str, object, object)
    def _on_progress(self, kind: str, key, args) -> None:
        if kind != TRAINING or key is not self:
            return
        what, value = args
        if what == "note":
            self.data_note = engine_text(value)
            self.status.setText(self.tr("Training: {0}; {1}.").format(self.recipe, self.data_note))
        elif what == "step":
            run = self.runs.get(f"{value.spec} · {value.init}")
            if run is None:
                return
            run["steps"].append(value.step)
            run["losses"].append(value.loss)
            run["grads"].append(value.grad_std)
            if value.accuracy is not None:
                run["evals"].append((value.step, value.accuracy * 100))
            if self.grad_combo.currentText() != f"{value.spec} · {value.init}" and value.step == 1:
                self.grad_combo.setCurrentText(f"{value.spec} · {value.init}")  # follow the run
            if not self.cancelling:
                labels = list(self.runs)
                self.status.setText(self.tr(
                    "Training {0} · {1} (pair {2} of {3}): step {4} of {5}, loss {6}.").format(
                    value.spec, value.init, labels.index(f"{value.spec} · {value.init}") + 1,
                    len(labels), value.step, value.steps, f"{value.loss:.3f}"))
            if not self._redraw.isActive():
                self._redraw.start()
        else:
            self._finished_one(value)

    def _draw(self) -> None:
        top = 30.0  # the accuracy axis starts at 0, so noise near chance stays small
        for run in self.runs.values():
            run["loss"].setData(run["steps"], run["losses"])
            if run["evals"]:
                steps, accs = zip(*run["evals"])
                run["acc"].setData(list(steps), list(accs))
                top = max(top, max(accs) + 5)
        self.acc_plot.setYRange(0, min(top, 100), padding=0)
        self._draw_grads()

    def _draw_grads(self) -> None:
        run = self.runs.get(self.grad_combo.currentText())
        if run is None or not run["grads"]:
            self.grad_image.clear()
            return
        grads = np.array(run["grads"], dtype=float).T  # layer × step
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.log10(grads)
        logs[~np.isfinite(logs)] = np.nan
        finite = logs[np.isfinite(logs)]
        if not finite.size:
            self.grad_image.clear()
            return
        lo, hi = self._grad_levels()
        self.grad_image.setImage(np.nan_to_num(logs, nan=lo), autoLevels=False, levels=(lo, hi))
        self.grad_range.setText(self.tr("log10 of the std: dark {0}, bright {1}, one scale for"
                                        " every pair").format(f"{lo:.1f}", f"{hi:.1f}"))
        self.grad_image.setRect(0.5, 0.5, grads.shape[1], grads.shape[0])
        self.grad_plot.setXRange(0.5, grads.shape[1] + 0.5, padding=0)
        self.grad_plot.setYRange(0.5, grads.shape[0] + 0.5, padding=0)

    def _grad_levels(self) -> tuple[float, float]:
        """The log10 range of every pair's weight gradients so far: one colour scale, so a
        vanished pair looks dark beside one that learns."""
        logs = [np.log10(v) for run in self.runs.values() for g in run["grads"] for v in g
                if v > 0 and np.isfinite(v)]
        if not logs:
            return 0.0, 1.0
        lo, hi = float(min(logs)), float(max(logs))
        return (lo - 0.5, hi + 0.5) if hi - lo < 1e-6 else (lo, hi)

    def _finished_one(self, run) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        acc = f"{run.accuracy * 100:.1f}%" if run.accuracy is not None else "–"
        last = run.losses[-1] if run.losses else math.nan
        loss = f"{last:.3f}" if math.isfinite(last) else str(last)
        if run.diverged_at is not None:
            state = self.tr("diverged at step {0} (the loss became {1})").format(run.diverged_at, loss)
        elif run.cancelled:
            state = self.tr("cancelled after {0} steps").format(len(run.losses))
        else:
            state = self.tr("done in {0} s").format(f"{run.seconds:.1f}")
        for c, text in enumerate([run.label, LINE_NAMES.get(run.init, "——"), acc, loss, state]):
            item = QTableWidgetItem(text)
            if c in (2, 3):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c < 2:
                item.setForeground(pair_pen(self.specs, str(run.spec), run.init).color())
            self.table.setItem(row, c, item)
        self.table.resizeColumnsToContents()
        self._draw()

    @Slot(str, object, object)
    def _on_answered(self, kind: str, key, runs) -> None:
        if kind != TRAINING or key is not self:
            return
        if self.cancelling or any(r.cancelled for r in runs):
            done = sum(len(r.losses) for r in runs)
            self._finish(self.tr("Cancelled: kept {0} steps of {1} pair(s); {2} pair(s) not"
                                 " trained.").format(done, len(runs), len(self.runs) - len(runs)))
        else:
            self._finish(self.tr("Done: {0}; {1}.").format(self.recipe, self.data_note))

    @Slot(str, object, object)
    def _on_failed(self, kind: str, key, exc) -> None:
        if kind == TRAINING and key is self:
            self._finish(self.tr("Training stopped: {0}").format(describe_error(exc)))

    def _finish(self, message: str) -> None:
        self._draw()
        self.status.setText(message)
        self.train_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
