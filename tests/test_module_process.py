"""A module file runs in a process of its own: one that hangs is stopped at its time limit,
one that exits or crashes is reported with its exit code or signal, one that changes torch
or starts threads changes nothing for the viewer, and the window goes on with every other
view. Through the real entry points: ``actlens export`` as a subprocess, the window offscreen."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import make_spec

ROOT = Path(__file__).resolve().parents[1]
CLOSE_WITHIN_S = 5.0

MODULES = {
    "hangs": "import time\nfrom torch import nn\n\nclass M(nn.Module):\n"
             "    def forward(self, x):\n        while True:\n            time.sleep(0.05)\n",
    "hangs in forward, saying so": "import pathlib, time\nfrom torch import nn\n\n"
                                   "class M(nn.Module):\n    def forward(self, x):\n"
                                   "        pathlib.Path(__file__).with_suffix('.in').touch()\n"
                                   "        while True:\n            time.sleep(0.05)\n",
    "hangs after its first batch": "import time\nfrom torch import nn\n\nclass M(nn.Module):\n"
                                   "    calls = 0\n\n    def forward(self, x):\n"
                                   "        M.calls += 1\n        while M.calls > 1:\n"
                                   "            time.sleep(0.05)\n        return x\n",
    "starts a program": "import subprocess\nfrom torch import nn\n"
                        "subprocess.Popen(['sleep', '3607'])\n\n"
                        "class M(nn.Module):\n    def forward(self, x):\n        return x\n",
    "exits": "import os\nfrom torch import nn\n\nclass M(nn.Module):\n"
             "    def forward(self, x):\n        os._exit(3)\n",
    "segfaults": "import ctypes\nfrom torch import nn\n\nclass M(nn.Module):\n"
                 "    def forward(self, x):\n        ctypes.string_at(0)\n",
    "exits at import": "import os\nos._exit(4)\n",
    "sleeps at import": "import time\ntime.sleep(600)\n",
    "starts a thread": "import threading, time\nfrom torch import nn\n"
                       "threading.Thread(target=time.sleep, args=(3600,)).start()\n\n"
                       "class M(nn.Module):\n    def forward(self, x):\n"
                       "        print('forward saw', tuple(x.shape))\n        return x.relu()\n",
    "patches torch": "import torch\nfrom torch import nn\n"
                     "torch.sigmoid = lambda x: x * 0\n"
                     "nn.Sigmoid.forward = lambda self, x: x * 0\n"
                     "torch.Tensor.sigmoid = lambda self: self * 0\n\n"
                     "class M(nn.Module):\n    def forward(self, x):\n"
                     "        return torch.sigmoid(x)\n",
    "prints without end": "import sys\nfrom torch import nn\n\nclass M(nn.Module):\n"
                          "    def forward(self, x):\n        line = 'x' * 1023\n"
                          "        for _ in range(12 * 1024):\n            print(line)\n"
                          "            print(line, file=sys.stderr)\n        return x.relu()\n",
    "is wide": "import torch\nfrom torch import nn\n\nclass M(nn.Module):\n"
               "    def forward(self, x):\n"
               "        return torch.arange(5000.0).view(1, 5000, 1, 1).expand(len(x), -1, 1, 1)\n",
    "works": "from torch import nn\nprint('hello from the module')\n\n"
             "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
             "        self.relu1 = nn.ReLU()\n\n    def forward(self, x):\n"
             "        return self.relu1(x)\n",
}


@pytest.fixture
def module_file(tmp_path):
    def write(kind: str) -> str:
        path = tmp_path / f"{kind.replace(' ', '_')}.py"
        path.write_text(MODULES[kind])
        return str(path)
    return write


def export(cifar_files, model, tmp_path, *extra, timeout=120):
    started = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "activation_lens", "export", "--data-root", str(cifar_files.root),
         "--allow-unverified", "--model", model, "--logdir", str(tmp_path / "logs"),
         "--batches", "0:2", *extra], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    r.seconds = time.monotonic() - started
    return r


def one_line(r) -> str:
    lines = [ln for ln in r.stderr.splitlines() if ln.strip() and "exporting" not in ln]
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr[-2000:]
    return lines[0]


@pytest.mark.parametrize(("kind", "said"), [
    ("hangs", "forward did not finish within the time limit (3 s), so its process was stopped"),
    ("sleeps at import", "loading did not finish within the time limit (3 s)"),
    ("exits", "the module's process ended (exit code 3)"),
    ("exits at import", "the module's process ended (exit code 4)"),
    ("segfaults", "the module's process ended (killed by signal SIGSEGV)"),
])
def test_export_with_a_module_that_hangs_exits_or_crashes_ends_with_one_line(
        kind, said, cifar_files, module_file, tmp_path):
    r = export(cifar_files, module_file(kind), tmp_path, "--time-limit", "3")
    assert r.returncode == 2
    assert said in one_line(r)


def test_a_module_file_far_larger_than_source_code_is_refused_before_it_is_read(
        cifar_files, tmp_path):
    huge = tmp_path / "huge.py"
    with open(huge, "wb") as f:
        f.truncate(30 * 2**30)  # sparse: 30 GB that take no disk
    r = export(cifar_files, huge, tmp_path)
    assert r.returncode == 2
    assert one_line(r).endswith("huge.py is 30,720 MB; a module file is Python source of at"
                                " most 16 MB")


def test_export_ends_when_its_steps_are_written_whatever_threads_the_module_left(
        cifar_files, module_file, tmp_path):
    r = export(cifar_files, module_file("starts a thread"), tmp_path)
    assert r.returncode == 0, r.stderr
    assert "wrote 2 steps" in r.stderr
    assert "forward saw" not in r.stdout + r.stderr  # the module's prints go to its log
    log = r.stderr.split("what the module printed is in ")[1].split()[0]
    assert "forward saw (64, 3, 32, 32)" in Path(log).read_text()
    os.unlink(log)


def test_one_ctrl_c_ends_an_export_stuck_in_a_module_at_once_as_cancelled(
        cifar_files, module_file, tmp_path):
    app = subprocess.Popen(
        [sys.executable, "-m", "activation_lens", "export", "--data-root", str(cifar_files.root),
         "--allow-unverified", "--model", module_file("hangs in forward, saying so"),
         "--logdir", str(tmp_path / "l"), "--time-limit", "600"], stderr=subprocess.PIPE,
        text=True, cwd=ROOT)
    try:  # into the first step, which never returns
        assert wait_until((tmp_path / "hangs_in_forward,_saying_so.in").exists)
        app.send_signal(signal.SIGINT)
        started = time.monotonic()
        assert app.wait(30) == 130
        assert time.monotonic() - started < 10  # not the 600 s time limit
        said = app.stderr.read()
        assert "export cancelled before any step was written" in said and "Traceback" not in said
    finally:
        app.kill()


def wait_until(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_module_that_patches_torch_leaves_the_built_in_views_alone(cifar, module_file):
    engine = Engine()
    try:
        base = StepRequest(data_root=str(cifar.root), batch_size=8)
        module = engine.run(base.with_(mode="module", model=module_file("patches torch")))
        assert module.panels[1].stats.max == 0.0  # its own forward sees its patch
        shown = engine.run(base.with_(activations=(make_spec("sigmoid"),)))
    finally:
        engine.close()
    unit = cifar.test_images[:8].astype(np.float32) / 255
    assert shown.panels[1].stats.min == pytest.approx(float((1 / (1 + np.exp(-unit))).min()),
                                                      abs=1e-6)


def test_a_module_that_prints_without_end_fills_its_log_only_up_to_the_cap(cifar, module_file):
    from activation_lens.engine.module_process import LOG_CAP_BYTES

    engine = Engine()
    try:
        base = StepRequest(data_root=str(cifar.root), batch_size=8)
        request = base.with_(mode="module", model=module_file("prints without end"))
        shown = engine.run(request)  # 24 MB printed by its forward
        assert shown.panels[1].stats.min == 0.0  # and its output still comes back
        process = engine.module_process
        size = os.path.getsize(process.log_path)
        tail = process.log_text()
    finally:
        engine.close()
    assert LOG_CAP_BYTES <= size < LOG_CAP_BYTES + 1000
    assert tail.rstrip().endswith("the rest is dropped]")


def test_an_output_with_thousands_of_channels_shows_the_first_1024_and_says_so(cifar,
                                                                              module_file):
    engine = Engine()
    try:
        request = StepRequest(data_root=str(cifar.root), batch_size=4, mode="module",
                              model=module_file("is wide"))
        panel = engine.run(request).panels[1]
    finally:
        engine.close()
    assert len(panel.cells) == 1024 and panel.images.shape[0] == 1024
    assert panel.stats.max == 1023.0  # the statistics are of the channels shown
    assert panel.note == "the first 1,024 of its 5,000 channels (their statistics too)"


def module_failed(w, fragment: str) -> bool:
    return fragment in w.error_banner.text() and w.error_banner.isVisible()


@pytest.mark.parametrize(("kind", "said"), [
    ("hangs", "did not finish within the time limit (2 s)"),
    ("exits", "the module's process ended (exit code 3)"),
    ("segfaults", "killed by signal SIGSEGV"),
])
def test_the_window_survives_a_module_that_hangs_or_dies_steps_on_and_closes_in_time(
        kind, said, cifar, make_window, module_file, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.edit({"model": module_file(kind), "mode": "module", "time_limit": 2})
    qtbot.waitUntil(lambda: module_failed(w, said), timeout=60000)
    w.edit({"mode": "activations", "batch_index": 2})  # every other view goes on
    qtbot.waitUntil(lambda: w.last_view.result.request.batch_index == 2
                    and w.last_view.result.request.mode == "activations", timeout=30000)
    assert [c.full_title for c in w.panels.cards] == ["Input", "relu", "sigmoid"]
    started = time.monotonic()
    w.close()
    assert time.monotonic() - started < CLOSE_WITHIN_S


def test_a_step_waiting_on_a_hung_module_gives_way_to_the_next_view_at_once(
        cifar, make_window, module_file, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.edit({"model": module_file("hangs"), "mode": "module", "time_limit": 600})
    qtbot.waitUntil(lambda: w.controller.module_state()[0] == "running", timeout=60000)
    qtbot.wait(1500)  # the forward is under way and will never return
    asked = time.monotonic()
    w.edit({"mode": "activations", "batch_index": 1})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "activations"
                    and w.last_view.result.request.batch_index == 1, timeout=30000)
    assert time.monotonic() - asked < 10  # not the 600 s the hung step may take
    form = w.form.mode_forms["module"]
    form.stop_button.click()  # Stop module, from the side panel
    assert w.controller.module_state()[0] == "stopped"


def test_stop_restart_and_the_log_of_a_module_in_the_window(
        cifar, make_window, module_file, qtbot, capfd):
    w = make_window(data_root=str(cifar.root))
    w.edit({"model": module_file("works"), "mode": "module"})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=60000)
    form = w.form.mode_forms["module"]
    qtbot.waitUntil(lambda: form.stop_button.isEnabled(), timeout=5000)
    assert form.state_label.text() == "Its process is running."
    form.stop_button.click()
    w.go_to(1)
    qtbot.waitUntil(lambda: module_failed(w, "the module was stopped; Restart module"),
                    timeout=30000)
    form.restart_button.click()
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module"
                    and w.last_view.result.request.batch_index == 1, timeout=60000)
    assert [p.tag for p in w.last_view.result.panels] == ["input", "output"]
    form.log_button.click()
    from PySide6.QtWidgets import QPlainTextEdit

    assert "hello from the module" in form.log_dialog.findChild(QPlainTextEdit).toPlainText()
    form.log_dialog.close()
    assert "hello from the module" not in capfd.readouterr().out  # not the app's stdout


def test_in_the_window_a_module_that_patches_torch_leaves_the_activations_view_alone(
        cifar, make_window, module_file, qtbot):
    w = make_window(data_root=str(cifar.root), activations="sigmoid", batch_size=8)
    w.edit({"model": module_file("patches torch"), "mode": "module"})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=60000)
    assert w.last_view.result.panels[1].stats.max == 0.0  # the module's own forward
    w.edit({"mode": "activations"})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "activations", timeout=30000)
    unit = cifar.test_images[:8].astype(np.float32) / 255
    assert w.last_view.result.panels[1].stats.min == pytest.approx(
        float((1 / (1 + np.exp(-unit))).min()), abs=1e-6)


def test_steps_given_up_on_a_hung_module_do_not_switch_its_time_limit_off(
        cifar, make_window, module_file, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.edit({"model": module_file("hangs after its first batch"), "mode": "module",
            "time_limit": 3})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=60000)
    w.go_to(1)  # hangs
    qtbot.wait(1000)
    w.go_to(2)  # gives the hung step up, and waits behind it
    qtbot.waitUntil(lambda: module_failed(w, "did not finish within the time limit (3 s)"),
                    timeout=20000)


def test_what_a_module_started_ends_with_its_process(cifar_files, module_file, tmp_path):
    r = export(cifar_files, module_file("starts a program"), tmp_path)
    assert r.returncode == 0, r.stderr
    assert wait_until(lambda: subprocess.run(["pgrep", "-f", "sleep 3607"]).returncode != 0,
                      timeout=10), "the module's program outlived it"


def test_a_colon_with_no_class_after_it_is_named_not_taken_for_a_missing_file(
        cifar_files, tmp_path):
    ok = tmp_path / "ok.py"
    ok.write_text("from torch import nn\nclass M(nn.Module):\n    def forward(self, x):\n"
                  "        return x\n")
    r = export(cifar_files, f"{ok}:", tmp_path)
    assert r.returncode == 2
    assert one_line(r).endswith(f"nothing after the colon in {ok}: is not a class name; write"
                                " FILE.py or FILE.py:CLASS")


def test_a_window_starting_on_a_hung_module_says_the_activations_are_being_computed(
        cifar, make_window, module_file, qtbot):
    w = make_window(data_root=str(cifar.root), wait_for_panels=False,
                    model=module_file("hangs"), time_limit=600)
    qtbot.waitUntil(lambda: w.first_look.isVisible() and bool(w.first_look.cards), timeout=30000)
    qtbot.waitUntil(lambda: w.first_look.cards[0].stats.text()
                    == "the images as read; the activations are being computed", timeout=30000)
    assert w.last_view is None  # the module's step has not come, and the images stay
    started = time.monotonic()
    w.close()
    assert time.monotonic() - started < CLOSE_WITHIN_S
