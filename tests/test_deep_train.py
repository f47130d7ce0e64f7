"""Training at depth on small real-format data: every pair sees the same batches from the
same seed, a diverging pair is reported as such while the others go on, cancelling keeps the
steps done, and ``actlens deep --train-steps`` prints and writes the runs."""

from __future__ import annotations

import json
import math
import threading

import pytest

from activation_lens.engine import deep_train
from activation_lens.engine.errors import ActlensError, CancelledError
from activation_lens.engine.pipeline import StepRequest
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.train import load_training_data


def specs(text):
    return tuple(parse_spec_list(text))


@pytest.fixture
def data(cifar):
    return load_training_data(StepRequest(data_root=str(cifar.root)), train_on_test=True)


def settings(**changes):
    base = dict(specs=specs("relu"), inits=("kaiming",), depth=4, width=4, steps=6,
                batch_size=16, preprocess="centered")
    base.update(changes)
    return deep_train.DeepTrainSettings(**base)


def test_each_step_records_the_loss_and_every_layers_weight_gradient(data):
    (run,) = deep_train.train_pairs(data, settings())
    assert len(run.losses) == 6 and all(math.isfinite(v) for v in run.losses)
    assert run.grad_matrix().shape == (4, 6)
    assert (run.grad_matrix() > 0).all()
    assert [s for s, _ in run.evaluated] == deep_train.evaluation_steps(6)
    assert run.evaluated[-1][0] == 6 and 0 <= run.accuracy <= 1
    assert run.state() == "done"


def test_the_same_seed_gives_the_same_run_and_the_pairs_share_their_first_batch(data):
    first = deep_train.train_pairs(data, settings(specs=specs("relu,tanh")))
    again = deep_train.train_pairs(data, settings(specs=specs("relu")))
    assert first[0].losses == again[0].losses
    # the same weights draw and the same batch: a different activation, a different loss
    assert first[0].losses[0] != first[1].losses[0]


def test_sgd_and_adam_train_differently_from_the_same_start(data):
    (adam,) = deep_train.train_pairs(data, settings(optimiser="adam"))
    (sgd,) = deep_train.train_pairs(data, settings(optimiser="sgd"))
    assert adam.losses[0] == sgd.losses[0]  # the first loss is before any update
    assert adam.losses[1:] != sgd.losses[1:]


def test_a_diverging_pair_is_reported_as_diverged_and_the_others_go_on(data):
    runs = deep_train.train_pairs(data, settings(
        specs=specs("leaky_relu(negative_slope=3),tanh"), inits=("default",), depth=12,
        optimiser="sgd", lr=10.0, steps=8))
    diverged, tanh = runs
    assert diverged.diverged_at is not None and "diverged at step" in diverged.state()
    assert not math.isfinite(diverged.losses[-1])
    assert len(tanh.losses) == 8 and tanh.diverged_at is None


def test_cancelling_keeps_the_runs_done_and_the_steps_of_the_one_it_cut(data):
    cancel = threading.Event()

    def report(step):
        if step.spec.name == "tanh" and step.step == 3:
            cancel.set()

    runs = deep_train.train_pairs(data, settings(specs=specs("relu,tanh,sigmoid")), report,
                                  cancel)
    assert [r.spec.name for r in runs] == ["relu", "tanh"]
    assert len(runs[0].losses) == 6 and not runs[0].cancelled
    assert runs[1].cancelled and len(runs[1].losses) == 3
    assert runs[1].evaluated[-1][0] == 3  # its accuracy is measured where it stopped


def test_cancelling_before_the_first_step_is_a_cancellation(data):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        deep_train.train_pairs(data, settings(), cancel=cancel)


@pytest.mark.parametrize(("changes", "message"), [
    ({"steps": 0}, "train steps must be from 1"),
    ({"optimiser": "rmsprop"}, "unknown optimiser 'rmsprop'"),
    ({"lr": float("nan")}, "the learning rate must be above 0"),
    ({"lr": -1.0}, "the learning rate must be above 0"),
])
def test_bad_training_settings_are_one_clear_error(data, changes, message):
    with pytest.raises(ActlensError, match=message):
        deep_train.train_pairs(data, settings(**changes))


def test_actlens_deep_trains_every_pair_and_writes_json_and_tensorboard(cifar, capsys, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from activation_lens.engine.cli import main

    args = ["deep", "--data-root", str(cifar.root), "--activations", "relu,sigmoid",
            "--init", "kaiming", "--depth", "3", "--width", "4", "--batch-size", "16",
            "--train-steps", "5", "--optimizer", "sgd", "--train-on-test"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "trained: 5 steps of SGD with momentum 0.9, learning rate 0.01" in out
    assert "relu · kaiming" in out.split("trained:")[1] and "done" in out
    assert main([*args, "--json", "--logdir", str(tmp_path / "tb")]) == 0
    data = json.loads(capsys.readouterr().out)
    runs = data["training"]["runs"]
    assert [(r["activation"], r["steps"]) for r in runs] == [("relu", 5), ("sigmoid", 5)]
    assert runs[0]["heldout_accuracy"][-1]["step"] == 5
    acc = EventAccumulator(str(tmp_path / "tb" / "train-relu-kaiming"), size_guidance={"scalars": 0})
    acc.Reload()
    assert [e.step for e in acc.Scalars("train/loss")] == [1, 2, 3, 4, 5]
    assert "train/grad std layer 01" in acc.Tags()["scalars"]
    assert [e.step for e in acc.Scalars("heldout/accuracy")][-1] == 5


def test_actlens_deep_refuses_an_unknown_optimizer_in_one_line(cifar, capsys):
    from activation_lens.engine.cli import main

    assert main(["deep", "--data-root", str(cifar.root), "--train-steps", "2",
                 "--optimizer", "lbfgs"]) == 2
    assert "unknown optimiser 'lbfgs'" in capsys.readouterr().err


def test_actlens_deep_refuses_a_bad_log_dir_or_rate_before_computing_anything(cifar, capsys, tmp_path):
    from activation_lens.engine.cli import main

    afile = tmp_path / "afile"
    afile.write_text("x")
    base = ["deep", "--data-root", str(cifar.root), "--depth", "2", "--width", "2"]
    assert main([*base, "--train-steps", "2", "--logdir", str(afile)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "afile" in captured.err
    assert main([*base, "--train-steps", "2", "--lr", "0"]) == 2
    assert "the learning rate must be above 0" in capsys.readouterr().err


def test_an_activation_named_twice_is_trained_once(data):
    runs = deep_train.train_pairs(data, settings(specs=specs("relu,relu"), steps=2))
    assert [r.label for r in runs] == ["relu · kaiming"]


def test_training_options_without_train_steps_are_refused(cifar, capsys):
    from activation_lens.engine.cli import main

    assert main(["deep", "--data-root", str(cifar.root), "--lr", "0.1"]) == 2
    assert "belong to --train-steps" in capsys.readouterr().err
