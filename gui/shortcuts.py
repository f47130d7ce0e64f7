"""The window's keyboard shortcuts and the sheet that lists them (F1)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

SHORTCUTS = [
    ("Left / Right", "previous / next batch"),
    ("Page Up / Page Down", "10 batches back / forward"),
    ("Home / End", "first / last batch"),
    ("Ctrl + wheel, Ctrl + = / -", "zoom every panel in / out"),
    ("Ctrl + 0", "fit the panels to the window"),
    ("Ctrl + 1", "one screen pixel per image pixel (1:1)"),
    ("Ctrl + I", "show or hide the inspector"),
    ("Ctrl + T", "show or hide the training dock"),
    ("Ctrl + M", "open a module file (runs its code)"),
    ("Ctrl + S", "save the view as PNG"),
    ("Ctrl + E", "export to TensorBoard"),
    ("click an image", "inspect it; in a network or module view, show its maps"),
    ("F1", "this sheet"),
    ("Ctrl + Q", "quit"),
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
        (Qt.Key.Key_F1, window.show_shortcuts),
    ]
    for key, slot in shortcuts:
        sc = QShortcut(QKeySequence(key), window)
        sc.setAutoRepeat(True)
        sc.activated.connect(slot)


def show_shortcut_sheet(parent) -> None:
    rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in SHORTCUTS)
    box = QMessageBox(parent)
    box.setWindowTitle("Keyboard shortcuts")
    box.setText(f"<table style='white-space: nowrap'>{rows}</table>")
    box.setModal(False)
    box.show()
