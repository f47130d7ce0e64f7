"""The side-by-side panels: one card per panel (title, badges, grid, statistics line).

All cards share one zoom factor (Ctrl+wheel, Fit, 1:1) and one hovered cell, so the same
image is outlined in every panel. From 200% on, each image of the batch shows its class name
in a strip at the bottom of its cell. Cards wrap into as many columns as the width allows.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..engine import modes
from ..engine.imaging import GRID_COLUMNS, cell_at
from .i18n import class_name, engine_text, panel_title
from .messages import plain_tip, text_label

MIN_ZOOM, MAX_ZOOM = 0.5, 16.0
# The zoom the settings keep, in percent: what the control can show; anything else is read as
# never zoomed (the panels fit the window).
ZOOM_PERCENT = (round(MIN_ZOOM * 100), round(MAX_ZOOM * 100))
NAME_ZOOM = 2.0  # from this zoom on, the batch's cells show their class names
CARD_MIN_W, CARD_CHROME_W, CARD_CHROME_H = 220, 24, 100  # a card beyond its grid


class GridView(QWidget):
    """Paints one grid image at the shared zoom, nearest-neighbour, with the hovered cell."""

    hovered = Signal(int)  # image index in the batch, -1 when none
    clicked = Signal(int)
    zoom_wheel = Signal(int)  # +1 / -1 steps

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self._pixmap = QPixmap()
        self._zoom = 2.0
        self._layout = (0, 32, 32, 8, 2)  # n, h, w, ncols, pad
        self._labels: list[str] = []
        self._names: list[str] = []  # class names of batch cells; none for feature maps
        self._highlight = -1
        self.selected = -1  # the image whose feature maps show (network and module modes)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_image(self, image: QImage, n: int, h: int, w: int, ncols: int, pad: int,
                  labels: list[str], names: list[str] | None = None) -> None:
        """``labels``: each cell's tooltip; ``names``: the class names drawn in the cells
        from :data:`NAME_ZOOM` on (batch images only)."""
        self._pixmap = QPixmap.fromImage(image)
        self._layout = (n, h, w, ncols, pad)
        self._labels = labels
        self._names = list(names or [])
        self.updateGeometry()
        self.update()

    def set_zoom(self, zoom: float) -> None:
        self._zoom = zoom
        self.updateGeometry()
        self.update()

    def set_highlight(self, index: int) -> None:
        if index != self._highlight:
            self._highlight = index
            self.update()

    def image_size(self) -> QSize:
        return self._pixmap.size()

    def sizeHint(self) -> QSize:
        s = self._pixmap.size()
        if s.isEmpty():
            return QSize(256, 256)
        return QSize(math.ceil(s.width() * self._zoom), math.ceil(s.height() * self._zoom))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def index_at(self, pos: QPoint) -> int:
        n, h, w, ncols, pad = self._layout
        if self._pixmap.isNull():
            return -1
        i = cell_at(int(pos.x() / self._zoom), int(pos.y() / self._zoom), n, h, w, ncols, pad)
        return -1 if i is None else i

    def cell_rect(self, index: int) -> QRect:
        n, h, w, ncols, pad = self._layout
        row, col = divmod(index, max(1, ncols))
        z = self._zoom
        return QRect(round(col * (w + pad) * z), round(row * (h + pad) * z),
                     round(w * z), round(h * z))

    def name_font(self) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(9, min(13, round(5 * self._zoom))))
        return font

    def _name_strip(self, index: int, height: int) -> QRect:
        cell = self.cell_rect(index)
        return QRect(cell.left(), cell.bottom() - height + 1, cell.width(), height)

    def drawn_names(self) -> list[tuple[int, str]]:
        """The class names painted in the cells, each elided to its cell's width: the
        batch's images at a zoom of 200% or more, where a cell is tall enough."""
        n, h = self._layout[:2]
        if self._zoom < NAME_ZOOM or not self._names or self._pixmap.isNull():
            return []
        metrics = QFontMetrics(self.name_font())
        if metrics.height() + 2 > h * self._zoom / 2:
            return []
        width = self.cell_rect(0).width() - 4
        drawn = [(i, metrics.elidedText(name, Qt.TextElideMode.ElideRight, width))
                 for i, name in enumerate(self._names[:n])]
        return [(i, text) for i, text in drawn if text]

    def _paint_names(self, p: QPainter) -> None:
        names = self.drawn_names()
        if not names:
            return
        font = self.name_font()
        height = QFontMetrics(font).height() + 2
        p.setFont(font)
        for i, text in names:
            strip = self._name_strip(i, height)
            p.fillRect(strip, QColor(0, 0, 0, 150))
            p.setPen(QColor(255, 255, 255))
            p.drawText(strip, Qt.AlignmentFlag.AlignCenter, text)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        if not self._pixmap.isNull():
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            p.drawPixmap(self.rect(), self._pixmap)
        self._paint_names(p)
        if self.selected >= 0:
            p.setPen(QPen(QColor(90, 200, 255), 3))
            p.drawRect(self.cell_rect(self.selected).adjusted(-1, -1, 0, 0))
        if self._highlight >= 0:
            p.setPen(QPen(QColor(255, 200, 0), 2))
            p.drawRect(self.cell_rect(self._highlight).adjusted(-1, -1, 0, 0))
        p.end()

    def mouseMoveEvent(self, event) -> None:
        i = self.index_at(event.position().toPoint())
        self.hovered.emit(i)
        if 0 <= i < len(self._labels):
            QToolTip.showText(event.globalPosition().toPoint(), plain_tip(self._labels[i]), self)
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:
        self.hovered.emit(-1)

    def mousePressEvent(self, event) -> None:
        i = self.index_at(event.position().toPoint())
        if i >= 0:
            self.clicked.emit(i)

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_wheel.emit(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
        else:
            event.ignore()


class PanelCard(QFrame):
    """Title, badges, the grid and its statistics line."""

    switch_preprocess = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("PanelCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.group = ""  # cards of one group share a row
        self.kind = "batch"  # what its cells are: hovering one outlines the alike
        self.title = text_label("", "PanelTitle", wrap=False)  # a module names its outputs
        self.full_title = ""
        self.badge = QFrame()
        self.badge.setObjectName("Badge")
        self.badge_text = QLabel(self.tr(
            "Identical to input: this activation changes nothing on these values."))
        self.badge_text.setWordWrap(True)
        badge_lay = QVBoxLayout(self.badge)
        badge_lay.setContentsMargins(6, 4, 6, 4)
        badge_lay.addWidget(self.badge_text)
        self.try_row = QWidget()
        buttons = QHBoxLayout(self.try_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(QLabel(self.tr("Try:")))
        for mode in ("centered", "normalize"):
            button = QPushButton(mode)
            button.setToolTip(self.tr("Switch the preprocessing to {0}, which feeds signed"
                                      " values").format(mode))
            button.clicked.connect(lambda _=False, m=mode: self.switch_preprocess.emit(m))
            buttons.addWidget(button)
        buttons.addStretch(1)
        badge_lay.addWidget(self.try_row)
        self.badge.hide()
        self.view = GridView()
        self.stats = text_label("", "StatsLine")
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addWidget(self.title)
        lay.addWidget(self.view, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addWidget(self.stats)
        lay.addWidget(self.badge)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)

    def fit_width(self) -> None:
        """Keep the card as wide as its grid: wrap the statistics, elide a long title. The
        statistics get the height their wrapped lines need, so no layout clips them."""
        width = max(self.view.sizeHint().width(), CARD_MIN_W)
        if not self.badge.isHidden() and not self.try_row.isHidden():
            self.try_row.ensurePolished()  # its buttons keep their whole words
            width = max(width, self.try_row.sizeHint().width() + 26)  # margins, padding
        for w in (self.stats, self.badge, self.title):
            w.setMaximumWidth(width)
        self.stats.ensurePolished()  # the style sheet's font decides how many lines wrap
        self.stats.setFixedWidth(width)  # first: the height is measured at this width
        self.stats.setFixedHeight(self.stats.heightForWidth(width))
        metrics = self.title.fontMetrics()
        # a spec's parameter values are at its end: elide the middle so they stay in sight
        elide = Qt.TextElideMode.ElideMiddle if self.full_title.endswith(")") \
            else Qt.TextElideMode.ElideRight
        self.title.setText(metrics.elidedText(self.full_title, elide, width))
        # one height for every title of a row, whichever script (and fallback font) it uses
        self.title.setFixedHeight(metrics.boundingRect("Ag输入").height() + 2)

    def show_panel(self, panel, image: QImage, n, h, w, ncols, pad, labels, names,
                   preprocess: str = "to_tensor") -> None:
        self.full_title = panel_title(panel)
        self.title.setToolTip(self.tr("{0}\nTensorBoard tag: {1} · display: {2}").format(
            self.full_title, panel.tag, panel.display))
        self.view.set_image(image, n, h, w, ncols, pad, labels, names)
        s = panel.stats
        line = engine_text(s.summary_line()) if s is not None else ""
        self.stats.setText(f"{line}\n{engine_text(panel.note)}" if panel.note else line)
        self.badge.setVisible(bool(s is not None and s.identical_to_input))
        # signed inputs are offered only to [0, 1] pixels: on signed ones the activation is
        # the identity at these parameters, and another preprocessing would not change that
        self.try_row.setVisible(preprocess == "to_tensor")
        self.fit_width()


class PanelArea(QScrollArea):
    """Scrollable, wrapping arrangement of PanelCards sharing zoom and hover."""

    zoom_changed = Signal(float)
    cell_clicked = Signal(int, int)  # cell index, card index (0: the input)
    switch_preprocess = Signal(str)

    def __init__(self, zoom: float = 0.0, parent=None):
        """``zoom``: the cards' zoom (0: 2.0 until :meth:`fit` is asked for)."""
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._host = QWidget()
        self._grid = QGridLayout(self._host)
        self._grid.setSpacing(10)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(self._host)
        self.cards: list[PanelCard] = []
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom)) if zoom else 2.0
        self._columns = 0

    def show_view(self, view, class_names: list[str]) -> None:
        result = view.result
        panels = result.panels
        count_changed = len(self.cards) != len(panels)
        while len(self.cards) < len(panels):
            card = PanelCard()
            card.view.hovered.connect(lambda i, c=card: self._on_hover(i, c))
            card.view.clicked.connect(
                lambda i, c=card: self.cell_clicked.emit(i, self.cards.index(c)))
            card.view.zoom_wheel.connect(self._on_wheel)
            card.switch_preprocess.connect(self.switch_preprocess)
            card.view.set_zoom(self.zoom)
            self.cards.append(card)
        while len(self.cards) > len(panels):
            card = self.cards.pop()
            self._grid.removeWidget(card)
            card.deleteLater()
        dataset = result.request.dataset
        shown: dict[int, str] = {}  # each class's name is looked up once per step
        classes = result.batch.labels.tolist()
        for c in classes:
            if c not in shown:
                shown[c] = class_name(class_names[c], dataset) \
                    if 0 <= c < len(class_names) else str(c)
        names = [shown[c] for c in classes]
        labels = [f"#{result.batch.start + i} · {name}" for i, name in enumerate(names)]
        groups = [c.group for c in self.cards]
        selected = result.request.image if modes.get(result.request.mode).one_image else -1
        for card, panel, image in zip(self.cards, panels, view.grids):
            card.group = panel.row  # one activation's layers share a row
            n, h, w = panel.images.shape[:3]  # a batch of images, or one image's channels
            batch = panel.cells is None  # its cells are the batch's images
            card.show_panel(panel, image, n, h, w, min(GRID_COLUMNS, n), view.pad,
                            labels if batch else panel.cells, names if batch else None,
                            # values handed over as they are: no preprocessing applies
                            "as given" if result.batch.values is not None
                            else result.request.preprocess)
            card.view.selected = selected if panel.is_input else -1
            card.kind = "batch" if panel.cells is None else f"maps {panel.layer or panel.tag}"
        # a plain step keeps the arrangement
        self._relayout(force=count_changed or groups != [c.group for c in self.cards])

    def set_zoom(self, zoom: float) -> None:
        zoom = min(MAX_ZOOM, max(MIN_ZOOM, zoom))
        if zoom == self.zoom:
            return
        self.zoom = zoom
        for card in self.cards:
            card.view.set_zoom(zoom)
            card.fit_width()
        self._relayout(force=True)
        self.zoom_changed.emit(zoom)

    def fit(self, panels: int | None = None) -> None:
        """The largest zoom at which every panel is visible without scrolling (cards may
        differ in size: a batch, 16 maps of 32 px, 32 maps of 16 px). ``panels``: fit that
        many cards of the first one's size instead (the panels still to come)."""
        if not self.cards or self.cards[0].view.image_size().isEmpty():
            return
        sizes = [(c.view.image_size().width(), c.view.image_size().height()) for c in self.cards]
        groups = [c.group for c in self.cards]
        if panels:
            sizes, groups = sizes[:1] * panels, groups[:1] * panels
        room = self.maximumViewportSize()  # the viewport without scroll bars: none are needed
        vw, vh = room.width() - 20, room.height() - 20
        lo, hi = MIN_ZOOM, MAX_ZOOM
        for _ in range(24):  # bisect on the zoom: does some column count fit?
            mid = (lo + hi) / 2
            if any(self._fits(sizes, groups, mid, cols, vw, vh)
                   for cols in range(1, len(sizes) + 1)):
                lo = mid
            else:
                hi = mid
        self.set_zoom(max(MIN_ZOOM, math.floor(lo * 10) / 10))

    def _fits(self, sizes, groups, zoom, cols, vw, vh) -> bool:
        widths, heights = self._grid_extent(
            [(max(w * zoom, CARD_MIN_W) + CARD_CHROME_W, h * zoom + CARD_CHROME_H)
             for w, h in sizes], cols, groups)
        return sum(widths) <= vw and sum(heights) <= vh

    def _rows(self, cols: int, groups=None) -> list[list[int]]:
        """Card indices row by row: ``cols`` to a row, and a new row where the group changes
        (the network mode's panels of one activation share a row). ``groups``: each card's
        group (default: the cards shown)."""
        groups = [c.group for c in self.cards] if groups is None else groups
        rows: list[list[int]] = []
        for i, group in enumerate(groups):
            if not rows or len(rows[-1]) == cols or group != groups[rows[-1][0]]:
                rows.append([])
            rows[-1].append(i)
        return rows

    def _grid_extent(self, card_sizes, cols, groups=None):
        """Column widths and row heights of ``card_sizes`` laid out by :meth:`_rows`."""
        spacing = self._grid.spacing()
        rows = self._rows(cols, groups)
        widths = [max(card_sizes[row[c]][0] for row in rows if c < len(row)) + spacing
                  for c in range(max(len(r) for r in rows))]
        heights = [max(card_sizes[i][1] for i in row) + spacing for row in rows]
        return widths, heights

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._relayout()

    def _relayout(self, force: bool = False) -> None:
        if not self.cards:
            return
        hints = [(c.sizeHint().width(), c.sizeHint().height()) for c in self.cards]
        width = self.viewport().width() - 10
        cols = next((k for k in range(len(hints), 0, -1)
                     if sum(self._grid_extent(hints, k)[0]) <= width), 1)
        if cols == self._columns and not force:
            return
        self._columns = cols
        top_left = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        for r, row in enumerate(self._rows(cols)):
            for c, i in enumerate(row):
                self._grid.addWidget(self.cards[i], r, c, top_left)

    def _on_hover(self, index: int, hovered) -> None:
        """Outline the same cell in every card whose cells are the same things: the batch's
        images, or the maps of one layer (conv1 before and after the activation)."""
        for card in self.cards:
            alike = card.kind == hovered.kind
            card.view.set_highlight(index if alike else -1)

    def _on_wheel(self, step: int) -> None:
        self.set_zoom(self.zoom * (1.25 if step > 0 else 0.8))
