"""The navigation toolbar: previous/next batch, the batch number and slider, the zoom."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSlider, QSpinBox, QToolBar


class NavigationBar(QToolBar):
    go_to = Signal(int, bool)  # a batch index the user picked; True: passed over, slider held
    step = Signal(int)  # batches forward (negative: back)
    fit = Signal()
    one_to_one = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Navigation"))
        self.setObjectName("NavigationBar")
        self.setMovable(False)
        self.prev_button = QPushButton(self.tr("◀ Previous"))
        self.prev_button.setToolTip(self.tr("Previous batch (Left)"))
        self.prev_button.clicked.connect(lambda: self.step.emit(-1))
        self.next_button = QPushButton(self.tr("Next ▶"))
        self.next_button.setToolTip(self.tr("Next batch (Right)"))
        self.next_button.clicked.connect(lambda: self.step.emit(1))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 0)
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setPrefix(self.tr("Batch "))
        self.batch_spin.valueChanged.connect(
            lambda value: self.go_to.emit(value, self.batch_slider.isSliderDown()))
        self.batch_count = QLabel(self.tr(" of –"))
        self.batch_slider = QSlider(Qt.Orientation.Horizontal)
        self.batch_slider.setRange(0, 0)
        self.batch_slider.setMinimumWidth(200)
        self.batch_slider.valueChanged.connect(self.batch_spin.setValue)
        self.batch_slider.sliderReleased.connect(  # the batch let go on is the one landed on
            lambda: self.go_to.emit(self.batch_slider.value(), False))
        for w in (self.prev_button, self.batch_spin, self.batch_count, self.next_button):
            self.addWidget(w)
        self.addWidget(self.batch_slider)
        self.addSeparator()
        fit = QPushButton(self.tr("Fit"))
        fit.setToolTip(self.tr("Fit the panels to the window (Ctrl+0)"))
        fit.clicked.connect(self.fit)
        one = QPushButton("1:1")
        one.setToolTip(self.tr("One screen pixel per image pixel (Ctrl+1)"))
        one.clicked.connect(self.one_to_one)
        self.zoom_label = QLabel()
        for w in (fit, one, self.zoom_label):
            self.addWidget(w)
        self.addSeparator()

    def widgets(self):
        return [self.prev_button, self.next_button, self.batch_spin, self.batch_slider]

    def show_batch(self, index: int, count: int | None = None) -> None:
        """Show batch ``index`` (of ``count`` when known) without emitting ``go_to``."""
        for w in (self.batch_spin, self.batch_slider):
            w.blockSignals(True)
            if count is not None:
                w.setRange(0, max(0, count - 1))
            w.setValue(index)
            w.blockSignals(False)
        if count is not None:
            self.batch_count.setText(self.tr(" of {0}").format(count))
        if self.batch_spin.isEnabled():  # while the engine works: where a step can go
            self.prev_button.setEnabled(index > 0)
            self.next_button.setEnabled(index < self.batch_spin.maximum())

    def show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f" {zoom * 100:.0f}% ")
