"""Our readers of CIFAR-10, CIFAR-100, MNIST and Fashion-MNIST give torchvision's arrays, element
for element, on the same files; and the default session's step and export never import it."""

from __future__ import annotations

import json
import pickle
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.data import datasets
from tests.conftest import CLASSES, CifarFixture, make_images, md5, trust_cifar_files

ROOT = Path(__file__).resolve().parents[1]
SPLITS = ["test", "train"]


class Py2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 ``str`` (BINSTRING), as the official CIFAR files hold them: read
    back with ``encoding="latin1"`` they are text that numpy turns back into bytes."""

    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj: bytes) -> None:
        self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str

    def save_text(self, obj: str) -> None:  # Python 2's plain strings were bytes too
        self.save_py2_str(obj.encode("latin1"))

    dispatch[str] = save_text


def dump(path: Path, value, style: str) -> None:
    with open(path, "wb") as f:
        if style == "python2":
            Py2Pickler(f, protocol=2).dump(value)
        else:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)


def cifar10_folder(root: Path, style: str) -> Path:
    """Both splits of a small CIFAR-10 in the official layout, pickled in ``style``."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for i, name in enumerate(["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                              "data_batch_5", "test_batch"]):
        n = 7 + i
        data = np.ascontiguousarray(make_images(n, seed=10 + i).transpose(0, 3, 1, 2))
        dump(folder / name, {"batch_label": f"batch {i}", "labels": [(i + 3 * k) % 10
                                                                     for k in range(n)],
                             "data": data.reshape(n, 3072),
                             "filenames": [f"{k}.png" for k in range(n)]}, style)
    dump(folder / "batches.meta", {"label_names": CLASSES, "num_cases_per_batch": 10,
                                   "num_vis": 3072}, style)
    return folder


def cifar100_folder(root: Path, style: str) -> Path:
    folder = root / "cifar-100-python"
    folder.mkdir(parents=True)
    for i, name in enumerate(["train", "test"]):
        n = 150 - 40 * i
        data = np.ascontiguousarray(make_images(n, seed=20 + i).transpose(0, 3, 1, 2))
        dump(folder / name, {"filenames": [f"{k}.png" for k in range(n)],
                             "batch_label": name, "fine_labels": [(k * 7 + i) % 100
                                                                  for k in range(n)],
                             "coarse_labels": [(k * 3 + i) % 20 for k in range(n)],
                             "data": data.reshape(n, 3072)}, style)
    dump(folder / "meta", {"fine_label_names": [f"fine_{k}" for k in range(100)],
                           "coarse_label_names": [f"coarse_{k}" for k in range(20)]}, style)
    return folder


def trust_in_torchvision(monkeypatch, cls, folder: Path) -> None:
    """torchvision's published sums set to these files' own, as ours are."""
    monkeypatch.setattr(cls, "train_list", [[f, md5(folder / f)] for f, _ in cls.train_list])
    monkeypatch.setattr(cls, "test_list", [[f, md5(folder / f)] for f, _ in cls.test_list])
    monkeypatch.setattr(cls, "meta", {**cls.meta, "md5": md5(folder / cls.meta["filename"])})


def assert_same_as_torchvision(src, tv) -> None:
    assert src.images.dtype == tv.data.dtype == np.uint8
    assert src.images.shape == tv.data.shape
    np.testing.assert_array_equal(src.images, tv.data)
    np.testing.assert_array_equal(src.labels, np.asarray(tv.targets))
    assert src.classes == list(tv.classes)


@pytest.mark.parametrize("style", ["python2", "python3"])
@pytest.mark.parametrize("split", SPLITS)
def test_cifar10_gives_torchvisions_images_labels_and_classes(tmp_path, monkeypatch, split,
                                                              style):
    from torchvision.datasets import CIFAR10

    folder = cifar10_folder(tmp_path, style)
    trust_cifar_files(monkeypatch, "cifar10", folder)
    trust_in_torchvision(monkeypatch, CIFAR10, folder)
    src = datasets.open_source("cifar10", tmp_path, split)
    assert_same_as_torchvision(src, CIFAR10(str(tmp_path), train=split == "train"))
    assert len(src) == (7 + 8 + 9 + 10 + 11 if split == "train" else 12)


@pytest.mark.parametrize("split", SPLITS)
def test_cifar10_loaded_unverified_as_plain_data_is_torchvisions_too(tmp_path, monkeypatch,
                                                                     split):
    from torchvision.datasets import CIFAR10

    folder = cifar10_folder(tmp_path, "python2")  # fails the official sums
    trust_in_torchvision(monkeypatch, CIFAR10, folder)
    src = datasets.open_source("cifar10", tmp_path, split, allow_unverified=True)
    assert_same_as_torchvision(src, CIFAR10(str(tmp_path), train=split == "train"))


@pytest.mark.parametrize("style", ["python2", "python3"])
@pytest.mark.parametrize("split", SPLITS)
def test_cifar100_gives_torchvisions_fine_labels_and_the_files_coarse_ones(tmp_path,
                                                                          monkeypatch, split,
                                                                          style):
    from torchvision.datasets import CIFAR100

    folder = cifar100_folder(tmp_path, style)
    trust_cifar_files(monkeypatch, "cifar100", folder)
    trust_in_torchvision(monkeypatch, CIFAR100, folder)
    tv = CIFAR100(str(tmp_path), train=split == "train")
    assert_same_as_torchvision(datasets.open_source("cifar100", tmp_path, split), tv)
    coarse = datasets.open_source("cifar100", tmp_path, split, coarse_labels=True)
    with open(folder / split, "rb") as f:
        entry = pickle.load(f, encoding="latin1")
    np.testing.assert_array_equal(coarse.labels, entry["coarse_labels"])
    assert coarse.classes == [f"coarse_{k}" for k in range(20)]
    np.testing.assert_array_equal(coarse.images, tv.data)


def write_idx(path: Path, array: np.ndarray) -> None:
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I",
                                                                    *array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.mark.parametrize("split", SPLITS)
@pytest.mark.parametrize("dataset", ["mnist", "fashion-mnist"])
def test_mnist_and_fashion_mnist_give_torchvisions_images_labels_and_classes(tmp_path, dataset,
                                                                              split):
    from torchvision.datasets import MNIST, FashionMNIST

    cls = {"mnist": MNIST, "fashion-mnist": FashionMNIST}[dataset]
    raw = tmp_path / cls.__name__ / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(7)
    for prefix, n in (("train", 41), ("t10k", 23)):  # torchvision wants all four files
        write_idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", rng.integers(0, 10, n))
    src = datasets.open_source(dataset, tmp_path, split)
    tv = cls(str(tmp_path), train=split == "train")
    assert src.images.shape == (len(tv.data), 28, 28, 1) and src.images.dtype == np.uint8
    np.testing.assert_array_equal(src.images[..., 0], tv.data.numpy())
    np.testing.assert_array_equal(src.labels, tv.targets.numpy())
    assert src.classes == list(tv.classes)


# --- torchvision stays off the default paths ----------------------------------------------

DEFAULT_STEP_AND_EXPORT = """\
import json, sys
from dataclasses import replace

from activation_lens.engine.cli import main
from activation_lens.engine.data import cifar
from activation_lens.engine.pipeline import Engine
from activation_lens.engine.session import Session

root, logdir, sums = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
files = cifar.FILES["cifar10"]
cifar.FILES["cifar10"] = replace(  # these small files' own checksums, as the official ones
    files, train=tuple(map(tuple, sums[0])), test=tuple(map(tuple, sums[1])),
    meta=(sums[2]["filename"], sums[2]["md5"]))
result = Engine().run(Session().request(data_root=root))
code = main(["export", "--data-root", root, "--logdir", logdir, "--no-download"])
print(json.dumps({"code": code, "images": len(result.batch.images),
                  "torchvision": sorted(m for m in sys.modules
                                        if m.split(".")[0] == "torchvision")}))
"""


def test_the_default_sessions_step_and_export_never_import_torchvision(tmp_path):
    data = CifarFixture(tmp_path / "data")
    r = subprocess.run([sys.executable, "-c", DEFAULT_STEP_AND_EXPORT, str(data.root),
                        str(tmp_path / "logs"), json.dumps(data.sums())], cwd=tmp_path,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    outcome = json.loads(r.stdout.strip().splitlines()[-1])
    assert outcome == {"code": 0, "images": 64, "torchvision": []}, r.stderr


def test_the_actlens_export_process_never_imports_torchvision(tmp_path):
    data = CifarFixture(tmp_path / "data")
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "activation_lens", "export",
                        "--data-root", str(data.root), "--allow-unverified", "--logdir",
                        str(tmp_path / "logs")], cwd=tmp_path, capture_output=True, text=True,
                       timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in r.stderr.splitlines()
                if line.startswith("import time:")]
    assert "torch" in imported and "activation_lens.engine.export" in imported
    assert [m for m in imported if m.split(".")[0] == "torchvision"] == []


def test_the_official_files_sums_and_addresses_are_torchvisions():
    from torchvision.datasets import CIFAR10, CIFAR100, MNIST, FashionMNIST

    from activation_lens.engine.data import cifar, mnist

    for name, cls in (("cifar10", CIFAR10), ("cifar100", CIFAR100)):
        files = cifar.FILES[name]
        assert (files.base_folder, files.url, files.archive, files.archive_md5) == (
            cls.base_folder, cls.url, cls.filename, cls.tgz_md5)
        assert [list(f) for f in files.train] == cls.train_list
        assert [list(f) for f in files.test] == cls.test_list
        assert (*files.meta, files.classes_key) == (
            cls.meta["filename"], cls.meta["md5"], cls.meta["key"])
    for name, cls in (("mnist", MNIST), ("fashion-mnist", FashionMNIST)):
        files = mnist.FILES[name]
        assert files.folder == cls.__name__
        assert list(files.mirrors) == cls.mirrors
        assert list(files.resources) == cls.resources
        assert list(files.classes) == cls.classes
