"""The small CNN's controls: its weights (seeded random or a file) and the seed."""

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ..messages import plain_tip, text_label
from . import ModeForm


class NetworkForm(ModeForm):
    TITLE = QT_TRANSLATE_NOOP("SessionForm", "Inside a small CNN")
    TIP = QT_TRANSLATE_NOOP("SessionForm", "conv 3→16 → act → avgpool → conv 16→32 → act →"
                            " avgpool → linear 10: the feature maps before and after each"
                            " activation")
    HELP = QT_TRANSLATE_NOOP(
        "SessionForm", "Feature maps of the image you click in the input panel, before and"
        " after the activation (16 maps of conv1, 32 of conv2). The network pools by averages:"
        " max pooling is itself non-linear and would hide what the activation does.")

    def build(self) -> None:
        from ...engine import modes

        self.weights_label = text_label("")
        self.weights_button = QPushButton(QCoreApplication.translate("SessionForm", "Load weights…"))
        self.weights_button.setToolTip(QCoreApplication.translate("SessionForm",
            "A state dict file of this network (torch.save), loaded with weights_only=True"))
        self.weights_button.clicked.connect(self.host.choose_weights)
        self.random_button = QPushButton(QCoreApplication.translate("SessionForm", "Random"))
        self.random_button.setToolTip(QCoreApplication.translate("SessionForm",
            "Seeded random weights: the same for every activation"))
        self.random_button.clicked.connect(lambda: self.edited.emit({"weights": ""}))
        seed = modes.option("network_seed")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(seed.low, seed.high)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setToolTip(QCoreApplication.translate("SessionForm", "Seed of the random weights"))
        self.seed_spin.valueChanged.connect(
            lambda v: self.edited.emit({"network_seed": v, "weights": ""}))
        self.rows.addRow(self.weights_label)
        row = QHBoxLayout()
        row.addWidget(self.weights_button)
        row.addWidget(self.random_button)
        row.setContentsMargins(0, 0, 0, 0)
        buttons = QWidget()
        buttons.setLayout(row)
        self.rows.addRow(buttons)
        self.rows.addRow(QLabel(QCoreApplication.translate("SessionForm", "Seed")), self.seed_spin)

    def controls(self):
        return [self.seed_spin, self.weights_button, self.random_button]

    def show_session(self, session) -> None:
        self.seed_spin.setValue(session.network_seed)
        self.weights_label.setText(
            QCoreApplication.translate("SessionForm", "Weights: {0} (loaded; the seed is not used)")
            .format(Path(session.weights).name)
            if session.weights
            else QCoreApplication.translate("SessionForm",
                "Weights: seeded random (seed {0}), the same for every activation. Not"
                " trained: the maps show what each activation does to the same"
                " convolutions.").format(session.network_seed))
        self.seed_spin.setEnabled(not session.weights)
        self.weights_label.setToolTip(plain_tip(session.weights))


FORM = NetworkForm
