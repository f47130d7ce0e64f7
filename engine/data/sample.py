"""The built-in sample: 100 CIFAR-10 test images per class, shipped in the package as JPEG
files, read by the image-folder loader. It makes the first launch show real images offline,
before (or instead of) the 163 MB download. JPEG copies are not pixel-identical to the official
files, and the notes say so wherever the sample shows."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import RESOURCES
from ..errors import ActlensError
from ..text import Text
from . import datasets

NOTE = Text("built-in sample: 1,000 CIFAR-10 test images as JPEG copies, not pixel-identical"
            " to the official files")


def sample_folder() -> Path:
    from importlib import resources

    try:
        folder = Path(str(resources.files(RESOURCES).joinpath("sample")))
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parents[2] / "resources" / "sample"
    if not folder.is_dir():
        raise ActlensError(f"the built-in sample is missing from this installation ({folder})")
    return folder


def open_sample(opts: datasets.OpenOptions) -> datasets.ImageSource:
    """The sample folder, its classes interleaved as in the official test batch (so a batch
    shows every class), named and described as the sample."""
    from .cifar import FILES
    from .folder import FolderSource

    if opts.split != "test":
        raise ActlensError("the built-in sample has a test split only")
    folder = FolderSource(sample_folder(), "test", opts.image_size)
    labels = folder.labels
    rank = np.zeros(len(labels), dtype=np.int64)
    for c in np.unique(labels):
        rank[labels == c] = np.arange(int((labels == c).sum()))
    source = datasets.ReorderedSource(folder, np.lexsort((labels, rank)), notes=(NOTE,))
    cifar10 = FILES["cifar10"]
    source.name, source.mean, source.std = "sample", cifar10.mean, cifar10.std
    return source


datasets.register("sample", open_sample, info=datasets.DatasetInfo(
    title="built-in sample", translated_classes=True, stands_in_for="cifar10"))
