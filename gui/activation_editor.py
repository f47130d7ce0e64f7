"""The activation list: add, remove, reorder, enable/disable, and edit parameters in a form
generated from the engine's registry (typed fields, ranges, defaults, messages).

Every numeric parameter has a box and a slider over its allowed range. The slider's scale
(:class:`SliderScale`) is linear for narrow ranges such as ``[0, 1]``, logarithmic for
positive ranges spanning two decades or more (``alpha`` in ``[0.001, 10]``), and symmetric
logarithmic for wide ranges around zero (linear within ±1, one decade per step of the same
width beyond: ``negative_slope`` in ``[-10, 10]`` has ``[0, 1]`` on a quarter of its slider).
Both ends of a slider are the range's ends (a step inside an open end); a side without a
bound reaches ``UNBOUNDED`` on the slider while the box accepts any value. Moving the slider
emits the same edit as typing in the box.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, Qt, Signal
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
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..engine.errors import ActlensError
from ..engine.registry import ACTIVATIONS, MAX_ACTIVATIONS, ActivationSpec, make_spec, parse_spec
from .i18n import engine_text
from .messages import text_label

SPEC_ROLE = Qt.ItemDataRole.UserRole
SLIDER_STEPS = 1000  # positions of a slider that is not one step per integer
UNBOUNDED = 1000.0  # how far a slider reaches on a side without a bound
LINEAR_ZONE = 1.0  # symmetric-log sliders are linear within ±LINEAR_ZONE
SIGNIFICANT = 3  # digits of a value set by a slider: readable spec text


class SliderScale:
    """Slider positions ``0..steps`` ⇄ values of one numeric parameter (see the module's
    docstring for the scales). ``first``/``last`` are the slider's own ends."""

    def __init__(self, p):
        self.integer = p.kind is int
        bound = (2**31 - 1) if self.integer else UNBOUNDED
        self.lo = p.low if p.low is not None else -bound
        self.hi = p.high if p.high is not None else bound
        if self.integer and self.hi - self.lo <= SLIDER_STEPS:
            self.mapping, self.steps = "linear", int(self.hi - self.lo)  # one step per integer
        elif self.lo > 0 and self.hi / self.lo >= 100:
            self.mapping, self.steps = "log", SLIDER_STEPS
        elif self.lo > 0 or self.hi - self.lo <= 2 * LINEAR_ZONE:
            self.mapping, self.steps = "linear", SLIDER_STEPS
        else:
            self.mapping, self.steps = "symlog", SLIDER_STEPS
        self.first = 1 if p.low_open else 0
        self.last = self.steps - 1 if p.high_open else self.steps
        self._u = (self._forward(self.lo), self._forward(self.hi))

    def _forward(self, v: float) -> float:
        if self.mapping == "log":
            return math.log10(v)
        if self.mapping == "symlog" and abs(v) > LINEAR_ZONE:
            return math.copysign(1 + math.log10(abs(v) / LINEAR_ZONE), v)
        return v / LINEAR_ZONE if self.mapping == "symlog" else v

    def _inverse(self, u: float) -> float:
        if self.mapping == "log":
            return 10.0 ** u
        if self.mapping == "symlog" and abs(u) > 1:
            return math.copysign(LINEAR_ZONE * 10.0 ** (abs(u) - 1), u)
        return u * LINEAR_ZONE if self.mapping == "symlog" else u

    def value(self, position: int):
        """The parameter's value at ``position``: the range's ends at the slider's ends,
        rounded to SIGNIFICANT digits (an integer for an int parameter) in between."""
        if position <= 0 or position >= self.steps:
            v = self.lo if position <= 0 else self.hi
        else:
            u0, u1 = self._u
            v = self._inverse(u0 + (u1 - u0) * position / self.steps)
            v = round(v) if self.integer else float(f"{v:.{SIGNIFICANT}g}")
        v = min(max(v, self.lo), self.hi)
        return int(v) if self.integer else float(v)

    def position(self, value: float) -> int:
        """The slider position nearest to ``value`` (an end for a value beyond it)."""
        u0, u1 = self._u
        if u1 == u0:
            return self.first
        u = self._forward(min(max(value, self.lo), self.hi))
        return min(max(round((u - u0) / (u1 - u0) * self.steps), self.first), self.last)


class KeySlider(QSlider):
    """A slider that keeps its arrow, Page and Home/End keys while it has the focus (the
    window's batch shortcuts take them everywhere else)."""

    KEYS = {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down,
            Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home, Qt.Key.Key_End}

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in self.KEYS:
            event.accept()
            return True
        return super().event(event)


class ParamForm(QWidget):
    """Fields for one activation's parameters; emits ``applied`` with a valid spec.

    A numeric parameter has a box (the value as typed) and a slider (:class:`SliderScale`);
    each follows the other with its signals blocked, so one edit is one ``applied``."""

    applied = Signal(object)  # ActivationSpec

    def __init__(self, parent=None):
        super().__init__(parent)
        self._spec: ActivationSpec | None = None
        self._fields: dict[str, QWidget] = {}
        self.sliders: dict[str, QSlider] = {}
        self.scales: dict[str, SliderScale] = {}
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.message = self._message_label()

    @staticmethod
    def _message_label() -> QLabel:
        return text_label("", "ValidationMessage")  # it quotes what the user typed

    def set_spec(self, spec: ActivationSpec | None) -> None:
        self._spec = spec
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._fields, self.sliders, self.scales = {}, {}, {}
        self.message = self._message_label()
        if spec is None:
            return
        entry = spec.entry
        summary = QLabel(self.tr("<b>{0}</b>: {1}").format(entry.name, engine_text(entry.summary)))
        summary.setWordWrap(True)
        self._layout.addRow(summary)
        if not entry.params:
            self._layout.addRow(QLabel(self.tr("No parameters.")))
        for p in entry.params:
            field = self._make_field(p, spec.params[p.name])
            tip = self.tr("{0}\nAllowed: {1}\nDefault: {2}").format(
                engine_text(p.help), engine_text(p.describe_range()), p.default)
            field.setToolTip(tip)
            self._fields[p.name] = field
            self._layout.addRow(p.name, field)
            if p.kind in (int, float):
                self._layout.addRow(self._slider_row(p, tip))
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
            w.valueChanged.connect(lambda _v, name=p.name: self._on_box(name))
        else:
            # Free text so that out-of-range values get a message instead of a silent clamp.
            w = QLineEdit(_fmt(value))
            w.setMaximumWidth(90)
            w.editingFinished.connect(lambda name=p.name: self._on_box(name))
        return w

    def _slider_row(self, p, tip: str) -> QWidget:
        """A slider over ``p``'s range, the width of the form, between its two ends."""
        scale = self.scales[p.name] = SliderScale(p)
        slider = self.sliders[p.name] = KeySlider(Qt.Orientation.Horizontal)
        slider.setRange(scale.first, scale.last)
        slider.setSingleStep(max(1, scale.steps // 100))
        slider.setPageStep(max(1, scale.steps // 10))
        slider.setMinimumWidth(80)
        notes = {"log": self.tr("logarithmic slider"),
                 "symlog": self.tr("slider: linear within ±1, logarithmic beyond")}
        slider.setToolTip(tip + ("\n" + notes[scale.mapping] if scale.mapping in notes else ""))
        self._sync_slider(p.name)
        slider.valueChanged.connect(lambda pos, name=p.name: self._on_slider(name, pos))
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        ends = [QLabel(_fmt(scale.value(pos))) for pos in (scale.first, scale.last)]
        for end in ends:
            end.setObjectName("SliderEnd")
        lay.addWidget(ends[0])
        lay.addWidget(slider, 1)
        lay.addWidget(ends[1])
        return row

    def _on_slider(self, name: str, position: int) -> None:
        """A slider moved: its value into the box (silently), then the same edit as the box's."""
        value = self.scales[name].value(position)
        box = self._fields[name]
        box.blockSignals(True)
        if isinstance(box, QSpinBox):
            box.setValue(int(value))
        else:
            box.setText(_fmt(value))
        box.blockSignals(False)
        self._apply()

    def _on_box(self, name: str) -> None:
        self._apply()
        self._sync_slider(name)

    def _sync_slider(self, name: str) -> None:
        """Put the spec's value on its slider without the slider reporting a move: a value
        the box refused leaves the slider on the last valid one."""
        slider = self.sliders.get(name)
        if slider is None or self._spec is None:
            return
        value = self._spec.params[name]
        slider.blockSignals(True)
        slider.setValue(self.scales[name].position(value))
        slider.blockSignals(False)

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
        # six rows (more scroll), so the parameters and their sliders below stay in sight
        self.list.setMaximumHeight(self.list.fontMetrics().height() * 7 + 12)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.list.model().rowsMoved.connect(lambda *_: self.changed.emit())
        self.picker = QComboBox()
        self.picker.addItems(list(ACTIVATIONS))
        self.picker.setToolTip(self.tr("Activation to add"))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(lambda: self.add(make_spec(self.picker.currentText())))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button = QPushButton("▲")
        self.up_button.setToolTip(self.tr("Move up"))
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("▼")
        self.down_button.setToolTip(self.tr("Move down"))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.spec_edit = QLineEdit()
        self.spec_edit.setPlaceholderText(self.tr("or type a spec, e.g. elu(alpha=0.5)"))
        self.spec_edit.returnPressed.connect(self._add_typed)
        self.message = text_label("", "ValidationMessage")  # it quotes what the user typed
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
            self.message.setText(
                self.tr("At most {0} activations; remove one first.").format(MAX_ACTIVATIONS))
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
