"""Looking closer: values under one pixel, activation curves, histograms, saving a step."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import ActlensError
from engine.imaging import encode_png, make_grid
from engine.registry import ActivationSpec, build_module
from engine.stats import finite_range, histogram


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
            y = module(x.view(1, 1, 1, points)).view(points)
    return x.double().numpy(), y.double().numpy()


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

    from engine.pipeline import HISTOGRAM_BINS

    return {
        p.tag: histogram(torch.from_numpy(p.raw), HISTOGRAM_BINS, finite_range(p.stats))
        for p in result.panels if p.tag in tags and p.raw is not None
    }


def curve_source(result, spec):
    """The panel whose values ``spec`` receives: the input on the pixels, the layer before it
    in the network mode (conv1 of that activation); None for a user's module, whose
    activations are its own."""
    mode = result.request.mode
    if mode == "activations":
        return result.panels[0]
    if mode == "network" and spec is not None:
        for panel in result.panels:
            if panel.tag.endswith("/conv1") and panel.title == f"{spec} · conv1":
                return panel
    return None


def reference_panel(result, panel):
    """What ``panel``'s histogram is drawn over: its layer before the activation in the
    network mode, the input otherwise."""
    if panel.tag.endswith("_act"):
        before = panel.tag.removesuffix("_act")
        for p in result.panels:
            if p.tag == before:
                return p
    return result.panels[0]
