"""MNIST and Fashion-MNIST (single-channel images, shown as grey).

The IDX files hold raw bytes, not pickles, so loading them runs no code. Only the requested
split's two files need to be present, unpacked in ``<root>/MNIST/raw/`` (or
``FashionMNIST/raw/``), where torchvision's ``MNIST`` reads them. They are read here rather
than by torchvision's reader, which lets a header that disagrees with the file's size, a wrong
element type or a label file of another length through as assertion, type or key errors (or
silently truncates): each header is checked against the file's size before any data is read,
and images and labels are checked against each other before the first step. The arrays are
the ones torchvision's ``data`` and ``targets`` hold, without importing it.
"""

from __future__ import annotations

import functools
import gzip
import math
import os
import shutil
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ActlensError, CancelledError, DatasetMissingError
from ..text import Text, plural
from . import datasets
from .download import check_md5, fetch, replace_folder, staging_dir


@dataclass(frozen=True)
class IdxFiles:
    """Where an MNIST-style data set lives (``<root>/<folder>/raw/``) and what its official
    files are: the names, MD5 sums and mirrors torchvision uses."""

    title: str
    folder: str  # torchvision's class name, the folder it reads and downloads into
    mirrors: tuple[str, ...]
    resources: tuple[tuple[str, str], ...]  # (gzip file name, MD5), train files first
    classes: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]

    def split_files(self, split: str) -> list[str]:
        """The split's two raw files (images, then labels), as unpacked from the gzip files."""
        prefix = "train" if split == "train" else "t10k"
        names = [name.removesuffix(".gz") for name, _ in self.resources]
        return [n for n in names if n.startswith(prefix)]


FILES = {
    "mnist": IdxFiles(
        title="MNIST",
        folder="MNIST",
        mirrors=("https://ossci-datasets.s3.amazonaws.com/mnist/",
                 "http://yann.lecun.com/exdb/mnist/"),
        resources=(("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                   ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                   ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                   ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")),
        classes=("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five",
                 "6 - six", "7 - seven", "8 - eight", "9 - nine"),
        mean=(0.1307,), std=(0.3081,),
    ),
    "fashion-mnist": IdxFiles(
        title="Fashion-MNIST",
        folder="FashionMNIST",
        mirrors=("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",),
        resources=(("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                   ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                   ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                   ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")),
        classes=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"),
        mean=(0.2860,), std=(0.3530,),
    ),
}


def _locate(root: Path, folder_name: str) -> Path:
    """Accept the data root, the ``MNIST`` folder itself, or its ``raw`` folder."""
    if root.name == "raw" and root.parent.name == folder_name:
        return root.parent.parent
    if root.name == folder_name:
        return root.parent
    return root


def present_splits(dataset: str, root: Path) -> tuple[str, ...]:
    """The splits whose two raw files are in ``root``: looked up, not read."""
    files = FILES[dataset]
    raw = _locate(root, files.folder) / files.folder / "raw"
    return tuple(s for s in datasets.SPLITS
                 if all((raw / f).is_file() for f in files.split_files(s)))


def open_mnist(dataset: str, opts: datasets.OpenOptions) -> datasets.ImageSource:
    files = FILES[dataset]
    root = _locate(opts.root, files.folder)
    raw = root / files.folder / "raw"
    needed = files.split_files(opts.split)
    missing = [f for f in needed if not (raw / f).is_file()]
    if missing:
        every = [f for s in datasets.SPLITS for f in files.split_files(s)]
        split = None
        if any((raw / f).is_file() for f in every):  # a copy with a split, or part of one
            split = opts.split
            message = datasets.missing_split_text(files.title, dataset, raw, root, opts.split,
                                                  missing[0], present_splits(dataset, root))
        else:
            message = Text("{title} not found: {raw} lacks {files} (download it, or point"
                           " --data-root at the folder that holds {base}/)", title=files.title,
                           raw=raw, files=", ".join(needed), base=files.folder)
        raise DatasetMissingError(message, dataset=dataset, root=str(root), split=split)
    image_file, label_file = needed
    count = SPLIT_IMAGES[opts.split]
    images = read_idx(raw / image_file, (count, IMAGE_SIDE, IMAGE_SIDE), files.title)
    images = datasets.checked_images(images[..., None], raw / image_file)  # (N, 28, 28, 1)
    labels = read_idx(raw / label_file, (count,), files.title)
    if len(labels) != len(images):
        raise ActlensError(Text(
            "{raw}: {labels_file} holds {labels} labels but {images_file} holds {images}"
            " images; each image needs one label", raw=raw, labels_file=label_file,
            labels=len(labels), images_file=image_file, images=len(images)))
    return datasets.ArraySource(dataset, opts.split, images, labels, list(files.classes),
                                files.mean, files.std, where=raw / label_file)


IDX_TYPES = {0x08: np.uint8}  # MNIST images and labels are unsigned bytes
SPLIT_IMAGES = {"train": 60_000, "test": 10_000}  # images in each split (both data sets)
IMAGE_SIDE = 28


def read_idx(path: Path, largest: tuple[int, ...], title: str) -> np.ndarray:
    """An IDX file of unsigned bytes shaped like ``largest`` (``(N, 28, 28)`` or ``(N,)``) and
    no larger, checked against its size before any data is read."""
    ndim = len(largest)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            _check_idx_size(path, size, largest, title)
            shape = _idx_shape(path, f, ndim)
            expected = 4 + 4 * ndim + math.prod(shape)
            if expected != size:
                raise ActlensError(Text(
                    "{path} holds {size} bytes but its header describes {shape} ({expected}"
                    " bytes); the file is cut short or is not what its header says", path=path,
                    size=size, shape=" x ".join(str(n) for n in shape), expected=expected))
            data = np.fromfile(f, dtype=np.uint8, count=math.prod(shape))
    except OSError as exc:
        raise ActlensError(Text("cannot read {path}: {why}", path=path,
                                why=exc.strerror or str(exc))) from None
    if data.size != math.prod(shape):
        raise ActlensError(Text("{path} changed while it was read", path=path))
    return data.reshape(shape)


def _check_idx_size(path: Path, size: int, largest: tuple[int, ...], title: str) -> None:
    """Refuse a file larger than the format allows before reading it (a huge or sparse file at
    a data file's name would otherwise fill the memory)."""
    limit = 4 + 4 * len(largest) + math.prod(largest)
    if size <= limit:
        return
    count = f"{largest[0]:,}"
    what = (Text("{count} images of {side} x {side} pixels", count=count, side=IMAGE_SIDE)
            if len(largest) > 1 else Text("{count} labels", count=count))
    raise ActlensError(Text(
        "{path} is {size} bytes ({human}), more than a {title} file can be: it holds at most"
        " {what}, {limit} bytes; it was not read", path=path, size=f"{size:,}",
        human=datasets.human_size(size), title=title, what=what, limit=f"{limit:,}"))


def _idx_shape(path: Path, f, ndim: int) -> tuple[int, ...]:
    """The dimensions an IDX file's header gives, once its type and rank are the expected."""
    header = f.read(4)
    if len(header) < 4 or header[:2] != b"\0\0":
        raise ActlensError(Text(
            "{path} is not an IDX file (it does not start with 0 0): MNIST images and labels"
            " come in IDX files, unpacked from the .gz download", path=path))
    kind, dims = header[2], header[3]
    if kind not in IDX_TYPES:
        raise ActlensError(Text(
            "{path} holds IDX element type 0x{kind}; MNIST files hold unsigned bytes (0x08),"
            " one per pixel or label", path=path, kind=f"{kind:02x}"))
    if dims != ndim:
        expected = (Text("expected 3 (images x rows x columns)") if ndim == 3
                    else Text("expected 1 (one label per image)"))
        raise ActlensError(plural(dims, "{path} has {n} dimension; {expected}",
                                  "{path} has {n} dimensions; {expected}", path=path,
                                  expected=expected))
    raw_shape = f.read(4 * dims)
    if len(raw_shape) < 4 * dims:
        raise ActlensError(Text("{path} ends inside its header: the file is cut short",
                                path=path))
    return struct.unpack(f">{dims}I", raw_shape)


def download_mnist(dataset: str, root: Path, *, progress=None, cancel=None,
                   timeout: float = 15.0) -> Path | None:
    """Fetch the four gzip files (trying each mirror), verify, unpack, move into place; return
    where a differing copy that was there went (:func:`download.replace_folder`)."""
    files = FILES[dataset]
    title = files.title
    raw = root / files.folder / "raw"
    with staging_dir(root) as staging:
        (staging / "raw").mkdir()
        done = 0
        for filename, md5 in files.resources:
            part = staging / "raw" / filename
            error = None
            for mirror in files.mirrors:
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
            with gzip.open(part) as src, open(part.with_suffix(""), "wb") as dst:
                shutil.copyfileobj(src, dst)
            part.unlink()
        raw.parent.mkdir(parents=True, exist_ok=True)
        return replace_folder(staging / "raw", raw)


for _name in FILES:
    datasets.register(
        _name,
        functools.partial(open_mnist, _name),
        functools.partial(lambda name, root, **kw: download_mnist(name, root, **kw), _name),
        datasets.DatasetInfo(title=FILES[_name].title),
        splits=functools.partial(present_splits, _name),
    )
