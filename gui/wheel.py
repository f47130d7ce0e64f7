"""The mouse wheel scrolls forms; it changes a value only in the control the user clicked into.

Qt hands a wheel event to whatever combo box, spin box or slider lies under the pointer, so
scrolling down a long side panel changes every setting it passes over. One application-wide
filter stops that: an input that does not have the keyboard focus never takes the wheel (and
never takes the focus from it); the wheel goes to the scroll area around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

INPUTS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def is_guarded(widget) -> bool:
    """A value control the wheel must not change unless it has the focus."""
    return isinstance(widget, INPUTS) and not isinstance(widget, QScrollBar)


def _scroll_area(widget: QWidget):
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, INPUTS):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """Installed once on the application (:func:`install`)."""

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.Polish and is_guarded(obj) \
                and obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        elif kind == QEvent.Type.Wheel and is_guarded(obj) and not obj.hasFocus():
            area = _scroll_area(obj)
            if area is None:
                return False  # nothing to scroll (a toolbar's slider): the control's own
            bar = None
            if area is not None:
                vertical = abs(event.angleDelta().y()) >= abs(event.angleDelta().x())
                bar = area.verticalScrollBar() if vertical else area.horizontalScrollBar()
            if bar is not None and bar.isVisible():
                QApplication.sendEvent(bar, event)
            return True  # taken from the control, whether or not anything scrolled
        return False


def install(app) -> None:
    """Guard every value control of ``app`` (once per application)."""
    if app.property("actlens_wheel_guard") is None:
        app.wheel_guard = WheelGuard(app)
        app.installEventFilter(app.wheel_guard)
        app.setProperty("actlens_wheel_guard", True)
