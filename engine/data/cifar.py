"""CIFAR-10 and CIFAR-100, verified before anything is unpickled.

Each file is read once: its bytes are checked against the official MD5 sums (the ones
torchvision publishes; only the requested split's files and the metadata are hashed) and the
same bytes are unpickled. Files that fail the check are refused, naming the file; with
``allow_unverified`` they are loaded through :mod:`engine.data.safe_pickle`, which admits plain
data only. The arrays are torchvision's (``CIFAR10``/``CIFAR100``'s ``data``, ``targets`` and
``classes``: uint8 NHWC images, int labels, the class names), without importing it.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import tarfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import (
    ActlensError,
    CancelledError,
    DatasetMissingError,
    UnverifiedDataError,
    quote_user,
)
from ..text import Text
from . import datasets
from .datasets import human_size
from .download import check_md5, fetch, replace_folder, staging_dir
from .safe_pickle import UnsafePickleError, load_plain


@dataclass(frozen=True)
class CifarFiles:
    """Where a CIFAR data set lives and what its official files are."""

    title: str
    base_folder: str  # the folder the archive extracts to, inside the data root
    url: str
    archive: str
    archive_md5: str
    train: tuple[tuple[str, str], ...]  # (file name, MD5) of each of the split's files
    test: tuple[tuple[str, str], ...]
    meta: tuple[str, str]  # the metadata file (class names) and its MD5
    classes_key: str  # the metadata's list of class names
    # Per-channel statistics of the training split's [0, 1] pixels (the usual published values).
    mean: tuple[float, ...]
    std: tuple[float, ...]
    coarse_labels: bool = False  # it also has 20 superclass labels (CIFAR-100)
    translated_classes: bool = False  # the window translates its class names (CIFAR-10's)

    def split_files(self, split: str) -> tuple[tuple[str, str], ...]:
        return self.train if split == "train" else self.test


FILES = {
    "cifar10": CifarFiles(
        title="CIFAR-10",
        base_folder="cifar-10-batches-py",
        url="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        archive="cifar-10-python.tar.gz",
        archive_md5="c58f30108f718f92721af3b95e74349a",
        train=(("data_batch_1", "c99cafc152244af753f735de768cd75f"),
               ("data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"),
               ("data_batch_3", "54ebc095f3ab1f0389bbae665268c751"),
               ("data_batch_4", "634d18415352ddfa80567beed471001a"),
               ("data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb")),
        test=(("test_batch", "40351d587109b95175f43aff81a1287e"),),
        meta=("batches.meta", "5ff9c542aee3614f3951f8cda6e48888"),
        classes_key="label_names",
        mean=(0.4914, 0.4822, 0.4465), std=(0.2470, 0.2435, 0.2616),
        translated_classes=True,
    ),
    "cifar100": CifarFiles(
        title="CIFAR-100",
        base_folder="cifar-100-python",
        url="https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
        archive="cifar-100-python.tar.gz",
        archive_md5="eb9058c3a382ffc7106e4002c42a8d85",
        train=(("train", "16019d7e3df5f24257cddd939b257f8d"),),
        test=(("test", "f0ef6b0ae62326f3e7ffdfab6717acfc"),),
        meta=("meta", "7973b15100ade9c7d40fb424638fde48"),
        classes_key="fine_label_names",
        mean=(0.5071, 0.4865, 0.4409), std=(0.2673, 0.2564, 0.2762),
        coarse_labels=True,
    ),
}


def _locate(root: Path, base_folder: str) -> Path:
    """The directory holding ``base_folder``: ``root`` itself, or ``root`` if it *is* that folder."""
    if root.name == base_folder and root.is_dir():
        return root.parent
    return root


def _needed(files: CifarFiles, split: str) -> list[tuple[str, str]]:
    """The split's files, then the metadata: every file a split needs, in the order checked."""
    return [*files.split_files(split), files.meta]


def present_splits(dataset: str, root: Path) -> tuple[str, ...]:
    """The splits whose files (and the metadata) are in ``root``: looked up, not read."""
    files = FILES[dataset]
    folder = _locate(root, files.base_folder) / files.base_folder
    return tuple(s for s in datasets.SPLITS
                 if all((folder / name).is_file() for name, _ in _needed(files, s)))


def _refuse_odd_files(folder: Path, names) -> None:
    """A data file's name that is there but is not a regular file (a folder, a FIFO, a device,
    a broken or looping link) is said as such: it is not missing, and no download replaces
    it."""
    for name in names:
        path = folder / name
        if (path.is_symlink() or path.exists()) and not path.is_file():
            raise ActlensError(_not_a_file(path))


def _not_a_file(path: Path) -> Text:
    """What is at a data file's name instead of it, each kind one whole sentence (so that
    each translates as one)."""
    if path.is_dir():
        return Text("{path} is not a regular file (a folder); put the data file there, or point"
                    " --data-root at another copy", path=path)
    if path.is_symlink() and not path.exists():
        return Text("{path} is not a regular file (a link to nothing it can read); put the data"
                    " file there, or point --data-root at another copy", path=path)
    return Text("{path} is not a regular file (a device, pipe or socket); put the data file"
                " there, or point --data-root at another copy", path=path)


def open_cifar(dataset: str, opts: datasets.OpenOptions) -> datasets.ImageSource:
    files = FILES[dataset]
    root = _locate(opts.root, files.base_folder)
    folder = root / files.base_folder
    if not folder.is_dir():
        raise DatasetMissingError(
            Text("{title} not found: {folder} does not exist (download it, or point --data-root at"
                 " the folder that holds {base})", title=files.title, folder=folder,
                 base=files.base_folder),
            dataset=dataset,
            root=str(root),
        )
    _refuse_odd_files(folder, [name for name, _ in _needed(files, opts.split)])
    missing = [name for name, _ in _needed(files, opts.split) if not (folder / name).is_file()]
    if missing:
        raise DatasetMissingError(
            datasets.missing_split_text(files.title, dataset, folder, root, opts.split,
                                        missing[0], present_splits(dataset, root)),
            dataset=dataset, root=str(root), split=opts.split)
    loaded = _SplitReader(files, folder, opts.allow_unverified)
    images, labels, classes = loaded.split(opts.split)
    if opts.coarse_labels and files.coarse_labels:
        labels, classes = loaded.coarse_labels()
    notes = () if loaded.unverified is None else (Text(
        "unverified copy: {failed} differs from the official {title} files, so it was read as"
        " plain data", failed=loaded.unverified, title=files.title),)
    return datasets.ArraySource(dataset, opts.split, images, labels, classes, files.mean,
                                files.std, notes=notes, where=folder)


TRAIN_IMAGES, TEST_IMAGES = 50_000, 10_000  # images in each split of both data sets
# An image's pixels twice over (Python 3 writes bytes of 128 and above as two under pickle
# protocols 0 to 2), plus room for its label and file name.
BYTES_PER_IMAGE = 2 * 3072 + 256
MAX_META_BYTES = 1 << 20  # the metadata file holds at most a few hundred class names


def max_file_bytes(files: CifarFiles, name: str) -> tuple[int, int]:
    """The largest a file of the data set may be, and how many images it holds (0 for the
    metadata): the official files are a little larger than their pixels, copies written again
    by Python 3 up to twice as large."""
    if name == files.meta[0]:
        return MAX_META_BYTES, 0
    if name in dict(files.train):
        images = TRAIN_IMAGES // len(files.train)
    else:
        images = TEST_IMAGES // len(files.test)
    return images * BYTES_PER_IMAGE + (64 << 10), images


def _check_size(files: CifarFiles, name: str, path: Path, size: int) -> None:
    """Refuse a file larger than its kind can be before reading it (a huge or sparse file at a
    data file's name would otherwise fill the memory)."""
    limit, images = max_file_bytes(files, name)
    if size <= limit:
        return
    if images:
        raise ActlensError(Text(
            "{path} is {size} bytes ({human}), more than a {title} batch file can be: it holds"
            " {images} images of 32 x 32 pixels, at most {limit} bytes; it was not read",
            path=path, size=f"{size:,}", human=human_size(size), title=files.title,
            images=f"{images:,}", limit=f"{limit:,}"))
    raise ActlensError(Text(
        "{path} is {size} bytes ({human}), more than a {title} metadata file (the class names)"
        " can be: at most {limit} bytes; it was not read", path=path, size=f"{size:,}",
        human=human_size(size), title=files.title, limit=f"{limit:,}"))


class _SplitReader:
    """Reads a split's files once each: hashed, then unpickled from the same bytes (verified
    ones as they are, the others, if allowed, as plain data only), checked as it goes."""

    def __init__(self, files: CifarFiles, folder: Path, allow_unverified: bool):
        self.files, self.folder, self.allow_unverified = files, folder, allow_unverified
        self.entries: list[tuple[Path, dict]] = []
        self.meta: dict = {}
        self.unverified: Path | None = None  # the first file read as plain data

    def load(self, name: str, md5: str):
        path = self.folder / name
        try:
            _check_size(self.files, name, path, path.stat().st_size)
            data = path.read_bytes()
        except OSError as exc:  # a file that cannot be read (permissions, I/O error)
            raise ActlensError(Text("cannot read {path}: {why}", path=exc.filename or path,
                                    why=exc.strerror or str(exc))) from None
        if hashlib.md5(data, usedforsecurity=False).hexdigest() == md5:
            return pickle.loads(data, encoding="latin1")  # the official file, byte for byte
        if not self.allow_unverified:
            raise UnverifiedDataError(Text(
                "{failed} failed the MD5 check against the official {title} sums, so it was not"
                " loaded (unpickling an unverified file can run code). Download the data again,"
                " or pass --allow-unverified to load a copy you trust as plain data",
                failed=path, title=self.files.title), file=str(path), title=self.files.title)
        self.unverified = self.unverified or path
        return _load_plain_bytes(path, data, self.files.title)

    def split(self, split: str):
        """The split's images (uint8 NHWC, a view as torchvision's), labels and class names."""
        title = self.files.title
        chunks, labels = [], []
        for name, md5 in self.files.split_files(split):
            path, entry = self.folder / name, self.load(name, md5)
            data = _batch_data(path, entry, title)
            key = "labels" if "labels" in entry else "fine_labels"
            if key not in entry:
                raise ActlensError(Text(
                    "{path} is not a {title} batch: it has no 'labels' (a batch holds its images"
                    " under 'data' and one class number per image under 'labels')", path=path,
                    title=title))
            labels.append(entry[key])
            chunks.append(data)
            self.entries.append((path, entry))
        meta_path = self.folder / self.files.meta[0]
        self.meta = self.load(*self.files.meta)
        key = self.files.classes_key
        if not isinstance(self.meta, dict) or key not in self.meta:
            raise ActlensError(Text(
                "{path} is not the {title} metadata file: it has no list of class names under"
                " '{key}'", path=meta_path, title=title, key=key))
        classes = datasets.checked_classes(self.meta[key], meta_path)
        checked = [datasets.checked_labels(lab, len(chunk), len(classes), path)
                   for lab, chunk, (path, _) in zip(labels, chunks, self.entries)]
        images = np.vstack(chunks).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
        return images, np.concatenate(checked), classes

    def coarse_labels(self):
        """CIFAR-100's 20 superclass labels and names (torchvision keeps only the fine ones)."""
        meta_path = self.folder / self.files.meta[0]
        names = self.meta.get("coarse_label_names")
        if names is None:
            raise ActlensError(Text(
                "{path} has no names of the 20 superclasses (the coarse labels) under"
                " 'coarse_label_names'", path=meta_path))
        names = datasets.checked_classes(names, meta_path)
        labels = []
        for path, entry in self.entries:
            coarse = entry.get("coarse_labels")
            if coarse is None:
                raise ActlensError(Text(
                    "{path} has no superclass of each image (the coarse labels) under"
                    " 'coarse_labels'", path=path))
            labels.append(datasets.checked_labels(coarse, len(entry["data"]), len(names), path))
        return np.concatenate(labels), names


def _batch_data(path: Path, entry, title: str) -> np.ndarray:
    """A batch file's ``data``: uint8 rows of 3072 values (the three planes of 32 x 32)."""
    if not isinstance(entry, dict):
        raise ActlensError(Text(
            "{path} is not a {title} batch: it holds {kind}, not a dict with 'data' (the images)"
            " and 'labels' (one class number per image)", path=path, title=title,
            kind=datasets.kind_of(entry)))
    if "data" not in entry:
        keys = ", ".join(repr(k) for k in list(entry)[:6]) or "none"
        raise ActlensError(Text(
            "{path} is not a {title} batch: it has no 'data' (the images); its keys are {keys}",
            path=path, title=title, keys=keys))
    data = entry.get("data")
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
            or data.shape[1] != 3072:
        what = (f"{data.dtype} {'x'.join(str(n) for n in data.shape[:8])}"
                if isinstance(data, np.ndarray) else datasets.kind_of(data))
        raise ActlensError(Text(
            "{path} is not a {title} batch: its 'data' should hold one row of 3072 bytes per"
            " image (32 x 32 pixels in 3 colours, uint8 (N, 3072)), found {what}", path=path,
            title=title, what=what))
    return data


def _load_plain_bytes(path: Path, data: bytes, title: str):
    import io

    try:
        return load_plain(io.BytesIO(data))
    except UnsafePickleError as exc:
        raise ActlensError(Text("{path} was refused: {why}; a data file holds only plain data"
                                " (numbers, text, lists, arrays)", path=path,
                                why=quote_user(str(exc), 200))) from None
    except MemoryError:
        raise ActlensError(Text("{path} is not a readable {title} file: reading it needs more"
                                " memory than there is", path=path, title=title)) from None
    except Exception as exc:  # truncated or garbled pickles raise many different types
        cut_short = isinstance(exc, EOFError) or "truncated" in str(exc) or (
            data[:1] == pickle.PROTO and not data.endswith(pickle.STOP))  # no end mark
        if cut_short:
            raise ActlensError(Text("{path} is not a readable {title} file: it ends too early,"
                                    " as a file cut short does (download it again)", path=path,
                                    title=title)) from None
        raise ActlensError(Text(
            "{path} is not a readable {title} file: it is damaged or is not a saved Python"
            " batch (pickle) ({error})", path=path, title=title,
            error=f"{type(exc).__name__}: {quote_user(str(exc), 120)}")) from None


def download_cifar(dataset: str, root: Path, *, progress=None, cancel=None,
                   timeout=15.0) -> Path | None:
    """Fetch the archive, check its MD5, extract it, then move the folder into place; return
    where a differing copy that was there went (:func:`download.replace_folder`).

    A cancelled or failed download leaves neither the archive nor a partial folder behind.
    """
    files = FILES[dataset]
    with staging_dir(root) as staging:
        archive = staging / files.archive
        fetch(files.url, archive, files.title, root, progress=progress, cancel=cancel,
              timeout=timeout)
        check_md5(archive, files.archive_md5, files.title)
        _extract(archive, staging, cancel)
        return replace_folder(staging / files.base_folder, root / files.base_folder)


def _extract(archive: Path, staging: Path, cancel) -> None:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if cancel is not None and cancel.is_set():
                    raise CancelledError("extraction cancelled")
                tar.extract(member, staging, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ActlensError(f"cannot extract {archive.name}: {exc}") from None


for _name in FILES:
    datasets.register(
        _name,
        functools.partial(open_cifar, _name),
        functools.partial(lambda name, root, **kw: download_cifar(name, root, **kw), _name),
        datasets.DatasetInfo(title=FILES[_name].title, coarse_labels=FILES[_name].coarse_labels,
                             translated_classes=FILES[_name].translated_classes),
        splits=functools.partial(present_splits, _name),
    )
