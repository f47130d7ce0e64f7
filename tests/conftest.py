"""Shared fixtures: small CIFAR-format data sets written by the tests themselves."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck"]


def make_images(n: int, seed: int = 0) -> np.ndarray:
    """Smooth, distinct uint8 (n, 32, 32, 3) images (a gradient plus a per-image offset)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32]
    base = rng.integers(0, 256, (n, 1, 1, 3))
    img = base + xx[None, :, :, None] * 3 + yy[None, :, :, None] * 2
    return (img % 256).astype(np.uint8)


def write_cifar_batch(path: Path, images: np.ndarray, labels, label_key="labels") -> None:
    data = np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(len(images), 3072)
    with open(path, "wb") as f:
        pickle.dump({"batch_label": "test", label_key: list(labels), "data": data}, f, protocol=2)


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


class CifarFixture:
    """A CIFAR-10 folder with a test split of ``n_test`` and a train split of ``n_train``."""

    def __init__(self, root: Path, n_test: int = 130, n_train: int = 100):
        self.root = root
        self.folder = root / "cifar-10-batches-py"
        self.folder.mkdir(parents=True)
        self.test_images = make_images(n_test, seed=1)
        self.test_labels = [i % 10 for i in range(n_test)]
        self.train_images = make_images(n_train, seed=2)
        self.train_labels = [(i * 3) % 10 for i in range(n_train)]
        write_cifar_batch(self.folder / "test_batch", self.test_images, self.test_labels)
        per = -(-n_train // 5)
        for i in range(5):
            sl = slice(i * per, (i + 1) * per)
            write_cifar_batch(self.folder / f"data_batch_{i + 1}", self.train_images[sl],
                              self.train_labels[sl])
        with open(self.folder / "batches.meta", "wb") as f:
            pickle.dump({"label_names": CLASSES, "num_vis": 3072}, f, protocol=2)

    def sums(self):
        return (
            [[f"data_batch_{i}", md5(self.folder / f"data_batch_{i}")] for i in range(1, 6)],
            [["test_batch", md5(self.folder / "test_batch")]],
            {"filename": "batches.meta", "key": "label_names",
             "md5": md5(self.folder / "batches.meta")},
        )


@pytest.fixture
def cifar_files(tmp_path) -> CifarFixture:
    """CIFAR-format files that are *not* the official ones (they fail the official MD5)."""
    return CifarFixture(tmp_path / "data")


def trust_cifar_files(monkeypatch, dataset: str, folder: Path) -> None:
    """Make the CIFAR files in ``folder`` the official ones for this test: the published sums
    of ``dataset`` (``cifar10``, ``cifar100``) are set to theirs, so the real integrity check
    runs and succeeds."""
    from dataclasses import replace

    from activation_lens.engine.data import cifar

    files = cifar.FILES[dataset]

    def sums(entries):
        return tuple((name, md5(folder / name)) for name, _ in entries)

    monkeypatch.setitem(cifar.FILES, dataset, replace(
        files, train=sums(files.train), test=sums(files.test), meta=sums([files.meta])[0]))


@pytest.fixture
def mnist_raw(tmp_path) -> Path:
    """A small MNIST test split (12 black images) in ``tmp_path``/MNIST/raw, its folder."""
    from .helpers import write_idx

    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "t10k-images-idx3-ubyte", np.zeros((12, 28, 28)))
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(12) % 10)
    return raw


@pytest.fixture
def cifar(cifar_files, monkeypatch) -> CifarFixture:
    """CIFAR-format files that pass verification: the published sums are set to theirs, so
    the real integrity check runs and succeeds."""
    trust_cifar_files(monkeypatch, "cifar10", cifar_files.folder)
    return cifar_files


@pytest.fixture
def no_dangling_qthreads():
    """Fail the test if any QThread or background worker thread is still running when it
    ends (workers are given a moment to notice they were stopped)."""
    yield
    import gc
    import threading
    import time
    import warnings

    from PySide6.QtCore import QThread

    def workers():
        return [t for t in threading.enumerate() if t.name.startswith("actlens-")
                and not t.name.startswith("actlens-png")]

    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.05)
    gc.collect()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        running = [o for o in gc.get_objects() if isinstance(o, QThread) and o.isRunning()]
    assert running == [] and workers() == [], f"threads left running: {running + workers()}"


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    path = tmp_path / "settings.ini"
    monkeypatch.setenv("ACTLENS_SETTINGS", str(path))
    return path


@pytest.fixture
def make_window(qtbot, isolated_settings, no_dangling_qthreads):
    """Build a MainWindow with launch options, show it, start the engine thread."""
    from activation_lens.gui.app import launch_options
    from activation_lens.gui.main_window import MainWindow

    windows = []

    def make(start=True, wait_for_panels=True, **options):
        w = MainWindow(launch_options(**options))
        qtbot.addWidget(w)
        windows.append(w)
        w.show()
        if start:
            w.start()
            qtbot.waitUntil(lambda: w.controller.engine_ready, timeout=60000)
            if wait_for_panels:
                qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)
        return w

    yield make
    for w in windows:
        w.close()


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``cuda`` where no CUDA device is available."""
    cuda_items = [item for item in items if "cuda" in item.keywords]
    if not cuda_items:
        return
    import torch

    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="no CUDA device here")
    for item in cuda_items:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def _module_processes_end_with_each_test():
    """A test that steps a module file leaves no process of it behind for the next."""
    yield
    from activation_lens.engine import module_process

    module_process.close_all()
