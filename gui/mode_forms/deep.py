"""The deep stack's controls (depth, width, initialisation, seed, pools, the layer whose maps
are shown). Its view above the panels is :mod:`.deep_view`, imported when the mode is first
shown, so that pyqtgraph stays off the window's start."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from . import ModeForm

INIT_CHOICES = (
    ("kaiming", QT_TRANSLATE_NOOP("SessionForm", "Kaiming (He et al. 2015)")),
    ("xavier", QT_TRANSLATE_NOOP("SessionForm", "Xavier (Glorot & Bengio 2010)")),
    ("default", QT_TRANSLATE_NOOP("SessionForm", "PyTorch's default")),
    ("default,xavier,kaiming", QT_TRANSLATE_NOOP("SessionForm", "All three")),
)


def _spin(option: str) -> QSpinBox:
    from ...engine import modes

    opt = modes.option(option)
    spin = QSpinBox()
    spin.setRange(opt.low, opt.high)
    spin.setKeyboardTracking(False)
    return spin


class DeepForm(ModeForm):
    TITLE = QT_TRANSLATE_NOOP("SessionForm", "Through a deep network")
    TIP = QT_TRANSLATE_NOOP("SessionForm", "A plain stack of conv layers, each followed by the"
                            " activation: how each layer's values and gradients grow or vanish")
    HELP = QT_TRANSLATE_NOOP(
        "SessionForm", "One forward and one backward pass of this batch through a stack of"
        " 3×3 convolutions, each followed by the activation. The plot shows the std of the"
        " gradient that reaches each layer, on a log axis; dashed lines are the theory's"
        " prediction. The panels show the clicked image's maps at the chosen layer.")

    def build(self) -> None:
        self.depth_spin = _spin("depth")
        self.width_spin = _spin("width")
        self.layer_spin = _spin("layer")
        self.layer_spin.setSpecialValueText(QCoreApplication.translate("SessionForm", "last"))
        self.seed_spin = _spin("deep_seed")
        self.init_combo = QComboBox()
        for key, text in INIT_CHOICES:
            self.init_combo.addItem(QCoreApplication.translate("SessionForm", text), key)
        self.pool_check = QCheckBox(QCoreApplication.translate(
            "SessionForm", "Average pools after ⅓ and ⅔ of the layers"))
        self.rows.addRow(QCoreApplication.translate("SessionForm", "Depth"), self.depth_spin)
        self.rows.addRow(QCoreApplication.translate("SessionForm", "Width"), self.width_spin)
        self.rows.addRow(QCoreApplication.translate("SessionForm", "Initialisation"), self.init_combo)
        self.rows.addRow(QCoreApplication.translate("SessionForm", "Seed"), self.seed_spin)
        self.rows.addRow(QCoreApplication.translate("SessionForm", "Maps of layer"), self.layer_spin)
        self.rows.addRow(self.pool_check)
        self.depth_spin.valueChanged.connect(lambda v: self.edited.emit({"depth": v}))
        self.width_spin.valueChanged.connect(lambda v: self.edited.emit({"width": v}))
        self.layer_spin.valueChanged.connect(lambda v: self.edited.emit({"layer": v}))
        self.seed_spin.valueChanged.connect(lambda v: self.edited.emit({"deep_seed": v}))
        self.init_combo.currentIndexChanged.connect(
            lambda _: self.edited.emit({"init": self.init_combo.currentData()}))
        self.pool_check.toggled.connect(lambda on: self.edited.emit({"deep_pool": on}))

    def make_view(self, controller, session) -> QWidget:
        from .deep_view import DepthView

        return DepthView(controller, session)

    def controls(self):
        return [self.depth_spin, self.width_spin, self.layer_spin, self.seed_spin,
                self.init_combo, self.pool_check]

    def show_session(self, session) -> None:
        self.depth_spin.setValue(session.depth)
        self.width_spin.setValue(session.width)
        self.layer_spin.setRange(0, session.depth)
        self.layer_spin.setValue(min(session.layer, session.depth))
        self.seed_spin.setValue(session.deep_seed)
        index = self.init_combo.findData(session.init)
        if index < 0:  # a list typed on the command line: show it as it is
            self.init_combo.addItem(session.init, session.init)
            index = self.init_combo.count() - 1
        self.init_combo.setCurrentIndex(index)
        self.pool_check.setChecked(session.deep_pool)


FORM = DeepForm
