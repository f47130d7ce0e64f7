"""Every elementwise activation of ``torch.nn``, with typed, range-checked parameters.

An activation is written as spec text a person can type and read back::

    relu
    leaky_relu(negative_slope=0.2)
    hardtanh(min_val=-0.5, max_val=0.5)

``parse_spec`` turns text into an :class:`ActivationSpec`, ``str(spec)`` prints it back in
canonical form (parameters left at their default are omitted), and ``build_module`` makes the
``torch.nn`` module. The GUI's parameter forms and the CLI both read :data:`ACTIVATIONS`.
This module imports torch lazily so that listing and parsing stay instant.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ActlensError, quote_user
from .text import Text

Number = float | int


@dataclass(frozen=True)
class Param:
    """One constructor argument of an activation.

    ``kind`` is ``float``, ``int``, ``bool`` or ``str``; ``low``/``high`` bound numbers
    (inclusive unless ``low_open``/``high_open``); ``choices`` lists the allowed strings.
    """

    name: str
    kind: type
    default: Any
    low: Number | None = None
    high: Number | None = None
    low_open: bool = False
    high_open: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""

    def describe_range(self) -> str:
        if self.kind is bool:
            return Text("true or false")
        if self.kind is str:
            return Text("one of {choices}", choices=", ".join(self.choices))
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        interval = f"{left}{lo}, {hi}{right}"
        return Text("an integer in {interval}", interval=interval) if self.kind is int else \
            Text("a number in {interval}", interval=interval)

    def check(self, value: Any, activation: str) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ActlensError."""
        problem = ActlensError(Text(
            "{activation}: {name}={value} is not allowed; expected {allowed}",
            activation=activation, name=self.name, value=quote_user(_fmt(value), 40),
            allowed=self.describe_range()))
        if self.kind is bool:
            if isinstance(value, bool):
                return value
            raise problem
        if self.kind is str:
            if value in self.choices:
                return value
            raise problem
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise problem
        if self.kind is int:
            if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
                raise problem
            value = int(value)
        else:
            try:
                value = float(value)
            except OverflowError:  # an integer with thousands of digits
                raise problem from None
            if not math.isfinite(value):
                raise problem
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            raise problem
        if self.high is not None and (value > self.high or (self.high_open and value == self.high)):
            raise problem
        return value


@dataclass(frozen=True)
class Activation:
    """A registry entry: spec name, the ``torch.nn`` class name, parameters, output bounds."""

    name: str
    module: str
    params: tuple[Param, ...] = ()
    summary: str = ""
    # Output bounds for the saturation statistic; a function of the parameter values.
    bounds: Callable[[dict[str, Any]], tuple[float, float] | None] = field(
        default=lambda p: None, compare=False, repr=False
    )
    channelwise: bool = False
    randomised: bool = False
    # Constraints between parameters (or on values torch refuses inside a declared range):
    # a function of the checked values returning what is wrong, or None.
    relations: Callable[[dict[str, Any]], str | None] = field(
        default=lambda p: None, compare=False, repr=False
    )

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        allowed = ", ".join(p.name for p in self.params) or "no parameters"
        raise ActlensError(
            f"{self.name} has no parameter '{quote_user(name, 40)}' (it takes {allowed})")


def _fixed(lo: float, hi: float):
    return lambda p: (lo, hi)


_SLOPE = Param("negative_slope", float, 0.01, -10.0, 10.0, help=Text("slope for x < 0"))
# Lower bounds above zero where torch divides by the value in float32 (celu, softplus): a
# tiny positive value overflows (celu raises, softplus returns inf).
_ALPHA = Param("alpha", float, 1.0, 0.001, 10.0, help=Text("scale of the negative part"))
_LAMBD = Param("lambd", float, 0.5, 0.0, 10.0, help=Text("half-width of the zeroed band"))
_SEED = Param("seed", int, 0, 0, 2**31 - 1, help=Text("random seed (results are reproducible)"))

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("identity", "Identity", summary=Text(
            "x: no activation (the linear baseline a network is compared to)")),
        Activation("relu", "ReLU", summary="max(0, x)"),
        Activation("relu6", "ReLU6", summary="min(max(0, x), 6)", bounds=_fixed(0.0, 6.0)),
        Activation("leaky_relu", "LeakyReLU", (_SLOPE,), "x if x > 0 else slope * x"),
        Activation(
            "prelu",
            "PReLU",
            (
                Param("num_parameters", int, 1, 1, 3, help=Text("1 shared slope, or 3 (one per channel)")),
                Param("init", float, 0.25, -10.0, 10.0, help=Text("initial slope for x < 0")),
            ),
            Text("learnable leaky ReLU (at its initial slope)"),
            relations=lambda p: None if p["num_parameters"] in (1, 3) else (
                f"num_parameters must be 1 (one shared slope) or 3 (one per colour channel),"
                f" not {p['num_parameters']}"),
        ),
        Activation(
            "rrelu",
            "RReLU",
            (
                Param("lower", float, 1 / 8, 0.0, 1.0, help=Text("lowest random slope")),
                Param("upper", float, 1 / 3, 0.0, 1.0, help=Text("highest random slope")),
                Param("training", bool, True, help=Text("random slopes (true) or their mean (false)")),
                _SEED,
            ),
            Text("leaky ReLU with a random slope in [lower, upper]"),
            randomised=True,
            relations=lambda p: None if p["lower"] <= p["upper"] else (
                f"lower must not exceed upper (got {_fmt(p['lower'])} > {_fmt(p['upper'])})"),
        ),
        Activation("elu", "ELU", (_ALPHA,), "x if x > 0 else alpha * (exp(x) - 1)"),
        Activation("selu", "SELU", summary=Text("scaled ELU (self-normalising)")),
        Activation("celu", "CELU", (_ALPHA,), "x if x > 0 else alpha * (exp(x / alpha) - 1)"),
        Activation(
            "gelu",
            "GELU",
            (Param("approximate", str, "none", choices=("none", "tanh")),),
            "x * Phi(x)",
        ),
        Activation("silu", "SiLU", summary="x * sigmoid(x)"),
        Activation("mish", "Mish", summary="x * tanh(softplus(x))"),
        Activation("sigmoid", "Sigmoid", summary="1 / (1 + exp(-x))", bounds=_fixed(0.0, 1.0)),
        Activation(
            "hardsigmoid", "Hardsigmoid", summary="clip(x / 6 + 1/2, 0, 1)", bounds=_fixed(0.0, 1.0)
        ),
        Activation("logsigmoid", "LogSigmoid", summary="log(sigmoid(x))"),
        Activation("tanh", "Tanh", summary="tanh(x)", bounds=_fixed(-1.0, 1.0)),
        Activation(
            "hardtanh",
            "Hardtanh",
            (
                Param("min_val", float, -1.0, -100.0, 100.0, help=Text("lower clip value")),
                Param("max_val", float, 1.0, -100.0, 100.0, help=Text("upper clip value")),
            ),
            "clip(x, min_val, max_val)",
            bounds=lambda p: (p["min_val"], p["max_val"]),
            relations=lambda p: None if p["min_val"] < p["max_val"] else (
                f"min_val must be less than max_val (got {_fmt(p['min_val'])}"
                f" >= {_fmt(p['max_val'])})"),
        ),
        Activation("hardswish", "Hardswish", summary="x * hardsigmoid(x)"),
        Activation(
            "softplus",
            "Softplus",
            (
                Param("beta", float, 1.0, 0.001, 100.0, help=Text("sharpness")),
                # exp(threshold) must stay finite in float32 (exp(88.7) does not).
                Param("threshold", float, 20.0, 0.0, 80.0, low_open=True,
                      help=Text("linear above beta * x > threshold")),
            ),
            "log(1 + exp(beta * x)) / beta",
        ),
        Activation("softsign", "Softsign", summary="x / (1 + |x|)", bounds=_fixed(-1.0, 1.0)),
        Activation("softshrink", "Softshrink", (_LAMBD,), "x - lambd*sign(x), 0 in [-lambd, lambd]"),
        Activation("hardshrink", "Hardshrink", (_LAMBD,), "x outside [-lambd, lambd], else 0"),
        Activation("tanhshrink", "Tanhshrink", summary="x - tanh(x)"),
        Activation(
            "threshold",
            "Threshold",
            (
                Param("threshold", float, 0.5, -100.0, 100.0, help=Text("values <= threshold ...")),
                Param("value", float, 0.0, -100.0, 100.0, help=Text("... are replaced by value")),
            ),
            "x if x > threshold else value",
        ),
        Activation("softmax", "Softmax", summary=Text("softmax over the colour channels"),
                   bounds=_fixed(0.0, 1.0), channelwise=True),
        Activation("softmin", "Softmin", summary=Text("softmin over the colour channels"),
                   bounds=_fixed(0.0, 1.0), channelwise=True),
        Activation("log_softmax", "LogSoftmax", summary=Text("log softmax over the colour channels"),
                   channelwise=True),
    ]
}


@dataclass(frozen=True)
class ActivationSpec:
    """A validated activation with its full parameter values (defaults filled in)."""

    name: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def entry(self) -> Activation:
        return ACTIVATIONS[self.name]

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.values)

    def __str__(self) -> str:
        changed = [
            f"{p.name}={_fmt(v)}"
            for p, (_, v) in zip(self.entry.params, self.values)
            if v != p.default
        ]
        return f"{self.name}({', '.join(changed)})" if changed else self.name

    def output_bounds(self) -> tuple[float, float] | None:
        return self.entry.bounds(self.params)


def make_spec(name: str, values: dict[str, Any] | None = None) -> ActivationSpec:
    """Validate ``values`` for activation ``name`` and fill in defaults."""
    key = name.strip().lower().replace("-", "_") if isinstance(name, str) else ""
    if key not in ACTIVATIONS:
        import difflib

        near = difflib.get_close_matches(key, list(ACTIVATIONS), n=2, cutoff=0.6)
        if near:
            raise ActlensError(Text("unknown activation '{name}'; did you mean {near}?",
                                    name=quote_user(name, 40), near=" or ".join(near)))
        raise ActlensError(Text("unknown activation '{name}'; known: {known}",
                                name=quote_user(name, 40), known=", ".join(ACTIVATIONS)))
    entry = ACTIVATIONS[key]
    values = dict(values or {})
    for given in values:
        entry.param(given)  # raises for an unknown parameter name
    checked = tuple(
        (p.name, p.check(values.get(p.name, p.default), key)) for p in entry.params
    )
    spec = ActivationSpec(key, checked)
    problem = entry.relations(spec.params)
    if problem:
        raise ActlensError(f"{spec}: {problem}")
    return spec


MAX_ACTIVATIONS = 12  # per session: each is a panel computed and drawn at every step


_SPEC_RE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*(?:\((.*)\))?\s*$", re.S)


def parse_spec(text: str) -> ActivationSpec:
    """Parse ``name`` or ``name(key=value, ...)``; raise ActlensError saying what is allowed."""
    shown = quote_user(text.strip())
    m = _SPEC_RE.match(text)
    if not m:
        raise ActlensError(Text(
            "cannot read activation '{shown}'; write it as name or name(key=value, ...), e.g."
            " leaky_relu(negative_slope=0.2)", shown=shown))
    name, body = m.group(1), m.group(2)
    values: dict[str, Any] = {}
    if body and body.strip():
        for item in _split_top(body):
            if "=" not in item:
                raise ActlensError(
                    f"in '{shown}': '{quote_user(item.strip(), 40)}' needs the form key=value"
                )
            key, raw = (s.strip() for s in item.split("=", 1))
            if key in values:
                raise ActlensError(f"in '{shown}': parameter '{quote_user(key, 40)}' is given twice")
            values[key] = _parse_value(raw)
    return make_spec(name, values)


def parse_spec_list(text: str) -> list[ActivationSpec]:
    """Parse a comma-separated list of specs (commas inside parentheses belong to a spec)."""
    items = [s for s in _split_top(text) if s.strip()]
    if not items:
        raise ActlensError("no activation given; e.g. --activations relu,sigmoid")
    if len(items) > MAX_ACTIVATIONS:
        raise ActlensError(
            f"{len(items)} activations given; at most {MAX_ACTIVATIONS} can be shown at once")
    return [parse_spec(s) for s in items]


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ActlensError(f"unbalanced ')' in '{quote_user(text)}'")
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        raise ActlensError(f"unbalanced '(' in '{quote_user(text)}'")
    parts.append(text[start:])
    return parts


def _parse_value(raw: str) -> Any:
    low = raw.lower()
    if low in ("true", "false"):
        return low == "true"
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        return raw[1:-1]
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def build_module(spec: ActivationSpec):
    """The ``torch.nn`` module for ``spec``, in eval mode unless the spec asks otherwise."""
    import torch
    from torch import nn

    p = spec.params
    cls = getattr(nn, spec.entry.module)
    if spec.entry.channelwise:
        return cls(dim=1)
    if spec.name == "rrelu":
        module = _seeded_rrelu_class()(p["lower"], p["upper"], p["seed"])
        return module.train(p["training"])
    if spec.name == "prelu":
        module = _checked_prelu_class()(num_parameters=p["num_parameters"], init=p["init"])
        module.requires_grad_(False)
        return module
    module = cls(**p)
    if isinstance(module, torch.nn.Module):
        module.eval()
    return module


@functools.cache
def _checked_prelu_class():
    from torch import nn

    class CheckedPReLU(nn.PReLU):
        """PReLU that says in one line when its slopes do not match the image's channels
        (3 slopes on single-channel MNIST), instead of torch's RuntimeError."""

        def forward(self, x):
            if self.num_parameters != 1 and (x.dim() < 2 or x.shape[1] != self.num_parameters):
                channels = x.shape[1] if x.dim() >= 2 else 1
                raise ActlensError(Text(
                    "prelu(num_parameters={n}) needs images with {n} channels; these have"
                    " {channels} (use num_parameters=1)", n=self.num_parameters,
                    channels=channels))
            return super().forward(x)

    return CheckedPReLU


@functools.cache
def _seeded_rrelu_class():
    from torch import nn

    class SeededRReLU(nn.RReLU):
        """RReLU whose random slopes come from a private generator: same seed, same slopes."""

        def __init__(self, lower: float, upper: float, seed: int):
            super().__init__(lower, upper)
            self.seed = seed

        def forward(self, x):
            import torch

            if not self.training:
                return super().forward(x)
            gen = torch.Generator(device=x.device).manual_seed(self.seed)
            slopes = torch.empty(x.shape, device=x.device, dtype=x.dtype)
            slopes.uniform_(self.lower, self.upper, generator=gen)
            return torch.where(x >= 0, x, x * slopes)

    return SeededRReLU


def describe_all() -> str:
    """A human-readable table of every activation and its parameters (for ``--help``)."""
    lines = []
    for a in ACTIVATIONS.values():
        params = ", ".join(f"{p.name}={_fmt(p.default)} ({p.describe_range()})" for p in a.params)
        lines.append(f"  {a.name:<12} {a.summary}" + (f"\n               {params}" if params else ""))
    return "\n".join(lines)
