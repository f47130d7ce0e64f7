"""A dialog that grows with its word-wrapped messages instead of clipping them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLayout


class FittingDialog(QDialog):
    def fit_layout(self, layout: QLayout, min_width: int) -> None:
        """Call once the layout is filled: it may grow, never shrink below its contents."""
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(min_width)

    def refit(self) -> None:
        """Grow to a message that changed while the dialog shows (wrapped labels do not ask
        for their height by themselves)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.adjustSize)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.adjustSize()  # wrapped labels need their height at the final width
