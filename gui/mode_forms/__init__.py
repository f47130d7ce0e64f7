"""The controls of each view, one module per mode in engine/modes/, found by its name:
``gui/mode_forms/<mode>.py`` defines ``FORM``, a :class:`ModeForm` subclass."""

from __future__ import annotations

import importlib

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QFormLayout, QWidget


def tr(text: str) -> str:
    """The side panel's translation of ``text`` (every mode form shares its context)."""
    return QCoreApplication.translate("SessionForm", text)


class ModeForm(QWidget):
    """A mode's rows in the side panel's View box. ``TITLE``, ``TIP`` and ``HELP`` are
    marked with ``QT_TRANSLATE_NOOP("SessionForm", ...)``; ``edited`` sends session fields
    (the mode's options among them)."""

    TITLE = ""  # the item in the Show list
    TIP = ""  # its tooltip
    HELP = ""  # the paragraph under the list while the mode is chosen
    edited = Signal(dict)

    def __init__(self, host) -> None:
        super().__init__()
        self.host = host  # the side panel: its signals ask the window for files
        self.rows = QFormLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.build()

    def build(self) -> None:
        """Add the mode's widgets to ``self.rows``."""

    def controls(self) -> list[QWidget]:
        """The widgets whose signals are blocked while a session is shown."""
        return []

    def show_session(self, session) -> None:
        """Put ``session``'s values into the widgets (signals are blocked meanwhile)."""

    def attach(self, controller) -> None:
        """Called once with the window's StepController, before :meth:`make_view`."""

    def make_view(self, controller, session) -> QWidget | None:
        """A widget the window shows above the panels while this mode is shown, fed each
        step's result through its ``show_result(result)``; None for none. ``controller``
        runs its background jobs; ``session()`` is the session the side panel shows."""
        return None


def form_class(mode: str) -> type[ModeForm]:
    return importlib.import_module(f"{__name__}.{mode}").FORM


class ModeViews(QWidget):
    """The window's place for the modes' views (:meth:`ModeForm.make_view`): it shows the
    view of the mode of the step on screen and hands it each result."""

    def __init__(self, forms: dict[str, ModeForm], controller, session) -> None:
        from PySide6.QtWidgets import QVBoxLayout

        super().__init__()
        self.views = {}  # mode name -> its view, built when a step of that mode is first shown
        self._forms, self._controller, self._session = forms, controller, session
        self._made: set[str] = set()  # modes whose view was asked for (some have none)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for form in forms.values():
            form.attach(controller)
        self.hide()
        controller.slow.connect(self._on_slow)
        controller.failed.connect(self._on_failed)

    def _view(self, mode: str):
        """The view of ``mode`` (None for a mode without one), built the first time."""
        if mode not in self._made and mode in self._forms:
            self._made.add(mode)
            view = self._forms[mode].make_view(self._controller, self._session)
            if view is not None:
                self.views[mode] = view
                self._layout.addWidget(view)
                view.hide()
        return self.views.get(mode)

    def _on_slow(self, request) -> None:
        """A step is taking long: the view of its mode says so until its result comes."""
        view = self.views.get(request.mode)
        if view is not None and view.isVisible() and hasattr(view, "computing"):
            view.computing()

    def _on_failed(self, kind: str, key, exc) -> None:
        """A step failed: a view that said it was computing says so no longer."""
        from ..controller import STEP

        if kind == STEP:
            for view in self.views.values():
                if hasattr(view, "computing_ended"):
                    view.computing_ended()

    def show_result(self, result) -> None:
        mode = result.request.mode
        self._view(mode)
        for name, view in self.views.items():
            view.setVisible(name == mode)
        if mode in self.views and not self.isVisible():
            self.show()
            splitter = self.parent()  # the view takes the upper half when it appears
            if hasattr(splitter, "setSizes"):
                splitter.setSizes([splitter.height() // 2, splitter.height() // 2])
        self.setVisible(mode in self.views)
        if mode in self.views:
            self.views[mode].show_result(result)
