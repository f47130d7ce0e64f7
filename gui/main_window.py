"""The main window: wires controls, the engine worker and the panels together."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.display import DISPLAYS
from engine.pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE
from engine.preprocess import PREPROCESSING
from engine.registry import parse_spec_list
from gui.activation_editor import MAX_ACTIVATIONS, ActivationEditor
from gui.panels import PanelArea
from gui.settings import open_settings
from gui.tensorboard_launcher import TensorBoardLauncher
from gui.workers import StepWorker, describe_error

SHORTCUTS = [
    ("Left / Right", "previous / next batch"),
    ("Page Up / Page Down", "10 batches back / forward"),
    ("Home / End", "first / last batch"),
    ("Ctrl + wheel, Ctrl + = / Ctrl + -", "zoom every panel in / out"),
    ("Ctrl + 0", "fit the panels to the window"),
    ("Ctrl + 1", "one screen pixel per image pixel (1:1)"),
    ("Ctrl + E", "export to TensorBoard"),
    ("F1", "this sheet"),
    ("Ctrl + Q", "quit"),
]


@dataclass
class LaunchOptions:
    data_root: str | None = None
    dataset: str | None = None
    split: str | None = None
    device: str | None = None
    batch_size: int | None = None
    activations: str | None = None
    preprocess: str | None = None
    display: str | None = None
    image_size: int | None = None
    coarse_labels: bool = False
    allow_unverified: bool = False


class MainWindow(QMainWindow):
    step_shown = Signal(float)  # seconds from request to panels repainted (GUI thread)

    def __init__(self, options: LaunchOptions | None = None):
        super().__init__()
        self.setWindowTitle("Activation Lens")
        self.options = options or LaunchOptions()
        self.settings = open_settings()
        self._ids = itertools.count(1)
        self.latest_id = 0
        self.shown_id = 0
        self.engine_ready = False
        self.num_batches = 0
        self.visited: set[int] = set()
        self.last_view = None
        self.last_request = None
        self.requested_at: dict[int, float] = {}
        self.step_latencies: list[float] = []  # seconds, request to panels repainted
        self.data_dialog = None
        self.device_dialog = None
        self.export_dialogs = []
        self._build()
        self._restore()
        self.tensorboard = TensorBoardLauncher(self)
        self.tensorboard.status.connect(self.status_label.setText)
        self.tensorboard.failed.connect(self.show_error)
        self.worker = StepWorker(self)
        self.worker.ready.connect(self._on_ready)
        self.worker.startup_failed.connect(self._on_startup_failed)
        self.worker.result.connect(self._on_result)
        self.worker.failed.connect(self._on_failed)

    def start(self) -> None:
        """Start importing torch in the background (call after show())."""
        self.worker.start()

    # --- construction ----------------------------------------------------------------

    def _build(self) -> None:
        self.dataset_combo = QComboBox()
        from engine.datasets import dataset_names

        self.dataset_combo.addItems(dataset_names())
        self.split_combo = QComboBox()
        self.split_combo.addItems(["test", "train"])
        self.batch_size_spin = QSpinBox()
        self.batch_size_spin.setRange(1, MAX_BATCH_SIZE)
        self.batch_size_spin.setValue(64)
        self.batch_size_spin.setKeyboardTracking(False)
        self.image_size_spin = QSpinBox()
        self.image_size_spin.setRange(4, MAX_IMAGE_SIZE)
        self.image_size_spin.setValue(32)
        self.image_size_spin.setSuffix(" px")
        self.image_size_spin.setKeyboardTracking(False)
        self.image_size_spin.setToolTip("Image folders: images are resized and centre-cropped"
                                        " to this square size")
        self.coarse_check = QCheckBox("20 superclasses (coarse labels)")
        self.root_label = QLabel()
        self.root_label.setWordWrap(True)
        self.root_label.setObjectName("RootLabel")
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.notes_label.setObjectName("NotesLabel")
        self.notes_label.hide()
        self.root_button = QPushButton("Change data folder…")
        self.root_button.clicked.connect(self._choose_root)
        self.preprocess_combo = QComboBox()
        for key, text in PREPROCESSING.items():
            self.preprocess_combo.addItem(key, key)
            self.preprocess_combo.setItemData(self.preprocess_combo.count() - 1, text,
                                              Qt.ItemDataRole.ToolTipRole)
        self.display_combo = QComboBox()
        for key, text in DISPLAYS.items():
            self.display_combo.addItem(key, key)
            self.display_combo.setItemData(self.display_combo.count() - 1, text,
                                           Qt.ItemDataRole.ToolTipRole)
        self.device_combo = QComboBox()
        self.device_combo.addItem("cpu", "cpu")
        self.activations = ActivationEditor()

        data_box = QGroupBox("Data")
        data_form = QFormLayout(data_box)
        data_form.addRow("Dataset", self.dataset_combo)
        data_form.addRow("Split", self.split_combo)
        data_form.addRow("Batch size", self.batch_size_spin)
        data_form.addRow("Image size", self.image_size_spin)
        data_form.addRow(self.coarse_check)
        data_form.addRow(self.root_label)
        data_form.addRow(self.notes_label)
        data_form.addRow(self.root_button)
        session_box = QGroupBox("Session")
        session_form = QFormLayout(session_box)
        session_form.addRow("Preprocess", self.preprocess_combo)
        session_form.addRow("Display", self.display_combo)
        session_form.addRow("Device", self.device_combo)
        act_box = QGroupBox("Activations")
        QVBoxLayout(act_box).addWidget(self.activations)

        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.addWidget(data_box)
        side_lay.addWidget(session_box)
        side_lay.addWidget(act_box, 1)
        self.side_scroll = QScrollArea()
        self.side_scroll.setWidgetResizable(True)
        self.side_scroll.setWidget(side)
        self.side_scroll.setMinimumWidth(290)

        self.panels = PanelArea()
        self.placeholder = QLabel("Loading PyTorch…")
        self.placeholder.setObjectName("Placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.panels)
        self.error_banner = QLabel()
        self.error_banner.setObjectName("ErrorBanner")
        self.error_banner.setWordWrap(True)
        self.error_banner.hide()
        center = QWidget()
        center_lay = QVBoxLayout(center)
        center_lay.setContentsMargins(0, 0, 0, 0)
        center_lay.addWidget(self.error_banner)
        center_lay.addWidget(self.stack, 1)

        splitter = QSplitter()
        splitter.addWidget(self.side_scroll)
        splitter.addWidget(center)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 1000])
        self.setCentralWidget(splitter)

        self.inspector = None  # built on first use: pyqtgraph would slow the start-up
        self.panels.cell_clicked.connect(self._on_cell_clicked)
        self.panels.switch_preprocess.connect(self._switch_preprocess)
        self.activations.current_spec_changed.connect(self._on_current_spec)
        self._build_toolbar()
        self.status_label = QLabel("Loading PyTorch…")
        self.statusBar().addWidget(self.status_label, 1)

        self.engine_controls = [
            self.dataset_combo, self.split_combo, self.batch_size_spin, self.root_button,
            self.image_size_spin, self.coarse_check,
            self.preprocess_combo, self.display_combo, self.device_combo, self.activations,
            self.prev_button, self.next_button, self.batch_spin, self.batch_slider,
            self.export_action, self.save_view_action, self.save_panels_action,
            self.save_stats_action,
        ]
        self._set_engine_enabled(False)

        self.dataset_combo.currentTextChanged.connect(self._on_source_changed)
        self.split_combo.currentTextChanged.connect(self._on_source_changed)
        self.batch_size_spin.valueChanged.connect(self._on_batch_size)
        self.image_size_spin.valueChanged.connect(self._on_source_changed)
        self.coarse_check.toggled.connect(self._on_source_changed)
        self.preprocess_combo.currentIndexChanged.connect(lambda _: self.request_step())
        self.display_combo.currentIndexChanged.connect(lambda _: self.request_step())
        self.device_combo.currentIndexChanged.connect(lambda _: self.request_step())
        self.activations.changed.connect(self.request_step)
        self.batch_spin.valueChanged.connect(self._on_batch_spin)
        self.batch_slider.valueChanged.connect(self.batch_spin.setValue)
        self.panels.zoom_changed.connect(self._show_zoom)

        shortcuts = [
            (Qt.Key.Key_Left, lambda: self.step_by(-1)),
            (Qt.Key.Key_Right, lambda: self.step_by(1)),
            (Qt.Key.Key_PageUp, lambda: self.step_by(-10)),
            (Qt.Key.Key_PageDown, lambda: self.step_by(10)),
            (Qt.Key.Key_Home, lambda: self.go_to(0)),
            (Qt.Key.Key_End, lambda: self.go_to(self.num_batches - 1)),
            (QKeySequence("Ctrl+0"), self.panels.fit),
            (QKeySequence("Ctrl+1"), lambda: self.panels.set_zoom(1.0)),
            (QKeySequence("Ctrl+="), lambda: self.panels.set_zoom(self.panels.zoom * 1.25)),
            (QKeySequence("Ctrl++"), lambda: self.panels.set_zoom(self.panels.zoom * 1.25)),
            (QKeySequence("Ctrl+-"), lambda: self.panels.set_zoom(self.panels.zoom * 0.8)),
            (Qt.Key.Key_F1, self.show_shortcuts),
        ]
        for key, slot in shortcuts:
            sc = QShortcut(QKeySequence(key), self)
            sc.setAutoRepeat(True)
            sc.activated.connect(slot)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Navigation")
        bar.setObjectName("NavigationBar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setToolTip("Previous batch (Left)")
        self.prev_button.clicked.connect(lambda: self.step_by(-1))
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next batch (Right)")
        self.next_button.clicked.connect(lambda: self.step_by(1))
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 0)
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setPrefix("Batch ")
        self.batch_count = QLabel(" of –")
        self.batch_slider = QSlider(Qt.Orientation.Horizontal)
        self.batch_slider.setRange(0, 0)
        self.batch_slider.setMinimumWidth(200)
        for w in (self.prev_button, self.batch_spin, self.batch_count, self.next_button):
            bar.addWidget(w)
        bar.addWidget(self.batch_slider)
        bar.addSeparator()
        fit = QPushButton("Fit")
        fit.setToolTip("Fit the panels to the window (Ctrl+0)")
        fit.clicked.connect(self.panels.fit)
        one = QPushButton("1:1")
        one.setToolTip("One screen pixel per image pixel (Ctrl+1)")
        one.clicked.connect(lambda: self.panels.set_zoom(1.0))
        self.zoom_label = QLabel()
        for w in (fit, one, self.zoom_label):
            bar.addWidget(w)
        bar.addSeparator()
        self.export_action = QAction("Export to TensorBoard…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self.open_export)
        bar.addAction(self.export_action)
        self.addAction(self.export_action)
        quit_action = QAction("Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)
        help_action = QAction("Keyboard shortcuts", self)
        help_action.triggered.connect(self.show_shortcuts)
        self.save_view_action = QAction("Save view as PNG…", self)
        self.save_view_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_view_action.triggered.connect(self.save_view)
        self.save_panels_action = QAction("Save each panel as PNG…", self)
        self.save_panels_action.triggered.connect(self.save_panels)
        self.save_stats_action = QAction("Save statistics (CSV or JSON)…", self)
        self.save_stats_action.triggered.connect(self.save_stats)
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        for action in (self.save_view_action, self.save_panels_action, self.save_stats_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = menu.addMenu("&View")
        self.inspector_action = QAction("Inspector", self)
        self.inspector_action.setCheckable(True)
        self.inspector_action.setShortcut(QKeySequence("Ctrl+I"))
        self.inspector_action.toggled.connect(self._show_inspector)
        view_menu.addAction(self.inspector_action)
        menu.addMenu("&Help").addAction(help_action)
        bar.addAction(help_action)
        self._show_zoom(self.panels.zoom)

    # --- settings --------------------------------------------------------------------

    def _restore(self) -> None:
        """Window and session from the settings file and the launch options. Every value
        read is checked against its type and range; anything else falls back to the default."""
        from engine.datasets import SPLITS

        s, o = self.settings, self.options
        geometry = s.blob("window/geometry")
        if geometry is None or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(1400, 860)
        self._restore_state = s.blob("window/state")
        if s.flag("window/inspector", False):
            QTimer.singleShot(0, self._reopen_inspector)
        names = [self.dataset_combo.itemText(i) for i in range(self.dataset_combo.count())]
        # Each data set remembers its own folder (an image folder is not a CIFAR root).
        self.data_roots = {"": s.text("data/root", "")}
        for name in names:
            saved = s.text(f"data/root_{name}", "")
            if saved:
                self.data_roots[name] = saved
        self.allow_unverified = o.allow_unverified
        _select(self.dataset_combo, o.dataset or s.text("data/dataset", "cifar10", names))
        if o.data_root:
            root = str(Path(o.data_root).expanduser().absolute())
            self.data_roots[self.dataset_combo.currentText()] = root
        spin = self.image_size_spin
        spin.setValue(o.image_size or s.integer("data/image_size", 32, spin.minimum(),
                                                spin.maximum()))
        self.coarse_check.setChecked(o.coarse_labels)
        self._show_dataset_options()
        _select(self.split_combo, o.split or s.text("data/split", "test", SPLITS))
        spin = self.batch_size_spin
        spin.setValue(o.batch_size or s.integer("data/batch_size", 64, spin.minimum(),
                                                spin.maximum()))
        _select(self.preprocess_combo,
                o.preprocess or s.text("session/preprocess", "to_tensor", PREPROCESSING))
        _select(self.display_combo, o.display or s.text("session/display", "clip", DISPLAYS))
        self.wanted_device = o.device or s.text("session/device", "cpu")[:40]
        self.logdir = s.text("export/logdir", "")
        text = o.activations or s.text("session/activations", "relu,sigmoid")
        enabled = s.text("session/enabled", "") if not o.activations else ""
        try:
            specs = parse_spec_list(text[:4096])[:MAX_ACTIVATIONS]
        except Exception:
            specs, enabled = parse_spec_list("relu,sigmoid"), ""
        mask = [c == "1" for c in enabled] if len(enabled) == len(specs) else None
        self.activations.set_specs(specs, mask)
        self.batch_index = s.integer("data/batch_index", 0, 0, 10**9) if not o.split else 0
        self._show_root()
        if s.problem:
            self.status_label.setText(s.problem)

    def save_settings(self) -> None:
        s = self.settings
        s.set("window/geometry", self.saveGeometry().data())
        s.set("window/state", self.saveState().data())
        s.set("window/inspector", self.inspector is not None and self.inspector.isVisible())
        s.set("data/root", self.data_roots.get("", ""))
        for name, root in self.data_roots.items():
            if name:
                s.set(f"data/root_{name}", root)
        s.set("data/image_size", self.image_size_spin.value())
        s.set("data/dataset", self.dataset_combo.currentText())
        s.set("data/split", self.split_combo.currentText())
        s.set("data/batch_size", self.batch_size_spin.value())
        s.set("data/batch_index", self.batch_spin.value())
        s.set("session/preprocess", self.preprocess_combo.currentData())
        s.set("session/display", self.display_combo.currentData())
        s.set("session/device", self.device_combo.currentData() or "cpu")
        all_specs = self.activations.all_specs()
        s.set("session/activations", ",".join(str(sp) for sp, _ in all_specs))
        s.set("session/enabled", "".join("1" if on else "0" for _, on in all_specs))
        s.set("export/logdir", self.logdir)
        s.sync()

    @property
    def data_root(self) -> str:
        name = self.dataset_combo.currentText()
        return self.data_roots.get(name) or ("" if name == "folder" else self.data_roots[""])

    @data_root.setter
    def data_root(self, root: str) -> None:
        name = self.dataset_combo.currentText()
        self.data_roots[name] = root
        if name != "folder":
            self.data_roots[""] = root

    def _show_dataset_options(self) -> None:
        name = self.dataset_combo.currentText()
        self.image_size_spin.setEnabled(name == "folder")
        self.coarse_check.setVisible(name == "cifar100")

    def _show_root(self) -> None:
        from engine.pipeline import data_root_or_default

        self.root_label.setText(f"Data folder: {data_root_or_default(self.data_root)}")

    # --- engine ------------------------------------------------------------------------

    def _set_engine_enabled(self, on: bool) -> None:
        for w in self.engine_controls:
            w.setEnabled(on)

    @Slot(object)
    def _on_ready(self, devices) -> None:
        self.engine_ready = True
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        for d in devices:
            self.device_combo.addItem(f"{d.id} — {d.name}", d.id)
        ids = [d.id for d in devices]
        wanted = "cuda:0" if self.wanted_device == "cuda" else self.wanted_device
        if wanted == "auto":
            wanted = next((i for i in ids if i != "cpu"), "cpu")
        self.device_combo.setCurrentIndex(ids.index(wanted) if wanted in ids else 0)
        if wanted not in ids:
            self.show_error(f"Device '{self.wanted_device}' is not available here; using CPU.")
        self.device_combo.blockSignals(False)
        self._set_engine_enabled(True)
        self._show_dataset_options()
        self.placeholder.setText("Loading data…")
        self.status_label.setText("Loading data…")
        self.request_step()

    @Slot(str)
    def _on_startup_failed(self, message: str) -> None:
        self.placeholder.setText(
            f"PyTorch could not be loaded: {message}\n\nReinstall it in this environment"
            " (see the README's troubleshooting section), then restart Activation Lens.")
        self.status_label.setText("PyTorch could not be loaded")

    def build_request(self):
        from engine.pipeline import StepRequest

        return StepRequest(
            id=next(self._ids),
            data_root=self.data_root,
            dataset=self.dataset_combo.currentText(),
            split=self.split_combo.currentText(),
            batch_index=self.batch_index,
            batch_size=self.batch_size_spin.value(),
            preprocess=self.preprocess_combo.currentData(),
            activations=self.activations.specs(),
            display=self.display_combo.currentData(),
            device=self.device_combo.currentData() or "cpu",
            allow_unverified=self.allow_unverified,
            image_size=self.image_size_spin.value(),
            coarse_labels=self.coarse_check.isChecked() and self.coarse_check.isVisible(),
            histograms=self.inspector.wanted_histograms() if self.inspector else (),
        )

    def request_step(self) -> None:
        if not self.engine_ready:
            return
        request = self.build_request()
        self.latest_id = request.id
        self.last_request = request
        self.requested_at[request.id] = time.perf_counter()
        self.worker.submit(request)

    @Slot(object)
    def _on_result(self, view) -> None:
        result = view.result
        if result.request.id != self.latest_id:
            return  # superseded by a newer request
        t0 = time.perf_counter()
        self.error_banner.hide()
        self.num_batches = result.num_batches
        self._set_batch_range(result.num_batches, result.request.batch_index)
        self.visited.add(result.request.batch_index)
        self.panels.show_view(view, result.classes)
        if self.inspector is not None:
            self.inspector.show_result(result)
        if self.stack.currentWidget() is not self.panels:
            self.stack.setCurrentWidget(self.panels)
            self.panels.setFocus()  # arrow keys browse batches, not a spin box's text
            QTimer.singleShot(0, self.panels.fit)
        self.panels.viewport().repaint()
        done = time.perf_counter()
        self.last_view = view
        self.shown_id = result.request.id
        started = self.requested_at.pop(result.request.id, t0)
        self.requested_at = {k: v for k, v in self.requested_at.items() if k > self.shown_id}
        self.step_latencies.append(done - started)
        self._show_status(result, (done - t0) * 1000)
        self.step_shown.emit(done - started)

    def _show_status(self, result, paint_ms: float) -> None:
        b = result.batch
        first = result.panels[0].stats
        rng = f"[{first.min:.3g}, {first.max:.3g}]" if first is not None else ""
        load_ms, compute_ms = (result.timings[k] * 1000 for k in ("load", "compute"))
        loading = f" · data loaded in {load_ms:.0f} ms" if load_ms > 50 else ""
        notes = f" · {'; '.join(result.notes)}" if result.notes else ""
        self.status_label.setText(
            f"Batch {b.index} of {result.num_batches} (0–{result.num_batches - 1}) · images"
            f" {b.start}–{b.start + len(b.labels) - 1} of {result.num_images:,} · input range"
            f" {rng} · {result.device} · engine {compute_ms:.1f} ms · paint {paint_ms:.1f} ms"
            f"{loading}{notes}"
        )
        self.notes_label.setText("\n".join(result.notes))
        self.notes_label.setVisible(bool(result.notes))

    @Slot(int, object)
    def _on_failed(self, request_id: int, exc) -> None:
        if request_id != self.latest_id:
            return
        from engine.errors import BatchIndexError, DatasetMissingError, DeviceError

        if isinstance(exc, DeviceError):
            self._offer_cpu(exc)
            return
        if isinstance(exc, DatasetMissingError):
            self._ask_for_data(exc)
            return
        if isinstance(exc, BatchIndexError) and exc.num_batches > 0:
            # e.g. a remembered batch index beyond a smaller split: show the nearest batch
            failed = self.last_request.batch_index if self.last_request else 0
            nearest = max(0, min(failed, exc.num_batches - 1))
            if nearest != failed:  # never retry the request that just failed
                self.num_batches = exc.num_batches
                self.batch_index = nearest
                self.request_step()
                return
        self.show_error(describe_error(exc))

    def _offer_cpu(self, exc) -> None:
        self.show_error(str(exc))
        box = QMessageBox(QMessageBox.Icon.Warning, "Device failure",
                          f"{exc}.\n\nContinue on the CPU?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setModal(False)
        box.accepted.connect(lambda: self.device_combo.setCurrentIndex(0))  # cpu is first
        self.device_dialog = box
        box.open()

    def show_error(self, message: str) -> None:
        self.error_banner.setText(message)
        self.error_banner.show()
        self.status_label.setText(message)
        if self.stack.currentWidget() is self.placeholder:
            self.placeholder.setText(message)

    # --- inspector ---------------------------------------------------------------------

    def _on_cell_clicked(self, index: int) -> None:
        if self.last_view is None:
            return
        inspector = self.ensure_inspector()
        inspector.show()
        inspector.raise_()
        inspector.tabs.setCurrentWidget(inspector.pixel_tab)
        inspector.select_image(self.last_view.result, index)

    def ensure_inspector(self):
        """The inspector dock, built the first time it is needed."""
        if self.inspector is None:
            from gui.inspector import InspectorDock

            dock = InspectorDock(self)
            dock.hide()
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            dock.histograms_needed.connect(self.request_step)
            dock.step_pending = lambda: self.latest_id != self.shown_id
            dock.visibilityChanged.connect(self.inspector_action.setChecked)
            dock.set_activation(self.activations.current_spec())
            self.inspector = dock
            if self.last_view is not None:
                dock.show_result(self.last_view.result)
        return self.inspector

    def _reopen_inspector(self) -> None:
        self.ensure_inspector()
        if self._restore_state is not None:
            self.restoreState(QByteArray(self._restore_state))  # where the user left the dock
        self.inspector.show()

    def _show_inspector(self, on: bool) -> None:
        if on:
            self.ensure_inspector().show()
        elif self.inspector is not None:
            self.inspector.hide()

    def _on_current_spec(self, spec) -> None:
        if self.inspector is not None:
            self.inspector.set_activation(spec)

    # --- saving ------------------------------------------------------------------------

    def save_view(self, path: str | None = None) -> None:
        """The panels as they look (titles, statistics, badges) in one PNG."""
        if self.last_view is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self, "Save view", f"batch{self.batch_index:05d}.png", "PNG image (*.png)")[0]
        if path:
            ok = self.panels.widget().grab().save(path, "PNG")
            self._report_save(ok, path)

    def save_panels(self, folder: str | None = None) -> None:
        """Each panel's grid at its exact pixels, one PNG per panel."""
        if self.last_view is None:
            return
        folder = folder or QFileDialog.getExistingDirectory(self, "Folder for the panel PNGs")
        if folder:
            from engine.inspect import save_panel_pngs

            try:
                paths = save_panel_pngs(self.last_view.result, folder)
            except Exception as exc:
                self.show_error(describe_error(exc))
                return
            self._report_save(True, f"{len(paths)} PNGs in {folder}")

    def save_stats(self, path: str | None = None) -> None:
        if self.last_view is None:
            return
        path = path or QFileDialog.getSaveFileName(
            self, "Save statistics", f"batch{self.batch_index:05d}-stats.csv",
            "CSV (*.csv);;JSON (*.json)")[0]
        if path:
            from engine.inspect import save_stats

            try:
                save_stats(self.last_view.result, path)
            except Exception as exc:
                self.show_error(describe_error(exc))
                return
            self._report_save(True, path)

    def _report_save(self, ok: bool, what: str) -> None:
        if ok:
            self.statusBar().showMessage(f"Saved {what}", 5000)
        else:
            self.show_error(f"Could not save {what}")

    def _switch_preprocess(self, mode: str) -> None:
        self.preprocess_combo.setCurrentIndex(self.preprocess_combo.findData(mode))

    # --- data --------------------------------------------------------------------------

    def _ask_for_data(self, exc) -> None:
        from gui.data_dialog import MissingDataDialog

        if self.data_dialog is not None:
            return
        self.placeholder.setText(str(exc))
        self.status_label.setText(str(exc))
        self.data_dialog = MissingDataDialog(str(exc), exc.dataset, exc.root, exc.downloadable,
                                             self)
        self.data_dialog.finished.connect(self._on_data_dialog)
        self.data_dialog.open()

    def _on_data_dialog(self, code: int) -> None:
        dialog, self.data_dialog = self.data_dialog, None
        dialog.deleteLater()
        from gui.data_dialog import MissingDataDialog

        if code == MissingDataDialog.QUIT:
            self.close()
            return
        if code:
            self.data_root = dialog.chosen_root
            self._show_root()
            self.request_step()
        else:
            self.show_error("No data set loaded. Use 'Change data folder…' to pick one.")

    def _choose_root(self) -> None:
        from engine.pipeline import data_root_or_default

        path = QFileDialog.getExistingDirectory(self, "Folder holding the data set",
                                                str(data_root_or_default(self.data_root)))
        if path:
            self.data_root = path
            self._show_root()
            self.request_step()

    # --- navigation --------------------------------------------------------------------

    def _set_batch_range(self, n: int, index: int) -> None:
        for w in (self.batch_spin, self.batch_slider):
            w.blockSignals(True)
            w.setRange(0, max(0, n - 1))
            w.setValue(index)
            w.blockSignals(False)
        self.batch_count.setText(f" of {n}")

    def go_to(self, index: int) -> None:
        if not self.engine_ready:
            return
        top = self.num_batches - 1 if self.num_batches else index
        index = max(0, min(index, top))
        if index == self.batch_index and self.last_request is not None \
                and self.last_request.batch_index == index:
            return
        self.batch_index = index
        for w in (self.batch_spin, self.batch_slider):
            w.blockSignals(True)
            w.setValue(index)
            w.blockSignals(False)
        self.request_step()

    def step_by(self, delta: int) -> None:
        self.go_to(self.batch_index + delta)

    def _on_batch_spin(self, value: int) -> None:
        self.go_to(value)

    def _on_batch_size(self, size: int) -> None:
        if self.last_view is not None:
            first_image = self.last_view.result.batch.start
            self.batch_index = first_image // size
        self.num_batches = 0
        self.visited.clear()
        self.request_step()

    def _on_source_changed(self, *_args) -> None:
        self._show_dataset_options()
        self._show_root()
        self.batch_index = 0
        self.num_batches = 0
        self.visited.clear()
        self.request_step()

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f" {zoom * 100:.0f}% ")

    # --- export and TensorBoard ----------------------------------------------------------

    def open_export(self) -> None:
        if not self.engine_ready or self.last_view is None:
            self.show_error("Nothing to export yet: load a batch first.")
            return
        from gui.export_dialog import ExportDialog

        request = self.last_view.result.request.with_(id=0)
        dialog = ExportDialog(request, sorted(self.visited), self.num_batches, self.logdir, self)
        dialog.open_tensorboard.connect(self.open_tensorboard)
        dialog.finished.connect(lambda _code, d=dialog: self._forget_export(d))
        self.export_dialogs.append(dialog)
        dialog.show()

    def _forget_export(self, dialog) -> None:
        self.logdir = dialog.logdir_edit.text()
        if not dialog.running() and dialog in self.export_dialogs:
            self.export_dialogs.remove(dialog)

    @Slot(str, int)
    def open_tensorboard(self, logdir: str, steps: int) -> None:
        self.tensorboard.start(logdir, steps)

    # --- help and shutdown --------------------------------------------------------------

    def show_shortcuts(self) -> None:
        rows = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>"
                       for k, v in SHORTCUTS)
        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setText(f"<table>{rows}</table>")
        box.setModal(False)
        box.show()

    def closeEvent(self, event) -> None:
        self.save_settings()
        if self.data_dialog is not None:
            self.data_dialog.stop()
        for dialog in list(self.export_dialogs):
            dialog.stop()
        self.worker.stop()
        self.tensorboard.stop()
        super().closeEvent(event)


def _select(combo: QComboBox, value: str) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == value or combo.itemText(i) == value:
            combo.setCurrentIndex(i)
            return
