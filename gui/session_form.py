"""The side panel: one widget per session choice, bound to a :class:`engine.session.Session`.

:meth:`SessionForm.show_session` puts a session into the widgets (without echoing signals);
every edit a user makes comes back as ``edited(changes)``, a dict of session fields.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..engine import modes
from ..engine.data.datasets import SPLITS, available_splits, dataset_info, dataset_names
from ..engine.display import DISPLAYS
from ..engine.pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE
from .activation_editor import ActivationEditor
from .i18n import choice_text, engine_text
from .messages import text_label
from .mode_forms import ModeForm, form_class


def _tr(text: str) -> str:
    return QCoreApplication.translate("SessionForm", text)


def _combo(items: dict[str, str] | list[str], explained: bool = True) -> QComboBox:
    """A combo box whose items carry their key as data and their description as tooltip;
    ``explained`` items say what they mean in the window's language (:func:`choice_text`)."""
    combo = QComboBox()
    for key in items:
        combo.addItem(choice_text(key) if explained else key, key)
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
        from ..engine.preprocess import PREPROCESSING

        super().__init__(parent)
        self.dataset_combo = _combo(dataset_names(), explained=False)
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
        self.mode_forms: dict[str, ModeForm] = {}
        self.mode_help = QLabel()
        self.mode_help.setWordWrap(True)
        self.mode_help.setObjectName("RootLabel")
        self.view_box = QGroupBox(self.tr("View"))
        form = QFormLayout(self.view_box)
        form.addRow(self.tr("Show"), self.mode_combo)
        form.addRow(self.mode_help)
        for name in modes.names():
            mode_form = form_class(name)(self)
            mode_form.edited.connect(self.edited)
            self.mode_combo.addItem(_tr(mode_form.TITLE), name)
            self.mode_combo.setItemData(self.mode_combo.count() - 1, _tr(mode_form.TIP),
                                        Qt.ItemDataRole.ToolTipRole)
            self.mode_forms[name] = mode_form
            form.addRow(mode_form)

    def mode_form(self, mode: str) -> ModeForm:
        """The controls of ``mode`` (a name in engine.modes.REGISTERED)."""
        return self.mode_forms[mode]

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

    def _shuffle(self) -> int | None:
        return self.shuffle_spin.value() if self.shuffle_check.isChecked() else None

    def widgets(self) -> list[QWidget]:
        return [self.dataset_combo, self.split_combo, self.batch_size_spin, self.root_button,
                self.image_size_spin, self.coarse_check, self.shuffle_check, self.shuffle_spin,
                self.preprocess_combo, self.display_combo, self.device_combo, self.activations,
                self.mode_combo] + [w for f in self.mode_forms.values() for w in f.controls()]

    def show_session(self, session, root_text: str) -> None:
        """Put ``session`` into the widgets without emitting ``edited``."""
        for w in self.widgets():
            w.blockSignals(True)
        try:
            if self.dataset_combo.findData(session.dataset) < 0:  # data from Python
                self.dataset_combo.addItem(dataset_info(session.dataset).title, session.dataset)
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
        self.split_combo.setEnabled(not info.from_python)  # handed-over data has no splits
        if not info.from_python:
            self._mark_missing_splits(available_splits(session.dataset, session.data_root))
        self.coarse_check.setVisible(info.coarse_labels)
        self.root_label.setText(self.tr("Data folder: {0}").format(root_text))
        self._show_view(session)

    def _mark_missing_splits(self, present) -> None:
        """A split the data folder lacks stays in the list, marked: choosing it offers the
        download."""
        for i in range(self.split_combo.count()):
            split = self.split_combo.itemData(i)
            here = split in present
            text = choice_text(split)
            self.split_combo.setItemText(i, text if here else self.tr(
                "{0} (not downloaded)").format(text))
            self.split_combo.setItemData(i, None if here else self.tr(
                "Not in the data folder: choosing it offers the download"),
                Qt.ItemDataRole.ToolTipRole)

    def _show_view(self, session) -> None:
        controls = [self.mode_combo] + [w for f in self.mode_forms.values() for w in f.controls()]
        for w in controls:  # showing a session is not an edit
            w.blockSignals(True)
        try:
            select(self.mode_combo, session.mode)
            for mode_form in self.mode_forms.values():
                mode_form.show_session(session)
        finally:
            for w in controls:
                w.blockSignals(False)
        self.mode_help.setText(_tr(self.mode_forms[session.mode].HELP))
        for name, mode_form in self.mode_forms.items():
            mode_form.setVisible(name == session.mode)
        self.act_box.setEnabled(modes.get(session.mode).uses_activations)

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
