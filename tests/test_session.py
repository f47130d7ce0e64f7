"""The session model: defaults written once, settings in and out, command lines, requests;
and the shuffle option that the model made a three-file change."""

from __future__ import annotations

import argparse

import numpy as np

from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.session import Session, add_session_options
from activation_lens.engine.settings import Settings


def test_default_session_is_the_tutorial_and_its_request_matches_the_engines_defaults():
    s = Session()
    assert (s.dataset, s.split, s.batch_size, s.preprocess, s.display) == (
        "cifar10", "test", 64, "to_tensor", "clip")
    assert [str(x) for x in s.specs] == ["relu", "sigmoid"]
    assert s.request() == StepRequest()


def test_session_survives_a_round_trip_through_the_settings_file(tmp_path):
    s = Session(dataset="cifar100", split="train", batch_index=7, batch_size=16,
                coarse_labels=True, shuffle_seed=42, preprocess="centered", display="signed",
                specs=tuple(parse_spec_list("tanh,elu(alpha=0.5),relu")),
                enabled=(True, False, True), logdir="/tmp/logs").with_data_root("/data/x")
    store = Settings(tmp_path / "s.ini")
    s.to_settings(store)
    assert store.sync()
    assert Session.from_settings(Settings(tmp_path / "s.ini")) == s


def test_disabled_specs_are_kept_but_not_requested():
    s = Session().with_specs([(parse_spec_list("tanh")[0], False),
                              (parse_spec_list("relu")[0], True)])
    assert [str(x) for x in s.specs] == ["tanh", "relu"]
    assert [str(x) for x in s.request().activations] == ["relu"]


def test_each_data_set_remembers_its_own_folder():
    s = Session().with_data_root("/cifar")
    s = s.with_(dataset="folder").with_data_root("/photos")
    assert s.data_root == "/photos"
    assert s.with_(dataset="cifar10").data_root == "/cifar"
    assert s.with_(dataset="mnist").data_root == "/cifar"  # the shared root


def test_a_data_root_on_the_command_line_wins_over_every_remembered_data_set_folder(tmp_path):
    p = argparse.ArgumentParser()
    add_session_options(p, defaults=False)
    remembered = Session(dataset="sample").with_data_root("/old").with_(dataset="cifar100")\
        .with_data_root("/old100").with_(dataset="folder").with_data_root("/photos")\
        .with_(dataset="sample")
    s = remembered.with_args(p.parse_args(["--data-root", str(tmp_path)]))
    for dataset in ("sample", "cifar10", "cifar100", "mnist"):
        assert s.with_(dataset=dataset).data_root == str(tmp_path)
    assert s.with_(dataset="folder").data_root == "/photos"  # an image folder is its own


def test_command_line_options_override_the_remembered_session_and_others_stand():
    p = argparse.ArgumentParser()
    add_session_options(p, defaults=False)
    remembered = Session(batch_size=16, display="signed", batch_index=5)
    s = remembered.with_args(p.parse_args(["--activations", "gelu", "--shuffle-seed", "3"]))
    assert [str(x) for x in s.specs] == ["gelu"] and s.shuffle_seed == 3
    assert (s.batch_size, s.display, s.batch_index) == (16, "signed", 5)
    assert remembered.with_args(p.parse_args(["--split", "train"])).batch_index == 0


def test_export_command_line_defaults_are_the_sessions():
    p = argparse.ArgumentParser()
    add_session_options(p, defaults=True)
    args = p.parse_args([])
    assert Session().with_args(args) == Session()


def test_a_shuffled_session_shows_every_image_once_in_an_order_fixed_by_its_seed(cifar):
    engine = Engine()
    plain = Session().with_data_root(str(cifar.root))

    def images(session):
        req = session.request()
        n = engine.source(req).num_batches(req.batch_size)
        return np.concatenate([engine.run(req.with_(batch_index=i)).batch.images
                               for i in range(n)])

    order = images(plain)
    seven = images(plain.with_(shuffle_seed=7))
    assert not np.array_equal(order, seven)
    assert np.array_equal(np.sort(order.reshape(len(order), -1), axis=0),
                          np.sort(seven.reshape(len(seven), -1), axis=0))
    assert np.array_equal(images(plain.with_(shuffle_seed=7)), seven)
    assert not np.array_equal(images(plain.with_(shuffle_seed=8)), seven)


def test_the_shuffle_box_reorders_the_window_and_is_remembered(cifar, make_window, qtbot):
    from tests.test_gui import settle

    w = make_window(data_root=str(cifar.root))
    first = w.last_view.result.batch.images.copy()
    w.form.shuffle_spin.setValue(5)
    w.form.shuffle_check.setChecked(True)
    settle(qtbot, w, 0)
    assert w.last_view.result.request.shuffle_seed == 5
    assert not np.array_equal(w.last_view.result.batch.images, first)
    w.close()
    w2 = make_window()
    assert w2.form.shuffle_check.isChecked() and w2.session.shuffle_seed == 5
