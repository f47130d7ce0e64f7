"""The learner's own module: which file is open, the button that opens one, and the
module's process (engine/module_process.py): its time limit, Stop, Restart and its log."""

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...engine import objects
from ..messages import text_label
from . import ModeForm


class ModuleForm(ModeForm):
    TITLE = QT_TRANSLATE_NOOP("SessionForm", "Your own module")
    TIP = QT_TRANSLATE_NOOP("SessionForm", "A Python file defining an nn.Module: each"
                            " image-shaped output is a panel")
    HELP = QT_TRANSLATE_NOOP(
        "SessionForm", "Each image-shaped output of your module's forward, and the outputs of"
        " its activation layers. Opening a file runs its code, in a process of its own: a"
        " module that hangs or crashes is stopped, and the other views go on. Click an image"
        " in the input panel to see its channels where an output has more than 3.")

    def build(self) -> None:
        from ...engine import modes

        self.controller = None
        self.model_label = text_label("")
        self.model_button = QPushButton(QCoreApplication.translate("SessionForm", "Open module…"))
        self.model_button.clicked.connect(self.host.open_model)
        limit = modes.option("time_limit")
        self.limit_spin = QSpinBox()
        self.limit_spin.setRange(limit.low, limit.high)
        self.limit_spin.setSuffix(" s")
        self.limit_spin.setKeyboardTracking(False)
        self.limit_spin.setToolTip(self.tr("How long the module may take to load or to run one"
                                       " batch before its process is stopped"))
        self.limit_spin.valueChanged.connect(lambda v: self.edited.emit({"time_limit": v}))
        self.state_label = text_label("")
        self.stop_button = QPushButton(self.tr("Stop module"))
        self.stop_button.setToolTip(self.tr("End the module's process now"))
        self.restart_button = QPushButton(self.tr("Restart module"))
        self.restart_button.setToolTip(self.tr("A fresh process for the module, then this batch"
                                           " again"))
        self.log_button = QPushButton(self.tr("Log…"))
        self.log_button.setToolTip(self.tr("What the module printed"))
        self.rows.addRow(self.model_label)
        self.rows.addRow(self.model_button)
        self.rows.addRow(self.tr("Time limit"), self.limit_spin)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for b in (self.stop_button, self.restart_button, self.log_button):
            row.addWidget(b)
        buttons = QWidget()
        buttons.setLayout(row)
        self.rows.addRow(self.state_label)
        self.rows.addRow(buttons)
        self.timer = QTimer(self, interval=500)
        self.timer.timeout.connect(self._show_state)

    def attach(self, controller) -> None:
        self.controller = controller
        self.stop_button.clicked.connect(lambda: controller.stop_module())
        self.restart_button.clicked.connect(lambda: controller.restart_module())
        self.log_button.clicked.connect(lambda: self.show_log())
        self.timer.start()

    def controls(self):
        return [self.model_button, self.limit_spin]

    def show_session(self, session) -> None:
        self.limit_spin.setValue(session.time_limit)
        self.model_label.setText(
            QCoreApplication.translate("SessionForm", "Module: {0}").format(
                objects.describe(session.model) if objects.is_key(session.model)
                else session.model) if session.model
            else QCoreApplication.translate("SessionForm", "No module file open."))
        # an object from Python runs in the learner's own process: no limit, no process
        from_python = objects.is_key(session.model)
        self.rows.setRowVisible(self.limit_spin, not from_python)  # its label with it
        own = bool(session.model) and not from_python
        for w in (self.state_label, self.stop_button, self.restart_button, self.log_button):
            w.setVisible(own)
        self._show_state()

    def _show_state(self) -> None:
        if self.controller is None or not self.isVisible():
            return
        state, _ = self.controller.module_state()
        self.state_label.setText({
            "running": self.tr("Its process is running."),
            "stopped": self.tr("Its process is stopped."),
        }.get(state, self.tr("Its process starts with the first batch.")))
        self.stop_button.setEnabled(state == "running")
        self.restart_button.setEnabled(state != "none")

    def show_log(self) -> None:
        dialog = QDialog(self.window())
        dialog.setWindowTitle(self.tr("What the module printed"))
        text = QPlainTextEdit(self.controller.module_state()[1] or self.tr("(nothing yet)"))
        text.setReadOnly(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addWidget(text)
        lay.addWidget(box)
        dialog.resize(640, 400)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.log_dialog = dialog


FORM = ModuleForm
