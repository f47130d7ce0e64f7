"""Starts a TensorBoard server on loopback for an export, opens it in the browser once it
answers, and stops it when asked (the application stops it on quit)."""

from __future__ import annotations

import socket
import sys

from PySide6.QtCore import QObject, QProcess, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices

POLL_MS, POLL_TRIES = 500, 60


def tensorboard_args(logdir: str, steps: int, port: int) -> list[str]:
    """Arguments of a loopback server that shows every exported step."""
    from ..engine.summaries import samples_flag

    return ["-m", "tensorboard.main", "--logdir", str(logdir), "--host", "127.0.0.1",
            "--port", str(port), *samples_flag(steps)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TensorBoardLauncher(QObject):
    status = Signal(str)
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.process: QProcess | None = None
        self.url = ""
        self._generation = 0  # polls of a replaced server stop on their own

    def start(self, logdir: str, steps: int) -> None:
        self.stop()
        self._generation += 1
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/#images"
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self.process.start(sys.executable, tensorboard_args(logdir, steps, port))
        self.status.emit(self.tr("Starting TensorBoard at {0} …").format(self.url))
        self._poll(self._generation, port, POLL_TRIES)

    def _poll(self, generation: int, port: int, tries: int) -> None:
        if generation != self._generation or self.process is None:
            return
        if self.process.state() == QProcess.ProcessState.NotRunning:
            output = bytes(self.process.readAll()).decode(errors="replace").strip()
            self.failed.emit(self.tr("TensorBoard did not start: {0}").format(
                output[-300:] or self.tr("no output")))
            return
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                pass
        except OSError:
            if tries > 0:
                QTimer.singleShot(POLL_MS, lambda: self._poll(generation, port, tries - 1))
            else:
                self.failed.emit(self.tr("TensorBoard did not answer within 30 s."))
            return
        self.status.emit(self.tr("TensorBoard is running at {0} (stopped when you quit)").format(
            self.url))
        QDesktopServices.openUrl(QUrl(self.url))

    def stop(self) -> None:
        self._generation += 1
        if self.process is not None:
            self.process.terminate()
            if not self.process.waitForFinished(3000):
                self.process.kill()
                self.process.waitForFinished(3000)
            self.process = None
