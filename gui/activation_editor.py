"""The activation list: add, remove, reorder, enable/disable, and edit parameters in a form
generated from the engine's registry (typed fields, ranges, defaults, messages)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.errors import ActlensError
from engine.registry import ACTIVATIONS, MAX_ACTIVATIONS, ActivationSpec, make_spec, parse_spec

SPEC_ROLE = Qt.ItemDataRole.UserRole


class ParamForm(QWidget):
    """Fields for one activation's parameters; emits ``applied`` with a valid spec."""

    applied = Signal(object)  # ActivationSpec

    def __init__(self, parent=None):
        super().__init__(parent)
        self._spec: ActivationSpec | None = None
        self._fields: dict[str, QWidget] = {}
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel()
        self.message.setObjectName("ValidationMessage")
        self.message.setWordWrap(True)

    def set_spec(self, spec: ActivationSpec | None) -> None:
        self._spec = spec
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._fields = {}
        self.message = QLabel()
        self.message.setObjectName("ValidationMessage")
        self.message.setWordWrap(True)
        if spec is None:
            return
        entry = spec.entry
        summary = QLabel(f"<b>{entry.name}</b>: {entry.summary}")
        summary.setWordWrap(True)
        self._layout.addRow(summary)
        if not entry.params:
            self._layout.addRow(QLabel("No parameters."))
        for p in entry.params:
            field = self._make_field(p, spec.params[p.name])
            field.setToolTip(f"{p.help}\nAllowed: {p.describe_range()}\nDefault: {p.default}")
            self._fields[p.name] = field
            self._layout.addRow(p.name, field)
        self._layout.addRow(self.message)

    def _make_field(self, p, value) -> QWidget:
        if p.kind is bool:
            w = QCheckBox()
            w.setChecked(bool(value))
            w.toggled.connect(self._apply)
        elif p.kind is str:
            w = QComboBox()
            w.addItems(list(p.choices))
            w.setCurrentText(str(value))
            w.currentTextChanged.connect(self._apply)
        elif p.kind is int:
            w = QSpinBox()
            w.setRange(int(p.low if p.low is not None else -(2**31)),
                       int(p.high if p.high is not None else 2**31 - 1))
            w.setValue(int(value))
            w.valueChanged.connect(self._apply)
        else:
            # Free text so that out-of-range values get a message instead of a silent clamp.
            w = QLineEdit(_fmt(value))
            w.editingFinished.connect(self._apply)
        return w

    def values(self) -> dict:
        out = {}
        for name, w in self._fields.items():
            if isinstance(w, QCheckBox):
                out[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                out[name] = w.currentText()
            elif isinstance(w, QSpinBox):
                out[name] = w.value()
            else:
                text = w.text().strip()
                try:
                    out[name] = float(text)
                except ValueError:
                    out[name] = text
        return out

    def _apply(self, *_):
        if self._spec is None:
            return
        try:
            spec = make_spec(self._spec.name, self.values())
        except ActlensError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText("")
        if spec != self._spec:
            self._spec = spec
            self.applied.emit(spec)


class ActivationEditor(QWidget):
    """A checkable, reorderable list of activation specs plus the parameter form."""

    changed = Signal()
    current_spec_changed = Signal(object)  # the selected ActivationSpec, or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.list.model().rowsMoved.connect(lambda *_: self.changed.emit())
        self.picker = QComboBox()
        self.picker.addItems(list(ACTIVATIONS))
        self.picker.setToolTip("Activation to add")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(lambda: self.add(make_spec(self.picker.currentText())))
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton("▲")
        self.up_button.setToolTip("Move up")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("▼")
        self.down_button.setToolTip("Move down")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.spec_edit = QLineEdit()
        self.spec_edit.setPlaceholderText("or type a spec, e.g. elu(alpha=0.5)")
        self.spec_edit.returnPressed.connect(self._add_typed)
        self.message = QLabel()
        self.message.setObjectName("ValidationMessage")
        self.message.setWordWrap(True)
        self.form = ParamForm()
        self.form.applied.connect(self._replace_current)

        add_row = QHBoxLayout()
        add_row.addWidget(self.picker, 1)
        add_row.addWidget(self.add_button)
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        move_row.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(add_row)
        lay.addWidget(self.spec_edit)
        lay.addWidget(self.message)
        lay.addWidget(self.list, 1)
        lay.addLayout(move_row)
        lay.addWidget(self.form)

    # --- the model -------------------------------------------------------------------

    def specs(self) -> tuple[ActivationSpec, ...]:
        """The enabled specs, in order."""
        return tuple(
            self.list.item(i).data(SPEC_ROLE)
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        )

    def all_specs(self) -> list[tuple[ActivationSpec, bool]]:
        return [
            (self.list.item(i).data(SPEC_ROLE),
             self.list.item(i).checkState() == Qt.CheckState.Checked)
            for i in range(self.list.count())
        ]

    def set_specs(self, specs, enabled=None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for i, spec in enumerate(specs):
            self._append(spec, True if enabled is None else enabled[i])
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.changed.emit()

    def add(self, spec: ActivationSpec) -> bool:
        if self.list.count() >= MAX_ACTIVATIONS:
            self.message.setText(f"At most {MAX_ACTIVATIONS} activations; remove one first.")
            return False
        self.message.setText("")
        self._append(spec, True)
        self.list.setCurrentRow(self.list.count() - 1)
        self.changed.emit()
        return True

    def remove_current(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()

    def move_current(self, delta: int) -> None:
        row = self.list.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.list.count():
            return
        self.list.blockSignals(True)
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.list.blockSignals(False)
        self.changed.emit()

    def _append(self, spec: ActivationSpec, enabled: bool) -> None:
        item = QListWidgetItem(str(spec))
        item.setData(SPEC_ROLE, spec)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsDragEnabled)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDropEnabled)
        item.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
        self.list.addItem(item)

    def _add_typed(self) -> None:
        try:
            spec = parse_spec(self.spec_edit.text())
        except ActlensError as exc:
            self.message.setText(str(exc))
            return
        if self.add(spec):
            self.spec_edit.clear()

    def _on_current(self, current, _previous) -> None:
        spec = current.data(SPEC_ROLE) if current is not None else None
        self.form.set_spec(spec)
        self.current_spec_changed.emit(spec)

    def current_spec(self) -> ActivationSpec | None:
        item = self.list.currentItem()
        return item.data(SPEC_ROLE) if item is not None else None

    def _replace_current(self, spec: ActivationSpec) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.list.blockSignals(True)
        item.setData(SPEC_ROLE, spec)
        item.setText(str(spec))
        self.list.blockSignals(False)
        self.changed.emit()
        self.current_spec_changed.emit(spec)


def _fmt(value) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
