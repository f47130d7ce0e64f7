"""Exporting from the window: the dialog, progress, cancel, the TensorBoard command,
and quitting while work is in flight."""

from PySide6.QtCore import Qt

from activation_lens.engine.summaries import tensorboard_command
from activation_lens.gui.export_dialog import ExportDialog
from tests.helpers import read_images


def open_dialog(w, qtbot) -> ExportDialog:
    qtbot.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(w.export_dialogs), timeout=5000)
    return w.export_dialogs[-1]


def test_ctrl_e_exports_the_visited_batches_and_shows_the_command(cifar, make_window, qtbot,
                                                                  tmp_path):
    w = make_window(data_root=str(cifar.root), batch_size=10)
    for expected in ({0, 1}, {0, 1, 2}):
        qtbot.keyClick(w, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda e=expected: w.visited == e, timeout=20000)
    dialog = open_dialog(w, qtbot)
    assert dialog.visited_radio.isChecked()
    dialog.logdir_edit.setText(str(tmp_path / "logs"))
    dialog.run_edit.setText("run1")
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60000)
    target = tmp_path / "logs" / "run1"
    assert dialog.command_edit.isVisible()
    assert dialog.command_edit.text() == tensorboard_command(target, 3)
    assert sorted(read_images(target)["input"]) == [0, 1, 2]
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == dialog.command_edit.text()
    dialog.close()


def test_the_export_dialog_counts_the_batch_the_slider_is_let_go_on_not_those_dragged_past(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=10)  # 13 batches
    slider = w.nav.batch_slider
    slider.setSliderDown(True)  # the user holds the slider and drags it
    for index in range(1, 9):
        slider.setValue(index)
        qtbot.waitUntil(lambda i=index: w.last_view.result.request.batch_index == i,
                        timeout=20000)  # each batch passed over is painted
    slider.setSliderDown(False)  # let go on batch 8
    qtbot.keyClick(w, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: w.last_view.result.request.batch_index == 9, timeout=20000)
    dialog = open_dialog(w, qtbot)
    assert dialog.visited_radio.text() == "Batches visited in this session (3)"
    assert dialog.batches() == [0, 8, 9]
    dialog.close()


def test_export_dialog_rejects_a_bad_range_without_starting(cifar, make_window, qtbot, tmp_path):
    w = make_window(data_root=str(cifar.root))
    dialog = open_dialog(w, qtbot)
    dialog.range_radio.setChecked(True)
    dialog.range_edit.setText("5:2")
    dialog.start_button.click()
    assert "outside" in dialog.message.text() and dialog.task is None
    dialog.close()


def start_full_export(w, qtbot, logdir) -> ExportDialog:
    """Open the dialog and export every batch of the split into ``logdir``."""
    dialog = open_dialog(w, qtbot)
    dialog.all_radio.setChecked(True)
    dialog.logdir_edit.setText(str(logdir))
    dialog.run_edit.setText("")
    dialog.start_button.click()
    return dialog


def hold_after_steps(monkeypatch, steps: int, timeout: float = 20.0) -> None:
    """Make the window's export wait, once ``steps`` steps are on disk, until it is cancelled
    (or ``timeout`` passes): a cancel click always lands before the export can finish."""
    from activation_lens.engine import export
    real = export.export_session

    def held(*what, progress=None, cancel=None, **kw):
        def report(done, total):
            progress(done, total)
            if done == steps:
                cancel.wait(timeout)
        return real(*what, progress=report, cancel=cancel, **kw)

    monkeypatch.setattr(export, "export_session", held)


def test_cancelling_an_export_keeps_the_finished_steps(cifar, make_window, qtbot, tmp_path,
                                                       monkeypatch):
    hold_after_steps(monkeypatch, 3)
    w = make_window(data_root=str(cifar.root), batch_size=1)
    dialog = start_full_export(w, qtbot, tmp_path)
    qtbot.waitUntil(lambda: dialog.progress.value() >= 3, timeout=30000)
    dialog.cancel_button.click()
    qtbot.waitUntil(lambda: not dialog.running(), timeout=60000)
    assert dialog.outcome is not None and dialog.outcome.cancelled
    n = len(dialog.outcome.steps_written)
    assert 3 <= n < dialog.num_batches == 130
    assert "Cancelled; kept" in dialog.message.text()
    assert sorted(read_images(tmp_path)["input"]) == list(range(n))
    dialog.close()


def test_export_failure_is_shown_in_the_dialog(cifar, make_window, qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    w = make_window(data_root=str(cifar.root))
    dialog = open_dialog(w, qtbot)
    dialog.logdir_edit.setText(str(blocker))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: "Export failed" in dialog.message.text(), timeout=30000)
    assert "cannot create log dir" in dialog.message.text()
    assert dialog.start_button.isEnabled()
    dialog.close()


def test_closing_the_window_mid_export_stops_every_thread(cifar, make_window, qtbot, tmp_path):
    w = make_window(data_root=str(cifar.root), batch_size=1)
    dialog = start_full_export(w, qtbot, tmp_path)
    qtbot.waitUntil(lambda: dialog.running(), timeout=5000)
    w.close()
    assert not dialog.running() and not w.controller.worker.isRunning()


def test_closing_the_window_mid_step_stops_the_worker(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=1)
    for _ in range(5):
        qtbot.keyClick(w, Qt.Key.Key_Right)
    w.close()
    assert not w.controller.worker.isRunning()


def test_closing_before_torch_is_loaded_stops_the_worker(make_window):
    w = make_window(wait_for_panels=False, start=False)
    w.start()
    w.close()
    assert not w.controller.worker.isRunning()


def test_open_in_tensorboard_starts_a_loopback_server_and_stops_it_on_quit(
        cifar, make_window, qtbot, tmp_path, monkeypatch):
    import urllib.request

    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    w = make_window(data_root=str(cifar.root))
    dialog = open_dialog(w, qtbot)
    dialog.logdir_edit.setText(str(tmp_path))
    dialog.start_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60000)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=60000)
    assert opened[0].startswith("http://127.0.0.1:")
    base = opened[0].split("/#")[0]

    def tags():
        return urllib.request.urlopen(f"{base}/data/plugin/images/tags", timeout=10).read()

    qtbot.waitUntil(lambda: b"output_sigmoid" in tags(), timeout=30000)
    process = w.tensorboard.process
    dialog.close()
    w.close()
    assert process.state() == process.ProcessState.NotRunning


def test_the_chosen_batches_radio_button_shows_the_accent_colour_and_the_others_do_not(
        cifar, make_window, qtbot):
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from activation_lens.gui.app import resource

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(resource("style.qss").decode("utf-8"))  # the app's own style
    try:
        w = make_window(data_root=str(cifar.root))
        w.open_export()
        dialog = w.findChild(ExportDialog)

        def accent_pixels(radio) -> int:
            image = radio.grab().toImage()
            image = image.convertToFormat(image.Format.Format_RGB888)
            rgb = np.frombuffer(image.constBits(), np.uint8).reshape(
                image.height(), image.bytesPerLine())[:, :image.width() * 3]
            rgb = rgb.reshape(image.height(), image.width(), 3).astype(int)
            return int((np.abs(rgb - (95, 179, 255)).sum(axis=2) < 60).sum())

        assert dialog.visited_radio.isChecked()
        assert accent_pixels(dialog.visited_radio) >= 12  # a filled dot, not a faint ring
        assert accent_pixels(dialog.all_radio) == 0
        dialog.close()
    finally:
        app.setStyleSheet(before)

