"""The network mode: a small CNN whose activation is any registry spec, and its feature maps.

    conv(3→16, 3×3) → activation → avgpool(2) → conv(16→32, 3×3) → activation → avgpool(2)
    → linear(10)

Pooling is by averages on purpose: max pooling is itself non-linear, and with it a network
whose "activation" is the identity is no longer linear, which hides what the activation
contributes (measured on 8,000 CIFAR-10 test images, 4 epochs: identity 55.4% vs ReLU 55.2%
held-out accuracy with max pooling; 41.3% vs 51.6% with average pooling).

Weights are seeded random by default, built before the activation so that every spec gets the
same convolutions (the panels then differ only by the activation), or loaded from a state dict
file (``torch.load(..., weights_only=True)``): one per activation after training.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from .errors import ActlensError, quote_user
from .registry import ActivationSpec, build_module
from .text import Text

CONV1, CONV2 = 16, 32
LAYERS = ("conv1", "conv1_act", "conv2", "conv2_act")  # the panels, in order
# each of LAYERS as (the layer, whether it is after the activation): what its panel is
LAYER_PLACES = {"conv1": ("conv1", False), "conv1_act": ("conv1", True),
                "conv2": ("conv2", False), "conv2_act": ("conv2", True)}
RANDOM = "random"  # weights: seeded random instead of a file


@functools.cache
def small_cnn_class():
    """The network's ``nn.Module`` class (made on first use: torch loads lazily)."""
    import torch.nn.functional as F
    from torch import nn

    class SmallCNN(nn.Module):
        """conv 3→16 → act → avgpool → conv 16→32 → act → avgpool → linear 10 (padding
        keeps each conv's maps the size of its input)."""

        def __init__(self, image_size: int = 32, classes: int = 10):
            super().__init__()
            self.conv1 = nn.Conv2d(3, CONV1, 3, padding=1)
            self.conv2 = nn.Conv2d(CONV1, CONV2, 3, padding=1)
            self.fc = nn.Linear(CONV2 * (image_size // 4) ** 2, classes)
            self.act1, self.act2 = nn.Identity(), nn.Identity()

        def forward(self, x):
            if x.shape[1] == 1:
                x = x.expand(-1, 3, -1, -1)
            x = F.avg_pool2d(self.act1(self.conv1(x)), 2)
            x = F.avg_pool2d(self.act2(self.conv2(x)), 2)
            return self.fc(x.flatten(1))

    return SmallCNN


def build_network(spec: ActivationSpec, image_size: int = 32, seed: int = 0):
    """A fresh :class:`SmallCNN` for ``spec`` with seeded random weights (CPU)."""
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = small_cnn_class()(image_size)  # convolutions first: the same for every activation
    net.act1, net.act2 = build_module(spec), build_module(spec)
    return net.eval()


RUN_RECORD = "run.json"  # what a training run's folder says of it (written by engine/train.py)


def spec_file(spec: ActivationSpec) -> str:
    """The file name of ``spec``'s trained weights in a training run's folder."""
    return "".join(c if c.isalnum() or c in "-_.=" else "_" for c in str(spec)) + ".pt"


def weights_file(path: str | os.PathLike, spec: ActivationSpec | None = None) -> Path:
    """The weights file ``path`` names for ``spec`` (a training run's folder, or its
    run.json: the file of ``spec`` in it), once it is known to be a file."""
    from .data.datasets import expand_path

    path = expand_path(path, "weights file")
    if path.name == RUN_RECORD and path.is_file():  # a training run: its folder, as the window
        path = path.parent
    if path.is_dir() and spec is not None:
        if not (path / spec_file(spec)).is_file():
            raise ActlensError(f"no trained weights for {spec} in {quote_user(str(path), 200)}"
                               " (train it, or choose another activation)")
        path = path / spec_file(spec)
    if not path.exists():
        raise ActlensError(Text("weights file {path} does not exist",
                                path=quote_user(str(path), 200)))
    if not path.is_file():  # a folder, a pipe (reading one would wait forever), a device
        raise ActlensError(Text("{path} is not a weights file (not a file)",
                                path=quote_user(str(path), 200)))
    return path


def read_state(path: Path, limit: int):
    """What the weights file ``path`` holds (tensors only, never code), if it unpacks to at
    most ``limit`` bytes."""
    import warnings

    import torch

    try:
        with open(path, "rb") as f, warnings.catch_warnings():  # opened once: size, then load
            warnings.simplefilter("ignore")  # torch's advice about pickle protocols
            _check_size(path, f, limit)
            f.seek(0)
            return torch.load(f, map_location="cpu", weights_only=True)
    except ActlensError:
        raise
    except Exception as exc:  # pickles that are not weights, truncated files, ...
        raise ActlensError(Text("{path} is not a weights file ({reason})",
                                path=quote_user(str(path), 200),
                                reason=_why_not_weights(exc))) from None


def _why_not_weights(exc: Exception) -> str:
    """torch.load's refusal in words that do not send the user to torch's documentation."""
    text = str(exc)
    if "Weights only load failed" in text or "Unsupported" in text:
        return ("it holds Python objects, not only tensors, and such a file is not loaded:"
                " unpickling it could run code")
    if any(k in text for k in ("PytorchStreamReader", "invalid load key", "EOF", "truncated",
                               "central directory", "zip archive")):
        return "it is not a PyTorch file, or it is cut short"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return quote_user(lines[-1] if lines else type(exc).__name__, 160)


def load_weights(net, path: str | os.PathLike, spec: ActivationSpec | None = None,
                 read=None) -> None:
    """Load a state dict file into ``net`` (a training run's folder: the file of ``spec``
    in it); a file that does not match is a clear error naming the keys that differ.
    ``read(file, limit)`` reads the file (default :func:`read_state`; a caller that loads one
    file into several networks reads it once)."""
    import torch

    path = weights_file(path, spec)
    own = net.state_dict()
    limit = 4 * sum(t.numel() * t.element_size() for t in own.values()) + 2**20
    state = (read or read_state)(path, limit)
    if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
        raise ActlensError(Text("{path} holds no state dict", path=quote_user(str(path), 200)))
    missing = sorted(set(own) - set(state))
    extra = sorted(set(state) - set(own))
    wrong = sorted(k for k in set(own) & set(state)
                   if not hasattr(state[k], "shape") or tuple(state[k].shape) != tuple(own[k].shape))
    if missing or extra or wrong:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing[:6])}")
        if extra:
            parts.append(f"unexpected {', '.join(quote_user(k, 40) for k in extra[:6])}")
        if wrong:
            parts.append("wrong shape for " + ", ".join(
                f"{k} ({_shape(state[k])} instead of {_shape(own[k])})" for k in wrong[:6]))
        raise ActlensError(Text("{path} does not fit the network: {problems}",
                                path=quote_user(str(path), 200), problems="; ".join(parts)))
    floats = {torch.float16, torch.bfloat16, torch.float32, torch.float64}
    odd = sorted(k for k in own if getattr(state[k], "dtype", None) not in floats)
    if odd:
        raise ActlensError(Text("{path}: {key} holds {dtype} values; the network's weights are"
                                " real floating-point numbers", path=quote_user(str(path), 200),
                                key=odd[0], dtype=str(state[odd[0]].dtype).replace("torch.", "")))
    try:
        net.load_state_dict(state)
    except (RuntimeError, TypeError, ValueError) as exc:  # e.g. sparse or non-tensor values
        first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ActlensError(Text("{path} does not fit the network ({reason})",
                                path=quote_user(str(path), 200),
                                reason=quote_user(first, 160))) from None


def _check_size(path, f, limit: int) -> None:
    """Refuse, before anything is unpacked, a file (``path``, open as ``f``) that holds (or
    unpacks to) more bytes than this network's weights can: a few megabytes of compressed
    entries can ask for gigabytes."""
    import zipfile

    size = os.fstat(f.fileno()).st_size
    try:
        if size > limit:  # too large on disk already: not even its directory is read
            raise zipfile.BadZipFile
        with zipfile.ZipFile(f) as archive:
            size = max(size, sum(info.file_size for info in archive.infolist()))
    except (zipfile.BadZipFile, OSError, ValueError):
        pass  # the legacy format: what is read is what is on disk
    if size > limit:
        raise ActlensError(Text("{path} holds {size} MB; this network's weights take at most"
                                " {limit} MB, so it is not read", path=quote_user(str(path), 200),
                                size=f"{size / 2**20:,.1f}", limit=f"{limit / 2**20:.1f}"))


def _shape(t) -> str:
    return "×".join(map(str, t.shape)) if hasattr(t, "shape") else type(t).__name__


def feature_maps(net, x) -> dict[str, object]:
    """The four layers' values for the images ``x`` (float NCHW): ``LAYERS`` → tensors."""
    import torch.nn.functional as F

    if x.shape[1] == 1:
        x = x.expand(-1, 3, -1, -1)  # grey images through the colour network
    conv1 = net.conv1(x)
    act1 = net.act1(conv1)
    conv2 = net.conv2(F.avg_pool2d(act1, 2))
    act2 = net.act2(conv2)
    return dict(zip(LAYERS, (conv1, act1, conv2, act2)))
