"""The learner's own module: which file is open, and the button that opens one."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QPushButton

from ...engine import objects
from ..messages import text_label
from . import ModeForm


class ModuleForm(ModeForm):
    TITLE = QT_TRANSLATE_NOOP("SessionForm", "Your own module")
    TIP = QT_TRANSLATE_NOOP("SessionForm", "A Python file defining an nn.Module: each"
                            " image-shaped output is a panel")
    HELP = QT_TRANSLATE_NOOP(
        "SessionForm", "Each image-shaped output of your module's forward, and the outputs of"
        " its activation layers. Opening a file runs its code. Click an image in the input"
        " panel to see its channels where an output has more than 3.")

    def build(self) -> None:
        self.model_label = text_label("")
        self.model_button = QPushButton(QCoreApplication.translate("SessionForm", "Open module…"))
        self.model_button.clicked.connect(self.host.open_model)
        self.rows.addRow(self.model_label)
        self.rows.addRow(self.model_button)

    def controls(self):
        return [self.model_button]

    def show_session(self, session) -> None:
        self.model_label.setText(
            QCoreApplication.translate("SessionForm", "Module: {0}").format(
                objects.describe(session.model) if objects.is_key(session.model)
                else session.model) if session.model
            else QCoreApplication.translate("SessionForm", "No module file open."))


FORM = ModuleForm
