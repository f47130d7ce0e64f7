"""Pointwise panels of uint8 pixels, measured once per pixel level.

A batch of uint8 images holds at most 256 values per channel. When the preprocessing is
pointwise (:data:`POINTWISE`) and an activation is elementwise and deterministic, every value
of a panel is a function of its pixel's channel and level: a table of ``C x 256`` values
holds the whole panel. :class:`Levels` counts how often each (channel, level) occurs in the
batch; :class:`LevelValues` is one panel: its values, computed as always, and its table. From
the table the minimum, the maximum, every count of the statistics, the identity check, the
display's pixels and the histogram each take one pass over the levels, or one lookup per
pixel, instead of several passes over the batch.

What comes out is bit for bit what the full computation gives (``tests/test_levels.py``
compares them for every such activation and display): the table is the same torch
operation on the same float32 values, laid out in memory as the batch is; the mean and the
standard deviation are summed over the values themselves, as
:func:`engine.stats.compute_stats` sums them; the display maps the levels present in the
batch, whose minimum, maximum and largest magnitude are the batch's; counts are exact
integers; and the histogram bins the levels in value order with ``torch.histc`` itself,
whose bins only grow with the value.
"""

from __future__ import annotations

import numpy as np

from .display import to_uint8
from .preprocess import preprocess, to_float
from .stats import Stats, compute_stats, moments, saturated, stats_from

POINTWISE = ("to_tensor", "centered", "normalize")  # preprocessing that maps each value alone
LEVELS = 256
# torch computes an elementwise op on the CPU in vectors of up to 2 x 16 floats, and the
# values left over at the end of a thread's share one at a time, where a transcendental
# function may differ in its last bit; shares that are whole numbers of these blocks have
# no such tail, and then the table (whole blocks too) matches the full computation exactly.
BLOCK = 64
GRAIN = 32768  # at::internal::GRAIN_SIZE: torch gives a thread no fewer values than this


def suits(images: np.ndarray, threads: int) -> bool:
    """uint8 (N, H, W, C) ``images`` can be computed per level on ``threads`` threads: they
    are laid out in memory pixel by pixel or channel by channel, and each thread's share of
    their float tensor is a whole number of vector blocks (see :data:`BLOCK`), whether torch
    splits it over every thread or over as many as have :data:`GRAIN` values each."""
    n = images.size
    laid_out = images.flags.c_contiguous or channels_first(images)
    threads = max(1, threads)
    splits = {threads, max(1, min(threads, -(-n // GRAIN)))}
    return laid_out and n % BLOCK == 0 and all(-(-n // k) % BLOCK == 0 for k in splits)


def channels_first(images: np.ndarray) -> bool:
    """(N, H, W, C) ``images`` are a view of (N, C, H, W) memory (as CIFAR's files are)."""
    return images.transpose(0, 3, 1, 2).flags.c_contiguous and not images.flags.c_contiguous


def pointwise(spec) -> bool:
    """``spec``'s activation maps each value alone, the same way every time."""
    return spec is not None and not spec.entry.channelwise and not spec.entry.randomised


class Levels:
    """The (channel, level) of every value of a uint8 (N, H, W, C) batch, and their counts."""

    def __init__(self, images: np.ndarray, x, preprocessing: str, mean, std):
        """``x``: ``images`` preprocessed, the float32 (N, C, H, W) input of the step."""
        import torch

        n, h, w, c = images.shape
        self.shape = (n, c, h, w)
        self.count = n * c * h * w
        # entry c * 256 + level of the table, for every value, in pixel (N, H, W, C) order
        entry = torch.from_numpy(images).to(torch.int32) + torch.arange(c, dtype=torch.int32) \
            * LEVELS
        self.nhwc = entry.reshape(-1)
        counts = torch.bincount(self.nhwc, minlength=LEVELS * c)
        self.present = torch.nonzero(counts).squeeze(1)  # entries found in the batch
        self.weights = counts[self.present]  # how often each is found
        # every level of every channel as one (1, C, 1, 256) image, laid out in memory as the
        # batch is and preprocessed as it is: torch may choose another kernel for another
        # layout, and some (GELU's) compute other last bits
        ramp = np.repeat(np.arange(LEVELS, dtype=np.uint8)[None, None, None, :], c, axis=1)
        ramp = ramp.transpose(0, 2, 3, 1) if channels_first(images) else \
            np.ascontiguousarray(ramp.transpose(0, 2, 3, 1))
        self.input = LevelValues(self, preprocess(to_float(ramp, "cpu"), preprocessing, mean,
                                                  std), x)


class LevelValues:
    """One panel: ``full``, its float32 (N, C, H, W) values computed as always, and
    ``table`` (1, C, 1, 256), the value of each channel and level."""

    def __init__(self, levels: Levels, table, full):
        self.levels = levels
        self.table = table
        self._flat = table.reshape(-1)
        self.values = self._flat[levels.present]  # the value of each entry found, float32
        self.full = full

    def apply(self, module) -> LevelValues:
        """An elementwise ``module`` applied to these values."""
        return LevelValues(self.levels, module(self.table), module(self.full))

    def stats(self, display: str, bounds=None, reference: LevelValues | None = None) -> Stats:
        """:func:`engine.stats.compute_stats` of the panel."""
        import torch

        v = self.values
        lo, hi = torch.aminmax(v)
        if not bool(torch.isfinite(lo) & torch.isfinite(hi)):  # NaN or inf: the full pass
            return compute_stats(self.full, display, bounds,
                                 reference.full if reference is not None else None)
        mean, std = moments(self.full)
        w = self.levels.weights

        def count(mask) -> int:
            return int(w[mask].sum())

        counted = {"nonzero": count(v != 0)}
        if display == "clip":
            counted["below"], counted["above"] = count(v < 0), count(v > 1)
        if bounds is not None:
            counted["saturated"] = count(saturated(v, bounds))
        identical = None if reference is None else bool(torch.equal(reference.values, v))
        return stats_from(self.levels.count, lo, hi, mean, std, counted, 0, bounds, identical)

    def images(self, display: str, reference: LevelValues | None = None, finite: bool = False,
               peak: float | None = None) -> np.ndarray:
        """:func:`engine.display.to_images` of the panel: each level's pixel, looked up."""
        import torch

        if display == "minmax_image":  # each image's own range: not a function of the level
            from .display import to_images

            return to_images(self.full, display, reference.full if reference else None,
                             finite=finite, peak=peak)
        shape = (1, 1, 1, -1)
        ref = reference.values.view(shape) if reference is not None else None
        lut = torch.zeros(self._flat.numel(), dtype=torch.uint8)
        lut[self.levels.present] = to_uint8(self.values.view(shape), display, ref, finite=finite,
                                            peak=peak).view(-1)
        n, c, h, w = self.levels.shape
        pixels = lut.index_select(0, self.levels.nhwc).view(n, h, w, c)
        if c == 1:
            pixels = pixels.expand(n, h, w, 3).contiguous()
        return pixels.numpy()

    def histogram(self, bins: int, value_range: tuple[float, float]):
        """:func:`engine.stats.histogram` of the panel over the finite ``value_range``."""
        import torch

        lo, hi = value_range
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
        ordered, order = torch.sort(self.values)
        per_bin = torch.histc(ordered, bins=bins, min=lo, max=hi).to(torch.int64)
        if int(per_bin.sum()) != ordered.numel():  # a value outside the range: histc's own way
            from .stats import histogram

            return histogram(self.full, bins, value_range)
        # entries in value order fill the bins in order, as many in each as histc found
        bin_of = torch.repeat_interleave(torch.arange(bins), per_bin)
        counts = torch.zeros(bins, dtype=torch.int64).index_add_(
            0, bin_of, self.levels.weights[order])
        return counts.numpy(), np.linspace(lo, hi, bins + 1)
