"""What a data set declares when it registers, and what the session and the command line do
with the declaration: nothing outside the data sets compares their names."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.cli import main as actlens_main
from activation_lens.engine.data import datasets
from activation_lens.engine.data.datasets import (
    ArraySource,
    DatasetInfo,
    dataset_info,
    dataset_names,
    offline_stand_in,
    register,
    user_folder_dataset,
)
from activation_lens.engine.errors import ActlensError
from activation_lens.engine.session import Session

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def registered():
    """``registered(name, info, downloader=None)`` registers a small in-memory data set of 6
    images of 8 x 8 pixels, 2 classes; it is gone again after the test."""
    names = []

    def opener(opts):
        images = np.arange(6 * 8 * 8 * 3, dtype=np.uint8).reshape(6, 8, 8, 3)
        labels = np.array([0, 1, 0, 1, 0, 1], dtype=np.int64)
        return ArraySource("fake", opts.split, images, labels, ["odd", "even"],
                           (0.5,) * 3, (0.25,) * 3)

    def add(name, info, downloader=None):
        dataset_names()  # the built-in data sets first, as at start-up
        register(name, opener, downloader, info)
        names.append(name)

    yield add
    for name in names:
        for table in (datasets.OPENERS, datasets.DOWNLOADERS, datasets.INFOS):
            table.pop(name, None)


def test_the_built_in_data_sets_declare_what_sets_them_apart():
    assert dataset_info("cifar10") == DatasetInfo(title="CIFAR-10", downloadable=True,
                                                  translated_classes=True)
    assert dataset_info("cifar100").coarse_labels and dataset_info("cifar100").downloadable
    assert dataset_info("mnist") == DatasetInfo(title="MNIST", downloadable=True)
    assert dataset_info("fashion-mnist").title == "Fashion-MNIST"
    folder = dataset_info("folder")
    assert folder.user_folder and not folder.downloadable and not folder.coarse_labels
    sample = dataset_info("sample")
    assert sample.stands_in_for == "cifar10" and sample.translated_classes
    assert not sample.downloadable


def test_the_sample_stands_in_offline_and_the_folder_data_set_opens_dropped_folders():
    assert offline_stand_in() == "sample"
    assert user_folder_dataset() == "folder"


def test_a_name_nobody_registered_is_plain_to_ask_about_but_cannot_be_opened(tmp_path):
    assert dataset_info("no-such-set") == DatasetInfo(title="no-such-set")
    with pytest.raises(ActlensError, match="unknown dataset 'no-such-set'"):
        datasets.open_source("no-such-set", tmp_path)


def test_downloadable_follows_whether_a_downloader_was_registered(registered):
    registered("fake-dl", DatasetInfo(title="Fake"), downloader=lambda root, **kw: None)
    registered("fake-local", DatasetInfo(title="Fake", downloadable=True))
    assert dataset_info("fake-dl").downloadable and datasets.can_download("fake-dl")
    assert not dataset_info("fake-local").downloadable
    assert not datasets.can_download("fake-local")


def test_a_registered_data_set_is_listed_after_the_built_in_ones(registered):
    registered("fake", DatasetInfo(title="Fake"))
    names = dataset_names()
    assert names[-1] == "fake"
    assert names[:6] == ["cifar10", "cifar100", "mnist", "fashion-mnist", "sample", "folder"]


def test_the_export_command_accepts_and_exports_a_registered_data_set(registered, tmp_path,
                                                                       capsys):
    registered("fake", DatasetInfo(title="Fake"))
    rc = actlens_main(["export", "--dataset", "fake", "--data-root", str(tmp_path),
                       "--logdir", str(tmp_path / "logs"), "--batch-size", "3"])
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "wrote 2 steps x 3 tags" in err
    assert list((tmp_path / "logs").rglob("events.out.tfevents.*"))


def test_the_command_line_refuses_a_data_set_nobody_registered(tmp_path, capsys):
    with pytest.raises(SystemExit):
        actlens_main(["export", "--dataset", "fake", "--logdir", str(tmp_path)])
    assert "invalid choice: 'fake'" in capsys.readouterr().err


def test_a_user_folder_data_set_keeps_its_own_data_root_apart_from_the_shared_one(registered):
    registered("photos", DatasetInfo(title="my photos", user_folder=True))
    s = Session().with_data_root("/shared")
    assert s.with_(dataset="photos").data_root == ""  # never the downloadable sets' folder
    s = s.with_(dataset="photos").with_data_root("/pictures")
    assert s.data_root == "/pictures"
    assert s.with_(dataset="cifar10").data_root == "/shared"  # untouched by the user's folder


def test_a_data_root_on_the_command_line_keeps_every_user_folder_data_sets_root(registered):
    registered("photos", DatasetInfo(title="my photos", user_folder=True))
    s = Session(dataset="photos").with_data_root("/pictures").with_(dataset="cifar10")
    s = s.with_data_root("/old")
    given = s.with_args(argparse.Namespace(data_root="/new"))
    assert given.data_root == "/new"
    assert given.with_(dataset="photos").data_root == "/pictures"
    assert given.with_(dataset="cifar100").data_root == "/new"  # the old shared one is gone


def test_coarse_labels_reach_the_engine_only_for_a_data_set_that_offers_them(registered):
    registered("fake-coarse", DatasetInfo(title="Fake", coarse_labels=True))
    assert Session(dataset="fake-coarse", coarse_labels=True).request().coarse_labels
    assert not Session(dataset="cifar10", coarse_labels=True).request().coarse_labels


def test_registering_before_the_built_in_data_sets_are_found_keeps_them_and_loads_no_torch():
    code = (
        "import sys\n"
        "from activation_lens.engine.data import datasets\n"
        "datasets.register('early', lambda o: None, info=datasets.DatasetInfo(title='Early'))\n"
        "names = datasets.dataset_names()\n"
        "print(names[0], names[-1], datasets.offline_stand_in(),"
        " any(m.split('.')[0] in ('torch', 'torchvision') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.split() == ["cifar10", "early", "sample", "False"], out.stderr


def test_the_window_translates_class_names_only_for_data_sets_with_cifar10s_classes(
        registered, qapp):
    from PySide6.QtCore import QLocale

    from activation_lens.gui import i18n

    registered("fake-cifar", DatasetInfo(title="Fake", translated_classes=True))
    locale = QLocale()
    translators = i18n.install(qapp, "zh_CN")
    try:
        assert translators
        for dataset in ("cifar10", "sample", "fake-cifar"):
            assert i18n.class_name("cat", dataset) == "猫", dataset
        for dataset in ("folder", "cifar100", "no-such-set"):
            assert i18n.class_name("cat", dataset) == "cat", dataset  # the user's own word
    finally:
        for t in translators:
            qapp.removeTranslator(t)
        QLocale.setDefault(locale)
