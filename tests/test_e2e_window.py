"""End to end: the installed ``actlens`` as a real window under Xvfb, driven by real key
events (xdotool), checked from screenshots of the screen."""

import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import xvfb_display

pytestmark = pytest.mark.e2e

needs_x = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (apt-get install xvfb xdotool)",
)


@pytest.fixture
def xserver():
    with xvfb_display() as display:
        yield display


def actlens_executable() -> str:
    exe = Path(sys.executable).with_name("actlens")
    return str(exe) if exe.exists() else shutil.which("actlens")


def screenshot(display) -> np.ndarray:
    from PIL import ImageGrab

    return np.asarray(ImageGrab.grab(xdisplay=display).convert("RGB"))


def find_image(screen: np.ndarray, image: np.ndarray):
    """Top-left (y, x) where ``image`` appears exactly in ``screen``, or None."""
    h, w, _ = image.shape
    ys, xs = np.nonzero(np.all(screen == image[0, 0], axis=2))
    for y, x in zip(ys, xs):
        if y + h <= screen.shape[0] and x + w <= screen.shape[1] and np.array_equal(
            screen[y : y + h, x : x + w], image
        ):
            return int(y), int(x)
    return None


def wait_for(predicate, timeout=60.0, interval=0.3):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None


def xdo(display, *args):
    return subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, timeout=30)


@contextmanager
def running_app(xserver, tmp_path, *args, command=None, cwd=None):
    """The installed ``actlens`` (or ``command``) on ``xserver``, its window found and
    focused; on the way out, its output must hold no traceback and no QThread abort."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xserver, ACTLENS_SETTINGS=str(tmp_path / "settings.ini"))
    app = subprocess.Popen(command or [actlens_executable(), *args], env=env, cwd=cwd,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        found = wait_for(lambda: xdo(xserver, "search", "--onlyvisible", "--name",
                                 "^Activation Lens$").stdout)
        assert found, "the window did not appear"
        xdo(xserver, "windowfocus", "--sync", found.split()[0])
        yield app
    finally:
        if app.poll() is None:
            app.kill()
        output = app.output = app.communicate()[0]
    assert "Traceback" not in output and "QThread: Destroyed" not in output


def shown_at_one_to_one(display, image):
    """Press Ctrl+1 (1:1 zoom, so screen pixels are image pixels) and find ``image``."""
    xdo(display, "key", "ctrl+1")
    return find_image(screenshot(display), image)


@needs_x
def test_real_window_steps_through_batches_with_key_presses_and_quits_cleanly(
        cifar_files, xserver, tmp_path):
    images = cifar_files.test_images
    with running_app(xserver, tmp_path, "--data-root", str(cifar_files.root),
                     "--allow-unverified", "--batch-size", "10") as app:
        assert wait_for(lambda: shown_at_one_to_one(xserver, images[0])), "batch 0 not shown"
        xdo(xserver, "key", "Right")
        xdo(xserver, "key", "Right")
        spot = wait_for(lambda: find_image(screenshot(xserver), images[20]))
        assert spot, "batch 2 was not shown after two Right presses"
        screen = screenshot(xserver)
        assert find_image(screen, images[0]) is None  # the old batch is gone
        # The whole input grid of batch 2: 10 images, 8 per row, 2 px gaps.
        y, x = spot
        for i in range(10):
            r, c = divmod(i, 8)
            cell = screen[y + r * 34 : y + r * 34 + 32, x + c * 34 : x + c * 34 + 32]
            assert np.array_equal(cell, images[20 + i]), f"cell {i}"
        xdo(xserver, "key", "ctrl+q")
        assert app.wait(timeout=30) == 0


@needs_x
def test_ctrl_c_in_the_terminal_closes_the_window_cleanly(cifar_files, xserver, tmp_path):
    import signal

    with running_app(xserver, tmp_path, "--data-root", str(cifar_files.root),
                     "--allow-unverified") as app:
        image = cifar_files.test_images[0]
        assert wait_for(lambda: shown_at_one_to_one(xserver, image)), "no batch shown"
        app.send_signal(signal.SIGINT)
        assert app.wait(timeout=30) == 0
    assert (tmp_path / "settings.ini").exists()  # settings were saved on the way out


VIEW_SCRIPT = """\
import json, sys
import torchvision
from torch import nn
import activation_lens as lens

root, sums = sys.argv[1], json.loads(sys.argv[2])
torchvision.datasets.CIFAR10.train_list, torchvision.datasets.CIFAR10.test_list, \\
    torchvision.datasets.CIFAR10.meta = sums  # these small files' own checksums


class MyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.relu1 = nn.ReLU()
        self.sigmoid1 = nn.Sigmoid()

    def forward(self, input):
        return self.sigmoid1(input)


dataset = torchvision.datasets.CIFAR10(root, train=False,
                                       transform=torchvision.transforms.ToTensor())
print("view returned", lens.view(MyModel(), dataset, batch_size=10), flush=True)
"""


@needs_x
def test_view_from_a_learners_script_opens_a_real_window_on_their_dataset_and_module_steps_and_returns(  # noqa: E501
        cifar_files, xserver, tmp_path):
    import json

    work = tmp_path / "work"
    work.mkdir()
    for name in ("engine", "gui", "utils"):  # a learner's own modules of generic names
        (work / f"{name}.py").write_text(f"raise ImportError('the learner\\'s {name}.py')\n")
    (work / "script.py").write_text(VIEW_SCRIPT)
    command = [sys.executable, "script.py", str(cifar_files.root), json.dumps(cifar_files.sums())]
    images = cifar_files.test_images
    with running_app(xserver, tmp_path, command=command, cwd=work) as app:
        # The module view frames the chosen image (the first), so look for the second.
        assert wait_for(lambda: shown_at_one_to_one(xserver, images[1])), "batch 0 not shown"
        xdo(xserver, "key", "Right")
        assert wait_for(lambda: find_image(screenshot(xserver), images[11])), "batch 1 not shown"
        xdo(xserver, "key", "ctrl+q")
        assert app.wait(timeout=30) == 0
    assert "view returned None" in app.output, app.output
    assert not (tmp_path / "settings.ini").exists()  # view leaves the user's settings alone


SLOW_TORCH = '''
import importlib.abc, importlib.util, os, sys, time, pathlib

class SlowTorch(importlib.abc.MetaPathFinder):
    """The real torch, found only after a delay; a file says when it has loaded."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch":
            return None
        sys.meta_path.remove(self)
        time.sleep(float(os.environ["SLOW_TORCH_S"]))
        spec = importlib.util.find_spec("torch")
        run = spec.loader.exec_module

        def exec_module(module):
            run(module)
            pathlib.Path(os.environ["TORCH_LOADED"]).touch()

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, SlowTorch())
'''


@needs_x
def test_the_first_batch_is_on_screen_before_torch_has_loaded_and_the_activations_follow(
        cifar_files, xserver, tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_TORCH)
    loaded = tmp_path / "torch-loaded"
    (tmp_path / "settings.ini").write_text("[window]\nzoom = 100\n")  # 1:1: screen pixels
    os.environ.update(PYTHONPATH=os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")]),
                      SLOW_TORCH_S="15", TORCH_LOADED=str(loaded))
    images = cifar_files.test_images
    try:
        with running_app(xserver, tmp_path, "--data-root", str(cifar_files.root),
                         "--allow-unverified", "--batch-size", "10") as app:
            seen = wait_for(lambda: find_image(screenshot(xserver), images[9]), timeout=12)
            assert seen and not loaded.exists(), "the input was not shown before torch loaded"
            assert wait_for(loaded.exists, timeout=60), "torch never loaded"
            # the activations follow: relu of pixels in [0, 1] shows the input again, so a
            # second copy of the image on screen is relu's panel
            assert wait_for(lambda: len(_all_spots(screenshot(xserver), images[9])) >= 2,
                            timeout=30), "the activations did not follow"
            xdo(xserver, "key", "ctrl+q")
            assert app.wait(timeout=30) == 0
    finally:
        for key in ("SLOW_TORCH_S", "TORCH_LOADED"):
            os.environ.pop(key, None)
        os.environ["PYTHONPATH"] = os.environ["PYTHONPATH"].split(os.pathsep, 1)[1]
        if not os.environ["PYTHONPATH"]:
            del os.environ["PYTHONPATH"]


def _all_spots(screen: np.ndarray, image: np.ndarray) -> list[tuple[int, int]]:
    """Every top-left (y, x) where ``image`` appears exactly in ``screen``."""
    h, w, _ = image.shape
    ys, xs = np.nonzero(np.all(screen == image[0, 0], axis=2))
    return [(int(y), int(x)) for y, x in zip(ys, xs)
            if y + h <= screen.shape[0] and x + w <= screen.shape[1]
            and np.array_equal(screen[y:y + h, x:x + w], image)]


BROKEN_TORCH_WINDOW = '''
import importlib.abc, json, sys

class BrokenTorch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ImportError("libtorch_cpu.so: cannot open shared object file")

sys.meta_path.insert(0, BrokenTorch())
from PySide6.QtCore import QTimer
from activation_lens.engine.settings import open_settings
from activation_lens.gui.app import parse_args, prepare_app
from activation_lens.gui.main_window import MainWindow

settings = open_settings()
app = prepare_app(None, settings)
w = MainWindow(parse_args(sys.argv[1:]), settings)
w.show()
seen = {}
w.controller.looked.connect(lambda view: seen.update(looked=len(view.result.batch.labels)))

def report():
    seen.update(placeholder=w.stack.currentWidget() is w.placeholder,
                text=w.placeholder.text(), status=w.status_label.text())
    print(json.dumps(seen))
    w.close()

w.controller.startup_failed.connect(lambda _: QTimer.singleShot(200, report))
w.start()
QTimer.singleShot(30000, app.quit)
app.exec()
'''


def test_a_torch_that_cannot_load_replaces_the_first_look_with_what_to_do(cifar_files, tmp_path):
    import json

    script = tmp_path / "broken_torch.py"
    script.write_text(BROKEN_TORCH_WINDOW)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "ACTLENS_SETTINGS": str(tmp_path / "settings.ini")}
    done = subprocess.run([sys.executable, str(script), "--data-root", str(cifar_files.root),
                           "--allow-unverified", "--batch-size", "10"], env=env,
                          capture_output=True, text=True, timeout=60)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["looked"] == 10  # the images came first, without torch
    assert seen["placeholder"], "the images stayed on screen as if the activations would come"
    assert "PyTorch could not be loaded: ImportError: libtorch_cpu.so" in seen["text"]
    assert "Reinstall it" in seen["text"] and seen["status"] == "PyTorch could not be loaded"


def test_offline_on_the_first_launch_the_samples_images_come_before_torch_has_loaded(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ACTLENS_TRACE_STARTUP": "1",
           "ACTLENS_SETTINGS": str(tmp_path / "settings.ini")}
    app = subprocess.Popen([actlens_executable(), "--data-root", str(tmp_path / "empty")],
                           env=env, stderr=subprocess.PIPE, text=True)
    marks = []
    try:
        for line in app.stderr:
            if line.startswith("actlens-trace"):
                marks.append(line.split()[1])
                if marks[-1] == "first-batch":
                    break
    finally:
        app.kill()
        app.wait()
    assert marks.index("first-look") < marks.index("first-batch"), marks


@needs_x
def test_ctrl_q_in_the_focused_export_dialog_quits_the_app(cifar_files, xserver, tmp_path):
    with running_app(xserver, tmp_path, "--data-root", str(cifar_files.root),
                     "--allow-unverified", "--batch-size", "10") as app:
        assert wait_for(lambda: shown_at_one_to_one(xserver, cifar_files.test_images[0]))
        xdo(xserver, "key", "ctrl+e")
        dialog = wait_for(lambda: xdo(xserver, "search", "--onlyvisible", "--name",
                                      "^Export to TensorBoard$").stdout, timeout=20)
        assert dialog, "the export dialog did not open"
        xdo(xserver, "windowfocus", "--sync", dialog.split()[0])
        xdo(xserver, "key", "ctrl+q")
        assert app.wait(timeout=10) == 0
