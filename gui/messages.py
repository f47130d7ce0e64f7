"""What the window says: the status line of a step, the offer to continue on the CPU, the
error banner and its remedy."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton

from ..engine import modes
from .i18n import engine_text

translate = QCoreApplication.translate


def text_label(text: str, name: str = "", wrap: bool = True) -> QLabel:
    """A label for messages that quote paths and names: always plain text (a name such as
    ``<img src=...>`` is data, never markup for Qt to load)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def plain_tip(text: str) -> str:
    """``text`` (a path, a name) as a tooltip that shows it literally: Qt takes any tooltip
    that looks like markup for rich text."""
    from html import escape

    return f"<p style='white-space:pre'>{escape(text)}</p>" if text else ""


def status_text(result, paint_ms: float) -> str:
    b = result.batch
    first = result.panels[0].stats
    rng = f"[{first.min:.3g}, {first.max:.3g}]" if first is not None else ""
    load_ms, compute_ms = (result.timings[k] * 1000 for k in ("load", "compute"))
    loading = translate("Status", " · data loaded in {0} ms").format(f"{load_ms:.0f}") \
        if load_ms > 50 else ""
    notes = " · " + "; ".join(engine_text(n) for n in result.notes) if result.notes else ""
    image = translate("Status", " · image #{0}").format(b.start + result.request.image) \
        if modes.get(result.request.mode).one_image else ""
    return translate("Status", "Batch {0} of {1} (0–{2}) · images {3}–{4} of {5}{6} · input"
                     " range {7} · {8} · engine {9} ms · paint {10} ms").format(
        b.index, result.num_batches, result.num_batches - 1, b.start,
        b.start + len(b.labels) - 1, f"{result.num_images:,}", image, rng, result.device,
        f"{compute_ms:.1f}", f"{paint_ms:.1f}") + loading + notes


def offer_cpu(parent, exc, on_yes) -> QMessageBox:
    """A device failed: offer to go on with the CPU (``on_yes``)."""
    from .workers import describe_error

    box = QMessageBox(QMessageBox.Icon.Warning, translate("Status", "Device failure"),
                      translate("Status", "{0}.\n\nContinue on the CPU?").format(
                          describe_error(exc)),
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setModal(False)
    box.accepted.connect(on_yes)
    box.open()
    return box


class ErrorBanner(QFrame):
    """The message above the panels that says what went wrong, with at most one remedy the
    user can take from here (a button)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ErrorBanner")
        self.label = text_label("", "ErrorBannerText")
        self.button = QPushButton()
        self.button.hide()
        self.button.clicked.connect(self._act)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._remedy = None
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 (a QLabel's name, for its callers)
        self.show_message(text)

    def show_message(self, text: str, remedy=None) -> None:
        """``text``; ``remedy``: (button text, what it does) or None."""
        self.label.setText(text)
        self._remedy = remedy
        self.button.setVisible(remedy is not None)
        if remedy is not None:
            self.button.setText(remedy[0])
        self.show()

    def _act(self) -> None:
        remedy, self._remedy = self._remedy, None
        self.hide()
        if remedy is not None:
            remedy[1]()
