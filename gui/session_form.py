"""The side panel: one widget per session choice, bound to a :class:`engine.session.Session`.

:meth:`SessionForm.show_session` puts a session into the widgets (without echoing signals);
every edit a user makes comes back as ``edited(changes)``, a dict of session fields.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.data.datasets import SPLITS, dataset_info, dataset_names
from engine.display import DISPLAYS
from engine.pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE
from gui.activation_editor import ActivationEditor
from gui.i18n import engine_text
from gui.messages import plain_tip, text_label

MODE_ITEMS = [
    ("activations", QT_TRANSLATE_NOOP("SessionForm", "Activations on the pixels"),
     QT_TRANSLATE_NOOP("SessionForm", "The exercise: each activation applied to the"
                       " preprocessed images")),
    ("network", QT_TRANSLATE_NOOP("SessionForm", "Inside a small CNN"),
     QT_TRANSLATE_NOOP("SessionForm", "conv 3→16 → act → avgpool → conv 16→32 → act → avgpool"
                       " → linear 10: the feature maps before and after each activation")),
    ("module", QT_TRANSLATE_NOOP("SessionForm", "Your own module"),
     QT_TRANSLATE_NOOP("SessionForm", "A Python file defining an nn.Module: each image-shaped"
                       " output is a panel")),
]
MODE_HELP = {
    "activations": QT_TRANSLATE_NOOP(
        "SessionForm", "Each activation applied to the preprocessed pixels, as in the exercise."),
    "network": QT_TRANSLATE_NOOP(
        "SessionForm", "Feature maps of the image you click in the input panel, before and"
        " after the activation (16 maps of conv1, 32 of conv2). The network pools by averages:"
        " max pooling is itself non-linear and would hide what the activation does."),
    "module": QT_TRANSLATE_NOOP(
        "SessionForm", "Each image-shaped output of your module's forward, and the outputs of"
        " its activation layers. Opening a file runs its code. Click an image in the input"
        " panel to see its channels where an output has more than 3."),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionForm", text)


def _combo(items: dict[str, str] | list[str]) -> QComboBox:
    """A combo box whose items carry their key as data and their description as tooltip."""
    combo = QComboBox()
    for key in items:
        combo.addItem(key, key)
        if isinstance(items, dict):
            combo.setItemData(combo.count() - 1, engine_text(items[key]),
                              Qt.ItemDataRole.ToolTipRole)
    return combo


def _spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)  # typing "128" asks for one batch, not three
    return spin


def select(combo: QComboBox, value: str) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


class SessionForm(QWidget):
    edited = Signal(dict)  # session fields the user changed
    choose_root = Signal()
    choose_weights = Signal()
    open_model = Signal()

    def __init__(self, parent=None):
        from engine.preprocess import PREPROCESSING

        super().__init__(parent)
        self.dataset_combo = _combo(dataset_names())
        self.split_combo = _combo(list(SPLITS))
        self.batch_size_spin = _spin(1, MAX_BATCH_SIZE)
        self.image_size_spin = _spin(4, MAX_IMAGE_SIZE, " px")
        self.image_size_spin.setToolTip(self.tr("Image folders: images are resized and"
                                                " centre-cropped to this square size"))
        self.coarse_check = QCheckBox(self.tr("20 superclasses (coarse labels)"))
        self.shuffle_check = QCheckBox(self.tr("Shuffle, seed"))
        self.shuffle_check.setToolTip(self.tr("Show the images in a random order; the same seed"
                                              " gives the same order"))
        self.shuffle_spin = _spin(0, 2**31 - 1)
        self.root_label = text_label("", "RootLabel")
        self.notes_label = text_label("", "NotesLabel")
        self.notes_label.hide()
        self.root_button = QPushButton(self.tr("Change data folder…"))
        self.root_button.clicked.connect(self.choose_root)
        self.preprocess_combo = _combo(PREPROCESSING)
        self.display_combo = _combo(DISPLAYS)
        self.device_combo = QComboBox()
        self.device_combo.addItem("cpu", "cpu")
        self.activations = ActivationEditor()
        self._build_view_box()
        self._lay_out()
        self._connect()

    def _build_view_box(self) -> None:
        self.mode_combo = QComboBox()
        for key, text, tip in MODE_ITEMS:
            self.mode_combo.addItem(_tr(text), key)
            self.mode_combo.setItemData(self.mode_combo.count() - 1, _tr(tip),
                                        Qt.ItemDataRole.ToolTipRole)
        self.mode_help = QLabel()
        self.mode_help.setWordWrap(True)
        self.mode_help.setObjectName("RootLabel")
        self.weights_label = text_label("")
        self.weights_button = QPushButton(self.tr("Load weights…"))
        self.weights_button.setToolTip(self.tr("A state dict file of this network (torch.save),"
                                               " loaded with weights_only=True"))
        self.weights_button.clicked.connect(self.choose_weights)
        self.random_button = QPushButton(self.tr("Random"))
        self.random_button.setToolTip(self.tr("Seeded random weights: the same for every activation"))
        self.random_button.clicked.connect(lambda: self.edited.emit({"weights": ""}))
        self.seed_spin = _spin(0, 2**31 - 1)
        self.seed_spin.setToolTip(self.tr("Seed of the random weights"))
        self.model_label = text_label("")
        self.model_button = QPushButton(self.tr("Open module…"))
        self.model_button.clicked.connect(self.open_model)
        self.view_box = QGroupBox(self.tr("View"))
        form = QFormLayout(self.view_box)
        form.addRow(self.tr("Show"), self.mode_combo)
        form.addRow(self.mode_help)
        form.addRow(self.weights_label)
        row = QHBoxLayout()
        row.addWidget(self.weights_button)
        row.addWidget(self.random_button)
        self.weights_row = QWidget()
        row.setContentsMargins(0, 0, 0, 0)
        self.weights_row.setLayout(row)
        form.addRow(self.weights_row)
        self.seed_label = QLabel(self.tr("Seed"))
        form.addRow(self.seed_label, self.seed_spin)
        form.addRow(self.model_label)
        form.addRow(self.model_button)

    def _lay_out(self) -> None:
        data_box = QGroupBox(self.tr("Data"))
        data = QFormLayout(data_box)
        data.addRow(self.tr("Dataset"), self.dataset_combo)
        data.addRow(self.tr("Split"), self.split_combo)
        data.addRow(self.tr("Batch size"), self.batch_size_spin)
        data.addRow(self.tr("Image size"), self.image_size_spin)
        data.addRow(self.shuffle_check, self.shuffle_spin)
        data.addRow(self.coarse_check)
        data.addRow(self.root_label)
        data.addRow(self.notes_label)
        data.addRow(self.root_button)
        session_box = QGroupBox(self.tr("Session"))
        session = QFormLayout(session_box)
        session.addRow(self.tr("Preprocess"), self.preprocess_combo)
        session.addRow(self.tr("Display"), self.display_combo)
        session.addRow(self.tr("Device"), self.device_combo)
        act_box = self.act_box = QGroupBox(self.tr("Activations"))
        act_box.setToolTip(self.tr("Your own module brings its own activations"))
        QVBoxLayout(act_box).addWidget(self.activations)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view_box)
        lay.addWidget(data_box)
        lay.addWidget(session_box)
        lay.addWidget(act_box, 1)

    def _connect(self) -> None:
        def send(**changes):
            self.edited.emit(changes)

        self.dataset_combo.currentIndexChanged.connect(
            lambda _: send(dataset=self.dataset_combo.currentData()))
        self.split_combo.currentIndexChanged.connect(
            lambda _: send(split=self.split_combo.currentData()))
        self.batch_size_spin.valueChanged.connect(lambda v: send(batch_size=v))
        self.image_size_spin.valueChanged.connect(lambda v: send(image_size=v))
        self.coarse_check.toggled.connect(lambda on: send(coarse_labels=on))
        self.shuffle_check.toggled.connect(lambda _: send(shuffle_seed=self._shuffle()))
        self.shuffle_spin.valueChanged.connect(lambda _: send(shuffle_seed=self._shuffle()))
        self.preprocess_combo.currentIndexChanged.connect(
            lambda _: send(preprocess=self.preprocess_combo.currentData()))
        self.display_combo.currentIndexChanged.connect(
            lambda _: send(display=self.display_combo.currentData()))
        self.device_combo.currentIndexChanged.connect(
            lambda _: send(device=self.device_combo.currentData() or "cpu"))
        self.activations.changed.connect(lambda: send(specs=self.activations.all_specs()))
        self.mode_combo.currentIndexChanged.connect(
            lambda _: send(mode=self.mode_combo.currentData()))
        self.seed_spin.valueChanged.connect(lambda v: send(network_seed=v, weights=""))

    def _shuffle(self) -> int | None:
        return self.shuffle_spin.value() if self.shuffle_check.isChecked() else None

    def widgets(self) -> list[QWidget]:
        return [self.dataset_combo, self.split_combo, self.batch_size_spin, self.root_button,
                self.image_size_spin, self.coarse_check, self.shuffle_check, self.shuffle_spin,
                self.preprocess_combo, self.display_combo, self.device_combo, self.activations,
                self.mode_combo, self.seed_spin, self.weights_button, self.random_button,
                self.model_button]

    def show_session(self, session, root_text: str) -> None:
        """Put ``session`` into the widgets without emitting ``edited``."""
        for w in self.widgets():
            w.blockSignals(True)
        try:
            select(self.dataset_combo, session.dataset)
            select(self.split_combo, session.split)
            self.batch_size_spin.setValue(session.batch_size)
            self.image_size_spin.setValue(session.image_size)
            self.coarse_check.setChecked(session.coarse_labels)
            self.shuffle_check.setChecked(session.shuffle_seed is not None)
            if session.shuffle_seed is not None:  # unchecked, the box keeps the last seed
                self.shuffle_spin.setValue(session.shuffle_seed)
            select(self.preprocess_combo, session.preprocess)
            select(self.display_combo, session.display)
            select(self.device_combo, session.device)
            if [(s, on) for s, on in self.activations.all_specs()] != list(
                    zip(session.specs, session.enabled or (True,) * len(session.specs))):
                self.activations.set_specs(session.specs, session.enabled or None)
        finally:
            for w in self.widgets():
                w.blockSignals(False)
        info = dataset_info(session.dataset)
        self.image_size_spin.setEnabled(info.user_folder)
        self.coarse_check.setVisible(info.coarse_labels)
        self.root_label.setText(self.tr("Data folder: {0}").format(root_text))
        self._show_view(session)

    def _show_view(self, session) -> None:
        for w in (self.mode_combo, self.seed_spin):  # showing a session is not an edit
            w.blockSignals(True)
        select(self.mode_combo, session.mode)
        self.seed_spin.setValue(session.network_seed)
        for w in (self.mode_combo, self.seed_spin):
            w.blockSignals(False)
        self.mode_help.setText(_tr(MODE_HELP[session.mode]))
        network, module = session.mode == "network", session.mode == "module"
        for w in (self.weights_label, self.weights_row, self.seed_label, self.seed_spin):
            w.setVisible(network)
        for w in (self.model_label, self.model_button):
            w.setVisible(module)
        self.act_box.setEnabled(not module)
        self.weights_label.setText(
            self.tr("Weights: {0} (loaded; the seed is not used)").format(
                Path(session.weights).name)
            if session.weights
            else self.tr("Weights: seeded random (seed {0}), the same for every activation. Not"
                         " trained: the maps show what each activation does to the same"
                         " convolutions.").format(session.network_seed))
        self.seed_spin.setEnabled(not session.weights)
        self.weights_label.setToolTip(plain_tip(session.weights))
        self.model_label.setText(self.tr("Module: {0}").format(session.model) if session.model
                                 else self.tr("No module file open."))

    def set_devices(self, devices, current: str) -> None:
        self.device_combo.blockSignals(True)
        self.device_combo.clear()
        for d in devices:
            self.device_combo.addItem(f"{d.id} — {engine_text(d.name)}", d.id)
        select(self.device_combo, current)
        self.device_combo.blockSignals(False)

    def show_notes(self, notes) -> None:
        self.notes_label.setText("\n".join(engine_text(n) for n in notes))
        self.notes_label.setVisible(bool(notes))
