"""The controller owns every background job: one error route, the newest question wins,
one export at a time, and saves written off the GUI thread."""

from __future__ import annotations

import threading

import pytest

from activation_lens.gui.controller import CURVE, HISTOGRAMS, SAVE
from tests.test_gui_export import open_dialog
from tests.test_gui_training import curve, points


@pytest.fixture
def window(cifar, make_window):
    return make_window(data_root=str(cifar.root))


def test_a_failing_histogram_job_reaches_the_error_route_and_the_window_shows_it(
        window, qtbot, monkeypatch):
    from activation_lens.engine import inspection
    def broken(result, tags):
        raise RuntimeError("histograms went wrong")

    monkeypatch.setattr(inspection, "panel_histograms", broken)
    w = window
    failures = []
    w.controller.failed.connect(lambda kind, key, exc: failures.append((kind, str(exc))))
    inspector = w.ensure_inspector()
    inspector.show()
    inspector.tabs.setCurrentWidget(inspector.histogram_tab)  # asks for the missing ones
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=20000)
    assert (HISTOGRAMS, "histograms went wrong") in failures
    assert "histograms went wrong" in w.error_banner.text()


def test_a_second_export_while_one_runs_is_refused_until_the_first_ends(
        cifar, make_window, qtbot, tmp_path):
    w = make_window(data_root=str(cifar.root), batch_size=1)
    first = open_dialog(w, qtbot)
    first.all_radio.setChecked(True)  # 130 steps: long enough to be running below
    first.logdir_edit.setText(str(tmp_path / "first"))
    first.start_button.click()
    assert first.running()
    second = open_dialog(w, qtbot)
    second.logdir_edit.setText(str(tmp_path / "second"))
    second.start_button.click()
    assert second.task is None and not second.running()
    assert "Another export is running" in second.message.text()
    assert first.running()  # refusing the second leaves the first alone
    first.cancel_button.click()
    qtbot.waitUntil(lambda: not first.running(), timeout=30000)
    assert "ancel" in first.message.text()  # "Cancelled; kept …" or "Export cancelled; …"
    second.start_button.click()
    qtbot.waitUntil(lambda: second.outcome is not None, timeout=60000)
    assert second.outcome.steps_written == [0]
    first.close()
    second.close()


def test_a_newer_curve_question_supersedes_an_older_one_still_computing(
        window, qtbot, monkeypatch):
    from activation_lens.engine import inspection
    from activation_lens.engine.registry import parse_spec

    real = inspection.curve_data
    computing, release = threading.Event(), threading.Event()

    def slow(spec, *args):
        if spec.name == "tanh":  # the older question: computed, then answered too late
            computing.set()
            release.wait(10)
        return real(spec, *args)

    monkeypatch.setattr(inspection, "curve_data", slow)
    w = window
    answers, failures = [], []
    w.controller.answered.connect(lambda kind, key, value: answers.append((kind, key)))
    w.controller.failed.connect(lambda kind, key, exc: failures.append(kind))
    w.controller.curve("older", parse_spec("tanh"), -1.0, 1.0, False, None)
    assert computing.wait(10)
    w.controller.curve("newer", parse_spec("relu"), -1.0, 1.0, False, None)
    release.set()
    qtbot.waitUntil(lambda: (CURVE, "newer") in answers, timeout=20000)
    qtbot.wait(300)  # the older answer, had it been delivered, would be here by now
    assert [key for kind, key in answers if kind == CURVE] == ["newer"]
    assert failures == []


def test_saving_pngs_encodes_them_on_a_thread_other_than_the_gui_thread(
        window, qtbot, monkeypatch, tmp_path):
    from activation_lens.engine import inspection
    from activation_lens.gui import saving
    threads = []

    def watched(fn):
        def call(*args):
            threads.append(threading.current_thread())
            return fn(*args)
        return call

    monkeypatch.setattr(saving, "write_png", watched(saving.write_png))
    monkeypatch.setattr(inspection, "encode_png", watched(inspection.encode_png))
    w = window
    w.saving.save_view(str(tmp_path / "view.png"))
    w.saving.save_panels(str(tmp_path / "pngs"))
    qtbot.waitUntil(lambda: not w.controller.running(SAVE), timeout=20000)
    assert (tmp_path / "view.png").stat().st_size > 0
    assert len(list((tmp_path / "pngs").glob("*.png"))) == 3
    assert len(threads) == 1 + 3
    assert threading.main_thread() not in threads
    assert "Saved" in w.statusBar().currentMessage()


def test_saving_the_same_file_twice_at_once_is_refused_with_a_message(
        window, qtbot, monkeypatch, tmp_path):
    from activation_lens.gui import saving
    real, release = saving.write_png, threading.Event()

    def held(image, path):
        release.wait(10)
        return real(image, path)

    monkeypatch.setattr(saving, "write_png", held)
    w = window
    path = str(tmp_path / "view.png")
    w.saving.save_view(path)
    w.saving.save_view(path)
    assert "still being saved" in w.error_banner.text()
    release.set()
    qtbot.waitUntil(lambda: "Saved" in w.statusBar().currentMessage(), timeout=20000)
    assert (tmp_path / "view.png").stat().st_size > 0


def test_closing_the_window_mid_training_and_mid_export_ends_both_within_seconds(
        cifar, make_window, qtbot, tmp_path):
    import time

    w = make_window(data_root=str(cifar.root), batch_size=1, activations="relu,tanh")
    dock = w.docks.ensure_training()
    dock.epochs.setValue(50)
    dock.start()
    export = open_dialog(w, qtbot)
    export.all_radio.setChecked(True)
    export.logdir_edit.setText(str(tmp_path))
    export.start_button.click()
    qtbot.waitUntil(lambda: points(curve(dock.loss_plot, "relu")) > 0, timeout=60000)
    assert dock.running()
    started = time.monotonic()
    w.close()
    assert time.monotonic() - started < 5
    assert not dock.running() and not export.running()
