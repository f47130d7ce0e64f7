"""Edit → Preferences… (Ctrl+,) and View → Language: the data folder, the default device and
the window's language, which otherwise only the command line sets.

The data folder and the device apply to the session at once (and are remembered with it); a
language applies when the app starts again, which "Restart now" does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, QProcess
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from .fitting_dialog import FittingDialog
from .i18n import CHOICES, LANGUAGES, SETTING, SYSTEM
from .messages import text_label

KEPT = ("--allow-unverified", "--model")  # the options the settings do not remember


def restart_command(argv: list[str] | None = None,
                    app_argv: list[str] | None = None) -> tuple[str, list[str]]:
    """The program and arguments that start this app again as it was started
    (``sys.orig_argv``: the interpreter's options and the script or ``-m`` module), with only
    the options the settings do not hold: everything else (the language, the data folder, the
    session) was saved just before and must not be overridden by the first command line."""
    argv = list(sys.orig_argv if argv is None else argv)
    app = list(sys.argv if app_argv is None else app_argv)[1:]
    kept = argv[1:len(argv) - len(app)]
    i = 0
    while i < len(app):
        name, eq, _ = app[i].partition("=")
        option = next((k for k in KEPT if len(name) >= 4 and k.startswith(name)), None)
        if option is not None:  # argparse takes a unique prefix ("--allow") too
            takes_value = option == "--model" and not eq
            kept += app[i:i + 2] if takes_value else app[i:i + 1]
            i += 1 if takes_value else 0
        i += 1
    return sys.executable, kept


class Preferences(QObject):
    """The Preferences action and dialog, the View → Language menu, and the restart.
    ``port`` is the window (:class:`gui.window_port.WindowPort`); a new data folder is checked
    and opened by ``data_prompt`` (:class:`gui.data_dialog.DataPrompt`). ``starter(program,
    args)`` starts the new process (``QProcess.startDetached``)."""

    def __init__(self, port, data_prompt):
        parent = port.widget
        super().__init__(parent)
        self.port, self.settings, self.data_prompt = port, port.settings, data_prompt
        self.starter = QProcess.startDetached
        self.dialog: PreferencesDialog | None = None
        self.offer: QMessageBox | None = None  # "Restart now?" while it shows
        self.problem = ""  # why the last restart did not happen
        self.action = QAction(self.tr("Preferences…"), parent)
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        self.action.setShortcuts(keys or [QKeySequence("Ctrl+,")])
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.triggered.connect(lambda: self.open())
        parent.addAction(self.action)
        self.language_menu = QMenu(self.tr("Language"), parent)
        group = QActionGroup(self.language_menu)
        group.setExclusive(True)
        for code in CHOICES:
            action = group.addAction(self.language_name(code))
            action.setCheckable(True)
            action.setData(code)
            action.triggered.connect(lambda _=False, c=code: self.choose_language(c))
        self.language_menu.addActions(group.actions())
        self.language_menu.aboutToShow.connect(self._check_language)
        self._check_language()

    def language(self) -> str:
        return self.settings.text(SETTING, SYSTEM, CHOICES)

    def language_name(self, code: str) -> str:
        return self.tr("System default") if code == SYSTEM else LANGUAGES[code]

    def _check_language(self) -> None:
        current = self.language()
        for action in self.language_menu.actions():
            action.setChecked(action.data() == current)

    def set_language(self, code: str) -> bool:
        """Remember ``code`` for the next start; True if that changed it."""
        if code not in CHOICES or code == self.language():
            return False
        self.settings.set(SETTING, code)
        self.settings.sync()
        self._check_language()
        return True

    def choose_language(self, code: str) -> None:
        """View → Language: remember it, and offer to restart now."""
        if not self.set_language(code):
            return
        self.offer = QMessageBox(
            QMessageBox.Icon.Question, self.tr("Language"),
            self.tr("{0} applies when Activation Lens starts again. Restart now?")
            .format(self.language_name(code)), QMessageBox.StandardButton.NoButton,
            self.port.widget)
        restart = self.offer.addButton(self.tr("Restart now"), QMessageBox.ButtonRole.AcceptRole)
        self.offer.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        self.offer.finished.connect(lambda _code, b=restart: self._answered(b))
        self.offer.open()

    def _answered(self, restart_button) -> None:
        box, self.offer = self.offer, None
        if box.clickedButton() is restart_button:
            self.restart()
        box.deleteLater()

    def restart(self) -> bool:
        """Save everything, start the app again, close this window. If the new process
        cannot start, say so and stay."""
        self.port.save_settings()
        program, args = restart_command()
        started = self.starter(program, args)
        if not (started[0] if isinstance(started, tuple) else started):
            self.problem = self.tr(
                "Activation Lens could not be started again ({0}); the new language applies"
                " the next time you start it.").format(program)
            self.port.show_error(self.problem)
            return False
        self.port.close()
        return True

    def open(self) -> None:
        if self.dialog is None:
            self.dialog = PreferencesDialog(self)
            self.dialog.finished.connect(self._closed)
        if self.dialog.isVisible():  # already open: bring it to the front
            self.dialog.raise_()
            self.dialog.activateWindow()
        else:
            self.dialog.show()

    def _closed(self, _code: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()


class PreferencesDialog(FittingDialog):
    """The data folder (a path and Browse…), the device, the language."""

    def __init__(self, prefs: Preferences):
        super().__init__(prefs.port.widget)
        self.prefs, self.port = prefs, prefs.port
        self.setWindowTitle(self.tr("Preferences"))
        self.initial_root = self.port.root_text()
        self.root_edit = QLineEdit(self.initial_root)
        self.root_edit.setToolTip(self.tr("The folder that holds the data set shown now (the"
                                          " command line's --data-root)"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self.browse)
        self.device_combo = QComboBox()
        for text, device in self.port.devices():  # the devices the engine reported
            self.device_combo.addItem(text, device)
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(
            self.port.session().device)))
        self.language_combo = QComboBox()
        for code in CHOICES:
            self.language_combo.addItem(prefs.language_name(code), code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(prefs.language()))
        self.note = QLabel(self.tr("A new language applies when Activation Lens starts again:"
                                   " \"Restart now\" does that at once."))
        running = QCoreApplication.instance().property("actlens_language")
        if running in LANGUAGES:
            self.note.setText(self.tr("This window is in {0}. {1}").format(
                LANGUAGES[running], self.note.text()))
        self.note.setWordWrap(True)
        self.message = text_label("", "ErrorText")
        self.message.hide()
        self._lay_out()

    def _lay_out(self) -> None:
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_edit, 1)
        root_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("Data folder"), root_row)
        form.addRow(self.tr("Device"), self.device_combo)
        form.addRow(self.tr("Language"), self.language_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.restart_button = buttons.addButton(self.tr("Restart now"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.restart_button.clicked.connect(self.restart_now)
        self.restart_button.setEnabled(False)  # until another language is chosen
        self.language_combo.currentIndexChanged.connect(lambda _: self.restart_button.setEnabled(
            self.language_combo.currentData() != self.prefs.language()))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.note)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.fit_layout(lay, 520)

    def browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Folder holding the data set"),
                                                self.root_edit.text())
        if path:
            self.root_edit.setText(path)

    def apply(self) -> bool:
        """Check everything first; then apply the data folder and device to the session and
        remember the language. A bad entry is one message here and changes nothing."""
        root = self.root_edit.text().strip()
        new_root = root != self.initial_root
        if new_root:
            root, problem = self.prefs.data_prompt.checked(root)
            if root is None:
                self.message.setText(problem)
                self.message.show()
                return False
        self.message.hide()
        device = self.device_combo.currentData()
        if device and device != self.port.session().device:
            self.port.edit({"device": device})
        if new_root:
            self.prefs.data_prompt.open_root(root)
        self.initial_root = self.port.root_text()
        if self.prefs.set_language(self.language_combo.currentData()):
            self.port.flash(
                self.tr("The language changes the next time Activation Lens starts."), 8000)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def restart_now(self) -> None:
        if not self.apply():
            return
        if self.prefs.restart():
            super().accept()
        else:
            self.message.setText(self.prefs.problem)
            self.message.show()
