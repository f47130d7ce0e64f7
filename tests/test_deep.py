"""The depth mode on small real-format data: its numbers are plain autograd's, its theory is
the formula's, and the maths' verdicts hold (ReLU with Kaiming keeps the gradient, Sigmoid
loses it whatever the initialisation)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from activation_lens.engine.errors import ActlensError
from activation_lens.engine.modes import deep
from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import parse_spec_list


def spec(text):
    return parse_spec_list(text)[0]


def request_for(cifar, **changes) -> StepRequest:
    return StepRequest(data_root=str(cifar.root), mode="deep", preprocess="centered", **changes)


def test_per_layer_statistics_equal_plain_autograd_on_the_same_network(cifar):
    req = request_for(cifar, activations=(spec("tanh"),), depth=6, width=8, init="xavier",
                      deep_seed=3)
    result = Engine().run(req)
    (profile,) = result.details.profiles
    net = deep.build_stack(spec("tanh"), 6, 8, "xavier", 3, False)
    head = deep.build_head(8, 10, 3)
    x = torch.from_numpy(result.panels[0].raw)  # the preprocessed batch
    labels = torch.as_tensor(np.asarray(result.batch.labels))
    h, outs, zs = x.clone(), [], []
    for conv in net.convs:
        z = conv(h)
        a = torch.tanh(z)
        a.retain_grad()
        zs.append(z)
        outs.append(a)
        h = a
    F.cross_entropy(head(h.mean((2, 3))), labels).backward()
    for lp, a, z in zip(profile.layers, outs, zs):
        assert lp.value_std == pytest.approx(float(a.detach().std()), rel=1e-5)
        assert lp.grad_std == pytest.approx(float(a.grad.std()), rel=1e-5)
        slope = 1 - torch.tanh(z.detach()) ** 2
        assert lp.saturated == pytest.approx(float((slope.abs() < 0.01).float().mean()))
        assert lp.dead == pytest.approx(float((a.detach() == 0).float().mean()))
        counts, _ = lp.value_hist
        assert counts.sum() == min(a.numel(), deep.HIST_SAMPLE)


@pytest.mark.parametrize(("act", "unbounded"), [("relu", True), ("identity", True),
                                               ("sigmoid", False)])
def test_the_statistics_of_a_stack_that_blows_up_are_those_of_its_values_in_float64(
        act, unbounded):
    # Each layer multiplies the signal by about 1e3: float32's sums overflow near layer 7,
    # the values themselves turn infinite, then NaN, by layer 14 (Sigmoid's stay in [0, 1],
    # pinned at 0 and 1).
    torch.manual_seed(0)
    net = deep.build_stack(spec(act), 16, 4, "kaiming", 0, False)
    with torch.no_grad():
        for conv in net.convs:
            conv.weight.mul_(3e3)
    head = deep.build_head(4, 10, 0)
    x = torch.randn(4, 3, 8, 8)
    labels = torch.tensor([0, 1, 2, 3])
    profile = deep.profile(net, head, spec(act), "kaiming", x, labels, 4, False)
    h = x
    with torch.no_grad():
        for lp, conv in zip(profile.layers, net.convs):
            z = conv(h)
            h = net.act(z)
            ref = h.double()
            expected = float(ref.std()) if bool(h.isfinite().all()) else math.nan
            assert lp.value_std == pytest.approx(expected, rel=1e-5, nan_ok=True)
            assert lp.dead == float((h == 0).double().mean())
            with torch.enable_grad():
                zz = z.detach().requires_grad_()
                (slope,) = torch.autograd.grad(net.act(zz).sum(), zz)
            assert lp.saturated == float((slope.abs() < 0.01).double().mean())
    if unbounded:
        assert any(math.isnan(lp.value_std) for lp in profile.layers)  # it did blow up
        assert any(1e19 < lp.value_std < 1e38 for lp in profile.layers)  # past the overflow


@pytest.mark.parametrize(("act", "init", "per_layer"), [
    ("relu", "kaiming", 1.0),
    ("relu", "xavier", 2 ** -0.5),
    ("relu", "default", 6 ** -0.5),
    ("leaky_relu(negative_slope=0.2)", "kaiming", 1.0),
    ("identity", "xavier", 1.0),
])
def test_the_theory_line_is_the_variance_formula(act, init, per_layer):
    line = deep.theory(spec(act), init, 10, 16, False)
    assert line[-1] == 1.0
    for layer in range(1, 11):
        assert line[layer - 1] == pytest.approx(per_layer ** (10 - layer))


def test_an_average_pool_divides_the_gradients_std_by_four_in_the_theory():
    line = deep.theory(spec("relu"), "kaiming", 9, 16, True)
    assert deep.pool_after(9, True) == (3, 6)
    assert line == pytest.approx([1 / 16] * 3 + [1 / 4] * 3 + [1.0] * 3)


def test_activations_without_a_closed_form_have_no_theory_line():
    assert deep.theory(spec("tanh"), "kaiming", 5, 16, False) is None
    assert deep.theory(spec("gelu"), "default", 5, 16, False) is None


def test_relu_with_kaiming_keeps_the_gradient_and_sigmoid_loses_it_at_depth_20(cifar):
    req = request_for(cifar, activations=(spec("relu"), spec("sigmoid")),
                      init="default,xavier,kaiming")
    profiles = {(str(p.spec), p.init): p for p in Engine().run(req).details.profiles}
    assert 0.25 <= profiles[("relu", "kaiming")].ratio <= 4
    for init in deep.INITS:
        assert profiles[("sigmoid", init)].ratio < 1e-6
    assert profiles[("relu", "default")].ratio < 1e-5  # PyTorch's own init vanishes too


def test_the_same_seed_draws_the_same_weights_for_every_activation():
    a = deep.build_stack(spec("relu"), 4, 8, "kaiming", 7, False)
    b = deep.build_stack(spec("tanh"), 4, 8, "kaiming", 7, False)
    c = deep.build_stack(spec("relu"), 4, 8, "default", 7, False)
    d = deep.build_stack(spec("sigmoid"), 4, 8, "default", 7, False)
    for ca, cb, cc, cd in zip(a.convs, b.convs, c.convs, d.convs):
        ratio = deep.gain(spec("relu")) / deep.gain(spec("tanh"))
        assert torch.allclose(ca.weight, cb.weight * ratio)
        assert torch.equal(cc.weight, cd.weight)


def test_the_panels_are_the_selected_images_maps_at_the_chosen_layer(cifar):
    req = request_for(cifar, activations=(spec("relu"),), depth=5, width=6, layer=3, image=2,
                      init="kaiming,xavier")
    result = Engine().run(req)
    assert [p.tag for p in result.panels] == ["input", "relu/kaiming/layer3_act",
                                               "relu/xavier/layer3_act"]
    # every card shows the same layer (the view says which): the title names the pair
    assert [p.title for p in result.panels[1:]] == ["relu · kaiming", "relu · xavier"]
    net = deep.build_stack(spec("relu"), 5, 6, "kaiming", 0, False)
    h = torch.from_numpy(result.panels[0].raw[2:3])
    with torch.no_grad():
        for conv in net.convs[:3]:
            h = torch.relu(conv(h))
    assert np.allclose(result.panels[1].raw[:, 0], h[0].numpy(), atol=1e-6)
    assert result.details.layer == 3


def test_an_unknown_initialisation_is_one_clear_error(cifar):
    with pytest.raises(ActlensError, match="unknown initialisation 'he'; use default, xavier"):
        Engine().run(request_for(cifar, init="kaiming,he"))


def test_actlens_deep_prints_the_table_and_json(cifar, capsys):
    from activation_lens.engine.cli import main

    args = ["deep", "--data-root", str(cifar.root), "--activations", "relu,sigmoid",
            "--init", "kaiming", "--depth", "8", "--preprocess", "centered"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "gradient std, layer 1 / layer 8" in out and "relu · kaiming" in out
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(p["activation"], p["init"]) for p in data["profiles"]] == [
        ("relu", "kaiming"), ("sigmoid", "kaiming")]
    assert len(data["layers"]) == 16 and data["layers"][0]["layer"] == 1
    assert math.isclose(data["profiles"][0]["theory_ratio"], 1.0)
    with pytest.raises(SystemExit) as refused:  # one line from the argument parser
        main([*args, "--init", "nope"])
    assert refused.value.code == 2


def test_actlens_deep_writes_one_tensorboard_run_per_pair_with_the_layer_as_step(
        cifar, tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from activation_lens.engine.cli import main

    assert main(["deep", "--data-root", str(cifar.root), "--activations", "relu,tanh",
                 "--init", "xavier", "--depth", "5", "--logdir", str(tmp_path / "tb")]) == 0
    runs = sorted(p.name for p in (tmp_path / "tb").iterdir())
    assert runs == ["relu-xavier", "tanh-xavier"]
    acc = EventAccumulator(str(tmp_path / "tb" / "relu-xavier"),
                           size_guidance={"scalars": 0, "histograms": 0})
    acc.Reload()
    assert [e.step for e in acc.Scalars("gradient std")] == [1, 2, 3, 4, 5]
    assert [e.step for e in acc.Histograms("gradients")] == [1, 2, 3, 4, 5]
    assert "gradient std, theory" in acc.Tags()["scalars"]


def test_a_stack_too_large_for_memory_is_refused_before_it_is_built(cifar):
    with pytest.raises(ActlensError, match="use a smaller batch, width or depth"):
        Engine().run(request_for(cifar, batch_size=1024, width=64, depth=64))


def test_a_bad_initialisation_is_refused_on_the_command_line_and_forgotten_from_settings(
        isolated_settings, capsys):
    from activation_lens.engine.cli import main
    from activation_lens.engine.session import Session
    from activation_lens.engine.settings import open_settings

    with pytest.raises(SystemExit) as refused:
        main(["deep", "--init", "kaiming,,he"])
    assert refused.value.code == 2
    assert "unknown initialisation 'he'" in capsys.readouterr().err
    store = open_settings()
    store.set("deep/init", "bogus")
    store.set("session/mode", "deep")
    store.sync()
    assert Session.from_settings(open_settings()).init == "kaiming"


def test_actlens_deep_refuses_the_options_of_another_view(cifar, capsys):
    from activation_lens.engine.cli import main

    assert main(["deep", "--data-root", str(cifar.root), "--network"]) == 2
    assert "leave out the options of another view" in capsys.readouterr().err


def test_the_json_of_a_diverging_stack_is_standard_json(cifar, capsys):
    from activation_lens.engine.cli import main

    assert main(["deep", "--data-root", str(cifar.root), "--activations",
                 "leaky_relu(negative_slope=10)", "--init", "default", "--depth", "40",
                 "--batch-size", "4", "--json"]) == 0
    json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(c))


def test_the_deep_stacks_options_are_refused_with_another_view_and_taken_by_actlens_deep(
        cifar, capsys, tmp_path):
    from activation_lens.engine.cli import main

    assert main(["export", "--data-root", str(cifar.root), "--depth", "5",
                 "--logdir", str(tmp_path / "x")]) == 2
    assert "--depth belongs to --deep" in capsys.readouterr().err
    assert main(["deep", "--data-root", str(cifar.root), "--depth", "5", "--width", "4",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["depth"] == 5
    assert main(["deep", "--data-root", str(cifar.root), "--depth", "5", "--layer", "6"]) == 2
    assert "--layer 6 is past the stack's 5 layers" in capsys.readouterr().err


def test_a_second_actlens_deep_writes_its_runs_beside_the_first_ones(cifar, tmp_path):
    from activation_lens.engine.cli import main

    args = ["deep", "--data-root", str(cifar.root), "--activations", "relu", "--init",
            "xavier", "--depth", "3", "--width", "4", "--logdir", str(tmp_path / "tb")]
    assert main(args) == 0 and main(args) == 0
    assert sorted(p.name for p in (tmp_path / "tb").iterdir()) == ["relu-xavier", "relu-xavier-2"]
    assert not [p for p in (tmp_path / "tb" / "relu-xavier").iterdir() if p.is_dir()]


def test_the_maps_of_every_stack_share_one_scale_so_a_weaker_signal_is_shown_greyer(cifar):
    result = Engine().run(request_for(cifar, activations=(spec("relu"), spec("tanh")),
                                      init="default", depth=12, width=4, layer=12))
    panels = result.panels[1:]
    peaks = [float(np.abs(p.raw).max()) for p in panels]
    peak = max(peaks)
    for p, own in zip(panels, peaks):
        spread = float(np.abs(p.images.astype(float) - 127.5).max())
        assert spread == pytest.approx(127.5 * own / peak, abs=1.0)
        assert "one scale for every stack" in str(p.note)


@pytest.mark.parametrize("act", ["identity", "relu", "sigmoid", "tanh", "gelu", "softplus"])
def test_every_kind_of_activation_goes_through_the_stack(cifar, act):
    (profile,) = Engine().run(request_for(cifar, activations=(spec(act),), depth=3,
                                          width=4)).details.profiles
    assert len(profile.layers) == 3
    assert all(0 <= lp.saturated <= 1 for lp in profile.layers)
    if act == "identity":
        assert all(lp.saturated == 0 for lp in profile.layers)  # its slope is 1 everywhere


@pytest.mark.parametrize("act", ["softmax", "softmin", "log_softmax"])
def test_the_saturated_share_of_a_channel_mixing_activation_is_its_jacobians_diagonal(act):
    net = deep.build_stack(spec(act), 3, 4, "kaiming", 0, False)
    head = deep.build_head(4, 10, 0)
    x = torch.randn(2, 3, 6, 6)
    profile = deep.profile(net, head, spec(act), "kaiming", x, torch.tensor([0, 1]), 4, False)
    h = x
    with torch.no_grad():
        for lp, conv in zip(profile.layers, net.convs):
            z = conv(h)
            h = net.act(z)
            diagonal = []  # ∂a_i/∂z_i, one channel at a time
            for c in range(z.shape[1]):
                with torch.enable_grad():
                    zz = z.detach().requires_grad_()
                    (g,) = torch.autograd.grad(net.act(zz)[:, c].sum(), zz)
                diagonal.append(g[:, c])
            slope = torch.stack(diagonal, 1)
            assert lp.saturated == pytest.approx(float((slope.abs() < 0.01).double().mean()),
                                                 abs=1e-9)
    assert any(lp.saturated < 1 for lp in profile.layers)
