"""An image folder: one sub-folder per class, any common image format (the layout
``torchvision.datasets.ImageFolder`` reads).

Indexing lists file names only; images are decoded when their batch is read, resized so the
shorter side fits, centre-cropped to a square, and cached. Unreadable files and images that are
too large to decode safely (decompression bombs) show as grey cells and are counted.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from engine import datasets
from engine.errors import ActlensError

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
MAX_PIXELS = 40_000_000  # refuse to decode anything larger (e.g. 8000 x 5000)
PLACEHOLDER = 128  # grey cell for a file that cannot be shown
MAX_CACHED = 50_000


class FolderSource(datasets.ImageSource):
    def __init__(self, folder: Path, split: str, size: int):
        from torchvision.datasets.folder import IMG_EXTENSIONS, find_classes, make_dataset

        if not 4 <= size <= 1024:
            raise ActlensError(f"image size must be between 4 and 1024 pixels (got {size})")
        self.name, self.split, self.size = "folder", split, size
        self.folder = folder
        self.channels = 3
        self.mean, self.std = IMAGENET_MEAN, IMAGENET_STD
        try:
            self.classes, class_to_idx = find_classes(str(folder))
        except FileNotFoundError:
            raise ActlensError(
                f"no class folders in {folder}: expected {folder}/<class>/<image files>"
            ) from None
        skipped = []

        def is_image(path: str) -> bool:
            ok = path.lower().endswith(IMG_EXTENSIONS)
            if not ok:
                skipped.append(path)
            return ok

        samples = make_dataset(str(folder), class_to_idx, is_valid_file=is_image,
                               allow_empty=True)
        if not samples:
            raise ActlensError(
                f"no images in {folder}: its class folders hold no"
                f" {', '.join(e.lstrip('.') for e in IMG_EXTENSIONS[:5])}… files"
            )
        self.paths = [p for p, _ in samples]
        self.labels = np.asarray([c for _, c in samples], dtype=np.int64)
        counts = np.bincount(self.labels, minlength=len(self.classes))
        self.empty_classes = [c for c, n in zip(self.classes, counts) if n == 0]
        self.non_images = len(skipped)
        self.unreadable: dict[str, str] = {}
        self._cache: dict[int, np.ndarray] = {}

    @property
    def notes(self) -> tuple[str, ...]:
        out = []
        if self.non_images:
            out.append(f"{self.non_images} non-image files ignored")
        if self.empty_classes:
            out.append(f"empty class folders: {', '.join(self.empty_classes)}")
        if self.unreadable:
            out.append(f"{len(self.unreadable)} unreadable images shown grey")
        return tuple(out)

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
            self.unreadable[path] = str(exc)
            image = np.full((self.size, self.size, 3), PLACEHOLDER, dtype=np.uint8)
        if len(self._cache) < MAX_CACHED:
            self._cache[index] = image
        return image


def decode_square(path: str, size: int) -> np.ndarray:
    """Decode ``path`` to uint8 (size, size, 3): shorter side resized to ``size``, centre crop."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise ActlensError(
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
        raise ActlensError(
            f"{path}: refused, too many pixels to decode safely (a decompression bomb?)"
        ) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise ActlensError(f"{path}: unreadable ({exc})") from None


def open_folder(opts: datasets.OpenOptions) -> datasets.ImageSource:
    root = opts.root
    if not root.is_dir():
        raise ActlensError(f"image folder {root} does not exist")
    split_dir = root / opts.split
    folder = split_dir if split_dir.is_dir() and any(p.is_dir() for p in split_dir.iterdir()) \
        else root
    return FolderSource(folder, opts.split, opts.image_size)


datasets.register("folder", open_folder)
