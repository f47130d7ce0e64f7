"""Raw-value statistics of a panel: what the pixels alone cannot tell.

All fractions are of the panel's values (N * C * H * W). ``std`` is the population standard
deviation (numpy's default). Non-finite values are counted and left out of min/max/mean/std.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .text import Text, join

SATURATION_TOLERANCE = 1e-3


@dataclass(frozen=True)
class Stats:
    count: int
    min: float
    max: float
    mean: float
    std: float
    frac_zero: float
    frac_below: float  # pushed to black by the display mapping (clip: x < 0)
    frac_above: float  # pushed to white by the display mapping (clip: x > 1)
    frac_saturated: float | None  # within 1e-3 of an output bound; None when unbounded
    nan: int
    inf: int
    identical_to_input: bool | None  # exact equality over the batch; None for the input panel

    def as_dict(self) -> dict:
        return asdict(self)

    def summary_line(self) -> str:
        below, above = self.frac_below, self.frac_above
        clipped = _pct(below + above)
        parts = [
            Text("min {v}", v=_num(self.min)),
            Text("max {v}", v=_num(self.max)),
            Text("mean {v}", v=_num(self.mean)),
            Text("std {v}", v=_num(self.std)),
            Text("zero {v}", v=_pct(self.frac_zero)),
            # the side comes first: a line that wraps never parts a share from its side
            Text("clipped {v}: below {below}, above {above}", v=clipped, below=_pct(below),
                 above=_pct(above)) if below and above else
            Text("clipped below {v}", v=clipped) if below else
            Text("clipped above {v}", v=clipped) if above else Text("clipped {v}", v=clipped),
        ]
        if self.frac_saturated is not None:
            parts.append(Text("saturated {v}", v=_pct(self.frac_saturated)))
        if self.nan or self.inf:
            parts.append(Text("NaN {nan}, inf {inf}", nan=self.nan, inf=self.inf))
        return join(parts, " · ")


def saturated(x, bounds):
    """Where ``x`` is within :data:`SATURATION_TOLERANCE` of the output ``bounds``."""
    near_lo, near_hi = bounds[0] + SATURATION_TOLERANCE, bounds[1] - SATURATION_TOLERANCE
    return (x <= near_lo) | (x >= near_hi)


def _counts(x, lo, hi, clip: bool, bounds, all_finite: bool) -> dict[str, int]:
    """Counts of nonzero, clipped, saturated and NaN values; each is one pass over the panel,
    and the range already found rules most of them out."""
    import torch

    lo_, hi_ = torch.stack([lo, hi]).tolist()
    zero = torch.zeros((), dtype=torch.int64, device=x.device)
    # NaN and infinities are nonzero; without 0 in the finite range every value is
    counts = {"nonzero": torch.count_nonzero(x) if lo_ <= 0 <= hi_ else
              torch.full((), x.numel(), dtype=torch.int64, device=x.device)}
    if clip:
        counts["below"] = torch.count_nonzero(x < 0) if lo < 0 else zero
        counts["above"] = torch.count_nonzero(x > 1) if hi > 1 else zero
    if bounds is not None:
        near_lo, near_hi = bounds[0] + SATURATION_TOLERANCE, bounds[1] - SATURATION_TOLERANCE
        counts["saturated"] = torch.count_nonzero(saturated(x, bounds)) \
            if lo <= near_lo or hi >= near_hi else zero
    if not all_finite:
        counts["nan"] = torch.count_nonzero(torch.isnan(x))
    values = torch.stack(list(counts.values())).tolist()  # one transfer from the device
    return dict(zip(counts, values))


def moments(v):
    """The mean and the population standard deviation of the values of ``v``, as 0-d tensors.
    Two passes (mean, then the centred sum of squares) are accurate and several times faster
    than torch.std_mean on the CPU; the values are summed in ``v``'s (N, C, H, W) order."""
    import torch

    flat = v.reshape(-1).float()
    mean = flat.sum() / flat.numel()
    centred = flat - mean
    return mean, torch.sqrt(torch.dot(centred, centred) / flat.numel())


def compute_stats(x, display: str, bounds=None, reference=None) -> Stats:
    """Statistics of float tensor ``x`` under display mapping ``display``.

    ``bounds`` are the activation's output bounds (for saturation); ``reference`` is the
    activation's input (for the identity check).
    """
    import torch

    lo, hi = torch.aminmax(x)
    all_finite = bool(torch.isfinite(lo) & torch.isfinite(hi))  # NaN propagates into both
    v = x if all_finite else x[torch.isfinite(x)]
    if v.numel():
        mean, std = moments(v)
        if not all_finite:
            lo, hi = torch.aminmax(v)
    else:
        lo = hi = mean = std = torch.full((), float("nan"), device=x.device)
    counted = _counts(x, lo, hi, display == "clip", bounds, all_finite)
    identical = None
    if reference is not None:
        identical = reference.shape == x.shape and bool(torch.equal(reference, x))
    return stats_from(x.numel(), lo, hi, mean, std, counted, x.numel() - v.numel(), bounds,
                      identical)


def stats_from(n: int, lo, hi, mean, std, counted: dict[str, int], nonfinite: int, bounds,
               identical: bool | None) -> Stats:
    """The :class:`Stats` of ``n`` values from their range, moments (0-d tensors) and counts
    (``nonzero``, and ``below``, ``above``, ``saturated``, ``nan`` where counted)."""
    import torch

    lo_, hi_, mean_, std_ = torch.stack([lo, hi, mean, std]).double().tolist()
    nan_ = counted.get("nan", 0)
    d = max(n, 1)
    return Stats(
        count=n,
        min=lo_,
        max=hi_,
        mean=mean_,
        std=std_,
        frac_zero=(n - counted["nonzero"]) / d,
        frac_below=counted.get("below", 0) / d,
        frac_above=counted.get("above", 0) / d,
        frac_saturated=(counted.get("saturated", 0) / d) if bounds is not None else None,
        nan=int(nan_),
        inf=nonfinite - int(nan_),
        identical_to_input=identical,
    )


def channel_note(maps, bounds=None) -> str:
    """How many channels of ``maps`` (C, H, W) are dead (all zero) or saturated (every value
    at the activation's bounds); "" when none."""
    import torch

    flat = maps.reshape(maps.shape[0], -1)
    dead = int(torch.count_nonzero((flat == 0).all(dim=1)))
    parts = [Text("{dead} of {total} channels dead (all zero)", dead=dead, total=len(flat))] \
        if dead else []
    if bounds is not None:
        near_lo, near_hi = bounds[0] + SATURATION_TOLERANCE, bounds[1] - SATURATION_TOLERANCE
        stuck = int(torch.count_nonzero(((flat <= near_lo) | (flat >= near_hi)).all(dim=1)))
        if stuck:
            parts.append(Text("{stuck} of {total} channels saturated", stuck=stuck,
                              total=len(flat)))
    return join(parts, "; ")


def finite_range(stats: Stats | None) -> tuple[float, float] | None:
    """The values' (min, max) when every value is finite, else None (then a histogram finds
    the range of the finite values itself)."""
    if stats is None or stats.nan or stats.inf:
        return None
    return (stats.min, stats.max)


def histogram(x, bins: int = 64, value_range: tuple[float, float] | None = None):
    """Counts (int64, ``bins``) and edges (float64, ``bins + 1``) of the finite values of ``x``."""
    import torch

    v = x.detach().flatten().float()
    if value_range is None or not all(map(math.isfinite, value_range)):
        v = v[torch.isfinite(v)]
        value_range = None
    if value_range is None:
        if v.numel() == 0:
            value_range = (0.0, 1.0)
        else:
            value_range = (float(v.min()), float(v.max()))
    lo, hi = value_range
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5
    counts = torch.histc(v.cpu(), bins=bins, min=lo, max=hi).to(torch.int64).numpy()
    return counts, np.linspace(lo, hi, bins + 1)


def _num(v: float) -> str:
    if math.isnan(v):
        return "nan"
    return f"{v:.3g}"


def _pct(f: float) -> str:
    if f == 0:
        return "0%"
    if f < 0.001:
        return "<0.1%"
    return f"{100 * f:.1f}%"
