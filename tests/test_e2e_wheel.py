"""End to end: real wheel events (xdotool's buttons 4 and 5) over the real side panel under
Xvfb. Scrolling the panel never changes a setting that passes under the pointer; a control
takes the wheel only once the user has clicked into it."""

import json
import os
import subprocess
import sys

import pytest

from tests.test_e2e_window import needs_x, xserver  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e

SCRIPT = r"""
import json, subprocess, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QScrollArea
from activation_lens.engine.settings import open_settings
from activation_lens.gui.app import launch_options, prepare_app
from activation_lens.gui.main_window import MainWindow

root, lang = sys.argv[1], sys.argv[2]
settings = open_settings()
app = prepare_app(lang, settings)
window = MainWindow(launch_options(data_root=root, allow_unverified=True), settings)
window.resize(1100, 480)  # short enough that the side panel scrolls
window.show()
window.start()
form = window.form
area = next(w for w in window.findChildren(QScrollArea) if w.widget() is form)
bar = area.verticalScrollBar()
report = {}


def values():
    found = {}
    for i, w in enumerate(form.findChildren(QComboBox) + form.findChildren(QAbstractSpinBox)):
        found[f"{type(w).__name__}{i}"] = w.currentText() if isinstance(w, QComboBox) \
            else w.text()
    return found


def settle(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def xdo(*args):
    subprocess.run(["xdotool", *map(str, args)], check=True, timeout=30)


def at(widget):
    p = widget.mapToGlobal(widget.visibleRegion().boundingRect().center())
    return p.x(), p.y()


def run():
    while window.last_view is None:
        settle(0.2)
    settle(0.5)
    before, top = values(), bar.value()
    report["scrollable"] = bar.maximum() > 0
    xdo("mousemove", *at(form.split_combo))  # near the top: the rest pass under it
    settle(0.3)
    for _ in range(6):  # scroll down over the form: combos and spin boxes pass under it
        xdo("click", "5")
        settle(0.15)
    settle(0.5)
    report["scrolled_down"] = bar.value() > top
    report["changed_by_scrolling"] = {k: (v, values()[k]) for k, v in before.items()
                                      if values()[k] != v}
    spin = form.batch_size_spin
    area.ensureWidgetVisible(spin)
    settle(0.3)
    old, where = spin.value(), bar.value()
    xdo("mousemove", *at(spin))
    xdo("click", "1")  # the user clicks into the box: now the wheel is theirs
    settle(0.3)
    xdo("click", "4")
    settle(0.5)
    report["focused_spin"] = (old, spin.value())
    report["scroll_kept_while_focused"] = bar.value() == where
    print("REPORT " + json.dumps(report), flush=True)
    window.close()


def run_plot():
    while window.last_view is None:
        settle(0.2)
    dock = window.docks.ensure_training()
    dock.show()
    settle(0.8)
    dock_bar = dock.widget().verticalScrollBar()
    plot = dock.loss_plot
    report["dock_scrollable"] = dock_bar.maximum() > 0
    before, top = plot.getViewBox().viewRange(), dock_bar.value()
    xdo("mousemove", *at(plot))
    settle(0.3)
    for _ in range(3):
        xdo("click", "5")
        settle(0.15)
    settle(0.5)
    report["dock_scrolled"] = dock_bar.value() > top
    report["plot_unchanged"] = plot.getViewBox().viewRange() == before
    dock.widget().ensureWidgetVisible(plot)
    settle(0.3)
    xdo("mousemove", *at(plot))
    xdo("click", "1")  # clicked into: now the wheel zooms the plot
    settle(0.3)
    before, where = plot.getViewBox().viewRange(), dock_bar.value()
    xdo("click", "4")
    settle(0.5)
    report["plot_zoomed_once_focused"] = plot.getViewBox().viewRange() != before
    report["dock_kept_while_focused"] = dock_bar.value() == where
    print("REPORT " + json.dumps(report), flush=True)
    window.close()


def run_ctrl():
    while window.last_view is None:
        settle(0.2)
    settle(0.5)
    before, top = values(), bar.value()
    report["scrollable"] = bar.maximum() > 0
    xdo("mousemove", *at(form.split_combo))
    settle(0.3)
    xdo("keydown", "ctrl")
    for _ in range(3):
        xdo("click", "5")
        settle(0.15)
    xdo("keyup", "ctrl")
    settle(0.5)
    report["ctrl_scrolled"] = bar.value() != top
    report["ctrl_changed"] = {k: (v, values()[k]) for k, v in before.items() if values()[k] != v}
    print("REPORT " + json.dumps(report), flush=True)
    window.close()


QTimer.singleShot(0, {"plot": run_plot, "ctrl": run_ctrl}.get(sys.argv[3] if sys.argv[3:] else "",
                                                              run))
app.exec()
"""


def _run_script(root, xserver, tmp_path, *args):  # noqa: F811 (the fixture)
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xserver, ACTLENS_SETTINGS=str(tmp_path / "settings.ini"))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(root), *args],
                          env=env, capture_output=True, text=True, timeout=180)
    lines = [line for line in done.stdout.splitlines() if line.startswith("REPORT ")]
    assert lines, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(lines[-1].removeprefix("REPORT "))


@needs_x
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_wheel_scrolls_the_side_panel_without_changing_any_setting_under_the_pointer(
        cifar_files, xserver, tmp_path, lang):  # noqa: F811 (the fixture)
    report = _run_script(cifar_files.root, xserver, tmp_path, lang)
    assert report["scrollable"], "the side panel must be taller than the window for this test"
    assert report["scrolled_down"], "the wheel did not scroll the side panel"
    assert report["changed_by_scrolling"] == {}
    old, new = report["focused_spin"]
    assert new == old + 1, "a clicked-into spin box takes the wheel"
    assert report["scroll_kept_while_focused"]


@needs_x
def test_the_wheel_over_a_training_plot_scrolls_the_dock_and_zooms_only_once_clicked_into(
        cifar_files, xserver, tmp_path):  # noqa: F811 (the fixture)
    report = _run_script(cifar_files.root, xserver, tmp_path, "en", "plot")
    assert report["dock_scrollable"], "the dock must be taller than the window for this test"
    assert report["dock_scrolled"], "the wheel over the plot did not scroll the dock"
    assert report["plot_unchanged"], "the wheel zoomed a plot nobody clicked into"
    assert report["plot_zoomed_once_focused"]
    assert report["dock_kept_while_focused"]


@needs_x
def test_ctrl_wheel_over_a_control_of_the_side_panel_neither_pages_it_nor_changes_the_control(
        cifar_files, xserver, tmp_path):  # noqa: F811 (the fixture)
    report = _run_script(cifar_files.root, xserver, tmp_path, "en", "ctrl")
    assert report["scrollable"], "the side panel must be taller than the window for this test"
    assert not report["ctrl_scrolled"], "Ctrl+wheel paged the side panel"
    assert report["ctrl_changed"] == {}
