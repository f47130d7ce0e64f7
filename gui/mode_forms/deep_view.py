"""The depth mode's view above the panels: the gradient's std per layer on a log axis, one
line per (activation, init) with the theory dashed beside it, a strip of per-layer histograms
of the values and the gradients (Glorot & Bengio 2010, figures 6 and 7), and the Training
tab."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..deep_training import LINE_NAMES, DeepTraining, pair_pen
from ..messages import text_label


class DepthView(QTabWidget):
    """This batch's depth profile (each step's :class:`engine.modes.deep.DepthReport`, in
    ``result.details``) and the Training tab."""

    def __init__(self, controller, session_source, parent=None):
        super().__init__(parent)
        self.batch = DepthProfileView()
        self.training = DeepTraining(controller, session_source)
        self.addTab(self.batch, self.tr("This batch"))
        self.addTab(self.training, self.tr("Training"))
        self.setDocumentMode(True)

    def show_result(self, result) -> None:
        self.batch.show_result(result)

    def computing(self) -> None:
        self.batch.note.setText(self.tr("Computing the forward and backward passes…"))

    def computing_ended(self) -> None:
        report = self.batch.report
        self.batch.note.setText(self.batch.notes(report) if report is not None else "")


class DepthProfileView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.profile_plot = pg.PlotWidget()
        self.profile_plot.setLogMode(y=True)
        self.profile_plot.setLabel("bottom", self.tr("layer (1 = nearest the input)"))
        self.profile_plot.setLabel("left", self.tr("gradient std"))
        self.profile_plot.showGrid(x=True, y=True, alpha=0.2)
        self.profile_plot.getAxis("left").enableAutoSIPrefix(False)
        self.profile_plot.getViewBox().setDefaultPadding(0.06)  # the top tick stays whole
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([
            self.tr("activation · init"), self.tr("line"), self.tr("layer 1 / last"),
            self.tr("theory")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setToolTip(self.tr(
            "The gradient's std at layer 1 over its std at the last layer: 1 means it reaches"
            " the first layer intact, 1e-6 that it has vanished. The theory (He et al. 2015)"
            " exists for ReLU, leaky ReLU and identity; it is drawn as a thin dashed line."))
        self.note = text_label("")
        self.note.setMaximumWidth(380)
        self.hist_combo = QComboBox()
        self.value_plot, self.value_image = self._strip(self.tr("values"))
        self.grad_plot, self.grad_image = self._strip(self.tr("gradients"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Histograms per layer of")))
        row.addWidget(self.hist_combo, 1)
        left = QVBoxLayout()
        left.addWidget(self.profile_plot, 1)
        right = QVBoxLayout()
        right.addLayout(row)
        right.addWidget(self.value_plot, 1)
        right.addWidget(self.grad_plot, 1)
        middle = QVBoxLayout()
        middle.addWidget(self.table, 1)
        middle.addWidget(self.note)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(left, 5)
        lay.addLayout(middle, 0)
        lay.addLayout(right, 4)
        self.report = None
        self._curve_shape, self._curve_items = None, []
        self.hist_combo.currentIndexChanged.connect(lambda _: self._show_histograms())

    def _strip(self, title: str):
        plot = pg.PlotWidget(title=title)
        plot.setLabel("left", self.tr("layer"))
        plot.invertY(True)
        image = pg.ImageItem(axisOrder="row-major")
        image.setColorMap(pg.colormap.get("inferno"))
        plot.addItem(image)
        return plot, image

    def show_result(self, result) -> None:
        report = result.details
        if report is None or not hasattr(report, "profiles"):
            return
        self.report = report
        self._show_profiles(report)
        labels = [p.label for p in report.profiles]
        if [self.hist_combo.itemText(i) for i in range(self.hist_combo.count())] != labels:
            current = self.hist_combo.currentText()
            self.hist_combo.blockSignals(True)
            self.hist_combo.clear()
            self.hist_combo.addItems(labels)
            self.hist_combo.setCurrentIndex(labels.index(current) if current in labels else 0)
            self.hist_combo.blockSignals(False)
        self._show_histograms()

    def _show_profiles(self, report) -> None:
        specs = list(dict.fromkeys(str(p.spec) for p in report.profiles))
        layers = np.arange(1, report.depth + 1, dtype=float)
        self.table.setRowCount(len(report.profiles))
        curves = self._curves(report)
        for row, p in enumerate(report.profiles):
            pen = pair_pen(specs, str(p.spec), p.init)
            std = np.array([lp.grad_std for lp in p.layers], dtype=float)
            std[~(std > 0)] = np.nan  # a log axis shows no zeros
            line, theory_line = curves[row]
            line.setData(layers, std, pen=pen, symbol="o", symbolSize=4,
                         symbolBrush=pen.color(), connect="finite")
            if p.theory:
                theory_line.setData(layers, np.array(p.theory) * p.layers[-1].grad_std,
                                    pen=theory_pen(pen.color()))
            cells = [p.label, LINE_NAMES.get(p.init, "——"), _g(p.ratio),
                     _g(p.theory[0]) if p.theory else "—"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setForeground(pen.color())
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, c, item)
        self.table.resizeColumnsToContents()
        columns = range(self.table.columnCount())
        for c in columns:  # room for the style sheet's cell padding: no number is cut
            self.table.setColumnWidth(c, self.table.columnWidth(c) + (10 if c >= 2 else 2))
        width = sum(self.table.columnWidth(c) for c in columns)
        self.table.setMinimumWidth(width + 2 * self.table.frameWidth() + 12
                                   + self.table.verticalScrollBar().sizeHint().width())
        self.note.setText(self.notes(report))

    def _curves(self, report) -> list:
        """A (measured, theory) pair of plot items per profile: the ones already drawn when
        the pairs are the same (a new batch, depth or width redraws in place, a quarter of
        the time of a new plot), else new ones."""
        shape = [(p.label, p.theory is not None) for p in report.profiles]
        if shape != self._curve_shape:
            self.profile_plot.clear()
            self._curve_items = [(self.profile_plot.plot(), self.profile_plot.plot()
                                  if has_theory else None) for _, has_theory in shape]
            self._curve_shape = shape
        return self._curve_items

    def notes(self, report) -> str:
        """What the report's activations and initialisations need said beside the plot."""
        names = {p.spec.name for p in report.profiles}
        notes = []
        if "sigmoid" in names:
            notes.append(self.tr("Sigmoid's slope f′ is at most 0.25. Near 0 it never drops"
                                 " below 0.01, so its saturated share stays near 0%; yet every"
                                 " layer multiplies the gradient by at most 0.25, and through"
                                 " many layers it vanishes."))
        inits = {p.init for p in report.profiles}
        if {"xavier", "kaiming"} <= inits and names & {"sigmoid", "identity"}:
            notes.append(self.tr("For Sigmoid and identity, Kaiming and Xavier draw the same"
                                 " weights except in layer 1: torch's gain for them is 1, and"
                                 " every later layer has as many inputs as outputs."))
        if names & {"relu", "relu6"}:
            notes.append(self.tr("ReLU's saturated values are its dead ones: its slope is"
                                 " 0 or 1."))
        return " ".join(notes)

    def _show_histograms(self) -> None:
        if self.report is None or not 0 <= self.hist_combo.currentIndex() < len(
                self.report.profiles):
            return
        profile = self.report.profiles[self.hist_combo.currentIndex()]
        for image, plot, key in ((self.value_image, self.value_plot, "value_hist"),
                                 (self.grad_image, self.grad_plot, "grad_hist")):
            rows = np.stack([getattr(lp, key)[0] for lp in profile.layers]).astype(float)
            shares = rows / np.maximum(rows.sum(1, keepdims=True), 1)
            image.setImage(np.log10(shares * 1e4 + 1), autoLevels=False, levels=(0, 4))
            edges = getattr(profile.layers[0], key)[1]
            lo, hi = float(edges[0]), float(edges[-1])
            if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
                lo, hi = -1.0, 1.0
            image.setRect(lo, 0.5, hi - lo, len(profile.layers))
            plot.setXRange(lo, hi, padding=0)
            plot.setYRange(0.5, len(profile.layers) + 0.5, padding=0)



def theory_pen(colour):
    """The theory's line: thin, long dashes, half transparent, so it never reads as the
    dotted line of PyTorch's default initialisation."""
    colour = pg.mkColor(colour)
    colour.setAlpha(150)
    pen = pg.mkPen(colour, width=1)
    pen.setDashPattern([10, 6])
    return pen


def _g(v: float) -> str:
    return f"{v:.2g}" if np.isfinite(v) else str(v)
