"""Image sources: a data set split loaded once, read as uint8 NHWC batches.

Every data set sits behind :class:`ImageSource`; the GUI and the export only ever call
:func:`open_source` and :meth:`ImageSource.read`. A new data set is a module of this package
that calls :func:`register` with its opener and a :class:`DatasetInfo` saying what it is;
everything else asks :func:`dataset_info` instead of comparing names.
"""

from __future__ import annotations

import math
import os
import shlex
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import ActlensError, BatchIndexError, quote_user
from ..text import Text

ProgressFn = Callable[[int, int], None]  # (done, total); total 0 when unknown


@dataclass(frozen=True)
class Batch:
    """One batch: ``images`` uint8 (N, H, W, C) with C in {1, 3}; ``labels`` int64 (N,).
    ``values``: float32 (N, C, H, W) where the source gives the activations' input itself
    (a Python data set's own tensors, taken as its transform made them: no preprocessing);
    ``images`` are then those values shown as pixels."""

    index: int
    start: int
    images: np.ndarray
    labels: np.ndarray
    values: np.ndarray | None = None


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

    def read_values(self, start: int, stop: int):
        """``read``'s images and labels, and the float values the activations take in place
        of the preprocessed pixels (None: preprocess the pixels)."""
        images, labels = self.read(start, stop)
        return images, labels, None

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
        images, labels, values = self.read_values(start, min(start + batch_size, len(self)))
        return Batch(index, start, images, labels, values)


class ArraySource(ImageSource):
    """A split held in memory as one uint8 NHWC array (possibly a strided view).

    The arrays are checked against each other here, before the first step: uint8 images
    (N, H, W, 1 or 3), N integer labels within the classes, class names as text. ``where``
    (a file or folder) names the origin in the one-line error.
    """

    def __init__(self, name, split, images, labels, classes, mean, std, notes=(), where=None):
        where = where or name
        self.name, self.split = name, split
        self.classes = checked_classes(classes, where)
        self.images = checked_images(images, where)
        self.labels = checked_labels(labels, len(self.images), len(self.classes), where)
        self.channels = images.shape[3]
        self.mean, self.std = tuple(mean), tuple(std)
        self.notes = tuple(notes)

    def __len__(self) -> int:
        return len(self.labels)

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return self.images[start:stop], self.labels[start:stop]


def kind_of(value) -> str:
    """'a list', 'an int', ... for messages about what a file held instead."""
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"


def human_size(size: int) -> str:
    """``size`` bytes as people read it: 152 bytes, 29.4 MB, 30.0 GB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def checked_images(images, where) -> np.ndarray:
    """``images`` if it is a non-empty uint8 (N, H, W, 1 or 3) array, else ActlensError."""
    if not isinstance(images, np.ndarray):
        raise ActlensError(f"{where}: the images are {kind_of(images)}, not an array")
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[3] not in (1, 3) \
            or images.shape[1] < 1 or images.shape[2] < 1:
        shape = "x".join(str(n) for n in images.shape[:8])
        raise ActlensError(
            f"{where}: the images are {images.dtype} {shape or 'scalar'}; expected uint8"
            " N x height x width x 1 or 3 channels"
        )
    if images.shape[0] == 0:
        raise ActlensError(f"{where} holds no images")
    return images


def checked_classes(classes, where) -> list[str]:
    """``classes`` as a list of names, if it is a non-empty list or tuple of text."""
    if not isinstance(classes, (list, tuple)):
        raise ActlensError(f"{where}: the class names are {kind_of(classes)}, not a list of names")
    if not classes:
        raise ActlensError(f"{where} holds no class names")
    for i, c in enumerate(classes):
        if not isinstance(c, str):
            raise ActlensError(f"{where}: class name {i} is {kind_of(c)}, not text")
    return [_shown_name(c) for c in classes]


MAX_CLASS_NAME = 100  # characters of a class name that are kept


def _shown_name(name: str) -> str:
    """A class name as one line of at most MAX_CLASS_NAME characters (a data file may hold
    megabytes, or line breaks, in a name)."""
    line = " ".join(name[:MAX_CLASS_NAME * 4].split())
    line = "".join(c for c in line if c.isprintable() and c not in _BIDI_CONTROLS)
    return line if len(line) <= MAX_CLASS_NAME else line[:MAX_CLASS_NAME - 1] + "…"


# characters that reorder the text around them ("evil" shown as "live")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_label(where, index, value, num_classes) -> ActlensError:
    return ActlensError(
        f"{where}: label {index} is {quote_user(value, 40)}, not a class number from 0 to"
        f" {num_classes - 1}"
    )


def checked_labels(labels, count: int, num_classes: int, where) -> np.ndarray:
    """``labels`` as int64 (count,): a list, tuple or 1-D array of whole numbers, each a class.

    Anything else (a number, None, text, fractions, booleans, the wrong count) is one
    ActlensError naming ``where``; nothing is silently truncated or rounded.
    """
    if isinstance(labels, np.ndarray):
        if labels.ndim != 1 or labels.dtype.kind not in "iuf":
            raise ActlensError(
                f"{where}: the labels are a {labels.dtype} array of shape"
                f" {tuple(labels.shape[:8])}; expected one whole number per image"
            )
        if len(labels) != count:
            raise ActlensError(Text("{where}: {n} labels for {count} images; each image needs"
                                    " one label", where=where, n=len(labels), count=count))
        if labels.dtype.kind == "f":
            bad = ~np.isfinite(labels) | (labels != np.round(labels))
            if bad.any():
                i = int(np.argmax(bad))
                raise _bad_label(where, i, float(labels[i]), num_classes)
        out_of_range = (labels < 0) | (labels >= num_classes)
        if out_of_range.any():
            i = int(np.argmax(out_of_range))
            raise _bad_label(where, i, labels[i].item(), num_classes)
        return labels.astype(np.int64)
    if not isinstance(labels, (list, tuple)):
        raise ActlensError(
            f"{where}: the labels are {kind_of(labels)}, not a list of class numbers")
    if len(labels) != count:
        raise ActlensError(Text("{where}: {n} labels for {count} images; each image needs"
                                " one label", where=where, n=len(labels), count=count))
    for i, v in enumerate(labels):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer,
                                                                   np.floating)):
            raise ActlensError(
                f"{where}: label {i} is {kind_of(v)}, not a class number from 0 to {num_classes - 1}")
        if isinstance(v, (float, np.floating)) and not (np.isfinite(v) and v == int(v)):
            raise _bad_label(where, i, float(v), num_classes)
        if not 0 <= v < num_classes:
            raise _bad_label(where, i, v, num_classes)
    return np.fromiter((int(v) for v in labels), dtype=np.int64, count=len(labels))


SPLITS = ("test", "train")
DEFAULT_SPLIT = SPLITS[0]  # the tutorial's


class ReorderedSource(ImageSource):
    """Another source's images in the order ``order`` (indices into it): a seeded shuffle,
    the built-in sample's interleaved classes. ``notes`` come before the source's own."""

    def __init__(self, source: ImageSource, order, notes: tuple[str, ...] = ()):
        self.source = source
        for name in ("name", "split", "classes", "channels", "mean", "std"):
            setattr(self, name, getattr(source, name))
        self.order = np.asarray(order, dtype=np.int64)
        self._notes = tuple(notes)

    @property
    def notes(self) -> tuple[str, ...]:
        return self._notes + tuple(self.source.notes)

    def __len__(self) -> int:
        return len(self.order)

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        return self.read_values(start, stop)[:2]

    def read_values(self, start: int, stop: int):
        """The source's images, labels and values (where it has them), reordered."""
        picked = self.order[start:stop]
        if isinstance(self.source, ArraySource):
            return self.source.images[picked], self.source.labels[picked], None
        parts = [self.source.read_values(int(i), int(i) + 1) for i in picked]
        values = None if any(p[2] is None for p in parts) else np.concatenate(
            [p[2] for p in parts])
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                values)


@dataclass(frozen=True)
class OpenOptions:
    root: Path
    split: str = DEFAULT_SPLIT
    allow_unverified: bool = False
    image_size: int = 32  # image folders only: images are resized and centre-cropped to this
    coarse_labels: bool = False  # CIFAR-100 only: the 20 superclasses instead of 100 classes


Opener = Callable[[OpenOptions], ImageSource]


@dataclass(frozen=True)
class DatasetInfo:
    """What a data set is, declared once when it registers; the session, the window and the
    command lines ask this instead of comparing data set names."""

    title: str = ""  # how messages name it: "CIFAR-10", "image folder"
    downloadable: bool = False  # it has a downloader (set by :func:`register`)
    # a folder of the user's own images: it keeps its own data root (never the one shared by
    # the downloadable data sets), and the image size applies to it
    user_folder: bool = False
    coarse_labels: bool = False  # it offers CIFAR-100's 20 superclass labels
    translated_classes: bool = False  # its class names are CIFAR-10's, which the window translates
    # the data set this one is a built-in copy of; the window shows it offline instead of a
    # missing data set
    stands_in_for: str = ""
    # objects handed over from Python, named by a key in place of a folder: never offered in
    # a list, never remembered, and its "folder" (the key) is its own
    from_python: bool = False


OPENERS: dict[str, Opener] = {}
DOWNLOADERS: dict[str, Callable[..., None]] = {}
INFOS: dict[str, DatasetInfo] = {}
# root -> the splits whose files are there (looked up, not read), for data sets that can tell
SPLIT_FINDERS: dict[str, Callable[[Path], tuple[str, ...]]] = {}


def register(name: str, opener: Opener, downloader: Callable[..., Path | None] | None = None,
             info: DatasetInfo | None = None,
             splits: Callable[[Path], tuple[str, ...]] | None = None) -> None:
    """Make ``name`` a data set: ``opener`` loads it, ``downloader`` (if any) fetches it,
    ``info`` declares what it is, and ``splits`` (if any) says which splits a data root holds
    (without it, every split is taken to be there)."""
    OPENERS[name] = opener
    DOWNLOADERS.pop(name, None)
    if downloader is not None:
        DOWNLOADERS[name] = downloader
    INFOS[name] = replace(info or DatasetInfo(title=name), downloadable=downloader is not None)
    SPLIT_FINDERS.pop(name, None)
    if splits is not None:
        SPLIT_FINDERS[name] = splits


DISPLAY_ORDER = ("cifar10", "cifar100", "mnist", "fashion-mnist", "sample", "folder")


def dataset_names(every: bool = False) -> list[str]:
    """The data sets a user can choose by name; with ``every``, those handed over from
    Python too."""
    _ensure_registered()
    known = [n for n in DISPLAY_ORDER if n in OPENERS]
    return [n for n in known + [n for n in OPENERS if n not in known]
            if every or not INFOS[n].from_python]


def dataset_info(name: str) -> DatasetInfo:
    """What ``name`` declared; a name that no data set registered is nothing special (a plain
    declaration titled with the name), so asking never fails: opening it does."""
    _ensure_registered()
    return INFOS.get(name) or DatasetInfo(title=name)


def offline_stand_in() -> str:
    """The data set the window shows, offline, when the one asked for is missing on the first
    launch (the built-in sample); "" if none is registered."""
    return next((n for n in dataset_names() if INFOS[n].stands_in_for), "")


def user_folder_dataset() -> str:
    """The data set that opens a folder of the user's own images (a dropped folder opens as
    it); "" if none is registered."""
    return next((n for n in dataset_names() if INFOS[n].user_folder), "")


def open_source(
    dataset: str,
    root: str | os.PathLike,
    split: str = DEFAULT_SPLIT,
    *,
    allow_unverified: bool = False,
    image_size: int = 32,
    coarse_labels: bool = False,
) -> ImageSource:
    """Load ``dataset``'s ``split`` from ``root``; raise ActlensError with a clear message."""
    _ensure_registered()
    if dataset not in OPENERS:
        raise ActlensError(
            f"unknown dataset '{quote_user(dataset)}'; choose one of {', '.join(OPENERS)}")
    if split not in SPLITS:
        raise ActlensError(f"unknown split '{quote_user(split)}'; choose test or train")
    if INFOS[dataset].from_python:  # the root is the key of the objects
        return OPENERS[dataset](OpenOptions(Path(os.fspath(root)), split, allow_unverified,
                                            image_size, coarse_labels))
    root = expand_path(root, "data root")
    _check_root(root)
    options = OpenOptions(root, split, allow_unverified, image_size, coarse_labels)
    return OPENERS[dataset](options)


def available_splits(dataset: str, root: str | os.PathLike) -> tuple[str, ...]:
    """The splits of ``dataset`` whose files are in ``root`` ("" for the default data root),
    in :data:`SPLITS` order: looked up, not verified or read, so it is quick and never fails.
    A data set that cannot tell has every split; data handed over from Python has none."""
    _ensure_registered()
    if dataset not in OPENERS or INFOS[dataset].from_python:
        return ()
    finder = SPLIT_FINDERS.get(dataset)
    if finder is None:
        return SPLITS
    try:
        found = finder(expand_path(root, "data root") if root else default_data_root())
    except (ActlensError, OSError, ValueError):  # an unknown ~user, a folder we may not read
        return ()
    return tuple(s for s in SPLITS if s in found)


def missing_split_text(title: str, dataset: str, where: Path, root: Path, split: str,
                       missing: str, present: tuple[str, ...]) -> Text:
    """Why ``split`` of the copy in ``where`` cannot be opened (its file ``missing`` is not
    there) when the folder exists: the splits it does hold, and the download that brings the
    whole data set. A folder with one split is a normal copy: nothing in it is to be deleted."""
    command = f"actlens download --dataset {dataset} --data-root {shlex.quote(str(root))}"
    if present:
        return Text("{title} in {where} has only the {present} split ({missing} is missing);"
                    " the {split} split needs the download ({command}), which brings both"
                    " splits", title=title, where=where, present=" and ".join(present),
                    missing=missing, split=split, command=command)
    return Text("{title} in {where} has no complete split ({missing} is missing); the download"
                " ({command}) brings both splits", title=title, where=where, missing=missing,
                command=command)


def expand_path(path: str | os.PathLike, what: str = "path") -> Path:
    """``path`` with ``~`` expanded; a ``~user`` that does not exist is a clear error
    (``Path.expanduser`` raises RuntimeError for it)."""
    try:
        expanded = Path(path).expanduser()
    except RuntimeError:
        raise ActlensError(
            f"the {what} {quote_user(os.fspath(path), 200)} starts with an unknown user's home"
            " folder (~name)") from None
    _check_length(expanded, what)
    return expanded


PATH_MAX, NAME_MAX = 4096, 255  # bytes in a path, and in one of its names (Linux's limits)


def _check_length(path: Path, what: str) -> None:
    """A path longer than the system takes is said as such, before any call fails on it."""
    raw = os.fsencode(path)
    longest = max((len(name) for name in raw.split(b"/")), default=0)
    if len(raw) < PATH_MAX and longest <= NAME_MAX:
        return
    raise ActlensError(Text(
        "the {what} {path} is too long: {n} bytes, where a path holds at most {path_max} and"
        " each folder or file name in it at most {name_max}", what=what,
        path=quote_user(os.fspath(path), 200), n=f"{len(raw):,}", path_max=f"{PATH_MAX:,}",
        name_max=NAME_MAX))


def _check_root(root: Path) -> None:
    """A data root that is a file, or no valid path at all, is one clear error for every data
    set (a missing one is left to the opener, which may offer a download)."""
    shown = quote_user(str(root), 200)
    try:
        st = root.stat()
    except ValueError:  # an embedded NUL character
        raise ActlensError(f"the data root {shown} is not a valid path") from None
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as exc:
        raise ActlensError(f"cannot read the data root {shown}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise ActlensError(
            f"the data root {shown} is a file, not a folder; point --data-root at the folder"
            " that holds the data set"
        )


def download(dataset: str, root: str | os.PathLike, *, progress=None,
             cancel=None) -> Path | None:
    """Download ``dataset`` into ``root`` (progress callback, cancel ``threading.Event``).
    A copy that was there and differs from the download is moved aside, never deleted:
    returns where it went, or None."""
    _ensure_registered()
    if dataset not in DOWNLOADERS:
        raise ActlensError(
            f"{quote_user(dataset)} cannot be downloaded; point --data-root at a local copy")
    root = expand_path(root, "data root")
    _check_root(root)
    return DOWNLOADERS[dataset](root, progress=progress, cancel=cancel)


def can_download(dataset: str) -> bool:
    _ensure_registered()
    return dataset in DOWNLOADERS


def default_data_root() -> Path:
    """``$ACTLENS_DATA_ROOT`` if set, else the platform's user data directory."""
    env = os.environ.get("ACTLENS_DATA_ROOT")
    if env:
        return expand_path(env, "data root in $ACTLENS_DATA_ROOT")
    import platformdirs

    return Path(platformdirs.user_data_dir("actlens", appauthor=False)) / "datasets"


_discovered = False


def _ensure_registered() -> None:
    """Import every module of this package once: each data set's module registers it on
    import. The modules import torch only when a data set is opened, and torchvision never."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    import importlib
    import pkgutil

    package = importlib.import_module(__package__)
    try:
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{__package__}.{module.name}")
    except BaseException:
        _discovered = False  # asked again, the import is tried again (and fails clearly)
        raise
