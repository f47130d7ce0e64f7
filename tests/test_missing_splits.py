"""A data folder that holds one split is a normal copy: asking for the other says which split
is there and that the other needs the download, and never advises deleting anything."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.cli import EXIT_USER_ERROR
from activation_lens.engine.data import datasets
from activation_lens.engine.errors import DatasetMissingError
from activation_lens.engine.session import Session
from tests.conftest import CifarFixture, trust_cifar_files
from tests.test_more_datasets import write_idx
from tests.test_torchvision_parity import cifar100_folder

ROOT = Path(__file__).resolve().parents[1]


def test_only_the_test_split_of_cifar10_asked_for_train_in_the_cli_says_what_is_there(tmp_path):
    data = CifarFixture(tmp_path / "data")
    for i in range(1, 6):
        (data.folder / f"data_batch_{i}").unlink()
    kept = {p.name: p.read_bytes() for p in data.folder.iterdir()}
    r = subprocess.run([sys.executable, "-m", "activation_lens", "export", "--split", "train",
                        "--data-root", str(data.root), "--allow-unverified", "--no-download",
                        "--logdir", str(tmp_path / "logs")],
                       capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert r.returncode == EXIT_USER_ERROR
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith(
        f"actlens: error: CIFAR-10 in {data.folder} has only the test split"
        " (data_batch_1 is missing); the train split needs the download (actlens download"
        f" --dataset cifar10 --data-root {shlex.quote(str(data.root))}), which brings both"
        " splits"), r.stderr
    assert "delete" not in r.stderr
    assert {p.name: p.read_bytes() for p in data.folder.iterdir()} == kept
    assert not (tmp_path / "logs").exists()


def test_the_test_split_of_that_copy_still_opens(tmp_path):
    data = CifarFixture(tmp_path / "data")
    for i in range(1, 6):
        (data.folder / f"data_batch_{i}").unlink()
    src = datasets.open_source("cifar10", data.root, "test", allow_unverified=True)
    np.testing.assert_array_equal(src.images, data.test_images)


def test_only_the_train_split_asked_for_test_says_the_train_split_is_there(cifar):
    (cifar.folder / "test_batch").unlink()
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source("cifar10", cifar.root, "test")
    assert str(info.value) == (
        f"CIFAR-10 in {cifar.folder} has only the train split (test_batch is missing); the test"
        " split needs the download (actlens download --dataset cifar10 --data-root"
        f" {shlex.quote(str(cifar.root))}), which brings both splits")
    assert info.value.dataset == "cifar10" and info.value.root == str(cifar.root)


def test_a_train_split_missing_one_batch_names_it_and_says_the_test_split_is_there(cifar):
    (cifar.folder / "data_batch_3").unlink()
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source("cifar10", cifar.root, "train")
    assert "has only the test split (data_batch_3 is missing)" in str(info.value)
    assert "delete" not in str(info.value)


def test_without_the_class_names_no_split_is_complete_and_the_download_brings_both(cifar):
    (cifar.folder / "batches.meta").unlink()
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source("cifar10", cifar.root, "test")
    assert str(info.value) == (
        f"CIFAR-10 in {cifar.folder} has no complete split (batches.meta is missing); the"
        " download (actlens download --dataset cifar10 --data-root"
        f" {shlex.quote(str(cifar.root))}) brings both splits")


def test_cifar100_with_only_its_test_split_says_so(tmp_path):
    root = tmp_path
    (cifar100_folder(root, "python3") / "train").unlink()
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source("cifar100", root, "train")
    assert str(info.value).startswith(
        f"CIFAR-100 in {root / 'cifar-100-python'} has only the test split (train is missing);"
        " the train split needs the download (actlens download --dataset cifar100")
    assert datasets.available_splits("cifar100", root) == ("test",)


def mnist_test_split(root: Path, folder: str) -> Path:
    raw = root / folder / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "t10k-images-idx3-ubyte", np.zeros((5, 28, 28)))
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(5))
    return raw


@pytest.mark.parametrize("dataset,folder,title", [("mnist", "MNIST", "MNIST"),
                                                  ("fashion-mnist", "FashionMNIST",
                                                   "Fashion-MNIST")])
def test_mnist_with_only_its_test_split_says_so_in_the_cli(tmp_path, dataset, folder, title):
    raw = mnist_test_split(tmp_path / "data", folder)
    r = subprocess.run([sys.executable, "-m", "activation_lens", "export", "--dataset", dataset,
                        "--split", "train", "--data-root", str(tmp_path / "data"),
                        "--no-download", "--logdir", str(tmp_path / "logs")],
                       capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert r.returncode == EXIT_USER_ERROR
    assert r.stderr.startswith(
        f"actlens: error: {title} in {raw} has only the test split (train-images-idx3-ubyte is"
        f" missing); the train split needs the download (actlens download --dataset {dataset}"
        f" --data-root {shlex.quote(str(tmp_path / 'data'))}), which brings both splits"), \
        r.stderr
    assert "delete" not in r.stderr and r.stderr.count("\n") == 1


def test_mnist_missing_one_label_file_names_it(tmp_path):
    raw = mnist_test_split(tmp_path, "MNIST")
    write_idx(raw / "train-images-idx3-ubyte", np.zeros((3, 28, 28)))
    with pytest.raises(DatasetMissingError,
                       match=r"has only the test split \(train-labels-idx1-ubyte is missing\)"):
        datasets.open_source("mnist", tmp_path, "train")


def test_mnist_with_no_file_at_all_is_not_found(tmp_path):
    with pytest.raises(DatasetMissingError, match="MNIST not found: .* lacks t10k-images"):
        datasets.open_source("mnist", tmp_path, "test")


def test_available_splits_says_which_splits_a_data_root_holds(tmp_path, monkeypatch):
    data = CifarFixture(tmp_path / "data")
    assert datasets.available_splits("cifar10", data.root) == ("test", "train")
    assert datasets.available_splits("cifar10", data.folder) == ("test", "train")
    (data.folder / "data_batch_2").unlink()
    assert datasets.available_splits("cifar10", data.root) == ("test",)
    assert datasets.available_splits("cifar10", tmp_path / "nothing") == ()
    mnist_test_split(tmp_path / "data", "MNIST")
    assert datasets.available_splits("mnist", data.root) == ("test",)
    assert datasets.available_splits("fashion-mnist", data.root) == ()
    assert datasets.available_splits("folder", tmp_path / "any") == datasets.SPLITS
    monkeypatch.setenv("ACTLENS_DATA_ROOT", str(data.root))
    assert datasets.available_splits("cifar10", "") == ("test",)  # the default data root
    assert datasets.available_splits("no-such-data-set", data.root) == ()


def test_the_split_list_marks_a_split_the_data_folder_lacks(tmp_path, monkeypatch, qapp):
    from PySide6.QtCore import Qt

    from activation_lens.gui.session_form import SessionForm

    data = CifarFixture(tmp_path / "data")
    trust_cifar_files(monkeypatch, "cifar10", data.folder)
    for i in range(1, 6):
        (data.folder / f"data_batch_{i}").unlink()
    form = SessionForm()
    session = Session().with_data_root(str(data.root))
    form.show_session(session, str(data.root))
    items = [form.split_combo.itemText(i) for i in range(form.split_combo.count())]
    assert items == ["test", "train (not downloaded)"]
    assert form.split_combo.itemData(1, Qt.ItemDataRole.ToolTipRole).endswith(
        "choosing it offers the download")
    assert form.split_combo.itemData(1) == "train"  # still there to choose
    CifarFixture(tmp_path / "both")
    form.show_session(session.with_data_root(str(tmp_path / "both")), "")
    assert [form.split_combo.itemText(i) for i in range(2)] == ["test", "train"]


def test_declining_the_download_of_a_missing_split_keeps_the_split_shown_without_a_false_error(
        tmp_path, monkeypatch, make_window, qtbot):
    data = CifarFixture(tmp_path / "data")
    trust_cifar_files(monkeypatch, "cifar10", data.folder)
    for i in range(1, 6):
        (data.folder / f"data_batch_{i}").unlink()
    w = make_window(data_root=str(data.root))
    w.form.split_combo.setCurrentIndex(w.form.split_combo.findData("train"))
    qtbot.waitUntil(lambda: w.data_prompt.dialog is not None, timeout=30000)
    assert "is not deleted" in w.data_prompt.dialog.text.text()
    w.data_prompt.dialog.quit_button.click()  # "Keep the images shown"
    qtbot.waitUntil(lambda: w.data_prompt.dialog is None, timeout=5000)
    assert w.session.split == "test" and w.form.split_combo.currentData() == "test"
    assert not w.error_banner.isVisible()
    assert w.status_label.text() == ("The train split is not in the data folder; the images"
                                     " shown stay. Choose it again under Split to download it.")


def test_downloading_the_missing_split_from_the_window_keeps_the_users_differing_copy(
        tmp_path, monkeypatch, make_window, qtbot):
    import hashlib

    from tests.test_datasets import _archive_of, _Server, serve_cifar_from

    full = CifarFixture(tmp_path / "full")
    payload = _archive_of(full.folder)
    server = _Server(payload)
    serve_cifar_from(monkeypatch, server.url, hashlib.md5(payload).hexdigest())
    data = CifarFixture(tmp_path / "data")
    trust_cifar_files(monkeypatch, "cifar10", data.folder)
    for i in range(1, 6):
        (data.folder / f"data_batch_{i}").unlink()
    (data.folder / "notes.txt").write_text("my notes")  # what the download does not bring
    try:
        w = make_window(data_root=str(data.root))
        w.form.split_combo.setCurrentIndex(w.form.split_combo.findData("train"))
        qtbot.waitUntil(lambda: w.data_prompt.dialog is not None, timeout=30000)
        w.data_prompt.dialog.download_button.click()
        qtbot.waitUntil(lambda: w.data_prompt.dialog is None, timeout=30000)
        qtbot.waitUntil(lambda: w.model.shown_session.split == "train", timeout=30000)
    finally:
        server.close()
    kept = data.root / "cifar-10-batches-py.kept"
    assert (kept / "notes.txt").read_text() == "my notes"
    assert w.statusBar().currentMessage() == (
        "The copy that was in the data folder differs from the download: it is kept in"
        f" {kept}")


def test_a_copy_of_only_the_train_split_shows_that_split_at_first_launch_and_says_so(
        tmp_path, monkeypatch, make_window, qtbot):
    data = CifarFixture(tmp_path / "data", n_test=20, n_train=100)
    trust_cifar_files(monkeypatch, "cifar10", data.folder)
    (data.folder / "test_batch").unlink()
    w = make_window(data_root=str(data.root), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.model.shown_session is not None, timeout=30000)
    shown = w.model.shown_session
    assert (shown.dataset, shown.split) == ("cifar10", "train")
    assert w.form.dataset_combo.currentData() == "cifar10"
    assert w.form.split_combo.currentData() == "train"
    assert w.last_view.result.num_batches * w.session.batch_size >= 100  # the 100 train images
    assert w.data_prompt.dialog is None
    assert w.error_banner.isVisible()
    assert w.error_banner.text() == (
        f"CIFAR-10 in {data.root} has only the train split, which is shown; the test split is"
        " missing. Choose it under Split to download it.")
