"""Display mappings: raw float32 NCHW values to uint8 pixels.

``clip`` is TensorBoard's own conversion, ``uint8(clip(float32(x) * 255, 0, 255))``
(truncation), so what the panels show is what ``SummaryWriter.add_images`` would store.
"""

from __future__ import annotations

from .errors import ActlensError
from .text import Text

DISPLAYS = {
    "clip": Text("x * 255 clipped to [0, 255], as TensorBoard stores floats (the default)"),
    "minmax": Text("the batch's min..max stretched to black..white"),
    "signed": Text("0 is mid-grey, -max|x| black, +max|x| white"),
    "minmax_image": Text("each image's own min..max stretched to black..white"),
    "difference": Text("output - input, shown like signed (no change is mid-grey)"),
}


def check_display(mode: str) -> str:
    if mode not in DISPLAYS:
        raise ActlensError(f"unknown display '{mode}'; choose one of {', '.join(DISPLAYS)}")
    return mode


def input_display(preprocess: str, display: str) -> str:
    """How to show the input panel so that a person recognises the image."""
    if display in ("minmax", "signed", "minmax_image"):
        return display
    if preprocess == "to_tensor":
        return "clip"
    return "signed" if preprocess == "edges" else "minmax"


def to_uint8(x, mode: str, reference=None, finite: bool = False, peak: float | None = None):
    """Map float NCHW ``x`` to uint8 NCHW on the same device.

    ``reference`` is the activation's input, needed by ``difference``. NaN shows as 0 (black
    in clip, the low end elsewhere); infinities saturate. Statistics report both.
    ``peak``: in ``signed``, the magnitude shown white, shared by panels that are compared
    (default: ``x``'s own largest).
    """
    import torch

    check_display(mode)
    if mode == "clip":
        if not finite:
            x = torch.nan_to_num(x, nan=0.0)
        return (x * 255).clamp_(0, 255).to(torch.uint8)
    if mode == "difference":
        if reference is None:
            raise ValueError("difference display needs the activation's input")
        x = x - reference
        mode = "signed"
    x = _finite(x)
    if mode == "signed":
        m = x.abs().amax() if peak is None else torch.as_tensor(float(peak), device=x.device)
        scale = torch.where(m > 0, 127.5 / m, torch.zeros_like(m))
        return (x * scale + 127.5).round_().clamp_(0, 255).to(torch.uint8)
    dims = (1, 2, 3) if mode == "minmax_image" else (0, 1, 2, 3)
    lo = x.amin(dim=dims, keepdim=True)
    hi = x.amax(dim=dims, keepdim=True)
    span = hi - lo
    stretched = (x - lo) * torch.where(span > 0, 255 / span, torch.zeros_like(span))
    # A constant image has no range to stretch: show its value as clip would.
    flat = (x.clamp(0, 1) * 255).to(torch.uint8)
    return torch.where(span > 0, stretched.round_().clamp_(0, 255).to(torch.uint8), flat)


def to_images(x, mode: str, reference=None, finite: bool = False, peak: float | None = None):
    """What a panel holds for float NCHW ``x``: :func:`to_uint8`'s pixels as a uint8
    (N, H, W, 3) C-contiguous array on the CPU; one channel is shown grey."""
    pixels = to_uint8(x, mode, reference, finite=finite, peak=peak)
    if pixels.shape[1] == 1:
        pixels = pixels.expand(-1, 3, -1, -1)
    return pixels.permute(0, 2, 3, 1).contiguous().cpu().numpy()


def _finite(x):
    import torch

    finite = torch.isfinite(x)
    if bool(finite.all()):
        return x
    if not bool(finite.any()):
        return torch.zeros_like(x)
    lo = torch.where(finite, x, torch.full_like(x, float("inf"))).amin()
    hi = torch.where(finite, x, torch.full_like(x, float("-inf"))).amax()
    return torch.nan_to_num(x, nan=float(lo), posinf=float(hi), neginf=float(lo))
