"""CIFAR-10 and CIFAR-100 through torchvision, verified before anything is unpickled.

Official files are checked against torchvision's published MD5 sums and loaded by
``torchvision.datasets.CIFAR10``/``CIFAR100`` (only the requested split is hashed). Files that
fail the check are refused, naming the file; with ``allow_unverified`` they are loaded through
:mod:`engine.data.safe_pickle`, which admits plain data only.
"""

from __future__ import annotations

import functools
import os
import shutil
import tarfile
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
from .download import check_md5, fetch, staging_dir
from .safe_pickle import UnsafePickleError, load_plain

# Per-channel statistics of the training split's [0, 1] pixels (the usual published values).
CIFAR10_MEAN, CIFAR10_STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
CIFAR100_MEAN, CIFAR100_STD = (0.5071, 0.4865, 0.4409), (0.2673, 0.2564, 0.2762)

_TITLES = {"cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}


def _tv_class(dataset: str):
    from torchvision.datasets import CIFAR10, CIFAR100

    return {"cifar10": CIFAR10, "cifar100": CIFAR100}[dataset]


@functools.cache
def _split_checked_class(dataset: str):
    """torchvision's class, hashing only the requested split's files (and the metadata)."""
    import torchvision.datasets.cifar as tv_cifar

    base = _tv_class(dataset)

    class SplitChecked(base):
        def _check_integrity(self) -> bool:
            files = self.train_list if self.train else self.test_list
            return all(
                tv_cifar.check_integrity(os.path.join(self.root, self.base_folder, f), md5)
                for f, md5 in files
            )

    SplitChecked.__name__ = base.__name__
    return SplitChecked


def _expected_files(cls, split: str) -> list[tuple[str, str]]:
    files = cls.train_list if split == "train" else cls.test_list
    return [(f, md5) for f, md5 in files] + [(cls.meta["filename"], cls.meta["md5"])]


def _locate(root: Path, base_folder: str) -> Path:
    """The directory holding ``base_folder``: ``root`` itself, or ``root`` if it *is* that folder."""
    if root.name == base_folder and root.is_dir():
        return root.parent
    return root


def open_cifar(dataset: str, opts: datasets.OpenOptions) -> datasets.ImageSource:
    cls = _tv_class(dataset)
    title = _TITLES[dataset]
    root = _locate(opts.root, cls.base_folder)
    folder = root / cls.base_folder
    if not folder.is_dir():
        raise DatasetMissingError(
            Text("{title} not found: {folder} does not exist (download it, or point --data-root at"
                 " the folder that holds {base})", title=title, folder=folder,
                 base=cls.base_folder),
            dataset=dataset,
            root=str(root),
        )
    expected = _expected_files(cls, opts.split)
    missing = [f for f, _ in expected if not (folder / f).is_file()]
    if missing:
        raise ActlensError(Text("{title} is incomplete: {file} is missing (delete {folder} and"
                                " download again)", title=title, file=folder / missing[0],
                                folder=folder))
    notes = ()
    try:
        tv = _split_checked_class(dataset)(str(root), train=opts.split == "train")
        images, labels, classes = tv.data, tv.targets, tv.classes
    except OSError as exc:  # a file that cannot be read (permissions, I/O error)
        name = getattr(exc, "filename", None) or folder
        raise ActlensError(f"cannot read {name}: {exc.strerror or exc}") from None
    except RuntimeError:
        try:
            failed = _first_unverified(folder, expected)
        except OSError as exc:
            name = getattr(exc, "filename", None) or folder
            raise ActlensError(f"cannot read {name}: {exc.strerror or exc}") from None
        if not opts.allow_unverified:
            raise UnverifiedDataError(Text(
                "{failed} failed the MD5 check against the official {title} sums, so it was not"
                " loaded (unpickling an unverified file can run code). Download the data again,"
                " or pass --allow-unverified to load a copy you trust as plain data",
                failed=failed, title=title)) from None
        images, labels, classes = _load_unverified(cls, folder, opts.split, title)
        notes = (Text("unverified copy: {failed} differs from the official {title} files, so"
                      " it was read as plain data", failed=failed, title=title),)
    if dataset == "cifar100" and opts.coarse_labels:
        labels, classes = _coarse_labels(cls, folder, opts.split, title)
    mean, std = (CIFAR10_MEAN, CIFAR10_STD) if dataset == "cifar10" else (CIFAR100_MEAN, CIFAR100_STD)
    return datasets.ArraySource(dataset, opts.split, images, labels, classes, mean, std,
                                notes=notes, where=folder)


def _coarse_labels(cls, folder: Path, split: str, title: str):
    """CIFAR-100's 20 superclass labels and names (torchvision keeps only the fine ones)."""
    meta_path = folder / cls.meta["filename"]
    meta = _load_plain_file(meta_path, title)
    names = meta.get("coarse_label_names") if isinstance(meta, dict) else None
    if names is None:
        raise ActlensError(f"{meta_path} has no coarse label names")
    names = datasets.checked_classes(names, meta_path)
    labels = []
    for name, _ in cls.train_list if split == "train" else cls.test_list:
        entry = _load_plain_file(folder / name, title)
        coarse = entry.get("coarse_labels") if isinstance(entry, dict) else None
        if coarse is None:
            raise ActlensError(f"{folder / name} has no coarse labels")
        data = entry.get("data")
        if not isinstance(data, np.ndarray) or data.ndim != 2:
            raise ActlensError(f"{folder / name} is not a {title} batch: it has no 'data' rows")
        count = data.shape[0]
        labels.append(datasets.checked_labels(coarse, count, len(names), folder / name))
    return np.concatenate(labels), names


def _first_unverified(folder: Path, expected: list[tuple[str, str]]) -> Path:
    import torchvision.datasets.cifar as tv_cifar

    for name, md5 in expected:
        if not tv_cifar.check_integrity(str(folder / name), md5):
            return folder / name
    return folder


def _load_unverified(cls, folder: Path, split: str, title: str):
    """Load CIFAR-format files through the plain-data unpickler and check that each file's
    images, labels and the class names agree before anything else sees them."""
    meta_path = folder / cls.meta["filename"]
    meta = _load_plain_file(meta_path, title)
    if not isinstance(meta, dict) or cls.meta["key"] not in meta:
        raise ActlensError(f"{meta_path} has no list of class names ('{cls.meta['key']}')")
    classes = datasets.checked_classes(meta[cls.meta["key"]], meta_path)
    files = cls.train_list if split == "train" else cls.test_list
    chunks, labels = [], []
    for name, _ in files:
        path = folder / name
        entry = _load_plain_file(path, title)
        if not isinstance(entry, dict):
            raise ActlensError(
                f"{path} is not a {title} batch: it holds {datasets.kind_of(entry)}, not a dict"
                " with 'data' and 'labels'")
        data = entry.get("data")
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
                or data.shape[1] != 3072:
            what = (f"{data.dtype} {'x'.join(str(n) for n in data.shape[:8])}"
                    if isinstance(data, np.ndarray) else datasets.kind_of(data))
            raise ActlensError(
                f"{path} is not a {title} batch: expected 'data' uint8 (N, 3072), found {what}")
        key = "labels" if "labels" in entry else "fine_labels"
        if key not in entry:
            raise ActlensError(f"{path} is not a {title} batch: it has no 'labels'")
        labels.append(datasets.checked_labels(entry[key], data.shape[0], len(classes), path))
        chunks.append(data)
    images = np.vstack(chunks).reshape(-1, 3, 32, 32).transpose((0, 2, 3, 1))
    return images, np.concatenate(labels), classes


def _load_plain_file(path: Path, title: str):
    try:
        with open(path, "rb") as f:
            return load_plain(f)
    except UnsafePickleError as exc:
        raise ActlensError(f"{path} was refused: {quote_user(str(exc), 200)}") from None
    except MemoryError:
        raise ActlensError(f"{path} is not a readable {title} file (it needs too much memory)"
                           ) from None
    except Exception as exc:  # truncated or garbled pickles raise many different types
        raise ActlensError(
            f"{path} is not a readable {title} file"
            f" ({type(exc).__name__}: {quote_user(str(exc), 120)})"
        ) from None


def download_cifar(dataset: str, root: Path, *, progress=None, cancel=None, timeout=15.0) -> None:
    """Fetch the archive, check its MD5, extract it, then move the folder into place.

    A cancelled or failed download leaves neither the archive nor a partial folder behind.
    """
    cls = _tv_class(dataset)
    title = _TITLES[dataset]
    with staging_dir(root) as staging:
        archive = staging / cls.filename
        fetch(cls.url, archive, title, root, progress=progress, cancel=cancel, timeout=timeout)
        check_md5(archive, cls.tgz_md5, title)
        _extract(archive, staging, cancel)
        target = root / cls.base_folder
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging / cls.base_folder, target)


def _extract(archive: Path, staging: Path, cancel) -> None:
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if cancel is not None and cancel.is_set():
                    raise CancelledError("extraction cancelled")
                tar.extract(member, staging, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ActlensError(f"cannot extract {archive.name}: {exc}") from None


datasets.register(
    "cifar10",
    lambda o: open_cifar("cifar10", o),
    lambda root, **kw: download_cifar("cifar10", root, **kw),
    datasets.DatasetInfo(title=_TITLES["cifar10"], translated_classes=True),
)
datasets.register(
    "cifar100",
    lambda o: open_cifar("cifar100", o),
    lambda root, **kw: download_cifar("cifar100", root, **kw),
    datasets.DatasetInfo(title=_TITLES["cifar100"], coarse_labels=True),
)
