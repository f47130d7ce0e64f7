"""The mouse wheel scrolls forms; it changes a value only in the control the user clicked into.

Qt hands a wheel event to whatever combo box, spin box or slider lies under the pointer, so
scrolling down a long side panel changes every setting it passes over. One application-wide
filter stops that: an input that does not have the keyboard focus never takes the wheel (and
never takes the focus from it); the wheel goes to the scroll area around it instead. A plot
in a scrolled form (the Training dock, the depth mode's profile) is treated the same way: the
wheel zooms it only once it was clicked into (its "A" button sets the range back).
Ctrl+wheel over such a control does nothing (Ctrl+wheel zooms the panels; a scroll bar would
take it as a page).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGraphicsView,
    QScrollBar,
    QWidget,
)

INPUTS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def is_guarded(widget) -> bool:
    """A value control the wheel must not change unless it has the focus."""
    return isinstance(widget, INPUTS) and not isinstance(widget, QScrollBar)


def _wheel_target(obj):
    """The control a wheel event over ``obj`` would change: a guarded input, or the plot
    whose drawing area ``obj`` is; else None."""
    if is_guarded(obj):
        return obj
    if isinstance(obj, QGraphicsView):
        return obj
    parent = obj.parentWidget() if isinstance(obj, QWidget) else None
    if isinstance(parent, QGraphicsView) and parent.viewport() is obj:
        return parent
    return None


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
        if kind == QEvent.Type.Polish and (is_guarded(obj) or isinstance(obj, QGraphicsView)) \
                and obj.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            obj.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel gives no focus
        elif kind == QEvent.Type.Wheel and (target := _wheel_target(obj)) is not None \
                and not target.hasFocus():
            area = _scroll_area(target)
            if area is None:
                return False  # nothing to scroll (a toolbar's slider): the control's own
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                return True  # Ctrl+wheel zooms the panels; over a form it does nothing
            vertical = abs(event.angleDelta().y()) >= abs(event.angleDelta().x())
            bar = area.verticalScrollBar() if vertical else area.horizontalScrollBar()
            if bar.isVisible():
                QApplication.sendEvent(bar, event)
            return True  # taken from the control, whether or not anything scrolled
        return False


def install(app) -> None:
    """Guard every value control of ``app`` (once per application)."""
    if app.property("actlens_wheel_guard") is None:
        app.wheel_guard = WheelGuard(app)
        app.installEventFilter(app.wheel_guard)
        app.setProperty("actlens_wheel_guard", True)
