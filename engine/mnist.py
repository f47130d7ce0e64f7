"""MNIST and Fashion-MNIST through torchvision (single-channel images, shown as grey).

The IDX files hold raw bytes, not pickles, so loading them runs no code. Only the requested
split's two files need to be present.
"""

from __future__ import annotations

import functools
import gzip
import os
import shutil
from pathlib import Path

from engine import datasets
from engine.download import check_md5, fetch, staging_dir
from engine.errors import ActlensError, CancelledError, DatasetMissingError

_TITLES = {"mnist": "MNIST", "fashion-mnist": "Fashion-MNIST"}
_STATS = {"mnist": ((0.1307,), (0.3081,)), "fashion-mnist": ((0.2860,), (0.3530,))}


def _tv_class(dataset: str):
    from torchvision.datasets import MNIST, FashionMNIST

    return {"mnist": MNIST, "fashion-mnist": FashionMNIST}[dataset]


def _split_files(cls, split: str) -> list[str]:
    prefix = "train" if split == "train" else "t10k"
    names = [os.path.splitext(os.path.basename(f))[0] for f, _ in cls.resources]
    return [n for n in names if n.startswith(prefix)]


@functools.cache
def _split_checked_class(dataset: str):
    base = _tv_class(dataset)

    class SplitChecked(base):
        def _check_exists(self) -> bool:
            split = "train" if self.train else "test"
            return all(os.path.isfile(os.path.join(self.raw_folder, f))
                       for f in _split_files(base, split))

    SplitChecked.__name__ = base.__name__
    return SplitChecked


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
            f"{title} not found: {raw} lacks {', '.join(needed)}"
            f" (download it, or point --data-root at the folder that holds {cls.__name__}/)",
            dataset=dataset, root=str(root),
        )
    try:
        tv = _split_checked_class(dataset)(str(root), train=opts.split == "train")
    except (RuntimeError, ValueError, OSError, AssertionError) as exc:
        raise ActlensError(f"{raw} holds unreadable {title} files ({exc})") from None
    images = tv.data.numpy()[..., None]  # (N, 28, 28, 1)
    mean, std = _STATS[dataset]
    return datasets.ArraySource(dataset, opts.split, images, tv.targets.numpy(), tv.classes,
                                mean, std)


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
    )
