"""The inspector dock: one image enlarged in every panel with the values under the cursor,
each panel's value histogram, and the selected activation's curve. Plots use pyqtgraph;
every number comes from the engine's step result."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..engine import modes
from ..engine.errors import ActlensError
from ..engine.inspection import (
    SMALL_GRADIENT,
    curve_source,
    curve_source_key,
    pixel_values,
    reference_panel,
    source_values,
)
from ..engine.panels import INPUT_TAG
from .controller import CURVE, HISTOGRAMS
from .i18n import class_name, engine_text, panel_title
from .messages import text_label
from .qimage import rgb_to_qimage
from .workers import describe_error

pg.setConfigOptions(antialias=True, background="#1e1f22", foreground="#c8c8c8")
PLOT_INTERVAL_MS = 100
CURVE_INTERVAL_MS = 50  # curves are asked for at most this often (a slider's drag)
CHANNEL_PENS = [pg.mkPen("#ff6b6b", width=2), pg.mkPen("#6bdc6b", width=2),
                pg.mkPen("#6b9bff", width=2)]


class PixelView(QWidget):
    """One image, enlarged, nearest-neighbour, with a crosshair on the inspected pixel."""

    hovered = Signal(int, int)  # y, x
    clicked = Signal(int, int)

    def __init__(self, scale: int = 6, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.scale = scale
        self._pixmap = QPixmap()
        self._pixel: tuple[int, int] | None = None

    def set_image(self, rgb: np.ndarray) -> None:
        self._pixmap = QPixmap.fromImage(rgb_to_qimage(rgb))
        self.updateGeometry()
        self.update()

    def set_pixel(self, pixel) -> None:
        self._pixel = pixel
        self.update()

    def set_scale(self, scale: int) -> None:
        self.scale = scale
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        s = self._pixmap.size()
        return QSize(max(s.width(), 1) * self.scale, max(s.height(), 1) * self.scale)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _to_pixel(self, pos: QPoint):
        y, x = int(pos.y() // self.scale), int(pos.x() // self.scale)
        if 0 <= y < self._pixmap.height() and 0 <= x < self._pixmap.width():
            return y, x
        return None

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        if not self._pixmap.isNull():
            p.drawPixmap(QRect(0, 0, self._pixmap.width() * self.scale,
                               self._pixmap.height() * self.scale), self._pixmap)
        if self._pixel is not None:
            y, x = self._pixel
            p.setPen(QPen(QColor(255, 200, 0), 2))
            p.drawRect(x * self.scale, y * self.scale, self.scale, self.scale)
        p.end()

    def mouseMoveEvent(self, event) -> None:
        px = self._to_pixel(event.position().toPoint())
        if px is not None:
            self.hovered.emit(*px)

    def mousePressEvent(self, event) -> None:
        px = self._to_pixel(event.position().toPoint())
        if px is not None:
            self.clicked.emit(*px)


class PixelTab(QWidget):
    """The selected image in every panel side by side, and a table of raw values."""

    pixel_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.views: list[PixelView] = []
        self.titles: list[QLabel] = []
        self.caption = text_label(self.tr("Click an image in any panel to inspect it."))
        self.zoom_spin = QSpinBox()
        self.zoom_spin.setRange(1, 24)
        self.zoom_spin.setValue(6)
        self.zoom_spin.setSuffix(self.tr("×"))
        self.zoom_spin.setToolTip(self.tr("Zoom of every enlarged view (they zoom together)"))
        self.zoom_spin.valueChanged.connect(self._on_zoom)
        self._strip = QWidget()
        self._strip_layout = QGridLayout(self._strip)
        self._strip_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._strip)
        scroll.setMinimumHeight(260)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(self._rgb())
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(self.caption, 1)
        top.addWidget(QLabel(self.tr("Zoom")))
        top.addWidget(self.zoom_spin)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.table, 1)
        self.result = None
        self.image = -1
        self.pixel = (0, 0)
        self.pinned = False

    def show_image(self, result, image: int) -> None:
        self.result, self.image = result, image
        # Enlarged views of the panels that hold batch images; a panel of one image's
        # feature maps shows as a row of values (one per map) in the table.
        panels = [p for p in result.panels if p.cells is None]
        while len(self.views) < len(panels):
            view, title = PixelView(self.zoom_spin.value()), text_label("", wrap=False)
            view.hovered.connect(self._on_hover)
            view.clicked.connect(self._on_click)
            i = len(self.views)
            self._strip_layout.addWidget(title, 0, i)
            self._strip_layout.addWidget(view, 1, i)
            self.views.append(view)
            self.titles.append(title)
        for i, (view, title) in enumerate(zip(self.views, self.titles)):
            visible = i < len(panels)
            view.setVisible(visible)
            title.setVisible(visible)
            if visible:
                view.set_image(panels[i].images[image])
                title.setText(panel_title(panels[i]))
        h, w = result.batch.images.shape[1:3]
        self.pixel = (min(self.pixel[0], h - 1), min(self.pixel[1], w - 1))
        self._show_pixel(*self.pixel)

    def _on_zoom(self, scale: int) -> None:
        for view in self.views:
            view.set_scale(scale)

    def _on_hover(self, y: int, x: int) -> None:
        if not self.pinned:
            self._show_pixel(y, x)

    def _on_click(self, y: int, x: int) -> None:
        self.pinned = not self.pinned or (y, x) != self.pixel
        self._show_pixel(y, x)

    def _show_pixel(self, y: int, x: int) -> None:
        if self.result is None or self.image < 0:
            return
        self.pixel = (y, x)
        for view in self.views:
            view.set_pixel((y, x))
        self.pixel_changed.emit()
        try:
            pv = pixel_values(self.result, self.image, y, x)
        except ActlensError as exc:
            self.caption.setText(str(exc))
            return
        pin = self.tr(" (pinned; click again to follow the cursor)") if self.pinned else ""
        self.caption.setText(self.tr("Image #{0} ({1}), pixel y={2} x={3}{4}").format(
            self.result.batch.start + pv.image, class_name(pv.label, self.result.request.dataset), y, x, pin))
        pixel = tuple(float(v) for v in pv.pixel)
        wide = max(len(values) for _, values in pv.rows) > 3  # feature maps: columns are maps
        rows = [(self.tr("input pixel (uint8: R, G, B)") if wide and len(pixel) == 3
                 else self.tr("input pixel (uint8)"), pixel)] + [
            (self.tr("{0} (raw)").format(title) if not panel.is_input
             else self.tr("input (preprocessed)"), values)
            for panel, (title, values) in zip(self.result.panels, pv.rows)
        ]
        channels = max(len(values) for _, values in rows)
        self.table.setColumnCount(channels)
        self.table.setHorizontalHeaderLabels(self._headers(channels))
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([r[0] for r in rows])
        for r, (_, values) in enumerate(rows):
            for c, v in enumerate(values):
                text = f"{int(v)}" if r == 0 else f"{v:.6g}"
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _rgb(self) -> list[str]:
        return [self.tr("R"), self.tr("G"), self.tr("B")]

    def _headers(self, channels: int) -> list[str]:
        """Column titles: R, G, B; grey; or feature maps by number (the input's row says
        that its first three are R, G, B)."""
        if channels == 3:
            return self._rgb()
        if channels == 1:
            return [self.tr("grey")]
        return [self.tr("map {0}").format(c) for c in range(channels)]


def _values_in(panel) -> int:
    """How many values a panel holds, as its histogram counts them with its NaN and inf
    (0 without a histogram)."""
    if panel.hist is None:
        return 0
    odd = panel.stats.nan + panel.stats.inf if panel.stats is not None else 0
    return int(panel.hist[0].sum()) + odd


class HistogramTab(QWidget):
    """A panel's raw-value histogram with the input's behind it; linear or log counts."""

    INPUT_COLOUR, OUTPUT_COLOUR = (170, 170, 170), (255, 180, 84)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.panel_combo = QComboBox()
        self.log_check = QCheckBox(self.tr("Log counts"))
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", self.tr("raw value"))
        self.plot.setLabel("left", self.tr("count"))
        self.plot.addLegend(offset=(10, 10))
        # Two step outlines updated in place each step: much cheaper than clearing and
        # re-adding items, and than filled areas, so the plot keeps up with navigation.
        self.input_item, self.output_item = (
            self.plot.plot([0, 1], [0], stepMode="center", pen=pg.mkPen(colour, width=width),
                           name=name, antialias=False)
            for colour, width, name in ((self.INPUT_COLOUR, 2, self.tr("input")),
                                        (self.OUTPUT_COLOUR, 2, self.tr("output")))
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Panel")))
        row.addWidget(self.panel_combo, 1)
        row.addWidget(self.log_check)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.plot, 1)
        self.result = None
        self.panel_combo.currentIndexChanged.connect(lambda _: self.redraw())
        self.log_check.toggled.connect(lambda _: self.redraw())

    def show_result(self, result) -> None:
        self.result = result
        tags = [p.tag for p in result.panels]
        current = self.panel_combo.currentData()
        if [self.panel_combo.itemData(i) for i in range(self.panel_combo.count())] != tags:
            self.panel_combo.blockSignals(True)
            self.panel_combo.clear()
            for p in result.panels:  # repeated specs have one title and different tags
                self.panel_combo.addItem(panel_title(p), p.tag)
            index = tags.index(current) if current in tags else min(1, len(tags) - 1)
            self.panel_combo.setCurrentIndex(index)
            self.panel_combo.blockSignals(False)
        self.redraw()

    def redraw(self) -> None:
        """The chosen panel's histogram over its reference's. Two populations of different
        sizes (the whole batch's input against one image's feature maps) are compared like
        with like: the reference's counts are scaled to the chosen panel's number of values,
        and the legend and the axis say so."""
        if self.result is None or self.panel_combo.currentIndex() < 0:
            return
        log = self.log_check.isChecked()
        panels = self.result.panels
        chosen = panels[self.panel_combo.currentIndex()]
        reference = reference_panel(self.result, chosen)
        n_chosen, n_reference = _values_in(chosen), _values_in(reference)
        scaled = chosen is not reference and n_chosen and n_reference \
            and n_chosen != n_reference
        self._show(self.input_item, reference, log, n_chosen / n_reference if scaled else 1.0)
        self._show(self.output_item, chosen if chosen is not reference else None, log)
        names = {self.input_item: panel_title(reference), self.output_item: panel_title(chosen)}
        if scaled:
            names[self.input_item] = self.tr("{0} ({1} values, scaled to {2})").format(
                names[self.input_item], f"{n_reference:,}", f"{n_chosen:,}")
            names[self.output_item] = self.tr("{0} ({1} values)").format(
                names[self.output_item], f"{n_chosen:,}")
        legend = self.plot.plotItem.legend
        for item, name in names.items():
            item.opts["name"] = name
            for sample, label in legend.items if legend is not None else ():
                if sample.item is item:
                    label.setText(name)
        count = self.tr("count per {0} values").format(f"{n_chosen:,}") if scaled \
            else self.tr("count")
        self.plot.setLabel("left", self.tr("log10({0} + 1)").format(count) if log else count)

    @staticmethod
    def _show(item, panel, log: bool, scale: float = 1.0) -> None:
        if panel is None or panel.hist is None:
            item.setVisible(False)
            return
        counts, edges = panel.hist
        counts = counts.astype(float) * scale
        item.setData(edges, np.log10(counts + 1.0) if log else counts)
        item.setVisible(True)

    def chosen_tag(self, result) -> str:
        """The tag of the chosen panel in ``result``; the first output by default."""
        tags = [p.tag for p in result.panels]
        chosen = self.panel_combo.currentData()
        return chosen if chosen in tags else tags[min(1, len(tags) - 1)]

    def names(self) -> list[str]:
        """The titles of the series drawn now (input first)."""
        return [item.opts["name"] for item in (self.input_item, self.output_item)
                if item.isVisible()]


class CurveTab(QWidget):
    """f(x) of the selected activation over the input's range, the input's histogram behind
    it, the inspected pixel's input values marked on the curve and, on request, f'(x) with
    the share of the activation's input values where |f'(x)| < SMALL_GRADIENT.

    The engine computes the curve on the worker thread (``ask_curve``); it is drawn when the
    answer comes. Questions are asked at most every CURVE_INTERVAL_MS, each once; the
    controller delivers only the newest question's answer (a newer question supersedes an
    older one), so a curve older than the one drawn is never drawn after it."""

    drawn = Signal(object)  # the key of the curve just drawn

    def __init__(self, ask_curve, parent=None):
        super().__init__(parent)
        # (key, spec, lo, hi, gradient, values) -> None; the answer comes to on_curve(key, ...)
        self.ask_curve = ask_curve
        self.title = QLabel(self.tr("Select an activation in the list to see its curve."))
        self.title.setTextFormat(Qt.TextFormat.RichText)  # what it quotes is escaped
        self.title.setWordWrap(True)
        self.gradient_check = QCheckBox(self.tr("Show gradient f′(x)"))
        self.gradient_check.setToolTip(self.tr(
            "f′(x) by autograd, and the share of the activation's input values where"
            " |f′(x)| < {0}: where the gradient has all but vanished").format(SMALL_GRADIENT))
        self.gradient_check.toggled.connect(lambda _: self.redraw())
        self.gradient_label = text_label("")  # it names a panel: a module's output name
        self.gradient_label.hide()
        self.plot = pg.PlotWidget()
        self.plot.setLabel("bottom", self.tr("input value x"))
        self.plot.setLabel("left", self.tr("f(x)"))
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        lay.addWidget(self.gradient_check)
        lay.addWidget(self.gradient_label)
        lay.addWidget(self.plot, 1)
        self.spec = None
        self.result = None
        self.marks: tuple[float, ...] = ()
        self.asked = None  # the key of the newest question
        self.curve = None  # (key, CurveData) of the newest answer
        self.source = None  # the panel whose values the activation receives
        self.shown_key = None  # the key of the curve drawn now
        self._ask_timer = QTimer(self)
        self._ask_timer.setSingleShot(True)
        self._ask_timer.setInterval(CURVE_INTERVAL_MS)
        self._ask_timer.timeout.connect(self.redraw)
        self._build_items()

    def _build_items(self) -> None:
        """The plot's items, made once and updated in place (much cheaper than clearing and
        re-adding them, so the curve keeps up with a slider's drag)."""
        plot = self.plot.plot
        self.hist_item = plot([0, 1], [0], stepMode="center", fillLevel=0, antialias=False,
                              brush=(150, 150, 150, 70), pen=pg.mkPen((150, 150, 150, 120)))
        self.identity_item = plot([], [], pen=pg.mkPen((120, 120, 120),
                                                       style=Qt.PenStyle.DashLine))
        self.curve_item = plot([], [], pen=pg.mkPen("#ffb454", width=3), antialias=True)
        self.gradient_item = plot([], [], pen=pg.mkPen("#5ec8ff", width=2), antialias=True)
        self.marks_item = plot([], [], pen=None, symbol="o", symbolSize=10)
        self.items = (self.hist_item, self.identity_item, self.curve_item, self.gradient_item,
                      self.marks_item)
        for item in self.items:
            item.setVisible(False)

    def update_curve(self, spec=None, result=None, marks=None) -> None:
        if spec is not None:
            self.spec = spec
        if result is not None:
            self.result = result
        if marks is not None:
            self.marks = marks
        self.redraw()

    def _span(self) -> tuple[float, float]:
        stats = self.source.stats
        lo, hi = (stats.min, stats.max) if stats is not None else (-1.0, 1.0)
        if not np.isfinite([lo, hi]).all():
            lo, hi = -1.0, 1.0
        pad = max(hi - lo, 1e-3) * 0.15
        return lo - pad, hi + pad

    def _key(self) -> tuple:
        """What the curve depends on: the spec, the span, and with the gradient, the values
        whose small gradients are counted."""
        gradient = self.gradient_check.isChecked()
        values = curve_source_key(self.result, self.spec) if gradient else None
        return (self.spec, *self._span(), gradient, values)

    def on_curve(self, key, value) -> None:
        """The answer to the newest question ``key``: a CurveData, or the exception that
        computing it raised."""
        if isinstance(value, Exception):
            self.title.setText(self.tr("The curve could not be computed: {0}").format(
                escape(describe_error(value))))
            for item in self.items:  # no other activation's curve under this message
                item.setVisible(False)
            self._show_small_gradient(None)
            self.shown_key = None
            return
        self.curve = (key, value)
        self.redraw()

    def redraw(self) -> None:
        """Draw the curve the current spec and result call for, or the newest answer on the
        way to it; ask for it if it has not been: at once, or once CURVE_INTERVAL_MS have
        passed since the last question (a drag asks for 20 curves a second, not one per
        move). Only while this tab shows: a hidden tab catches up when it is shown."""
        if self.spec is None or self.result is None or not self.isVisible():
            return
        self.source = curve_source(self.result, self.spec)
        if self.source is None:
            if not modes.get(self.result.request.mode).uses_activations:
                for item in self.items:
                    item.setVisible(False)
                self._show_small_gradient(None)
                self.shown_key = None
                self.title.setText(self.tr(
                    "Your module brings its own activations. The curve follows the"
                    " activation list, which this view does not use."))
            return  # network mode: the step with this activation's layers is on its way
        key = self._key()
        cached = self.curve is not None and self.curve[0] == key
        if cached or self.curve is not None and self.curve[0] != self.shown_key:
            self._draw(*self.curve)  # the wanted curve, or a newer one on the way to it
        if cached or key == self.asked or self._ask_timer.isActive():
            return  # the timer asks for the newest when it fires
        self.asked = key
        spec, lo, hi, gradient, _ = key
        values = source_values(self.source) if gradient else None
        self.ask_curve(key, spec, lo, hi, gradient, values)  # drawn when the engine answers
        self._ask_timer.start()

    def _draw(self, key, data) -> None:
        x, y, dy = data.x, data.y, data.dy
        self._draw_histogram(y if dy is None else np.concatenate([y, dy]))
        self.identity_item.setData(x, x)
        self.curve_item.setData(x, y)
        if dy is not None:
            self.gradient_item.setData(x, dy)
        fx = np.interp(self.marks, x, y) if self.marks else []
        self.marks_item.setData(list(self.marks), list(fx), symbolBrush=[
            CHANNEL_PENS[i % 3].color() for i in range(len(self.marks))])
        for item, on in ((self.identity_item, True), (self.curve_item, True),
                         (self.gradient_item, dy is not None),
                         (self.marks_item, bool(self.marks))):
            item.setVisible(on)
        self._caption(key[0], x, dy is not None)
        self._show_small_gradient(data.small_gradient if dy is not None else None)
        self.shown_key = key
        self.drawn.emit(key)

    def _draw_histogram(self, ys) -> None:
        """The source's histogram behind the curves, scaled to their height."""
        hist = self.source.hist
        shown = hist is not None and ys.size > 0
        self.hist_item.setVisible(shown)
        if not shown:
            return
        counts, edges = hist
        top, bottom = float(np.nanmax(ys)), float(np.nanmin(ys))
        scale = (top - bottom) / max(counts.max(), 1) if top > bottom else 1.0
        self.hist_item.setFillLevel(bottom)
        self.hist_item.setData(edges, counts * scale + bottom)

    def _caption(self, spec, x, gradient: bool) -> None:
        stats = self.source.stats
        lo, hi = (stats.min, stats.max) if stats is not None else (x[0], x[-1])
        marks = ", ".join(f"{m:.3g}" for m in self.marks)
        what = self.tr("the input's") if self.source.is_input \
            else self.tr("{0}'s").format(escape(panel_title(self.source)))
        text = self.tr("<b>{0}</b>: {1}. Grey: {2} histogram (range {3} to {4}); dashed: y = x"
                       ).format(spec, engine_text(spec.entry.summary), what, f"{lo:.3g}", f"{hi:.3g}")
        if gradient:
            text += self.tr("; blue: f′(x), by autograd")
        if marks:
            text += self.tr("; dots: the inspected pixel's input ({0})").format(marks)
        self.title.setText(text)

    def _show_small_gradient(self, share) -> None:
        self.gradient_label.setVisible(share is not None)
        if share is None:
            return
        percent = f"{share * 100:.1f}"
        if self.source.is_input:
            text = self.tr("|f′(x)| < {0} on {1}% of this batch's values").format(
                SMALL_GRADIENT, percent)
        else:
            text = self.tr("|f′(x)| < {0} on {1}% of the values of {2}").format(
                SMALL_GRADIENT, percent, panel_title(self.source))
        self.gradient_label.setText(text)


class InspectorDock(QDockWidget):
    """Shows what the window hands it (:meth:`show_result`, :meth:`select_image`,
    :meth:`set_activation`); asks ``controller`` for what it needs computed."""

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Inspector"))
        self.controller = controller
        self.setObjectName("InspectorDock")
        self.tabs = QTabWidget()
        self.pixel_tab = PixelTab()
        self.histogram_tab = HistogramTab()
        self.curve_tab = CurveTab(self._ask_curve)
        controller.answered.connect(self._on_answered)
        controller.failed.connect(self._on_failed)
        self.tabs.addTab(self.pixel_tab, self.tr("Pixel"))
        self.tabs.addTab(self.histogram_tab, self.tr("Histogram"))
        self.tabs.addTab(self.curve_tab, self.tr("Curve"))
        self.setWidget(self.tabs)
        self.setMinimumWidth(380)
        self.selected_image = -1
        self._plot_timer = QTimer(self)
        self._plot_timer.setSingleShot(True)
        self._plot_timer.setInterval(PLOT_INTERVAL_MS)
        self._plot_timer.timeout.connect(self._redraw_plots)
        self.pixel_tab.pixel_changed.connect(lambda: self.curve_tab.update_curve(marks=self._marks()))
        self.tabs.currentChanged.connect(lambda _: self._refresh())
        self.histogram_tab.panel_combo.currentIndexChanged.connect(lambda _: self._refresh())
        self.visibilityChanged.connect(lambda _: self._refresh())

    @property
    def result(self):
        """The result shown now: the controller's (None before the first batch)."""
        return self.controller.current_result

    def _ask_curve(self, key, *args) -> None:
        self.controller.curve(key, *args)

    def wanted_histograms(self) -> tuple[str, ...]:
        """Tags of the panels whose histograms a visible plot shows. Each costs a pass over
        the panel, so the engine computes only these."""
        tab = self._visible_tab()
        if tab is self.histogram_tab:
            if self.result is None:
                return ("*",)
            chosen = self.histogram_tab.chosen_tag(self.result)
            panel = next(p for p in self.result.panels if p.tag == chosen)
            return (reference_panel(self.result, panel).tag, chosen)
        if tab is self.curve_tab:
            if self.result is None:
                return (INPUT_TAG,)
            source = curve_source(self.result, self.curve_tab.spec)
            return (source.tag,) if source is not None else ()
        return ()

    def _missing_histograms(self) -> list[str]:
        wanted = set(self.wanted_histograms())
        return [p.tag for p in self.result.panels
                if p.tag in wanted and p.hist is None and p.raw is not None]

    def _visible_tab(self):
        return self.tabs.currentWidget() if self.isVisible() else None

    def _refresh(self) -> None:
        if self.result is None:
            return
        missing = self._missing_histograms()
        if missing:
            self.controller.histograms(self.result, missing)  # shown when they arrive
        else:
            self.show_result(self.result)

    @Slot(str, object, object)
    def _on_answered(self, kind: str, key, value) -> None:
        if kind == CURVE:
            self.curve_tab.on_curve(key, value)
        elif kind == HISTOGRAMS:  # the result shown, again with the histograms asked for
            self.show_result(value)

    @Slot(str, object, object)
    def _on_failed(self, kind: str, key, exc) -> None:
        if kind == CURVE:  # said in the Curve tab; a histogram's error shows in the window
            self.curve_tab.on_curve(key, exc)

    def show_result(self, result) -> None:
        """Follow a new step; only the visible tab redraws (the others catch up when shown)."""
        n = len(result.batch.labels)
        if modes.get(result.request.mode).one_image:
            self.selected_image = result.request.image  # the image whose maps show
        if self.selected_image >= n:
            self.selected_image = n - 1
        tab = self._visible_tab()
        if self.selected_image >= 0 and tab in (self.pixel_tab, self.curve_tab):
            self.pixel_tab.show_image(result, self.selected_image)
        if tab in (self.histogram_tab, self.curve_tab) and not self._plot_timer.isActive():
            # Plots redraw at most every PLOT_INTERVAL_MS while batches change quickly, so
            # holding an arrow key keeps the panels at full speed.
            self._plot_timer.start()

    def _redraw_plots(self) -> None:
        tab = self._visible_tab()
        if self.result is None:
            return
        if self.controller.pending():
            # A newer batch is on its way: draw that one instead of one about to be replaced.
            self._plot_timer.start()
            return
        missing = self._missing_histograms()
        if missing:  # a step asked before this tab's source was known (a new mode's first)
            self.controller.histograms(self.result, missing)  # redrawn when they arrive
        if tab is self.histogram_tab:
            self.histogram_tab.show_result(self.result)
        elif tab is self.curve_tab:
            self.curve_tab.update_curve(result=self.result, marks=self._marks())

    def select_image(self, result, index: int) -> None:
        self.selected_image = index
        self.pixel_tab.show_image(result, index)
        self.curve_tab.update_curve(result=result, marks=self._marks())

    def set_activation(self, spec) -> None:
        self.curve_tab.update_curve(spec=spec)

    def _marks(self) -> tuple[float, ...]:
        tab = self.pixel_tab
        if tab.result is None or tab.image < 0 or not modes.get(
                tab.result.request.mode).activations_see_input:
            return ()
        y, x = tab.pixel
        return tuple(float(v) for v in tab.result.panels[0].raw[tab.image, :, y, x])
