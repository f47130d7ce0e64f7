"""Training the small CNN per activation: it learns, it is deterministic, it can be
cancelled, and TensorBoard reads what it writes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import numpy as np
import pytest
import torch
from tensorboard.backend.event_processing import event_accumulator as ea

from activation_lens.engine.errors import CancelledError
from activation_lens.engine.network import build_network
from activation_lens.engine.pipeline import StepRequest
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.train import TrainLog, TrainSettings, load_training_data, train_all, train_one
from tests.helpers import read_images


@pytest.fixture
def data(cifar):
    return load_training_data(StepRequest(data_root=str(cifar.root)), train_on_test=True)


def settings(specs="relu", **changes) -> TrainSettings:
    return TrainSettings(tuple(parse_spec_list(specs)), **{"epochs": 2, "batch_size": 16,
                                                             **changes})


def test_without_the_train_split_the_test_split_is_cut_80_20_and_said_so(data, cifar):
    assert len(data.train_labels) == 104 and len(data.heldout_labels) == 26
    assert "first 104 test images" in data.note


def test_with_a_train_split_it_trains_on_it_and_holds_out_the_test_split(cifar):
    d = load_training_data(StepRequest(data_root=str(cifar.root)))
    assert len(d.train_labels) == 100 and len(d.heldout_labels) == 130
    assert "train split" in d.note


def test_a_short_training_run_changes_the_weights_and_reports_each_epoch(data):
    s = settings()
    before = build_network(s.specs[0], 32, s.seed).state_dict()
    reports = []
    result = train_one(s.specs[0], data, s, reports.append)
    assert any(not torch.equal(before[k], result.state[k]) for k in before)
    assert len(result.accuracies) == 2 and all(0 <= a <= 1 for a in result.accuracies)
    assert [r.epoch for r in reports if r.accuracy is not None] == [1, 2]
    assert len(result.losses) == 2 * 7  # 104 images in batches of 16


def test_the_same_settings_give_the_same_figures(data):
    a = train_one(parse_spec_list("tanh")[0], data, settings("tanh"))
    b = train_one(parse_spec_list("tanh")[0], data, settings("tanh"))
    assert a.losses == b.losses and a.accuracies == b.accuracies
    c = train_one(parse_spec_list("tanh")[0], data, settings("tanh", seed=1))
    assert c.losses != a.losses


def test_every_activation_starts_from_the_same_weights(data):
    relu, elu = parse_spec_list("relu,elu")
    a, b = build_network(relu, 32, 3).state_dict(), build_network(elu, 32, 3).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_cancel_stops_within_one_batch_and_keeps_what_finished(data):
    cancel = threading.Event()
    seen = []

    def report(p):
        seen.append(p)
        if p.spec.name == "tanh" and p.step >= 1:
            cancel.set()

    results = train_all(data, settings("relu,tanh,sigmoid", epochs=1), report, cancel)
    assert [str(r.spec) for r in results] == ["relu", "tanh"]
    assert not results[0].cancelled and results[0].accuracies
    assert results[1].cancelled and len(results[1].losses) <= 2
    with pytest.raises(CancelledError):
        cancel2 = threading.Event()
        cancel2.set()
        train_all(data, settings("relu"), None, cancel2)


def test_train_command_writes_one_tensorboard_run_per_activation(cifar_files, tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "activation_lens.gui.launch", "train", "--data-root", str(cifar_files.root),
         "--allow-unverified", "--activations", "relu,identity", "--epochs", "2",
         "--logdir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    assert "identity" in r.stdout and "held-out accuracy" in r.stdout
    for run in ("relu", "identity"):
        acc = ea.EventAccumulator(str(tmp_path / "logs" / run),
                                  size_guidance={ea.SCALARS: 0, ea.IMAGES: 0})
        acc.Reload()
        # the 100-image train split in batches of 64: 2 batches an epoch
        assert [e.step for e in acc.Scalars("heldout/accuracy")] == [2, 4]
        assert len(acc.Scalars("train/loss")) >= 2
        assert {"maps/conv1", "maps/conv2_act"} <= set(acc.Tags()["images"])


def test_epoch_maps_are_the_network_modes_panels_for_the_same_weights(cifar, data, tmp_path):
    from activation_lens.engine.export import export_session

    s = settings()
    log = TrainLog(tmp_path / "train", data)
    log.epoch_maps(s.specs[0], build_network(s.specs[0], 32, s.seed), 1, s)
    log.close()
    # held-out image 0 is test image 104 (the last 26 of 130): batch 13 of 8, its image 0
    req = StepRequest(data_root=str(cifar.root), mode="network", batch_size=8,
                      activations=s.specs)
    export_session(req, tmp_path / "network", "13")
    maps, shown = read_images(tmp_path / "train" / "relu"), read_images(tmp_path / "network")
    assert sorted(maps) == ["maps/conv1", "maps/conv1_act", "maps/conv2", "maps/conv2_act"]
    for tag in maps:
        assert np.array_equal(maps[tag][1], shown[tag.replace("maps", "relu")][13]), tag


def test_train_command_refuses_bad_arguments_in_one_line(cifar_files, tmp_path):
    for extra, fragment in ((["--lr", "-1"], "--lr must be above 0"),
                            (["--epochs", "0"], "--epochs: must be from 1"),
                            (["--activations", "nope"], "unknown activation 'nope'")):
        r = subprocess.run([sys.executable, "-m", "activation_lens.gui.launch", "train", "--data-root",
                            str(cifar_files.root), "--allow-unverified", *extra],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert fragment in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_train_command_says_before_training_that_the_run_cannot_be_saved(cifar_files, tmp_path):
    (cifar_files.root / "actlens-training").write_text("a file where the runs would go")
    r = subprocess.run([sys.executable, "-m", "activation_lens", "train", "--data-root",
                        str(cifar_files.root), "--allow-unverified", "--epochs", "1"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "trained runs cannot be saved in" in r.stderr and "before training" in r.stderr
    assert "held-out accuracy" not in r.stdout  # nothing was trained to be lost


def test_two_runs_started_in_the_same_second_get_their_own_folders(tmp_path):
    from activation_lens.engine.train import run_folder

    first, second = run_folder(tmp_path, settings()), run_folder(tmp_path, settings())
    assert first != second and first.is_dir() and second.is_dir()


def test_a_run_that_cannot_be_saved_keeps_its_results_to_be_saved_elsewhere(data, tmp_path):
    from activation_lens.engine.train import UnsavedRun, save_run

    s = settings("relu")
    results = train_all(data, s)
    (tmp_path / "blocked").write_text("a file, not a folder")
    with pytest.raises(UnsavedRun, match="saving the trained weights in .* failed") as failed:
        save_run(results, tmp_path / "blocked" / "run", s, data)
    kept = failed.value
    folder = save_run(kept.results, tmp_path / "elsewhere", kept.settings, kept.data)
    assert sorted(p.name for p in folder.iterdir()) == ["relu.pt", "run.json"]
    assert not list(folder.glob(".*.tmp"))  # each file whole, or not at all


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_while_saving_says_the_disk_is_full_not_an_internal_error(data, tmp_path):
    from activation_lens.engine.network import spec_file
    from activation_lens.engine.train import UnsavedRun, save_run

    s = settings("relu")
    results = train_all(data, s)
    folder = tmp_path / "run"
    folder.mkdir()
    # the weights' temporary file is /dev/full, where every write fails as on a full disk
    (folder / f".{spec_file(results[0].spec)}.{os.getpid()}.tmp").symlink_to("/dev/full")
    with pytest.raises(UnsavedRun) as failed:
        save_run(results, folder, s, data)
    message = str(failed.value)
    assert "no space left on the disk" in message and "enforce" not in message
    assert not folder.exists()  # nothing half-written is left, nor the empty run folder


def test_a_learning_rate_that_blows_the_loss_up_is_called_a_divergence(data):
    (result,) = train_all(data, settings("identity", lr=1.0, epochs=3))  # a linear network
    assert result.diverged, (result.losses[-1], result.heldout_losses)
    calm = train_all(data, settings("relu", lr=0.002, epochs=2))
    assert not calm[0].diverged


def blank_cifar(root):
    """CIFAR-format files whose images are all the same grey (unverified): nothing to learn,
    so every run ends at a guess's accuracy with a guess's loss."""
    from tests.conftest import CifarFixture, write_cifar_batch

    data = CifarFixture(root)
    write_cifar_batch(data.folder / "test_batch", np.full((130, 32, 32, 3), 128, np.uint8),
                      data.test_labels)
    for i in range(5):
        write_cifar_batch(data.folder / f"data_batch_{i + 1}",
                          np.full((20, 32, 32, 3), 128, np.uint8), data.train_labels[i * 20:][:20])
    return data


def actlens(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "activation_lens", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


def test_train_command_says_its_recipe_how_it_timed_and_trains_on_the_preprocessing_given(
        cifar_files):
    import json

    r = actlens("train", "--data-root", cifar_files.root, "--allow-unverified", "--no-download",
                "--activations", "relu,identity", "--epochs", "1", "--preprocess", "centered")
    assert r.returncode == 0, r.stderr
    recipe = ("Adam, learning rate 0.002, 1 epoch of 2 batches of 64 (2 steps), seed 0,"
              " preprocessing centered, device cpu; trained on the train split (100 images),"
              " held out: the test split")
    lines = r.stdout.splitlines()
    assert lines[0] == f"recipe: {recipe}" and f"actlens: {recipe}" in r.stderr
    assert lines[1].split()[-1] == "seconds*"
    timing = [line for line in lines if line.startswith("* seconds:")]
    assert timing and "timed after an untimed warm-up" in timing[0]
    assert "the warm-up took" in timing[0] and "not counted" in timing[0]
    (run,) = (cifar_files.root / "actlens-training").iterdir()
    saved = json.loads((run / "run.json").read_text())
    assert saved["recipe"] == recipe and saved["preprocess"] == "centered"
    assert saved["optimiser"] == "Adam" and saved["steps"] == 2 and saved["device"] == "cpu"
    assert "untimed warm-up" in saved["seconds_are"] and saved["warmup_seconds"] > 0


def test_train_command_refuses_a_preprocessing_as_the_export_does(cifar_files):
    errors = [actlens(command, "--preprocess", "nope", "--logdir", "x").stderr
              for command in ("train", "export")]
    assert "argument --preprocess: invalid choice: 'nope'" in errors[0]
    assert errors[0].split("error:")[1].split(" (see")[0] == \
        errors[1].split("error:")[1].split(" (see")[0]
    assert len(errors[0].strip().splitlines()) == 1


def test_train_command_with_no_download_fails_on_a_missing_data_set_at_once(tmp_path):
    r = actlens("train", "--data-root", tmp_path / "empty", "--no-download", timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "run without --no-download to download it" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert not (tmp_path / "empty" / "actlens-training").exists()


def test_a_run_that_learns_nothing_is_said_to_have_stayed_at_chance_not_to_diverge(tmp_path):
    data = blank_cifar(tmp_path / "data")
    r = actlens("train", "--data-root", data.root, "--allow-unverified", "--activations",
                "identity", "--epochs", "1")
    assert r.returncode == 0, r.stderr
    row = [line for line in r.stdout.splitlines() if line.startswith("identity")][0]
    assert row.startswith("identity (stayed at chance)") and "10.0%" in row
    assert "(diverged)" not in r.stdout
    assert "stayed at chance: its held-out accuracy ended at a guess's (10.0%)" in r.stdout
    assert "ln 10 = 2.30" in r.stdout


def test_a_divergence_is_not_called_staying_at_chance(data):
    from activation_lens.engine.train import TrainResult

    (result,) = train_all(data, settings("identity", lr=1.0, epochs=3))
    assert result.diverged and not result.stayed_at_chance
    guess = TrainResult(parse_spec_list("relu")[0], accuracies=[0.104],
                        heldout_losses=[2.3026], losses=[2.31])
    assert guess.stayed_at_chance and not guess.diverged
    learned = TrainResult(parse_spec_list("relu")[0], accuracies=[0.35],
                          heldout_losses=[1.9], losses=[1.8])
    assert not learned.stayed_at_chance


@pytest.mark.parametrize("loss", [2.5, 3.0, 4.5])
def test_a_run_at_chance_is_marked_whatever_its_loss_below_a_divergence(loss):
    from activation_lens.engine.train import TrainResult, chance_note

    run = TrainResult(parse_spec_list("relu")[0], accuracies=[0.101], heldout_losses=[loss],
                      losses=[loss])
    assert run.stayed_at_chance and not run.diverged
    assert chance_note([run]).startswith("stayed at chance: its held-out accuracy ended at a"
                                         " guess's (10.0%)")


def test_the_first_run_does_not_pay_the_start_up(data, monkeypatch):
    """A first training step that costs seconds (as torch's first one does) is paid in the
    untimed warm-up, before the first run starts, and the warm-up changes no figure."""
    import time

    from activation_lens.engine import train

    SLOW_S = 5.0  # noqa: N806 - counted in the run, it alone would make its time this long
    plain = train_one(parse_spec_list("tanh")[0], data, settings("tanh"))
    step, one, calls, steps_before_runs = train._train_step, train.train_one, [], []

    def slow_first(*args):
        calls.append(1)
        if len(calls) == 1:
            time.sleep(SLOW_S)
        return step(*args)

    def counted(*args, **kwargs):
        steps_before_runs.append(len(calls))
        return one(*args, **kwargs)

    monkeypatch.setattr(train, "_train_step", slow_first)
    monkeypatch.setattr(train, "train_one", counted)
    tanh, relu = train_all(data, settings("tanh,relu"))
    assert steps_before_runs[0] == 2  # the warm-up's step of each activation came first
    assert tanh.warmup_seconds >= SLOW_S and relu.warmup_seconds == 0
    assert tanh.seconds < SLOW_S  # the slow first step is not in its time
    assert tanh.losses == plain.losses and tanh.accuracies == plain.accuracies


def test_sigmoid_below_identity_is_explained_and_points_to_the_depth_view():
    from activation_lens.engine.train import TrainResult, sigmoid_note

    sigmoid, identity, relu = parse_spec_list("sigmoid,identity,relu")
    runs = [TrainResult(relu, accuracies=[0.5]), TrainResult(identity, accuracies=[0.41]),
            TrainResult(sigmoid, accuracies=[0.255])]
    note = sigmoid_note(runs)
    assert note.startswith("Sigmoid (25.5%) scores below identity (41.0%)")
    assert "centred on 0.5" in note and "Through a deep network" in note
    assert sigmoid_note(runs[:2]) is None
    assert sigmoid_note([runs[1], TrainResult(sigmoid, accuracies=[0.45])]) is None


def test_train_help_describes_the_command_and_every_option():
    import argparse

    from activation_lens.engine.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    train = sub.choices["train"]
    assert "held-out accuracy" in train.description
    undescribed = [a.option_strings for a in train._actions if not a.help]
    assert undescribed == []


def test_a_runs_run_json_given_as_weights_opens_the_run_as_the_window_does(
        data, cifar_files, tmp_path):
    from activation_lens.engine.train import save_run

    s = settings("relu,sigmoid")
    folder = save_run(train_all(data, s), tmp_path / "run", s, data)

    def export(weights, logdir):
        return subprocess.run(
            [sys.executable, "-m", "activation_lens", "export", "--data-root",
             str(cifar_files.root), "--allow-unverified", "--network", "--weights", str(weights),
             "--activations", "relu,sigmoid", "--batches", "0:1", "--logdir", str(logdir)],
            capture_output=True, text=True, timeout=120)

    for weights, logdir in ((folder / "run.json", "a"), (folder, "b")):
        done = export(weights, tmp_path / logdir)
        assert done.returncode == 0, done.stderr
    assert read_images(tmp_path / "a").keys() == read_images(tmp_path / "b").keys()
    for tag, steps in read_images(tmp_path / "a").items():
        assert np.array_equal(steps[0], read_images(tmp_path / "b")[tag][0]), tag


def _run_record(**changes) -> dict:
    record = {"classes": 10, "recipe": "relu with Adam", "results": {
        "relu": {"heldout_accuracy": [0.31], "seconds": 1.5, "stayed_at_chance": True}}}
    record.update(changes)
    return record


@pytest.mark.parametrize("write", [
    lambda p: os.mkfifo(p),  # a pipe: reading it would wait for a writer forever
    lambda p: p.write_text("[" * 1_000_000),  # nested deeper than the parser's recursion
    lambda p: p.write_text('{"classes": 1e400, "recipe": "r", "results": {}}'),
    lambda p: p.write_text(__import__("json").dumps(_run_record(classes=0))),
], ids=["fifo", "deep", "huge-count", "no-classes"])
def test_a_hostile_run_json_is_no_saved_run_and_answers_at_once(tmp_path, write):
    from activation_lens.engine.train import RUN_RECORD, load_run

    write(tmp_path / RUN_RECORD)
    answer = {}
    reader = threading.Thread(target=lambda: answer.update(run=load_run(tmp_path)), daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading run.json hung"
    assert answer["run"] is None


def test_a_run_json_whose_recipe_template_would_blow_up_shows_its_plain_recipe(tmp_path):
    import json

    from activation_lens.engine.train import RUN_RECORD, load_run

    (tmp_path / RUN_RECORD).write_text(json.dumps(_run_record(recipe_text={
        "template": "{x:>100000000000}", "args": {"x": "relu with Adam"}})))
    run = load_run(tmp_path)
    assert run is not None and run.recipe == "relu with Adam"


def test_a_train_split_that_is_there_but_damaged_is_reported_not_replaced_by_the_test_split(
        cifar_files):
    from activation_lens.engine.errors import ActlensError

    (cifar_files.folder / "data_batch_1").write_bytes(b"not a pickle")
    request = StepRequest(data_root=str(cifar_files.root), allow_unverified=True)
    with pytest.raises(ActlensError, match="data_batch_1"):
        load_training_data(request)
