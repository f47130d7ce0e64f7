"""Activation specs: parsing, printing, validation and the modules they build."""

import pytest
import torch
import torch.nn.functional as F

from engine.errors import ActlensError
from engine.registry import ACTIVATIONS, build_module, make_spec, parse_spec, parse_spec_list

EXPECTED = {
    "relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "selu", "celu", "gelu", "silu",
    "mish", "sigmoid", "hardsigmoid", "logsigmoid", "tanh", "hardtanh", "hardswish",
    "softplus", "softsign", "softshrink", "hardshrink", "tanhshrink", "threshold",
    "softmax", "softmin", "log_softmax",
    "identity",  # no activation: the linear baseline a network is compared to
}


def test_registry_knows_every_elementwise_torch_activation():
    assert set(ACTIVATIONS) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_activation_builds_and_keeps_the_batch_shape(name):
    x = torch.linspace(-3, 3, 2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    y = build_module(make_spec(name))(x)
    assert y.shape == x.shape and y.dtype == torch.float32


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_spec_text_round_trips_for_defaults(name):
    spec = make_spec(name)
    assert str(spec) == name
    assert parse_spec(str(spec)) == spec


def test_changed_parameters_print_in_declared_order_and_parse_back():
    spec = parse_spec("hardtanh( max_val=0.5 , min_val=-0.5)")
    assert str(spec) == "hardtanh(min_val=-0.5, max_val=0.5)"
    assert parse_spec(str(spec)) == spec


def test_leaky_relu_spec_builds_module_with_that_slope():
    m = build_module(parse_spec("leaky_relu(negative_slope=0.2)"))
    x = torch.tensor([-1.0, 2.0])
    assert torch.equal(m(x), F.leaky_relu(x, 0.2))


def test_spec_list_splits_on_top_level_commas_only():
    specs = parse_spec_list("relu,hardtanh(min_val=-0.5,max_val=0.5),sigmoid")
    assert [str(s) for s in specs] == ["relu", "hardtanh(min_val=-0.5, max_val=0.5)", "sigmoid"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("reluu", "unknown activation 'reluu'"),
        ("leaky_relu(slope=0.2)", "no parameter 'slope'"),
        ("leaky_relu(negative_slope=abc)", "expected a number in [-10, 10]"),
        ("elu(alpha=0)", "expected a number in [0.001, 10]"),
        ("softplus(beta=1e9)", "expected a number in [0.001, 100]"),
        ("gelu(approximate=fast)", "one of none, tanh"),
        ("hardtanh(min_val=1, max_val=0)", "min_val must be less than max_val"),
        ("rrelu(lower=0.5, upper=0.1)", "lower must not exceed upper"),
        ("relu(", "unbalanced '('"),
        ("elu(alpha)", "needs the form key=value"),
        ("elu(alpha=1, alpha=2)", "given twice"),
        ("", "no activation given"),
    ],
)
def test_invalid_specs_explain_what_is_allowed(text, fragment):
    with pytest.raises(ActlensError, match=None) as info:
        parse_spec_list(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_numeric_parameter_accepts_its_bounds_and_rejects_just_outside(name):
    entry = ACTIVATIONS[name]
    for p in entry.params:
        if p.kind not in (int, float):
            continue
        for bound, is_open, outside in ((p.low, p.low_open, -1), (p.high, p.high_open, 1)):
            if bound is None:
                continue
            step = 1 if p.kind is int else max(abs(bound) * 1e-6, 1e-9)
            if not is_open:
                p.check(bound, name)
            with pytest.raises(ActlensError):
                p.check(bound + outside * step if not is_open else bound, name)


def test_rrelu_with_the_same_seed_gives_the_same_output_and_another_seed_differs():
    x = -torch.rand(1, 3, 8, 8) - 0.1
    a = build_module(parse_spec("rrelu(seed=3)"))(x)
    b = build_module(parse_spec("rrelu(seed=3)"))(x)
    c = build_module(parse_spec("rrelu(seed=4)"))(x)
    assert torch.equal(a, b) and not torch.equal(a, c)
    slopes = a / x
    assert slopes.min() >= 1 / 8 - 1e-6 and slopes.max() <= 1 / 3 + 1e-6


def test_softmax_runs_over_the_colour_channels():
    x = torch.randn(2, 3, 4, 4)
    y = build_module(make_spec("softmax"))(x)
    assert torch.allclose(y.sum(dim=1), torch.ones(2, 4, 4))


def test_output_bounds_follow_parameters():
    assert parse_spec("hardtanh(min_val=-0.5, max_val=0.5)").output_bounds() == (-0.5, 0.5)
    assert make_spec("sigmoid").output_bounds() == (0.0, 1.0)
    assert make_spec("relu").output_bounds() is None
