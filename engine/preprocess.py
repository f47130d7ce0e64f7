"""Preprocessing: uint8 NHWC pixels to the float32 NCHW tensor the activations receive."""

from __future__ import annotations

import numpy as np

from .errors import ActlensError
from .text import Text

PREPROCESSING = {
    "to_tensor": Text("pixels / 255, in [0, 1] (torchvision's ToTensor; the default)"),
    "normalize": Text("(pixels / 255 - mean) / std per channel (the data set's statistics)"),
    "centered": Text("pixels / 255 * 2 - 1, in [-1, 1]"),
    "edges": Text("a Laplacian edge filter per channel: signed values, as inside a network"),
}

# 3x3 Laplacian: zero on flat regions, signed on edges.
_LAPLACIAN = ((0.0, 1.0, 0.0), (1.0, -4.0, 1.0), (0.0, 1.0, 0.0))


def check_preprocess(mode: str) -> str:
    if mode not in PREPROCESSING:
        raise ActlensError(
            f"unknown preprocessing '{mode}'; choose one of {', '.join(PREPROCESSING)}"
        )
    return mode


def to_float(images: np.ndarray, device):
    """uint8 (N, H, W, C) -> float32 (N, C, H, W) in [0, 1] on ``device``, exactly as ToTensor."""
    import torch

    pixels = torch.from_numpy(images).to(device, non_blocking=True).permute(0, 3, 1, 2)
    return pixels.to(torch.float32).div(255)


def preprocess(unit, mode: str, mean=(0.5,), std=(0.25,)):
    """Apply ``mode`` to ``unit`` (float32 NCHW in [0, 1], the output of :func:`to_float`)."""
    import torch
    import torch.nn.functional as F

    check_preprocess(mode)
    if mode == "to_tensor":
        return unit
    c = unit.shape[1]
    if mode == "centered":
        return unit * 2 - 1
    if mode == "normalize":
        m = torch.tensor(mean[:c], dtype=unit.dtype, device=unit.device).view(1, c, 1, 1)
        s = torch.tensor(std[:c], dtype=unit.dtype, device=unit.device).view(1, c, 1, 1)
        return (unit - m) / s
    kernel = torch.tensor(_LAPLACIAN, dtype=unit.dtype, device=unit.device)
    kernel = kernel.expand(c, 1, 3, 3).contiguous()
    return F.conv2d(F.pad(unit, (1, 1, 1, 1), mode="replicate"), kernel, groups=c)
