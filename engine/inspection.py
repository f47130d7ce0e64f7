"""Looking closer: values under one pixel, activation curves and their gradients (autograd),
histograms, saving a step."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ActlensError
from .imaging import encode_png, make_grid
from .panels import Role
from .registry import ActivationSpec, build_module
from .stats import finite_range, histogram


@dataclass(frozen=True)
class PixelValues:
    """Raw values at one pixel of one image, per channel."""

    image: int  # index in the batch
    y: int
    x: int
    label: str
    pixel: tuple[int, ...]  # uint8 input, per channel
    rows: list[tuple[str, tuple[float, ...]]]  # (panel title, float per channel); input first


def pixel_values(result, image: int, y: int, x: int) -> PixelValues:
    """What every panel holds at ``(y, x)`` of batch image ``image`` (needs ``keep_raw``)."""
    batch = result.batch
    n, h, w, _ = batch.images.shape
    if not (0 <= image < n and 0 <= y < h and 0 <= x < w):
        raise ActlensError(f"no pixel ({y}, {x}) in image {image} of this batch")
    if any(p.raw is None for p in result.panels):
        raise ActlensError("this step was computed without raw values")
    label_id = int(batch.labels[image])
    label = result.classes[label_id] if 0 <= label_id < len(result.classes) else str(label_id)
    pixel = tuple(int(v) for v in batch.images[image, y, x])
    rows = [(p.title, _values_at(p, image, y / h, x / w)) for p in result.panels]
    return PixelValues(image, y, x, label, pixel, rows)


def _values_at(panel, image: int, fy: float, fx: float) -> tuple[float, ...]:
    """A panel's raw values at the fractional position (fy, fx) of the image: per colour
    channel for a batch panel, per feature map for one image's channels (which may be
    smaller than the image: conv2 is half its size)."""
    if panel.cells is None:
        _, _, hh, ww = panel.raw.shape
        return tuple(float(v) for v in panel.raw[image, :, int(fy * hh), int(fx * ww)])
    _, _, hh, ww = panel.raw.shape  # (C, 1, H', W'): the selected image's maps
    return tuple(float(v) for v in panel.raw[:, 0, int(fy * hh), int(fx * ww)])


def activation_curve(spec: ActivationSpec, lo: float, hi: float, points: int = 401):
    """``(x, f(x))`` as float64 arrays over ``[lo, hi]``.

    Channel-wise activations (softmax and friends) are drawn for one channel with the other
    two at zero. Randomised ones (RReLU in training mode) show their random slopes.
    """
    import torch

    if not hi > lo:
        lo, hi = lo - 1.0, hi + 1.0
    x = torch.linspace(lo, hi, points, dtype=torch.float32)
    module = build_module(spec)
    with torch.inference_mode():
        if spec.entry.channelwise:
            stacked = torch.zeros(points, 3, 1, 1)
            stacked[:, 0, 0, 0] = x
            y = module(stacked)[:, 0, 0, 0]
        else:
            y = _line_output(spec, module(_line_input(spec, x)), points)
    return x.double().numpy(), y.double().numpy()


def _channels(spec: ActivationSpec) -> int:
    """How many channels the module wants (PReLU with one slope per channel); the curve is
    the first channel's."""
    return int(spec.params.get("num_parameters", 1) or 1)


SMALL_GRADIENT = 0.01  # |f'(x)| below this: too small to move the layers before it


@dataclass(frozen=True)
class CurveData:
    """What the Curve tab draws: ``f(x)`` over ``x``, and on request ``f'(x)`` and the
    fraction of the source's values where ``|f'(x)| < SMALL_GRADIENT``."""

    x: np.ndarray  # float64 (points,)
    y: np.ndarray  # float64 (points,)
    dy: np.ndarray | None = None  # float64 (points,), f'(x) by autograd
    small_gradient: float | None = None  # in [0, 1]; None without values


def _line_input(spec: ActivationSpec, x):
    """``x`` (points,) shaped as the module's input: one pixel per point; channel-wise
    activations see it in the first channel with the other two at zero."""
    import torch

    points = x.shape[0]
    if spec.entry.channelwise:
        zeros = torch.zeros_like(x)
        return torch.stack([x, zeros, zeros], 1).view(points, 3, 1, 1)
    return x.view(1, 1, 1, points).expand(1, _channels(spec), 1, points)


def _line_output(spec: ActivationSpec, y, points: int):
    return y[:, 0, 0, 0] if spec.entry.channelwise else y[0, 0].reshape(points)


def activation_gradient(spec: ActivationSpec, lo: float, hi: float, points: int = 401):
    """``(x, f'(x))`` as float64 arrays over ``[lo, hi]``, by autograd (``x.requires_grad_()``).

    For a channel-wise activation, the derivative of the curve ``activation_curve`` draws:
    the first channel's output with respect to its own input, the other two at zero.
    """
    import torch

    if not hi > lo:
        lo, hi = lo - 1.0, hi + 1.0
    x = torch.linspace(lo, hi, points, dtype=torch.float32)
    module = build_module(spec)
    with torch.enable_grad():
        x.requires_grad_()
        y = _line_output(spec, module(_line_input(spec, x)), points)
        (dy,) = torch.autograd.grad(y.sum(), x)
    return x.detach().double().numpy(), dy.double().numpy()


def gradient_at(spec: ActivationSpec, values: np.ndarray) -> np.ndarray:
    """``f'`` at each of ``values`` (float32, NCHW), by autograd: each output with respect to
    its own input. Elementwise activations give their derivative; channel-wise ones the
    diagonal of their Jacobian over the channels (one backward pass per channel)."""
    import torch

    x = torch.from_numpy(np.ascontiguousarray(values, dtype=np.float32)).clone()
    module = build_module(spec)
    with torch.enable_grad():
        x.requires_grad_()
        y = module(x)
        if not spec.entry.channelwise:
            (dy,) = torch.autograd.grad(y.sum(), x)
            return dy.numpy()
        dy = torch.empty_like(x)
        for c in range(x.shape[1]):
            (g,) = torch.autograd.grad(y[:, c].sum(), x, retain_graph=c + 1 < x.shape[1])
            dy[:, c] = g[:, c]
    return dy.numpy()


def small_gradient_fraction(spec: ActivationSpec, values: np.ndarray,
                            threshold: float = SMALL_GRADIENT) -> float:
    """The fraction of ``values`` (the activation's inputs, float32 NCHW) where
    ``|f'(x)| < threshold``: where the gradient has all but vanished. 0 for no values."""
    if values.size == 0:
        return 0.0
    return float(np.mean(np.abs(gradient_at(spec, values)) < threshold))


def source_values(panel) -> np.ndarray:
    """The raw values of a :func:`curve_source` panel as an activation receives them (NCHW):
    one image's feature maps, stored as a grid of C cells (C, 1, H, W), become (1, C, H, W)."""
    if panel.cells is not None:
        return panel.raw.transpose(1, 0, 2, 3)
    return panel.raw


def curve_data(spec: ActivationSpec, lo: float, hi: float, gradient: bool = False,
               values: np.ndarray | None = None, points: int = 401) -> CurveData:
    """``f`` over ``[lo, hi]``; with ``gradient``, also ``f'`` there and, given ``values``
    (NCHW, see :func:`source_values`), the fraction of them where ``|f'| < SMALL_GRADIENT``."""
    x, y = activation_curve(spec, lo, hi, points)
    if not gradient:
        return CurveData(x, y)
    _, dy = activation_gradient(spec, lo, hi, points)
    small = None if values is None else small_gradient_fraction(spec, values)
    return CurveData(x, y, dy, small)


def stats_table(result) -> list[dict]:
    """One row per panel: title, tag, display and every statistic."""
    rows = []
    for p in result.panels:
        row = {"panel": p.title, "tag": p.tag, "display": p.display}
        if p.stats is not None:
            row.update(p.stats.as_dict())
        rows.append(row)
    return rows


def save_stats(result, path: str | Path) -> Path:
    """Write the step's statistics as CSV or JSON (by the file's extension)."""
    path = Path(path)
    rows = stats_table(result)
    meta = {
        "dataset": result.request.dataset, "split": result.request.split,
        "batch_index": result.batch.index, "batch_size": result.request.batch_size,
        "preprocess": result.request.preprocess, "display": result.request.display,
        "device": result.device,
    }
    try:
        if path.suffix.lower() == ".json":
            path.write_text(json.dumps({"session": meta, "panels": rows}, indent=2) + "\n")
        elif path.suffix.lower() == ".csv":
            with open(path, "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(meta) + list(rows[0]))
                writer.writeheader()
                for row in rows:
                    writer.writerow({**meta, **row})
        else:
            raise ActlensError(f"save statistics as .csv or .json, not '{path.suffix}'")
    except OSError as exc:
        raise ActlensError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def save_panel_pngs(result, folder: str | Path) -> list[Path]:
    """One PNG per panel (the 8-column grid, exact pixels) in ``folder``."""
    folder = Path(folder)
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for p in result.panels:
            name = "".join(c if c.isalnum() or c in "._=-" else "_" for c in p.tag)
            path = folder / f"batch{result.batch.index:05d}_{name}.png"
            path.write_bytes(encode_png(make_grid(p.images)))
            written.append(path)
    except OSError as exc:
        raise ActlensError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    return written


def panel_histograms(result, tags) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{tag: (counts, edges)}`` for the panels of ``result`` named in ``tags``, from their
    raw values (the histograms a step computes, without computing the step again)."""
    import torch

    from .pipeline import HISTOGRAM_BINS

    return {
        p.tag: histogram(torch.from_numpy(p.raw), HISTOGRAM_BINS, finite_range(p.stats))
        for p in result.panels if p.tag in tags and p.raw is not None
    }


def curve_source(result, spec):
    """The panel whose values ``spec`` receives: the input on the pixels, the layer before it
    in the network (the first layer with that activation); None where no panel is ``spec``'s
    output (a user's module, whose activations are its own)."""
    from . import modes

    for panel in result.panels:
        if panel.role is Role.AFTER and panel.spec == spec and spec is not None:
            return panel_by_tag(result, panel.source)
    if spec is not None and modes.get(result.request.mode).activations_see_input:
        return result.panels[0]  # an activation this step did not compute sees the input too
    return None


def curve_source_key(result, spec):
    """Equal for two results whose :func:`curve_source` for ``spec`` holds the same values:
    the step's request without what does not change them (its id and histograms; when the
    source is the input, the activations, which come after it)."""
    request = result.request.with_(id=0, histograms=())
    source = curve_source(result, spec)
    if source is not None and source.is_input:
        return request.with_(activations=())
    return request.with_(activations=(spec,))


def panel_by_tag(result, tag: str):
    """The panel of ``result`` tagged ``tag``, or None."""
    return next((p for p in result.panels if p.tag == tag), None)


def reference_panel(result, panel):
    """What ``panel``'s histogram is drawn over: the panel its activation's input is in
    (the layer before the activation in the network), the input otherwise."""
    return panel_by_tag(result, panel.source) or result.panels[0]
