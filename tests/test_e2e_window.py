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
def running_app(xserver, tmp_path, *args):
    """The installed ``actlens`` on ``xserver``, its window found and focused; on the way out,
    its output must hold no traceback and no QThread abort."""
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=xserver, ACTLENS_SETTINGS=str(tmp_path / "settings.ini"))
    app = subprocess.Popen([actlens_executable(), *args], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        found = wait_for(lambda: xdo(xserver, "search", "--name", "^Activation Lens$").stdout)
        assert found, "the window did not appear"
        xdo(xserver, "windowfocus", "--sync", found.split()[0])
        yield app
    finally:
        if app.poll() is None:
            app.kill()
        output = app.communicate()[0]
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
