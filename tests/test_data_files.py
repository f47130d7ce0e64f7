"""Data files that are too large or malformed: one line naming the file and what is wrong,
read before nothing else is, and nothing downloaded over them."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.data import datasets
from activation_lens.engine.errors import ActlensError
from tests.conftest import CifarFixture

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


def write_idx(path: Path, array: np.ndarray, shape=None) -> None:
    shape = array.shape if shape is None else shape
    header = struct.pack(">HBB", 0, 0x08, len(shape)) + b"".join(struct.pack(">I", d)
                                                                 for d in shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def mnist_raw(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "t10k-images-idx3-ubyte", np.zeros((12, 28, 28)))
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(12) % 10)
    return raw


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
