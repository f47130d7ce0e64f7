"""Data files that are too large or malformed: one line naming the file and what is wrong,
read before nothing else is, and nothing downloaded over them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.data import datasets
from activation_lens.engine.errors import ActlensError
from tests.conftest import CifarFixture
from tests.helpers import write_idx

ROOT = Path(__file__).resolve().parents[1]


def actlens(*args, cwd):
    return subprocess.run([sys.executable, "-m", "activation_lens", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def one_line_error(r) -> str:
    assert r.returncode == 2, r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-2000:]
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr[-2000:]
    return lines[0]


@pytest.mark.parametrize("name, split", [("test_batch", "test"), ("data_batch_1", "train"),
                                         ("batches.meta", "test")])
def test_a_huge_sparse_cifar_file_is_refused_naming_its_size_and_the_largest_allowed(
        tmp_path, name, split):
    data = CifarFixture(tmp_path / "data", n_test=20, n_train=10)
    os.truncate(data.folder / name, 30 << 30)
    r = actlens("export", "--data-root", str(data.root), "--split", split,
                "--allow-unverified", "--logdir", str(tmp_path / "logs"), cwd=tmp_path)
    line = one_line_error(r)
    assert str(data.folder / name) in line and "32,212,254,720 bytes (30.0 GB)" in line, line
    assert "at most" in line and "it was not read" in line, line
    assert (data.folder / name).stat().st_size == 30 << 30  # nothing replaced it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_a_cifar_copy_as_large_as_the_official_files_still_loads(tmp_path):
    data = CifarFixture(tmp_path / "data", n_test=10_000, n_train=10)
    source = datasets.open_source("cifar10", data.root, allow_unverified=True)
    assert len(source) == 10_000


@pytest.mark.parametrize("name, shape", [("t10k-images-idx3-ubyte", (10_001, 28, 28)),
                                         ("t10k-labels-idx1-ubyte", (10_001,))])
def test_a_huge_mnist_file_whose_header_agrees_is_refused_before_it_is_read(
        mnist_raw, tmp_path, name, shape):
    path = mnist_raw / name
    write_idx(path, np.zeros(0), shape=shape)
    os.truncate(path, 4 + 4 * len(shape) + int(np.prod(shape)))
    r = actlens("export", "--dataset", "mnist", "--data-root", str(tmp_path),
                "--logdir", str(tmp_path / "logs"), cwd=tmp_path)
    line = one_line_error(r)
    assert str(path) in line and "more than a MNIST file can be" in line, line
    assert f"{path.stat().st_size:,} bytes" in line and "it was not read" in line, line


def test_a_30_gb_mnist_file_is_refused_with_its_size(mnist_raw, tmp_path):
    path = mnist_raw / "t10k-images-idx3-ubyte"
    os.truncate(path, 30 << 30)
    with pytest.raises(ActlensError) as info:
        datasets.open_source("mnist", tmp_path)
    assert "32,212,254,720 bytes (30.0 GB)" in str(info.value)
    assert "at most 10,000 images of 28 x 28 pixels, 7,840,016 bytes" in str(info.value)


def _batch(path: Path, payload) -> None:
    import pickle

    with open(path, "wb") as f:
        pickle.dump(payload, f, protocol=2)


@pytest.mark.parametrize("write, words", [
    (lambda p: p.write_bytes(p.read_bytes()[:5000]),
     "is not a readable CIFAR-10 file: it ends too early, as a file cut short does"),
    (lambda p: p.write_bytes(b"\x89PNG not a pickle at all" * 10),
     "is not a readable CIFAR-10 file: it is damaged or is not a saved Python batch"),
    (lambda p: _batch(p, {"data": np.zeros((20, 3072), np.uint8)}),
     "it has no 'labels' (a batch holds its images under 'data' and one class number per"
     " image under 'labels')"),
    (lambda p: _batch(p, [1, 2, 3]),
     "it holds a list, not a dict with 'data' (the images) and 'labels'"),
    (lambda p: _batch(p, {b"data": np.zeros((20, 3072), np.uint8), b"labels": [0] * 20}),
     "it has no 'data' (the images); its keys are b'data', b'labels'"),
    (lambda p: _batch(p, {"data": np.zeros((20, 100), np.uint8), "labels": [0] * 20}),
     "its 'data' should hold one row of 3072 bytes per image (32 x 32 pixels in 3 colours"),
    (lambda p: _batch(p, {"data": np.zeros((20, 3072), np.uint8), "labels": [0] * 7}),
     "7 labels for 20 images; each image needs one label"),
])
def test_a_malformed_cifar_batch_is_named_with_what_is_wrong_in_words(tmp_path, write, words):
    data = CifarFixture(tmp_path / "data", n_test=20, n_train=10)
    path = data.folder / "test_batch"
    write(path)
    with pytest.raises(ActlensError) as info:
        datasets.open_source("cifar10", data.root, allow_unverified=True)
    message = str(info.value)
    assert message.startswith(str(path)) and words in message, message
    assert "\n" not in message


def test_cifar_metadata_without_class_names_says_it_is_not_the_metadata_file(tmp_path):
    data = CifarFixture(tmp_path / "data", n_test=20, n_train=10)
    _batch(data.folder / "batches.meta", {"num_vis": 3072})
    with pytest.raises(ActlensError) as info:
        datasets.open_source("cifar10", data.root, allow_unverified=True)
    assert str(info.value) == (f"{data.folder / 'batches.meta'} is not the CIFAR-10 metadata"
                               " file: it has no list of class names under 'label_names'")


@pytest.mark.parametrize("write, words", [
    (lambda p: p.write_bytes(b"PK\x03\x04 a zip file"), "is not an IDX file (it does not start"
     " with 0 0): MNIST images and labels come in IDX files, unpacked from the .gz download"),
    (lambda p: write_idx(p, np.zeros((12, 28))), "has 2 dimensions; expected 3 (images x rows"
     " x columns)"),
    (lambda p: p.write_bytes(b"\0\0\x08\x03\0\0"), "ends inside its header: the file is cut"
     " short"),
])
def test_a_malformed_mnist_file_is_named_with_what_is_wrong_in_words(mnist_raw, tmp_path,
                                                                    write, words):
    path = mnist_raw / "t10k-images-idx3-ubyte"
    write(path)
    with pytest.raises(ActlensError) as info:
        datasets.open_source("mnist", tmp_path)
    assert str(info.value) == f"{path} {words}"


LONG = "/tmp/" + "a" * 5000


@pytest.mark.parametrize("command, args, what", [
    ("export", ["--network", "--weights", LONG], "the weights file"),
    ("export", ["--model", LONG], "the module file"),
    ("window", ["--data-root", LONG], "the data folder"),
    ("window", ["--network", "--weights", LONG], "the weights file"),
])
def test_a_path_longer_than_the_system_allows_is_one_line_saying_so(cifar_files, tmp_path,
                                                                    command, args, what):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "ACTLENS_SETTINGS": str(tmp_path / "settings.ini")}
    extra = ["--data-root", str(cifar_files.root), "--allow-unverified", "--logdir",
             str(tmp_path / "logs")] if command == "export" else []
    r = subprocess.run([sys.executable, "-m", "activation_lens",
                        *([command] if command == "export" else []), *extra, *args],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    line = one_line_error(r)
    assert line.startswith(f"actlens: error: {what} /tmp/aaaa"), line
    assert "is too long: 5,005 bytes, where a path holds at most 4,096" in line, line
    assert not (tmp_path / "logs").exists()
