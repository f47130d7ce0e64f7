"""Build a CIFAR-10-format copy of the test split (``test_batch`` + ``batches.meta``).

From ``../shared/data/cifar10-test-jpeg`` (the real test images as JPEG files) when present,
otherwise from generated smooth images (PNG speed depends on content; noise is a poor stand-in).
The copy is not the official file, so loading it needs ``allow_unverified=True``.

    python benchmarks/cifar_copy.py OUT_DIR        # writes OUT_DIR/cifar-10-batches-py/
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import numpy as np

CLASSES = ["airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck"]
JPEG_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cifar10-test-jpeg"


def real_images() -> tuple[np.ndarray, list[int]] | None:
    if not JPEG_DIR.is_dir():
        return None
    from PIL import Image

    files = sorted((p, CLASSES.index(p.parent.name)) for p in JPEG_DIR.glob("*/*.jpg"))
    # Interleave classes, as the official test batch is not sorted by class.
    files.sort(key=lambda t: (int(t[0].stem), t[1]))
    images = np.stack([np.asarray(Image.open(p).convert("RGB")) for p, _ in files])
    return images, [c for _, c in files]


def generated_images(n: int = 10000, seed: int = 0) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:32, 0:32] / 31.0
    base = rng.uniform(0, 1, (n, 3, 1, 1))
    slope = rng.uniform(-1, 1, (n, 3, 2, 1, 1))
    img = base + slope[:, :, 0] * xx + slope[:, :, 1] * yy
    img += rng.normal(0, 0.05, img.shape)
    images = (np.clip(img, 0, 1) * 255).astype(np.uint8).transpose(0, 2, 3, 1)
    return images, [int(v) for v in rng.integers(0, 10, n)]


def write_cifar10(out: Path, images: np.ndarray, labels: list[int]) -> Path:
    folder = out / "cifar-10-batches-py"
    folder.mkdir(parents=True, exist_ok=True)
    data = np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(len(images), 3072)
    with open(folder / "test_batch", "wb") as f:
        pickle.dump({"batch_label": "testing batch 1 of 1", "labels": list(labels),
                     "data": data, "filenames": [f"{i}.png" for i in range(len(labels))]}, f)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": CLASSES, "num_cases_per_batch": 10000, "num_vis": 3072}, f)
    return folder


def build(out: Path) -> str:
    found = real_images()
    images, labels = found if found is not None else generated_images()
    write_cifar10(out, images, labels)
    return "real CIFAR-10 test images" if found is not None else "generated images"


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
