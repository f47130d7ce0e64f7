"""The built-in sample: real images on the first launch, offline."""

from __future__ import annotations

import subprocess
import sys

from activation_lens.engine.data import datasets
from tests.helpers import read_images


def test_the_sample_is_1000_test_images_with_every_class_in_each_batch():
    src = datasets.open_source("sample", "/nonexistent")
    assert len(src) == 1000 and len(src.classes) == 10
    images, labels = src.read(0, 64)
    assert images.shape == (64, 32, 32, 3) and len(set(labels.tolist())) == 10
    assert "not pixel-identical" in src.notes[0]


def test_export_of_the_sample_works_offline_and_says_what_it_is(tmp_path):
    r = subprocess.run([sys.executable, "-m", "activation_lens", "export", "--dataset", "sample",
                        "--batches", "0:2", "--logdir", str(tmp_path / "logs")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "built-in sample" in r.stderr
    assert sorted(read_images(tmp_path / "logs")["input"]) == [0, 1]


def test_without_cifar_the_window_opens_on_the_sample_and_offers_the_download(
        tmp_path, make_window, qtbot):
    w = make_window(data_root=str(tmp_path / "empty"), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.last_view is not None and w.data_prompt.dialog is not None,
                    timeout=30000)
    assert w.last_view.result.request.dataset == "sample"
    assert "built-in sample" in w.form.notes_label.text()
    assert w.data_prompt.dialog.download_button.isEnabled()


def test_declining_the_download_keeps_the_sample_showing_without_an_error(
        tmp_path, make_window, qtbot):
    w = make_window(data_root=str(tmp_path / "empty"), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.last_view is not None and w.data_prompt.dialog is not None,
                    timeout=30000)
    dialog = w.data_prompt.dialog
    assert dialog.quit_button.text() == "Keep the sample"
    dialog.quit_button.click()
    qtbot.waitUntil(lambda: w.data_prompt.dialog is None)
    assert w.isVisible() and w.error_banner.isHidden()
    assert w.session.dataset == "sample" and "sample" in w.status_label.text()


def test_the_sample_standing_in_for_missing_cifar_is_not_remembered_as_the_choice(
        tmp_path, make_window, qtbot, isolated_settings):
    from activation_lens.engine.settings import Settings

    w = make_window(data_root=str(tmp_path / "empty"), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.last_view is not None and w.data_prompt.dialog is not None,
                    timeout=30000)
    w.data_prompt.dialog.quit_button.click()
    w.close()
    assert Settings(isolated_settings).text("data/dataset", "") == "cifar10"
