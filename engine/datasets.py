"""Image sources: a data set split loaded once, read as uint8 NHWC batches.

Every data set sits behind :class:`ImageSource`; the GUI and the export only ever call
:func:`open_source` and :meth:`ImageSource.read`. A new data set registers an opener in
:data:`OPENERS` and nothing else changes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.errors import ActlensError, BatchIndexError

ProgressFn = Callable[[int, int], None]  # (done, total); total 0 when unknown


@dataclass(frozen=True)
class Batch:
    """One batch: ``images`` uint8 (N, H, W, C) with C in {1, 3}; ``labels`` int64 (N,)."""

    index: int
    start: int
    images: np.ndarray
    labels: np.ndarray


class ImageSource:
    """A loaded split of a data set. Subclasses set the attributes and implement ``read``."""

    name: str = ""
    split: str = ""
    classes: list[str] = []
    channels: int = 3
    # Per-channel mean and std of [0, 1] pixel values, for the `normalize` preprocessing.
    mean: tuple[float, ...] = (0.5, 0.5, 0.5)
    std: tuple[float, ...] = (0.25, 0.25, 0.25)
    notes: tuple[str, ...] = ()  # things the user should know (e.g. files skipped)

    def __len__(self) -> int:
        raise NotImplementedError

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Images ``[start, stop)`` as uint8 (N, H, W, C) and their int64 labels."""
        raise NotImplementedError

    def num_batches(self, batch_size: int) -> int:
        return math.ceil(len(self) / batch_size)

    def batch(self, index: int, batch_size: int) -> Batch:
        n = self.num_batches(batch_size)
        if not 0 <= index < n:
            raise BatchIndexError(
                f"batch {index} does not exist: {self.name} {self.split} has batches 0 to {n - 1}"
                f" at batch size {batch_size}",
                num_batches=n,
            )
        start = index * batch_size
        images, labels = self.read(start, min(start + batch_size, len(self)))
        return Batch(index, start, images, labels)


class ArraySource(ImageSource):
    """A split held in memory as one uint8 NHWC array (possibly a strided view)."""

    def __init__(self, name, split, images, labels, classes, mean, std, notes=()):
        self.name, self.split = name, split
        self.images = images
        self.labels = np.asarray(labels, dtype=np.int64)
        self.classes = list(classes)
        self.channels = images.shape[3]
        self.mean, self.std = tuple(mean), tuple(std)
        self.notes = tuple(notes)

    def __len__(self) -> int:
        return len(self.labels)

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return self.images[start:stop], self.labels[start:stop]


@dataclass(frozen=True)
class OpenOptions:
    root: Path
    split: str = "test"
    allow_unverified: bool = False
    image_size: int = 32  # image folders only: images are resized and centre-cropped to this
    coarse_labels: bool = False  # CIFAR-100 only: the 20 superclasses instead of 100 classes


Opener = Callable[[OpenOptions], ImageSource]
OPENERS: dict[str, Opener] = {}
DOWNLOADERS: dict[str, Callable[..., None]] = {}
SPLITS = ("test", "train")


def register(name: str, opener: Opener, downloader: Callable[..., None] | None = None) -> None:
    OPENERS[name] = opener
    if downloader is not None:
        DOWNLOADERS[name] = downloader


DISPLAY_ORDER = ("cifar10", "cifar100", "mnist", "fashion-mnist", "folder")


def dataset_names() -> list[str]:
    _ensure_registered()
    known = [n for n in DISPLAY_ORDER if n in OPENERS]
    return known + [n for n in OPENERS if n not in known]


def open_source(
    dataset: str,
    root: str | os.PathLike,
    split: str = "test",
    *,
    allow_unverified: bool = False,
    image_size: int = 32,
    coarse_labels: bool = False,
) -> ImageSource:
    """Load ``dataset``'s ``split`` from ``root``; raise ActlensError with a clear message."""
    _ensure_registered()
    if dataset not in OPENERS:
        raise ActlensError(f"unknown dataset '{dataset}'; choose one of {', '.join(OPENERS)}")
    if split not in SPLITS:
        raise ActlensError(f"unknown split '{split}'; choose test or train")
    root = Path(root).expanduser()
    options = OpenOptions(root, split, allow_unverified, image_size, coarse_labels)
    return OPENERS[dataset](options)


def download(dataset: str, root: str | os.PathLike, *, progress=None, cancel=None) -> None:
    """Download ``dataset`` into ``root`` (progress callback, cancel ``threading.Event``)."""
    _ensure_registered()
    if dataset not in DOWNLOADERS:
        raise ActlensError(f"{dataset} cannot be downloaded; point --data-root at a local copy")
    DOWNLOADERS[dataset](Path(root).expanduser(), progress=progress, cancel=cancel)


def can_download(dataset: str) -> bool:
    _ensure_registered()
    return dataset in DOWNLOADERS


def default_data_root() -> Path:
    """``$ACTLENS_DATA_ROOT`` if set, else the platform's user data directory."""
    env = os.environ.get("ACTLENS_DATA_ROOT")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("actlens", appauthor=False)) / "datasets"


def _ensure_registered() -> None:
    if not OPENERS:
        # Each module registers its data sets on import.
        from engine import cifar, folder, mnist  # noqa: F401
