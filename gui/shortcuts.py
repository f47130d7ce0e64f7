"""The window's keyboard shortcuts and the sheet that lists them (F1)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

SHORTCUTS = [
    (QT_TRANSLATE_NOOP("Shortcuts", "Left / Right"),
     QT_TRANSLATE_NOOP("Shortcuts", "previous / next batch")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Page Up / Page Down"),
     QT_TRANSLATE_NOOP("Shortcuts", "10 batches back / forward")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Home / End"),
     QT_TRANSLATE_NOOP("Shortcuts", "first / last batch")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + wheel, Ctrl + = / -"),
     QT_TRANSLATE_NOOP("Shortcuts", "zoom every panel in / out (class names from 200%)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + 0"),
     QT_TRANSLATE_NOOP("Shortcuts", "fit the panels to the window")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + 1"),
     QT_TRANSLATE_NOOP("Shortcuts", "one screen pixel per image pixel (1:1)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + I"),
     QT_TRANSLATE_NOOP("Shortcuts", "show or hide the inspector")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + T"),
     QT_TRANSLATE_NOOP("Shortcuts", "show or hide the training dock")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + M"),
     QT_TRANSLATE_NOOP("Shortcuts", "open a module file (runs its code)")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + S"),
     QT_TRANSLATE_NOOP("Shortcuts", "save the view as PNG")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + Shift + C"),
     QT_TRANSLATE_NOOP("Shortcuts", "copy the view to the clipboard")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + E"),
     QT_TRANSLATE_NOOP("Shortcuts", "export to TensorBoard")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + ,"),
     QT_TRANSLATE_NOOP("Shortcuts", "preferences: data folder, device, language")),
    (QT_TRANSLATE_NOOP("Shortcuts", "drag and drop"),
     QT_TRANSLATE_NOOP("Shortcuts", "a folder: image folder; .py: module; .pt, .pth, run.json:"
                                    " network weights")),
    (QT_TRANSLATE_NOOP("Shortcuts", "click an image"),
     QT_TRANSLATE_NOOP("Shortcuts", "inspect it; in a network or module view, show its maps")),
    (QT_TRANSLATE_NOOP("Shortcuts", "F1"), QT_TRANSLATE_NOOP("Shortcuts", "this sheet")),
    (QT_TRANSLATE_NOOP("Shortcuts", "Ctrl + Q"), QT_TRANSLATE_NOOP("Shortcuts", "quit")),
]


def install_shortcuts(window) -> None:
    """Browsing and zoom keys that work wherever the focus is in ``window``."""
    panels = window.panels
    shortcuts = [
        (Qt.Key.Key_Left, lambda: window.step_by(-1)),
        (Qt.Key.Key_Right, lambda: window.step_by(1)),
        (Qt.Key.Key_PageUp, lambda: window.step_by(-10)),
        (Qt.Key.Key_PageDown, lambda: window.step_by(10)),
        (Qt.Key.Key_Home, lambda: window.go_to(0)),
        (Qt.Key.Key_End, lambda: window.go_to(window.num_batches - 1)),
        ("Ctrl+0", panels.fit),
        ("Ctrl+1", lambda: panels.set_zoom(1.0)),
        ("Ctrl+=", lambda: panels.set_zoom(panels.zoom * 1.25)),
        ("Ctrl++", lambda: panels.set_zoom(panels.zoom * 1.25)),
        ("Ctrl+-", lambda: panels.set_zoom(panels.zoom * 0.8)),
    ]
    for key, slot in shortcuts:
        sc = QShortcut(QKeySequence(key), window)
        sc.setAutoRepeat(True)
        sc.activated.connect(slot)


def shortcut_rows() -> list[tuple[str, str]]:
    """The sheet's rows in the window's language."""
    def tr(text):
        return QCoreApplication.translate("Shortcuts", text)

    return [(tr(keys), tr(what)) for keys, what in SHORTCUTS]


def show_shortcut_sheet(parent) -> QMessageBox:
    rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>&nbsp;&nbsp;{escape(v)}</td></tr>"
                   for k, v in shortcut_rows())
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("Shortcuts", "Keyboard shortcuts"))
    box.setText(f"<table style='white-space: nowrap'>{rows}</table>")
    box.setModal(False)
    box.show()
    return box
