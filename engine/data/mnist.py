"""MNIST and Fashion-MNIST (single-channel images, shown as grey).

The IDX files hold raw bytes, not pickles, so loading them runs no code. Only the requested
split's two files need to be present. They are read here rather than by torchvision's reader,
which lets a header that disagrees with the file's size, a wrong element type or a label file
of another length through as assertion, type or key errors (or silently truncates): each
header is checked against the file's size before any data is read, and images and labels are
checked against each other before the first step.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import shutil
import struct
from pathlib import Path

import numpy as np

from ..errors import ActlensError, CancelledError, DatasetMissingError
from ..text import Text
from . import datasets
from .download import check_md5, fetch, staging_dir

_TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}
_STATS = {"mnist": ((0.1307,), (0.3081,)), "fashion-mnist": ((0.2860,), (0.3530,))}


def _tv_class(dataset: str):
    from torchvision.datasets import MNIST, FashionMNIST

    return {"mnist": MNIST, "fashion-mnist": FashionMNIST}[dataset]


def _split_files(cls, split: str) -> list[str]:
    prefix = "train" if split == "train" else "t10k"
    names = [os.path.splitext(os.path.basename(f))[0] for f, _ in cls.resources]
    return [n for n in names if n.startswith(prefix)]


def _locate(root: Path, folder_name: str) -> Path:
    """Accept the data root, the ``MNIST`` folder itself, or its ``raw`` folder."""
    if root.name == "raw" and root.parent.name == folder_name:
        return root.parent.parent
    if root.name == folder_name:
        return root.parent
    return root


def open_mnist(dataset: str, opts: datasets.OpenOptions) -> datasets.ImageSource:
    cls = _tv_class(dataset)
    title = _TITLES[dataset]
    root = _locate(opts.root, cls.__name__)
    raw = root / cls.__name__ / "raw"
    needed = _split_files(cls, opts.split)
    if not all((raw / f).is_file() for f in needed):
        raise DatasetMissingError(
            Text("{title} not found: {raw} lacks {files} (download it, or point --data-root at the"
                 " folder that holds {base}/)", title=title, raw=raw, files=", ".join(needed),
                 base=cls.__name__),
            dataset=dataset, root=str(root),
        )
    image_file = next(f for f in needed if "images" in f)
    label_file = next(f for f in needed if "labels" in f)
    images = datasets.checked_images(read_idx(raw / image_file, ndim=3)[..., None],
                                     raw / image_file)  # (N, 28, 28, 1)
    labels = read_idx(raw / label_file, ndim=1)
    if len(labels) != len(images):
        raise ActlensError(
            f"{raw}: {label_file} holds {len(labels)} labels but {image_file} holds"
            f" {len(images)} images")
    mean, std = _STATS[dataset]
    return datasets.ArraySource(dataset, opts.split, images, labels, list(cls.classes), mean,
                                std, where=raw / label_file)


IDX_TYPES = {0x08: np.uint8}  # MNIST images and labels are unsigned bytes


def read_idx(path: Path, ndim: int) -> np.ndarray:
    """An IDX file of unsigned bytes with ``ndim`` dimensions, checked against its size."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            header = f.read(4)
            if len(header) < 4 or header[:2] != b"\0\0":
                raise ActlensError(f"{path} is not an IDX file (it does not start with 0 0)")
            kind, dims = header[2], header[3]
            if kind not in IDX_TYPES:
                raise ActlensError(
                    f"{path} holds IDX element type 0x{kind:02x}; expected unsigned bytes (0x08)")
            if dims != ndim:
                raise ActlensError(
                    f"{path} has {dims} dimension{'s' if dims != 1 else ''}; expected {ndim}")
            raw_shape = f.read(4 * dims)
            if len(raw_shape) < 4 * dims:
                raise ActlensError(f"{path} ends inside its header")
            shape = struct.unpack(f">{dims}I", raw_shape)
            expected = 4 + 4 * dims + math.prod(shape)
            if expected != size:
                described = " x ".join(str(n) for n in shape)
                raise ActlensError(
                    f"{path} holds {size} bytes but its header describes {described}"
                    f" ({expected} bytes); the file is truncated or not what its header says")
            data = np.fromfile(f, dtype=IDX_TYPES[kind], count=math.prod(shape))
    except OSError as exc:
        raise ActlensError(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.size != math.prod(shape):
        raise ActlensError(f"{path} changed while it was read")
    return data.reshape(shape)


def download_mnist(dataset: str, root: Path, *, progress=None, cancel=None,
                   timeout: float = 15.0) -> None:
    """Fetch the four gzip files (trying each mirror), verify, unpack, move into place."""
    cls = _tv_class(dataset)
    title = _TITLES[dataset]
    raw = root / cls.__name__ / "raw"
    with staging_dir(root) as staging:
        done = 0
        for filename, md5 in cls.resources:
            part = staging / filename
            error = None
            for mirror in cls.mirrors:
                try:
                    done += fetch(f"{mirror}{filename}", part, title, root, progress=progress,
                                  cancel=cancel, timeout=timeout, base=done)
                    error = None
                    break
                except CancelledError:
                    raise
                except ActlensError as exc:
                    error = exc
            if error is not None:
                raise error
            check_md5(part, md5, title)
            with gzip.open(part) as src, open(staging / part.stem, "wb") as dst:
                shutil.copyfileobj(src, dst)
            part.unlink()
        raw.mkdir(parents=True, exist_ok=True)
        for f in staging.iterdir():
            os.replace(f, raw / f.name)


for _name in ("mnist", "fashion-mnist"):
    datasets.register(
        _name,
        functools.partial(open_mnist, _name),
        functools.partial(lambda name, root, **kw: download_mnist(name, root, **kw), _name),
        datasets.DatasetInfo(title=_TITLES[_name]),
    )
