"""Through a deep network: a plain stack of convolutions, each followed by the activation,
measured for one forward and one backward pass of the current batch.

The stack is ``depth`` 3×3 convolutions of ``width`` channels (no normalisation, no
shortcut), optionally two 2×2 average pools (after a third and two thirds of the layers),
a global average pool and a linear classifier; the loss is the cross-entropy against the
batch's labels. Per layer and per (activation, initialisation): the std of the activation's
output and of the gradient that reaches it, the share of saturated values (|f'| < 0.01 at
the layer's input, the Curve tab's measure) and of dead ones (exactly 0), and histograms of
both. The theory's prediction of the gradient's std, where one exists, is drawn beside it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from ..errors import ActlensError, quote_user
from ..inspection import SMALL_GRADIENT  # the Curve tab's measure of a vanished slope
from ..panels import INPUT_TAG, Role
from ..text import Text, join
from .base import Mode, Option, selected_image
from .network import IMAGE

INITS = ("default", "xavier", "kaiming")
NEEDS_DEEP = "{} belongs to --deep (the deep stack) or actlens deep"
MAX_DEPTH = 64
HIST_BINS = 48
HIST_SAMPLE = 65_536  # values per layer counted in its histograms (see _sample)
# Values one profile keeps per layer for its backward pass (about 5 copies of each): 80 M
# is about 1.6 GB; batch 64 through 64 layers of 16 channels at 32×32 is 67 M.
MAX_ELEMENTS = 80_000_000
# E[f'(z)^2] for z symmetric about 0, where it does not depend on z's spread: the factor by
# which the activation scales the gradient's variance on its way back.
_SLOPE_SQUARED = {
    "relu": lambda p: 0.5,
    "leaky_relu": lambda p: (1 + p.get("negative_slope", 0.01) ** 2) / 2,
    "identity": lambda p: 1.0,
}
# torch.nn.init.calculate_gain's names for the activations it knows
_GAIN_NAMES = {"relu": "relu", "leaky_relu": "leaky_relu", "tanh": "tanh",
               "sigmoid": "sigmoid", "selu": "selu", "identity": "linear"}


def canonical_inits(text: str) -> str:
    """``"Kaiming, xavier,kaiming"`` → ``"kaiming,xavier"``; ActlensError for a bad name."""
    return ",".join(parse_inits(text))


def parse_inits(text: str) -> tuple[str, ...]:
    """``"default,kaiming"`` → ``("default", "kaiming")``; ActlensError for anything else."""
    names = [t.strip().lower() for t in str(text).split(",") if t.strip()]
    bad = [n for n in names if n not in INITS]
    if bad or not names:
        raise ActlensError(f"unknown initialisation '{quote_user(bad[0] if bad else text)}';"
                           f" use {', '.join(INITS)} (comma-separated for several)")
    return tuple(dict.fromkeys(names))


def gain(spec) -> float | None:
    """``torch.nn.init.calculate_gain`` for ``spec``'s activation; None where torch has none."""
    from torch.nn.init import calculate_gain

    name = _GAIN_NAMES.get(spec.name)
    if name is None:
        return None
    if name == "leaky_relu":
        return calculate_gain(name, spec.params.get("negative_slope", 0.01))
    return calculate_gain(name)


def pool_after(depth: int, pool: bool) -> tuple[int, ...]:
    """The layers (1-based) followed by a 2×2 average pool."""
    if not pool or depth < 3:
        return ()
    return (math.ceil(depth / 3), math.ceil(2 * depth / 3))


def build_stack(spec, depth: int, width: int, init: str, seed: int, pool: bool,
                channels: int = 3):
    """The convolutions for ``spec``. The same seed draws the same weights for every
    activation and initialisation (scaled differently)."""
    import torch
    from torch import nn

    from ..registry import build_module

    with torch.inference_mode(False):  # its parameters take part in a backward pass
        return _stack(spec, depth, width, init, seed, pool, channels, torch, nn, build_module)


def _stack(spec, depth, width, init, seed, pool, channels, torch, nn, build_module):
    torch.manual_seed(seed)  # PyTorch's default initialisation draws from the global RNG
    convs = nn.ModuleList(nn.Conv2d(channels if i == 0 else width, width, 3, padding=1)
                          for i in range(depth))
    if init != "default":
        g = torch.Generator().manual_seed(seed)
        k = gain(spec) or 1.0
        with torch.no_grad():
            for conv in convs:
                fan_in, fan_out = conv.in_channels * 9, conv.out_channels * 9
                std = math.sqrt(2 / (fan_in + fan_out)) if init == "xavier" \
                    else k / math.sqrt(fan_in)
                conv.weight.copy_(torch.randn(conv.weight.shape, generator=g) * std)
                conv.bias.zero_()
    net = nn.Module()
    net.convs, net.act = convs, build_module(spec)
    net.pools = pool_after(depth, pool)
    return net


def theory(spec, init: str, depth: int, width: int, pool: bool, channels: int = 3):
    """The predicted std of the gradient at each layer relative to the last one (a list of
    ``depth`` floats), or None where the activation has no closed form: each layer's
    convolution and activation multiply the gradient's variance by
    ``fan_out · Var(w) · E[f'(z)²]`` (He et al. 2015, eq. 13), and a 2×2 average pool
    divides its std by 4."""
    slope = _SLOPE_SQUARED.get(spec.name)
    if slope is None:
        return None
    e = slope(spec.params)
    k = gain(spec) or 1.0
    pools = pool_after(depth, pool)
    out = [1.0] * depth
    for layer in range(depth - 1, 0, -1):  # from layer+1 (1-based) back to layer
        fan_in, fan_out = width * 9, width * 9
        var_w = {"default": 1 / (3 * fan_in), "xavier": 2 / (fan_in + fan_out),
                 "kaiming": k * k / fan_in}[init]
        factor = math.sqrt(fan_out * var_w * e)
        if layer in pools:
            factor /= 4
        out[layer - 1] = out[layer] * factor
    return out


def check_size(shape, depth: int, width: int, pool: bool) -> None:
    """Refuse a stack whose backward pass would hold more than MAX_ELEMENTS values."""
    n, _, h, w = shape
    total, pools = 0, pool_after(depth, pool)
    for layer in range(1, depth + 1):
        total += n * width * h * w
        if layer in pools:
            h, w = max(h // 2, 1), max(w // 2, 1)
    if total > MAX_ELEMENTS:
        raise ActlensError(f"a stack of {depth} layers of {width} channels on {n} images of"
                           f" {shape[2]}×{shape[3]} holds {total:,} values per pass; at most"
                           f" {MAX_ELEMENTS:,} (use a smaller batch, width or depth)")


@dataclass(frozen=True)
class LayerProfile:
    layer: int  # 1-based
    value_std: float
    grad_std: float
    saturated: float  # share of the layer's values where |f'(z)| < 0.01
    dead: float  # share exactly 0
    value_hist: tuple[np.ndarray, np.ndarray]  # (counts, edges)
    grad_hist: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class DepthProfile:
    """One (activation, initialisation) through the stack, for one batch."""

    spec: object
    init: str
    loss: float
    layers: tuple[LayerProfile, ...]
    theory: tuple[float, ...] | None  # relative to the last layer's gradient std

    @property
    def ratio(self) -> float:
        """The gradient's std at layer 1 over its std at the last layer."""
        last = self.layers[-1].grad_std
        return self.layers[0].grad_std / last if last > 0 else math.nan

    @property
    def label(self) -> str:
        return f"{self.spec} · {self.init}"


def build_head(width: int, classes: int, seed: int):
    """The linear classifier after the global average pool (PyTorch's default init)."""
    import torch
    from torch import nn

    with torch.inference_mode(False):
        torch.manual_seed(seed + 1)
        return nn.Linear(width, classes)


def stack_logits(net, head, x, keep=None):
    """The stack's class scores for ``x``; ``keep(layer, z, a)`` sees each layer's
    pre-activation and output (1-based layer)."""
    import torch.nn.functional as F

    h = x
    for i, conv in enumerate(net.convs, start=1):
        z = conv(h)
        a = net.act(z)
        if keep is not None:
            keep(i, z, a)
        h = F.avg_pool2d(a, 2) if i in net.pools else a
    return head(h.mean((2, 3)))


@dataclass
class _Measured:
    """What one layer's pass leaves behind: the statistics and the histogram samples."""

    value_std: float = 0.0
    dead: float = 0.0
    saturated: float = 0.0
    value_sample: object = None
    grad_std: float = 0.0
    grad_sample: object = None


def measure_pass(net, head, x, labels):
    """One forward and one backward pass of ``x`` through ``net``: the loss and a _Measured
    per layer. Each layer is measured as the pass produces it, while it is still in the
    processor's cache (a layer of a batch is a few MB; measured afterwards, the statistics
    cost half as much again as the pass itself), and only the gradients that reach the
    activations are computed: the weights' gradients are not part of the profile."""
    import torch
    import torch.nn.functional as F

    measured: list[_Measured] = []
    outputs = []

    def keep(_, z, a):
        m = _Measured()
        with torch.no_grad():
            v = a.detach()
            m.value_sample = _sample(v).clone()
            m.value_std = _std(v, _centre(m.value_sample))
            m.dead = _share_zero(v)
        m.saturated = _saturated(net.act, z, a.detach(), m)
        a.register_hook(lambda g, m=m: _measure_grad(m, g))
        measured.append(m)
        outputs.append(a)

    with torch.enable_grad():
        loss = F.cross_entropy(stack_logits(net, head, x, keep), labels)
        torch.autograd.grad(loss, outputs[0])  # every layer's hook sees its gradient
    return float(loss.detach()), measured


def _saturated(act, z, a, m: _Measured) -> float:
    """The share of the layer where |f'(z)| < 0.01. ReLU's slope is 0 exactly where its
    output is 0 and 1 elsewhere, so there it is the dead share (half the update's cost of
    measuring a ReLU layer). Softmax, softmin and log-softmax mix the channels: their slope
    is the Jacobian's diagonal, ∂a_i/∂z_i (a(1 - a), and 1 - e^a for log-softmax); the
    gradient of their sum, which autograd would give, is 0 everywhere. Elsewhere f'(z)
    itself, by autograd."""
    import torch
    from torch import nn

    if type(act) is nn.ReLU and math.isfinite(m.value_std):  # no NaN (NaN's slope is 0)
        return m.dead
    with torch.no_grad():
        if isinstance(act, (nn.Softmax, nn.Softmin)):
            return _share_below(a * (1 - a), SMALL_GRADIENT)
        if isinstance(act, nn.LogSoftmax):
            return _share_below(1 - a.exp(), SMALL_GRADIENT)
    return _share_below(_slope(act, z), SMALL_GRADIENT)


def _slope(act, z):
    """f'(z) elementwise, by autograd: the activation is elementwise."""
    import torch

    with torch.enable_grad():
        z = z.detach().requires_grad_()
        (slope,) = torch.autograd.grad(act(z).sum(), z)
    return slope


def _centre(sample) -> float:
    """A guess at the mean worth taking off before the sums of _std: the sample's mean where
    it is large beside the sample's spread, else 0."""
    mean, std = float(sample.mean()), float(sample.std()) if sample.numel() > 1 else 0.0
    return mean if math.isfinite(mean) and abs(mean) > std else 0.0


def _measure_grad(m: _Measured, g) -> None:
    import torch

    with torch.no_grad():
        m.grad_std, m.grad_sample = _std(g), _sample(g).clone()


def profile(net, head, spec, init: str, x, labels, width: int, pool: bool) -> DepthProfile:
    """Forward and backward ``x`` through ``net``; per-layer statistics."""
    from ..stats import histogram

    loss, measured = measure_pass(net, head, x, labels)
    vmax = max(_span(m.value_sample) for m in measured)  # one range for every layer's histogram
    gmax = max(_span(m.grad_sample) for m in measured)
    layers = tuple(LayerProfile(i, m.value_std, m.grad_std, m.saturated, m.dead,
                                histogram(m.value_sample, HIST_BINS, (-vmax, vmax)),
                                histogram(m.grad_sample, HIST_BINS, (-gmax, gmax)))
                   for i, m in enumerate(measured, start=1))
    t = theory(spec, init, len(layers), width, pool)
    return DepthProfile(spec, init, loss, layers, tuple(t) if t else None)


def _std(t, centre: float = 0.0) -> float:
    """``t``'s std, from its sum and its dot product with itself (one fast pass each; torch's
    own std takes three times as long). ``centre`` (a guess at the mean, such as a sample's)
    is taken off first where it is large beside the spread (a Sigmoid's outputs), so that
    the two sums do not cancel: a result that lost more than one bit to cancellation is
    measured again about its mean. In float64 where float32 overflows (an exploding stack's
    values pass 1e19 long before they are infinite)."""
    import torch

    n = t.numel()
    if n < 2:
        return 0.0
    flat = t.reshape(-1)
    for _ in range(2):
        centred = flat - centre if centre else flat
        total, squares = float(centred.sum()), float(torch.dot(centred, centred))
        if not math.isfinite(squares):
            break
        var = (squares - total * total / n) / (n - 1)
        if var > 0.5 * squares / n:
            return math.sqrt(var)
        centre += total / n  # the mean, measured about the old centre
    if not bool(t.isfinite().all()):
        return math.nan
    return float(t.double().std())


def _share_zero(t) -> float:
    """The share of ``t``'s values that are exactly 0."""
    import torch

    if not math.isfinite(float(t.sum())):  # sign(NaN) is 0: count NaN values out the slow way
        return int(torch.count_nonzero(t == 0)) / t.numel()
    return 1 - _count(t.sign().abs_()) / t.numel()


def _share_below(slopes, threshold: float) -> float:
    """The share of ``slopes`` whose magnitude is below ``threshold`` (overwrites them; a NaN
    slope is not below)."""
    # |s| in place where the slopes are a tensor of their own (identity's are one shared 1)
    flags = slopes.abs_() if slopes.is_contiguous() else slopes.abs()
    flags.neg_().add_(threshold).sign_().clamp_(min=0)  # 1 where |s| < threshold, else 0
    return _count(flags) / slopes.numel()


def _count(flags) -> int:
    """The sum of a tensor of 0s and 1s, exactly. Float arithmetic on a layer takes a quarter
    of the time of torch's comparisons and counts of booleans."""
    import torch

    return int(flags.sum(dtype=torch.float64) if flags.numel() > 2 ** 24 else flags.sum())


def _sample(t):
    """At most HIST_SAMPLE of ``t``'s values, evenly strided through the whole tensor (every
    image, channel and position in step), for its histogram: a layer of a batch holds a
    million values, and counting all of them took a third of the update's time."""
    flat = t.reshape(-1)
    step = -(-flat.numel() // HIST_SAMPLE)
    return flat[::step] if step > 1 else flat


def _span(t) -> float:
    """A symmetric range that holds the finite values (their largest magnitude; 1 when all
    are 0)."""
    import torch

    if not t.numel():
        return 1.0
    lo, hi = torch.aminmax(t)
    m = max(-float(lo), float(hi))
    if not math.isfinite(m):
        m = float(torch.nan_to_num(t, nan=0.0, posinf=0.0, neginf=0.0).abs().amax())
    return m if m > 0 else 1.0


@dataclass(frozen=True)
class DepthReport:
    """What the depth view shows beside its panels: a profile per (activation, init)."""

    profiles: tuple[DepthProfile, ...]
    depth: int
    width: int
    pool: bool
    layer: int  # the layer whose feature maps the panels show (1-based)


def _option(*args, **fields) -> Option:
    """An option of the deep stack's: refused on a command line that shows another view."""
    return Option(*args, needs_mode=NEEDS_DEEP.format(fields["flag"]), **fields)


class DeepMode(Mode):
    name = "deep"
    flag = "--deep"
    flag_help = "a deep stack of convolutions: each layer's values and gradients"
    one_image = True
    options = (
        _option("depth", 20, 1, MAX_DEPTH, setting="deep/depth", flag="--depth",
               help="--deep: the number of conv layers (default 20)"),
        _option("width", 16, 1, 64, setting="deep/width", flag="--width",
               help="--deep: channels per conv layer (default 16)"),
        _option("init", "kaiming", setting="deep/init", flag="--init", parse=canonical_inits,
               help="--deep: default (PyTorch's), xavier, kaiming; comma-separated for several"),
        _option("deep_seed", 0, 0, 2**31 - 1, setting="deep/seed", flag="--deep-seed",
               help="--deep: the seed of the weights, the same draws for every activation"),
        _option("deep_pool", False, setting="deep/pool", flag="--deep-pool",
               help="--deep: a 2x2 average pool after a third and two thirds of the layers"),
        _option("layer", 0, 0, MAX_DEPTH, setting="deep/layer", flag="--layer",
               help="--deep: the layer whose feature maps are shown (0: the last)"),
        IMAGE,
    )

    command = "deep"
    command_help = "the std of each layer's values and gradients through a deep stack"

    def add_command_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print the table as JSON")
        parser.add_argument("--logdir", help="also write it for TensorBoard: one run per"
                            " activation and init, the layer as the step")
        parser.add_argument("--train-steps", type=int, default=0, metavar="N",
                            help="then train each activation and init for N steps from the same"
                            " seed and batches, and print their held-out accuracy")
        parser.add_argument("--optimizer", default="adam", metavar="adam|sgd",
                            help="for --train-steps: Adam (lr 0.001) or SGD with momentum 0.9"
                            " (lr 0.01)")
        parser.add_argument("--lr", type=float, default=None,
                            help="for --train-steps: the learning rate (default: the optimizer's)")
        parser.add_argument("--train-on-test", action="store_true",
                            help="for --train-steps: train on the first 80%% of the test split"
                            " even when a train split is on disk")

    def run_command(self, args) -> int:
        return run_command(args)

    def stack(self, engine, spec, init, request, channels, device):
        key = ("deep", spec, init, request.depth, request.width, request.deep_seed,
               request.deep_pool, channels, str(device))
        return engine.cached(key, lambda: build_stack(
            spec, request.depth, request.width, init, request.deep_seed, request.deep_pool,
            channels).to(device))

    def head(self, engine, request, classes, device):
        key = ("deep-head", request.width, classes, request.deep_seed, str(device))
        return engine.cached(key, lambda: build_head(request.width, classes,
                                                     request.deep_seed).to(device))

    def report(self, engine, x, labels, classes, request, device) -> DepthReport:
        """Every (activation, init) pair's profile for the batch ``x`` (a plain tensor)."""
        inits = parse_inits(request.init)
        check_size(x.shape, request.depth, request.width, request.deep_pool)
        profiles = []
        for spec in request.activations:
            for init in inits:
                net = self.stack(engine, spec, init, request, x.shape[1], device)
                head = self.head(engine, request, classes, device)
                profiles.append(profile(net, head, spec, init, x, labels, request.width,
                                        request.deep_pool))
        layer = min(request.layer, request.depth) or request.depth
        return DepthReport(tuple(profiles), request.depth, request.width, request.deep_pool,
                           layer)

    def panels(self, engine, x, request, device) -> list:
        """The selected image's feature maps after the activation at the chosen layer, per
        (activation, init)."""
        import torch
        import torch.nn.functional as F

        inits = parse_inits(request.init)
        check_size(x.shape, request.depth, request.width, request.deep_pool)
        i = selected_image(request, x.shape[0])
        layer = min(request.layer, request.depth) or request.depth
        display = "signed" if request.display == "clip" else request.display
        maps = []
        for spec in request.activations:
            for init in inits:
                net = self.stack(engine, spec, init, request, x.shape[1], device)
                h = x[i:i + 1]
                with torch.no_grad():
                    for n, conv in enumerate(net.convs[:layer], start=1):
                        h = net.act(conv(h))
                        if n in net.pools and n < layer:
                            h = F.avg_pool2d(h, 2)
                maps.append((spec, init, h[0]))
        # One scale for every stack: a signal that has vanished looks grey, not stretched
        peak = max((_span(h) for _, _, h in maps), default=1.0) if display == "signed" else None
        panels = []
        for spec, init, h in maps:
            panel = engine.channel_panel(h, request, display, Role.AFTER, name=str(spec),
                                         layer=f"{init}/layer{layer}", source=INPUT_TAG,
                                         spec=spec, peak=peak)
            if peak is not None:
                std = float(h.std()) if h.numel() > 1 else 0.0
                panel.note = join([Text("std {std}; one scale for every stack (white:"
                                        " {peak})", std=f"{std:.2g}", peak=f"{peak:.2g}"),
                                   panel.note])
            panels.append(panel)
        return panels

    def details(self, engine, x, batch, source, request, device):
        import torch

        classes = len(source.classes)
        if classes < 2:
            raise ActlensError("the depth view needs a data set with at least two classes (its"
                               " loss is the cross-entropy against the labels)")
        labels = torch.as_tensor(np.asarray(batch.labels), dtype=torch.long, device=device)
        return self.report(engine, x, labels.clamp(0, classes - 1), classes, request, device)

    def export_rows(self, request) -> list[tuple[str, str]]:
        pools = ", ".join(map(str, pool_after(request.depth, request.deep_pool)))
        return [("view", f"a deep stack: {request.depth} conv layers of {request.width}"
                         f" channels{', average pools after ' + pools if pools else ''}"),
                ("init", request.init), ("seed", str(request.deep_seed))]

    def run_name(self, request) -> str:
        return (f"deep{request.depth}x{request.width}-{request.init.replace(',', '+')}-"
                f"{super().run_name(request)}")


MODE = DeepMode()


# --- the command line: actlens deep ----------------------------------------------------

def report_rows(report: DepthReport) -> list[dict]:
    """One row per (activation, init, layer), as ``--json`` writes them."""
    return [{"activation": str(p.spec), "init": p.init, "layer": lp.layer,
             "value_std": lp.value_std, "grad_std": lp.grad_std,
             "theory_grad_std": (p.theory[lp.layer - 1] * p.layers[-1].grad_std
                                 if p.theory else None),
             "saturated": lp.saturated, "dead": lp.dead}
            for p in report.profiles for lp in p.layers]


def summary_table(report: DepthReport) -> str:
    """The gradient's std at layer 1 over its std at the last layer, activation × init."""
    inits = list(dict.fromkeys(p.init for p in report.profiles))
    specs = list(dict.fromkeys(str(p.spec) for p in report.profiles))
    cell = {(str(p.spec), p.init): p for p in report.profiles}
    lines = [f"gradient std, layer 1 / layer {report.depth}"
             f" (theory in brackets where there is one)",
             "  ".join([f"{'activation':<16}"] + [f"{i:>22}" for i in inits])]
    for s in specs:
        parts = [f"{s:<16}"]
        for i in inits:
            p = cell[(s, i)]
            theory = f" ({p.theory[0]:.2g})" if p.theory else ""
            parts.append(f"{_g(p.ratio) + theory:>22}")
        lines.append("  ".join(parts))
    return "\n".join(lines)


def layer_table(profile_: DepthProfile) -> str:
    lines = [f"{profile_.label}: loss {profile_.loss:.4g}",
             f"{'layer':>5} {'value std':>10} {'grad std':>10} {'theory':>10}"
             f" {'saturated':>9} {'dead':>6}"]
    last = profile_.layers[-1].grad_std
    for lp in profile_.layers:
        theory = _g(profile_.theory[lp.layer - 1] * last) if profile_.theory else "—"
        lines.append(f"{lp.layer:>5} {_g(lp.value_std):>10} {_g(lp.grad_std):>10}"
                     f" {theory:>10} {lp.saturated:>9.1%} {lp.dead:>6.1%}")
    return "\n".join(lines)


def _g(v: float) -> str:
    return f"{v:.2g}" if math.isfinite(v) else str(v)


def _histogram(tag: str, hist: tuple[np.ndarray, np.ndarray]):
    from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary

    counts, edges = hist
    centres = (edges[:-1] + edges[1:]) / 2
    n = float(counts.sum())
    nonzero = np.nonzero(counts)[0]
    lo = float(edges[nonzero[0]]) if n else 0.0
    hi = float(edges[nonzero[-1] + 1]) if n else 0.0
    return Summary.Value(tag=tag, histo=HistogramProto(
        min=lo, max=hi, num=n, sum=float((centres * counts).sum()),
        sum_squares=float((centres * centres * counts).sum()),
        bucket_limit=edges[1:].tolist(), bucket=counts.astype(np.float64).tolist()))


def run_names(root, names: list[str]) -> list[str]:
    """Folder names for one command's runs: ``names`` made safe, with the first suffix
    (``-2``, ``-3``…) that none of them has in ``root`` yet, so a second command writes new
    runs beside the first one's instead of inside them."""
    from pathlib import Path

    safe = ["".join(c if c.isalnum() or c in "._=-" else "_" for c in n) for n in names]
    for n in range(1, 100_000):
        suffix = "" if n == 1 else f"-{n}"
        if not any((Path(root) / f"{s}{suffix}").exists() for s in safe):
            return [f"{s}{suffix}" for s in safe]
    raise ActlensError(f"log dir {quote_user(str(root), 200)} holds too many runs already")


def open_run_log(root, name: str):
    """A new event file in the run folder ``root/name``; one clear line when it cannot be."""
    from ..logdirs import open_event_log

    try:
        return open_event_log(root / name)[0]
    except OSError as exc:
        raise ActlensError(f"cannot write an event file in {quote_user(str(root), 200)}:"
                           f" {exc.strerror or exc}") from None


def write_logdir(report: DepthReport, logdir) -> list:
    """One TensorBoard run per (activation, init) under ``logdir``, the layer as the step:
    the Scalars tab overlays the runs' per-layer curves (log axis: a click), the
    Histograms tab stacks each run's layers front to back as Glorot & Bengio drew them."""
    from ..logdirs import check_logdir, logdir_path
    from ..summaries import scalar_value

    root = logdir_path(logdir)
    check_logdir(root)
    written = []
    names = run_names(root, [f"{p.spec}-{p.init}" for p in report.profiles])
    for p, name in zip(report.profiles, names):
        log = open_run_log(root, name)
        try:
            last = p.layers[-1].grad_std
            for lp in p.layers:
                values = [scalar_value("gradient std", lp.grad_std),
                          scalar_value("value std", lp.value_std),
                          scalar_value("saturated share", lp.saturated),
                          scalar_value("dead share", lp.dead),
                          _histogram("values", lp.value_hist),
                          _histogram("gradients", lp.grad_hist)]
                if p.theory:
                    values.append(scalar_value("gradient std, theory",
                                               p.theory[lp.layer - 1] * last))
                log.summary(lp.layer, values)
        finally:
            log.close()
        written.append(log.path)
    return written


def run_command(args) -> int:
    """``actlens deep``: the per-layer table of the session's first batch."""
    from .. import modes
    from ..pipeline import Engine
    from ..session import Session

    if any(m.is_chosen(args) for m in map(modes.get, modes.names()) if m.name != "deep"):
        raise ActlensError("actlens deep shows the deep stack; leave out the options of"
                           " another view (--network, --model)")
    setattr(args, MODE.flag_dest, True)  # the command chooses the deep stack
    depth = getattr(args, "depth", None) or modes.option("depth").default
    if (getattr(args, "layer", None) or 0) > depth:
        raise ActlensError(f"--layer {args.layer} is past the stack's {depth} layers")
    session = Session().with_args(args)
    session = session.with_(mode="deep")
    if not args.train_steps and (args.optimizer != "adam" or args.lr is not None
                                 or args.train_on_test):
        raise ActlensError("--optimizer, --lr and --train-on-test belong to --train-steps N")
    train = train_settings(session, args) if args.train_steps else None
    if train is not None:  # refused before anything is computed
        from ..deep_train import check_settings

        check_settings(train, 2)
    if args.logdir:
        from ..logdirs import check_logdir, logdir_path

        check_logdir(logdir_path(args.logdir))
    quiet = args.json or not sys.stderr.isatty()
    if not quiet:
        print(f"measuring {len(session.active_specs) * len(parse_inits(session.init))} stacks of"
              f" {session.depth} layers on batch {session.batch_index}…", file=sys.stderr)
    result = Engine().run(session.request(keep_raw=False))
    report = result.details
    runs, note = [], None
    if train is not None:
        runs, note = train_command(session, train, args, quiet)
    if args.logdir:
        for path in write_logdir(report, args.logdir):
            print(f"wrote {path}", file=sys.stderr)
        if runs:
            from ..deep_train import write_train_logdir

            for path in write_train_logdir(runs, train, args.logdir):
                print(f"wrote {path}", file=sys.stderr)
    if args.json:
        print_json(result, session, runs, train, note)
    else:
        print_tables(result, session, runs, train, note)
    return 0


def print_json(result, session, runs, train, note) -> None:
    import json

    report = result.details
    out = {"depth": report.depth, "width": report.width, "pool": report.pool,
           "batch": result.batch.index, "batch_size": len(result.batch.labels),
           "dataset": session.dataset, "preprocess": session.preprocess,
           "profiles": [{"activation": str(p.spec), "init": p.init,
                         "loss": p.loss, "ratio": p.ratio,
                         "theory_ratio": p.theory[0] if p.theory else None}
                        for p in report.profiles],
           "layers": report_rows(report)}
    if runs:
        from ..deep_train import run_rows

        out["training"] = {"recipe": train.recipe(), "data": str(note), "runs": run_rows(runs)}
    print(json.dumps(_finite(out), indent=1, allow_nan=False))


def print_tables(result, session, runs, train, note) -> None:
    report = result.details
    pools = ", ".join(map(str, pool_after(report.depth, report.pool)))
    print(f"{report.depth} conv layers of {report.width} channels"
          f"{', average pools after ' + pools if pools else ''}; {session.dataset} batch"
          f" {result.batch.index} ({len(result.batch.labels)} images), preprocessing"
          f" {session.preprocess}")
    for p in report.profiles:
        print()
        print(layer_table(p))
    print()
    print(summary_table(report))
    if runs:
        from ..deep_train import results_table

        print()
        print(results_table(runs, train))
        print(f"data: {note}")


def train_settings(session, args):
    from ..deep_train import DeepTrainSettings, check_optimiser

    return DeepTrainSettings(
        tuple(session.active_specs), parse_inits(session.init), session.depth, session.width,
        session.deep_pool, session.deep_seed, args.train_steps, check_optimiser(args.optimizer),
        args.lr, session.batch_size, session.device, session.preprocess)


def train_command(session, settings, args, quiet):
    """Train every pair for ``actlens deep --train-steps``; progress on stderr."""
    from ..deep_train import check_settings, held_out_note, train_pairs
    from ..train import load_training_data

    data = load_training_data(session.request(keep_raw=False), args.train_on_test)
    check_settings(settings, len(data.classes))

    def report(step):
        if not quiet and (step.step % 25 == 0 or step.step == step.steps):
            print(f"\rtraining {step.spec} · {step.init}: step {step.step} of {step.steps},"
                  f" loss {step.loss:.3f}   ", end="", file=sys.stderr, flush=True)

    def finished(run):
        if not quiet:
            acc = f"{run.accuracy:.1%}" if run.accuracy is not None else "—"
            print(f"\r{run.label}: held out {acc}, {run.state()}" + " " * 30, file=sys.stderr)

    return train_pairs(data, settings, report, None, finished), held_out_note(data)


def _finite(value):
    """``value`` with every NaN or infinity as None (null), so the JSON is standard."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
