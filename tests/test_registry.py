"""Activation specs: parsing, printing, validation and the modules they build."""

import pytest
import torch
import torch.nn.functional as F

from activation_lens.engine.errors import ActlensError
from activation_lens.engine.registry import ACTIVATIONS, build_module, make_spec, parse_spec, parse_spec_list

# Classes of torch.nn.modules.activation that are not elementwise activations, and why; each
# reason is checked below, so an entry that stops being true fails too.
NOT_ELEMENTWISE = {
    "GLU": "halves the channel dimension (a gate, not a function of each value)",
    "MultiheadAttention": "attention over a sequence with learned projections",
    "Softmax2d": "the same function as softmax over the colour channels, already listed",
}
# Not in torch.nn.modules.activation, and still in the registry, and why.
ALSO_LISTED = {
    "Identity": "no activation: the linear baseline a network is compared to",
}


def torch_activation_classes() -> set[str]:
    """Every nn.Module class that torch defines in torch.nn.modules.activation."""
    import inspect

    from torch.nn.modules import activation

    return {name for name, cls in vars(activation).items()
            if inspect.isclass(cls) and issubclass(cls, torch.nn.Module)
            and cls.__module__ == activation.__name__}


def test_registry_knows_every_elementwise_torch_activation():
    expected = torch_activation_classes() - set(NOT_ELEMENTWISE) | set(ALSO_LISTED)
    listed = [entry.module for entry in ACTIVATIONS.values()]
    assert len(listed) == len(set(listed)), "a torch class is listed twice"
    assert set(listed) == expected


def test_every_class_left_out_of_the_registry_is_in_torch_and_not_elementwise():
    assert set(NOT_ELEMENTWISE) <= torch_activation_classes()
    x = torch.randn(2, 4, 5, 5)
    assert torch.nn.GLU(dim=1)(x).shape == (2, 2, 5, 5)
    with pytest.raises(TypeError):
        torch.nn.MultiheadAttention()  # it needs an embedding size: no function of a value
    softmax = build_module(make_spec("softmax"))
    assert torch.allclose(torch.nn.Softmax2d()(x), softmax(x))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_activation_builds_and_keeps_the_batch_shape(name):
    x = torch.linspace(-3, 3, 2 * 3 * 4 * 4).reshape(2, 3, 4, 4)
    y = build_module(make_spec(name))(x)
    assert y.shape == x.shape and y.dtype == torch.float32


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
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
        ("reluu", "unknown activation 'reluu'; did you mean relu"),
        ("sigmod", "did you mean sigmoid"),
        ("zzz", "known: identity, relu"),
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


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
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
