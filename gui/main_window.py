"""The main window: builds the widgets, binds them to the session, shows what the engine
returns. The session (:class:`engine.session.Session`) is the one place the user's choices
live; the controller (:class:`gui.controller.StepController`) talks to the engine."""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QScrollArea, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from ..engine import modes
from ..engine.session import Session
from ..engine.settings import open_settings
from .controller import KINDS, STEP, StepController
from .data_dialog import DataPrompt
from .docks import Docks
from .drops import Drops
from .first_look import FirstLook
from .messages import ErrorBanner, offer_cpu, status_text, text_label
from .mode_forms import ModeViews
from .model_files import ModelFiles
from .navigation import NavigationBar
from .panels import ZOOM_PERCENT, PanelArea
from .preferences import Preferences
from .saving import SaveActions
from .session_form import SessionForm
from .shortcuts import install_shortcuts, show_shortcut_sheet
from .tensorboard_launcher import TensorBoardLauncher
from .window_model import DEVICE, LAST_BATCH, MISSING, WindowModel
from .window_port import WindowPort
from .workers import describe_error


class MainWindow(QMainWindow):
    def __init__(self, options=None, settings=None):
        """``options``: the parsed command line; ``settings``: the settings, if already read."""
        super().__init__()
        self.setWindowTitle(self.tr("Activation Lens"))
        self.settings = settings or open_settings()
        self.model = WindowModel.starting(self.settings, options)  # the session's lifecycle
        self.controller = StepController(self)
        self.export_dialogs = []
        self._build()
        self._restore_window()
        self.first_look = FirstLook(self.controller, self.stack, self.placeholder, self.port,
                                    self.nav, self._zoom())
        self._show_session()
        self.drops = Drops(self.port, self.data_prompt, self.models)  # dropped files, folders
        self.tensorboard = TensorBoardLauncher(self)
        self.tensorboard.status.connect(self.status_label.setText)
        self.tensorboard.failed.connect(self.show_error)
        c = self.controller
        c.ready.connect(self._on_ready)
        c.startup_failed.connect(self._on_startup_failed)
        c.shown.connect(self._on_shown)
        c.failed.connect(self._on_failed)
        c.slow.connect(lambda _: self.status_label.setText(self.tr("Computing…")))

    def start(self) -> None:
        """Read the first batch, then import torch, in the background (call after show())."""
        self.controller.start(self.model.first_looks())

    @property
    def last_view(self):
        return self.controller.last_view

    # --- construction ----------------------------------------------------------------

    def _build(self) -> None:
        self.form = SessionForm()
        self.form.edited.connect(self.edit)
        self.port = self._port()
        self.data_prompt = DataPrompt(self.port, self._use_root, self.controller)
        self.form.choose_root.connect(lambda: self.data_prompt.choose(self.root_text()))
        self.models = ModelFiles(self.port, self.controller)
        self.form.choose_weights.connect(self.models.choose_weights)
        self.form.open_model.connect(self.models.choose)
        self.form.activations.current_spec_changed.connect(
            lambda spec: self.inspector is not None and self.inspector.set_activation(spec))
        side = QScrollArea()
        side.setWidgetResizable(True)
        side.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side.setWidget(self.form)
        side.setMinimumWidth(max(300, self.form.minimumSizeHint().width() + 20))
        self.panels = PanelArea(self._zoom())  # the saved zoom, or fitted to the first step
        self.panels.cell_clicked.connect(self._on_cell_clicked)
        self.panels.switch_preprocess.connect(lambda mode: self.edit({"preprocess": mode}))
        self.placeholder = text_label(self.tr("Loading PyTorch…"), "Placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.panels)
        # a mode's view above the panels
        self.mode_views = ModeViews(self.form.mode_forms, self.controller, lambda: self.session)
        self.error_banner = ErrorBanner()
        center = QWidget()
        center_lay = QVBoxLayout(center)
        center_lay.setContentsMargins(0, 0, 0, 0)
        center_lay.addWidget(self.error_banner)
        views = QSplitter(Qt.Orientation.Vertical)
        views.addWidget(self.mode_views)
        views.addWidget(self.stack)
        center_lay.addWidget(views, 1)
        splitter = QSplitter()
        splitter.addWidget(side)
        splitter.addWidget(center)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        self.setCentralWidget(splitter)
        self.nav = NavigationBar(self)
        self.nav.go_to.connect(self.go_to)
        self.nav.step.connect(self.step_by)
        self.nav.fit.connect(self.panels.fit)
        self.nav.one_to_one.connect(lambda: self.panels.set_zoom(1.0))
        self.panels.zoom_changed.connect(self.nav.show_zoom)
        self.addToolBar(self.nav)
        self._build_actions()
        self.status_label = text_label(self.tr("Loading PyTorch…"), wrap=False)
        self.statusBar().addWidget(self.status_label, 1)
        self.engine_controls = [*self.form.widgets(), *self.nav.widgets(), self.export_action,
                                *self.saving.actions, self.saving.copy_action]
        self._set_engine_enabled(False)
        install_shortcuts(self)

    def _build_actions(self) -> None:
        self.saving = SaveActions(self, self.controller, self.panels)
        self.export_action = self._action(self.tr("Export to TensorBoard…"), "Ctrl+E",
                                          self.open_export)
        self.nav.addAction(self.export_action)
        quit_action = self._action(self.tr("Quit"), "Ctrl+Q", self.close)
        help_action = self._action(self.tr("Keyboard shortcuts"), "F1", self.show_shortcuts)
        self.nav.addAction(help_action)
        self.docks = Docks(self.port, self.controller)
        self.inspector_action = self.docks.inspector_action
        self.preferences = Preferences(self.port, self.data_prompt)
        for title, items in (
                (self.tr("&File"), [self.models.open_action, self.models.recent_menu,
                                    self.data_prompt.recent_menu, None, *self.saving.actions,
                                    None, self.export_action, None, quit_action]),
                (self.tr("&Edit"), [self.saving.copy_action, None, self.preferences.action]),
                (self.tr("&View"), [self.inspector_action, self.docks.training_action, None,
                                    self.preferences.language_menu]),
                (self.tr("&Help"), [help_action])):
            menu = self.menuBar().addMenu(title)
            for item in items:
                if item is None:
                    menu.addSeparator()
                else:
                    (menu.addMenu if isinstance(item, QMenu) else menu.addAction)(item)
        self.nav.show_zoom(self.panels.zoom)

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self, shortcut=QKeySequence(key), triggered=lambda *_: slot(),
                         shortcutContext=Qt.ShortcutContext.ApplicationShortcut)  # dialogs too
        self.addAction(action)
        return action

    def _port(self) -> WindowPort:
        """What the helpers (data folders, modules, drops, docks, the first look...) may use."""
        combo = self.form.device_combo  # the devices the engine reported, as the panel names them
        return WindowPort(
            widget=self, settings=self.settings, session=lambda: self.session, edit=self.edit,
            root_text=self.root_text, revert_to_shown=self.revert_to_shown,
            show_error=self.show_error, show_status=lambda text: self.status_label.setText(text),
            show_placeholder=lambda text: self.placeholder.setText(text),
            flash=lambda text, ms: self.statusBar().showMessage(text, ms),
            engine_ready=lambda: self.controller.engine_ready,
            showing=lambda: self.last_view is not None,
            devices=lambda: [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())],
            current_spec=lambda: self.form.activations.current_spec(),
            save_settings=self.save_settings, close=self.close, show_notes=self.form.show_notes)

    # --- the session -------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The session the side panel shows (the model's)."""
        return self.model.session

    @session.setter
    def session(self, session: Session) -> None:
        self.model.session = session

    @property
    def num_batches(self) -> int:
        return self.model.num_batches

    @property
    def visited(self) -> set[int]:
        return self.model.visited

    def edit(self, changes: dict) -> None:
        """Apply what the user changed to the session, then show the new step."""
        self.model.edit(changes)
        self._show_session()
        self.request_step()

    def _show_session(self) -> None:
        self.form.show_session(self.session, self.root_text())

    def root_text(self) -> str:
        return self.model.root_text()

    def _restore_window(self) -> None:
        geometry = self.settings.blob("window/geometry")
        if geometry is None or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(1400, 860)
        QTimer.singleShot(0, lambda: self.docks.reopen(self.settings))
        if self.settings.problem:
            self.status_label.setText(self.settings.problem)

    def save_settings(self) -> None:
        s = self.settings
        self.model.save(s)
        s.set("window/geometry", self.saveGeometry().data())
        s.set("window/state", self.saveState().data())
        s.set("window/zoom", round(self.panels.zoom * 100))
        self.docks.save(s)
        s.sync()

    # --- the engine --------------------------------------------------------------------

    def _set_engine_enabled(self, on: bool) -> None:
        for w in self.engine_controls:
            w.setEnabled(on)

    @Slot(object)
    def _on_ready(self, devices) -> None:
        unavailable = self.model.use_devices([d.id for d in devices])
        if unavailable:
            self.show_error(self.tr("Device '{0}' is not available here; using CPU.")
                            .format(unavailable))
        self.form.set_devices(devices, self.session.device)
        self._set_engine_enabled(True)
        self._show_session()
        self.placeholder.setText(self.tr("Loading data…"))
        self.status_label.setText(self.tr("Loading data…"))
        self.request_step()

    @Slot(str)
    def _on_startup_failed(self, message: str) -> None:
        self.placeholder.setText(self.tr(
            "PyTorch could not be loaded: {0}\n\nReinstall it in this environment (see the"
            " README's troubleshooting section), then restart Activation Lens.").format(message))
        self.status_label.setText(self.tr("PyTorch could not be loaded"))

    def request_step(self) -> None:
        if not self.controller.engine_ready:
            return
        wanted = self.inspector.wanted_histograms() if self.inspector is not None else ()
        self.controller.submit(self.model.request(histograms=wanted))

    @Slot(object)
    def _on_shown(self, view) -> None:
        started = time.perf_counter()
        result = view.result
        keep_error = self.model.shown(result)
        self.error_banner.setVisible(self.error_banner.isVisible() and keep_error)
        self.nav.show_batch(result.request.batch_index, result.num_batches)
        self.panels.show_view(view, result.classes)
        self.mode_views.show_result(result)
        if self.inspector is not None:
            self.inspector.show_result(result)
        if self.stack.currentWidget() is not self.panels:
            self.stack.setCurrentWidget(self.panels)
            self.panels.setFocus()  # arrow keys browse batches, not a spin box's text
            zoom = self._zoom()
            QTimer.singleShot(0, lambda: self.panels.set_zoom(zoom) if zoom else self.panels.fit())
        self.panels.viewport().repaint()
        self.form.show_notes(result.notes)
        self.status_label.setText(status_text(result, (time.perf_counter() - started) * 1000))

    @Slot(str, object, object)
    def _on_failed(self, kind: str, request, exc) -> None:
        """Every background job's error: a step's by what failed; the others' as one line,
        unless whoever asked shows it in place (the curve, an export, training, a download)."""
        if kind != STEP:
            if not KINDS[kind].in_place:
                self.show_error(describe_error(exc))
            return
        failure = self.model.step_failed(request, exc)
        if failure.kind == DEVICE:
            self.show_error(describe_error(exc))
            offer_cpu(self, exc, lambda: self.edit({"device": "cpu"}))
        elif failure.kind == MISSING:
            if failure.stand_in or failure.split:  # first launch: real images at once
                self._show_session()
                self.request_step()
            self.data_prompt.missing(exc, failure.split)
        elif failure.kind == LAST_BATCH:  # e.g. a remembered batch beyond a smaller split
            self.go_to(failure.batch)
        else:
            self._show_revert(failure.revert)  # data whose sums differ: the user may load it
            self.show_error(*self.data_prompt.offer_trust(exc, failure.unverified,
                                                          self._use_session))

    def _use_session(self, session) -> None:
        self.model.trust(session)
        self.edit({})

    def revert_to_shown(self) -> None:
        """Undo a change that failed: the view and the session agree again (the model's
        :meth:`~gui.window_model.WindowModel.revert`)."""
        self._show_revert(self.model.revert())

    def _show_revert(self, revert) -> None:
        if revert is not None:
            self._show_session()
            self.nav.show_batch(self.session.batch_index)
            if revert.step:  # the starting session's batch, under the message
                self.request_step()

    def show_error(self, message: str, remedy=None) -> None:
        """``message`` above the panels; ``remedy``: (button text, what it does) or None."""
        self.error_banner.show_message(message, remedy)
        self.status_label.setText(message)
        if self.stack.currentWidget() is self.placeholder:
            self.placeholder.setText(message)

    # --- inspector ---------------------------------------------------------------------

    def _on_cell_clicked(self, index: int, card: int) -> None:
        if self.last_view is None:
            return
        if modes.get(self.last_view.result.request.mode).one_image:
            if card == 0:  # an image of the input batch: show its feature maps
                self.edit({"image": index})
            if card != 0 or self.inspector is None:
                return
        inspector = self.docks.show_inspector()
        inspector.tabs.setCurrentWidget(inspector.pixel_tab)
        inspector.select_image(self.last_view.result, index)

    @property
    def inspector(self):
        return self.docks.inspector

    def ensure_inspector(self):
        """The inspector dock, built the first time it is needed."""
        return self.docks.ensure_inspector()

    # --- data --------------------------------------------------------------------------

    def _use_root(self, root: str, dataset: str | None = None) -> None:
        """``root`` for ``dataset`` (the one that was missing), or for the current one."""
        self.model.use_root(root, dataset)
        self.edit({})

    # --- navigation --------------------------------------------------------------------

    def go_to(self, index: int, passing: bool = False) -> None:
        if not self.controller.engine_ready:
            return
        index = self.model.go_to(index, passing)  # passing: the slider is held
        if index is not None:
            self.nav.show_batch(index)
            self.request_step()

    def step_by(self, delta: int) -> None:
        self.go_to(self.session.batch_index + delta)

    # --- export and TensorBoard ----------------------------------------------------------

    def open_export(self) -> None:
        if not self.controller.engine_ready or self.last_view is None:
            self.show_error(self.tr("Nothing to export yet: load a batch first."))
            return
        from .export_dialog import ExportDialog

        request = self.last_view.result.request.with_(id=0)
        dialog = ExportDialog(self.controller, request, sorted(self.visited), self.num_batches,
                              self.session.logdir, self)
        dialog.open_tensorboard.connect(self.tensorboard.start)
        dialog.finished.connect(lambda _code, d=dialog: self._forget_export(d))
        self.export_dialogs.append(dialog)
        dialog.show()

    def _forget_export(self, dialog) -> None:
        self.session = self.session.with_(logdir=dialog.logdir_edit.text())
        if not dialog.running() and dialog in self.export_dialogs:
            self.export_dialogs.remove(dialog)

    # --- help and shutdown --------------------------------------------------------------

    def _zoom(self) -> float:
        return self.settings.integer("window/zoom", 0, *ZOOM_PERCENT) / 100  # 0: fit

    def show_shortcuts(self) -> None:
        show_shortcut_sheet(self)

    def closeEvent(self, event) -> None:
        if not self.docks.may_close():  # a trained run not saved yet: the user says
            return event.ignore()
        self.save_settings()
        self.controller.stop()  # every job: steps, training, exports, downloads, saves
        self.tensorboard.stop()
        super().closeEvent(event)
