"""The first batch as read, painted while torch still loads: the window's first picture.

The worker reads the first step's images before it imports torch
(:meth:`engine.pipeline.Engine.first_look`) and sends them; :class:`FirstLook` shows them in
place of the placeholder, with the status line saying what is still loading. The step's own
panels replace it as soon as they come.
"""

from __future__ import annotations

from PySide6.QtCore import Slot

from ..engine import modes
from .panels import PanelArea


class FirstLook(PanelArea):
    """One input card in the window's stack, shown only while the placeholder would be."""

    def __init__(self, controller, stack, placeholder, port, nav, zoom: float):
        super().__init__(zoom)
        self._stack, self._placeholder, self._port, self._nav = stack, placeholder, port, nav
        self._zoom = zoom  # the session's zoom; 0: fit
        self.zoom_changed.connect(nav.show_zoom)  # the toolbar says the zoom drawn
        stack.addWidget(self)
        controller.looked.connect(self.show_look)
        controller.startup_failed.connect(self._torch_failed)
        controller.ready.connect(self._torch_loaded)

    @Slot(object)
    def show_look(self, view) -> None:
        if self._stack.currentWidget() is not self._placeholder:
            return  # the panels (or a message) are there already
        result = view.result
        self.show_view(view, result.classes)
        self._nav.show_batch(result.request.batch_index, result.num_batches)
        self._stack.setCurrentWidget(self)
        if not self._zoom and modes.get(result.request.mode).activations_see_input:
            self.fit(len(result.request.activations) + 1)  # as the step's panels will fit
        self._port.show_notes(result.notes)  # what the data is, as the step will say it
        self._port.show_status(self.tr("Loading PyTorch… the images are read; the activations"
                                       " follow"))

    @Slot(str)
    def _torch_failed(self, _message: str) -> None:
        """Without torch no step comes: the placeholder says why, and what to do."""
        if self._stack.currentWidget() is self:
            self._stack.setCurrentWidget(self._placeholder)

    @Slot(object)
    def _torch_loaded(self, _devices) -> None:
        """PyTorch is there: what the card waits for now is the first step."""
        if self._stack.currentWidget() is self and self.cards:
            self.cards[0].stats.setText(self.tr("the images as read; the activations are being"
                                                " computed"))
