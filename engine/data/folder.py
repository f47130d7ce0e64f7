"""An image folder: one sub-folder per class, any common image format (the layout
``torchvision.datasets.ImageFolder`` reads).

Indexing lists file names only; images are decoded when their batch is read, resized so the
shorter side fits, centre-cropped to a square, and cached. Unreadable files and images that are
too large to decode safely (decompression bombs) show as grey cells and are counted.
"""

from __future__ import annotations

import os
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ActlensError, quote_user
from ..text import Text, plural
from . import datasets

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
MAX_PIXELS = 40_000_000  # refuse to decode anything larger (e.g. 8000 x 5000)
PLACEHOLDER = 128  # grey cell for a file that cannot be shown
MAX_CACHED = 50_000


IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")
MAX_ENTRIES = 2_000_000  # files and folders listed while indexing, at most


class RefusedImageError(ActlensError):
    """An image that is not decoded on purpose (too many pixels: a decompression bomb?)."""


@dataclass
class FolderIndex:
    """What indexing found: ``samples`` as (path, class index) in torchvision's order."""

    classes: list[str]
    samples: list[tuple[str, int]] = field(default_factory=list)
    non_images: int = 0
    special_files: int = 0  # FIFOs, sockets, devices: never opened (a FIFO blocks a reader)
    loops: int = 0  # folder links back into a folder already indexed for that class
    unlistable: int = 0  # folders that could not be listed (permissions, vanished)


class _Lister:
    """``os.scandir`` that counts every name listed and stops past ``max_entries``."""

    def __init__(self, folder: Path, max_entries: int):
        self.folder, self.max_entries, self.listed = folder, max_entries, 0

    def __call__(self, path: str) -> list[os.DirEntry]:
        with os.scandir(path) as it:
            entries = []
            for entry in it:
                self.listed += 1
                if self.listed > self.max_entries:
                    raise ActlensError(
                        f"{self.folder} holds more than {self.max_entries:,} files and folders;"
                        " point --data-root at a smaller image folder")
                entries.append(entry)
        return entries


def index_folder(folder: Path, max_entries: int = MAX_ENTRIES) -> FolderIndex:
    """Index ``folder/<class>/**/<image>`` like ``torchvision.datasets.ImageFolder``, safely.

    Class folders are the immediate sub-folders (links to folders elsewhere included).
    Inside a class, links are followed, but no folder is listed twice: a link that leads
    back to a folder already indexed for the class (a loop such as ``cats/again -> .``) is
    skipped and counted. At most ``max_entries`` names are listed in all, so a huge or
    endlessly deep tree is one clear error instead of a hang.
    """
    scan = _Lister(folder, max_entries)
    try:
        top = scan(str(folder))
    except OSError as exc:
        raise ActlensError(f"cannot list {folder}: {exc.strerror or exc}") from None
    classes = sorted(e.name for e in top if _is_dir(e))
    if not classes:
        raise ActlensError(Text("no class folders in {folder}: expected {folder}/<class>/<image"
                                " files>", folder=folder))
    index = FolderIndex(classes)
    for label, name in enumerate(classes):
        found = _index_class(os.path.join(folder, name), scan, index)
        for root, files in sorted(found):
            index.samples.extend((os.path.join(root, f), label) for f in sorted(files))
    return index


def _index_class(class_dir: str, scan: _Lister, index: FolderIndex) -> list[tuple[str, list]]:
    """(folder, image names) under one class folder; counts go into ``index``."""
    try:
        st = os.stat(class_dir)
    except OSError:
        index.unlistable += 1
        return []
    seen = {(st.st_dev, st.st_ino)}
    found: list[tuple[str, list[str]]] = []
    todo = [class_dir]
    while todo:
        here = todo.pop()
        try:
            entries = scan(here)
        except OSError:
            index.unlistable += 1
            continue
        files = []
        for entry in entries:
            if _is_dir(entry):
                try:
                    sub = entry.stat()
                except OSError:
                    index.unlistable += 1
                    continue
                key = (sub.st_dev, sub.st_ino)
                if key in seen:
                    index.loops += 1
                    continue
                seen.add(key)
                todo.append(entry.path)
            elif not entry.name.lower().endswith(IMG_EXTENSIONS):
                index.non_images += 1
            elif _is_special(entry):
                index.special_files += 1
            else:
                files.append(entry.name)  # a broken image shows grey when it is read
        found.append((here, files))
    return found


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_special(entry: os.DirEntry) -> bool:
    """A name that exists but is neither a folder nor a regular file (nor a broken link)."""
    try:
        return not entry.is_file() and os.path.exists(entry.path)
    except OSError:
        return False


class FolderSource(datasets.ImageSource):
    def __init__(self, folder: Path, split: str, size: int):
        if not isinstance(size, int) or not 4 <= size <= 1024:
            raise ActlensError(
                f"image size must be between 4 and 1024 pixels (got {quote_user(size)})")
        self.name, self.split, self.size = "folder", split, size
        self.folder = folder
        self.channels = 3
        self.mean, self.std = IMAGENET_MEAN, IMAGENET_STD
        index = index_folder(folder)
        if not index.samples:
            raise ActlensError(Text(
                "no images in {folder}: its class folders hold no {kinds}… files", folder=folder,
                kinds=", ".join(e.lstrip(".") for e in IMG_EXTENSIONS[:5])))
        self.classes = index.classes
        self.index = index
        self.paths = [p for p, _ in index.samples]
        self.labels = np.asarray([c for _, c in index.samples], dtype=np.int64)
        counts = np.bincount(self.labels, minlength=len(self.classes))
        self.empty_classes = [c for c, n in zip(self.classes, counts) if n == 0]
        self.non_images = index.non_images
        self.unreadable: dict[str, str] = {}  # every image shown grey, refused ones included
        self.refused: set[str] = set()  # those not decoded on purpose (too many pixels)
        self._cache: dict[int, np.ndarray] = {}

    @property
    def notes(self) -> tuple[str, ...]:
        empty = ()
        if self.empty_classes:
            shown = ", ".join(quote_user(c, 40) for c in self.empty_classes[:10])
            more = len(self.empty_classes) - 10
            empty = (Text("empty class folders: {shown} and {more} more", shown=shown, more=more)
                     if more > 0 else Text("empty class folders: {shown}", shown=shown),)
        counted = [
            plural(self.non_images, "{n} non-image file ignored", "{n} non-image files ignored"),
            plural(self.index.special_files, "{n} special file (pipes, devices) ignored",
                   "{n} special files (pipes, devices) ignored"),
            plural(self.index.loops, "{n} folder link that loops back was skipped",
                   "{n} folder links that loop back were skipped"),
            plural(self.index.unlistable, "{n} folder could not be read",
                   "{n} folders could not be read"),
            plural(len(self.unreadable) - len(self.refused), "{n} unreadable image shown grey",
                   "{n} unreadable images shown grey"),
            plural(len(self.refused), "{n} image too large to decode safely shown grey",
                   "{n} images too large to decode safely shown grey"),
        ]
        out = [t for t in counted if t.args["n"] > 0]
        at = (self.non_images > 0) + (self.index.special_files > 0)
        return (*out[:at], *empty, *out[at:])  # files, then empty classes, then the rest

    def __len__(self) -> int:
        return len(self.paths)

    def read(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        images = np.stack([self._image(i) for i in range(start, stop)])
        return images, self.labels[start:stop]

    def _image(self, index: int) -> np.ndarray:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        path = self.paths[index]
        try:
            image = decode_square(path, self.size)
        except ActlensError as exc:
            if isinstance(exc, RefusedImageError):
                self.refused.add(path)
            self.unreadable[path] = str(exc)
            image = np.full((self.size, self.size, 3), PLACEHOLDER, dtype=np.uint8)
        if len(self._cache) < MAX_CACHED:
            self._cache[index] = image
        return image


def decode_square(path: str, size: int) -> np.ndarray:
    """Decode ``path`` to uint8 (size, size, 3): shorter side resized to ``size``, centre crop."""
    from PIL import Image, UnidentifiedImageError

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a pipe would block the reader forever
            raise ActlensError(f"{path}: unreadable (not a regular file)")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise RefusedImageError(
                        f"{path}: refused, {w}x{h} pixels is too many to decode safely")
                im.draft("RGB", (size, size))  # JPEG: decode at a reduced scale when possible
                im = im.convert("RGB")
                scale = size / min(im.size)
                resized = im.resize(
                    (max(size, round(im.width * scale)), max(size, round(im.height * scale))),
                    Image.Resampling.BILINEAR,
                )
                left = (resized.width - size) // 2
                top = (resized.height - size) // 2
                return np.asarray(resized.crop((left, top, left + size, top + size)))
    except ActlensError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RefusedImageError(
            f"{path}: refused, too many pixels to decode safely (a decompression bomb?)"
        ) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise ActlensError(f"{path}: unreadable ({quote_user(str(exc), 120)})") from None
    except Exception as exc:  # noqa: BLE001 - a hostile file can trip any decoder error
        raise ActlensError(
            f"{path}: unreadable ({type(exc).__name__}: {quote_user(str(exc), 120)})") from None


def open_folder(opts: datasets.OpenOptions) -> datasets.ImageSource:
    root = opts.root
    if not root.is_dir():
        raise ActlensError(Text("image folder {root} does not exist", root=root))
    split_dir = root / opts.split
    try:
        folder = split_dir if split_dir.is_dir() and any(
            p.is_dir() for p in split_dir.iterdir()) else root
    except OSError as exc:
        raise ActlensError(f"cannot list {split_dir}: {exc.strerror or exc}") from None
    return FolderSource(folder, opts.split, opts.image_size)


datasets.register("folder", open_folder, info=datasets.DatasetInfo(title="image folder",
                                                                 user_folder=True))
