"""Data handed over from Python: a torch ``Dataset`` (any transform), a ``DataLoader``, a
tensor or array of images (N×C×H×W or N×H×W×C, or N×H×W grey; float or uint8), or
``(images, labels)``.

Pixels (uint8 arrays, PIL images) go through the session's preprocessing like any data
set's. Float tensors are the activations' input as they come: a transform's output
(``ToTensor``, ``Normalize``, anything) is used exactly as the learner's own loop would use
it, and the source's note says so on screen.
"""

from __future__ import annotations

import numpy as np

from .. import objects
from ..errors import ActlensError
from . import datasets

NAME = "python"
MAX_MATERIALISED = 10_000  # images read from an iterable data set (it has no length)
MAX_CLASSES = 10_000  # numbered classes made from the labels of data that names none
AS_GIVEN = ("the images are your data's own values, as its transform made them; the"
            " Preprocess choice does not apply to them")
CLASSES_GUESSED = "your data names no classes: they are numbered from its labels"


def open_python(opts: datasets.OpenOptions) -> datasets.ImageSource:
    data = objects.get(opts.root.name if opts.root.name.startswith(objects.PREFIX)
                       else str(opts.root))
    if isinstance(data, datasets.ImageSource):  # read once, when it was handed over
        return data
    return source_for(data, str(opts.root))


def source_for(data, where: str = "your data") -> datasets.ImageSource:
    """The source of ``data`` (see the module's docstring); ActlensError for anything else."""
    from torch.utils.data import DataLoader

    if isinstance(data, DataLoader):
        data = data.dataset
    if isinstance(data, tuple) and len(data) == 2 and _is_array(data[0]) \
            and np.ndim(data[0]) >= 3:  # (images, labels)
        return _array_source(data[0], data[1], where)
    if _is_array(data):
        return _array_source(data, None, where)
    if hasattr(data, "__getitem__") and hasattr(data, "__len__"):
        return DatasetSource(data, where)
    if hasattr(data, "__iter__"):
        return _materialised(data, where)
    raise ActlensError(f"{where}: data is {datasets.kind_of(data)}; give a torch Dataset, a DataLoader,"
                       " a tensor or array of images (N×C×H×W or N×H×W×C), or a folder path")


def _is_array(x) -> bool:
    import torch

    return isinstance(x, (np.ndarray, torch.Tensor))


def _array_source(images, labels, where: str) -> datasets.ImageSource:
    pixels, values = as_batch(images, where)
    n = len(pixels)
    if labels is None:
        labels = np.zeros(n, dtype=np.int64)
    labels = _labels(labels, n, where)
    return MemorySource(pixels, values, labels, _class_names(None, labels), where)


def as_batch(images, where: str):
    """``images`` (a batch) as (uint8 NHWC pixels, float32 NCHW values or None)."""
    import torch

    if isinstance(images, torch.Tensor):
        layout = "NCHW"
        if images.is_meta:
            raise ActlensError(f"{where}: the images are on the meta device; they hold no data")
        if images.is_complex() or images.dtype == torch.bool or images.layout != torch.strided:
            raise ActlensError(f"{where}: the images are a {images.dtype} tensor; give real"
                               " numbers (float, or uint8 pixels)")
        images = images.detach().cpu()
        images = images.numpy() if images.dtype != torch.bfloat16 else images.float().numpy()
    else:
        images = np.asarray(images)
        layout = "NHWC"
    if images.ndim == 3 and images.shape[0] == 3 and min(images.shape[1:]) > 4:
        images = images[None]  # one RGB image, C×H×W (dataset[0][0]): a batch of one
        layout = "NCHW"
    elif images.ndim == 3 and images.shape[2] == 3 and min(images.shape[:2]) > 4:
        images = images[None]  # one RGB image, H×W×C
        layout = "NHWC"
    elif images.ndim == 3:
        images = images[:, None] if layout == "NCHW" else images[..., None]
    if images.ndim != 4:
        raise ActlensError(f"{where}: the images have shape {tuple(images.shape)}; expected"
                           " N×C×H×W or N×H×W×C (or N×H×W for grey)")
    if layout == "NHWC" and images.shape[3] not in (1, 3) and images.shape[1] in (1, 3):
        layout = "NCHW"  # an array written the torch way
    if layout == "NCHW" and images.shape[1] not in (1, 3) and images.shape[3] in (1, 3):
        layout = "NHWC"
    if layout == "NHWC":
        images = images.transpose(0, 3, 1, 2)
    if images.shape[1] not in (1, 3):
        raise ActlensError(f"{where}: images of {images.shape[1]} channels (shape"
                           f" {tuple(images.shape)}); the lens shows 1 (grey) or 3 (RGB)")
    if images.shape[0] == 0:
        raise ActlensError(f"{where} holds no images")
    if images.dtype == np.uint8:
        return np.ascontiguousarray(images.transpose(0, 2, 3, 1)), None
    if images.dtype.kind not in "fiu":
        raise ActlensError(f"{where}: the images are {images.dtype}; give float values or uint8"
                           " pixels")
    if images.dtype.kind in "iu":  # whole numbers: pixels, as uint8 would be
        if images.size and (images.min() < 0 or images.max() > 255):
            raise ActlensError(f"{where}: the images are {images.dtype} from {images.min()} to"
                               f" {images.max()}; whole numbers are pixels from 0 to 255 (give"
                               " floats for other values)")
        return np.ascontiguousarray(images.astype(np.uint8).transpose(0, 2, 3, 1)), None
    values = np.ascontiguousarray(images, dtype=np.float32)
    return shown_pixels(values), values


def shown_pixels(values: np.ndarray) -> np.ndarray:
    """Float values as the pixels the inspector reads out (clipped to [0, 1])."""
    clipped = np.nan_to_num(values, nan=0.0, posinf=1.0, neginf=0.0).clip(0, 1)
    return np.ascontiguousarray((clipped * 255 + 0.5).astype(np.uint8).transpose(0, 2, 3, 1))


def _labels(labels, n: int, where: str) -> np.ndarray:
    import torch

    if isinstance(labels, torch.Tensor):
        labels = labels.detach().cpu().numpy()
    labels = np.asarray(labels)
    if labels.shape != (n,) or labels.dtype.kind not in "iu":
        raise ActlensError(f"{where}: {labels.size} labels of type {labels.dtype} for {n}"
                           " images; give one whole number per image")
    if n and labels.min() < 0:
        raise ActlensError(f"{where}: label {int(labels.min())} is negative")
    return labels.astype(np.int64)


def _class_names(declared, labels: np.ndarray | None) -> list[str]:
    if isinstance(declared, (list, tuple)) and declared and all(isinstance(c, str)
                                                                for c in declared):
        return datasets.checked_classes(list(declared), "the data's classes")
    top = int(labels.max()) + 1 if labels is not None and labels.size else 1
    if top > MAX_CLASSES:
        raise ActlensError(f"label {top - 1} would make {top:,} classes; at most {MAX_CLASSES:,}"
                           " (give the data a classes list, or labels from 0)")
    return [str(i) for i in range(max(top, 1))]


class MemorySource(datasets.ImageSource):
    """Images held in memory: pixels, and the values themselves where they were floats."""

    def __init__(self, pixels, values, labels, classes, where, notes=()):
        self.name, self.split = NAME, "given"
        self.pixels, self.values, self.labels = pixels, values, labels
        self.classes = classes
        self.channels = pixels.shape[3]
        self.where = where
        given = (AS_GIVEN,) if values is not None else ()
        self.notes = given + tuple(notes)

    def __len__(self) -> int:
        return len(self.labels)

    def read(self, start: int, stop: int):
        return self.pixels[start:stop], self.labels[start:stop]

    def read_values(self, start: int, stop: int):
        values = self.values[start:stop] if self.values is not None else None
        return self.pixels[start:stop], self.labels[start:stop], values


class DatasetSource(datasets.ImageSource):
    """A map-style data set read item by item, a batch at a time (its transform runs then,
    as in the learner's own loop)."""

    def __init__(self, data, where: str):
        self.data, self.where = data, where
        self.name, self.split = NAME, "given"
        n = len(data)
        if n == 0:
            raise ActlensError(f"{where}: the data set is empty")
        first_image, _ = self._item(0)
        pixels, values = as_batch(first_image[None], f"{where} item 0")
        self.channels = pixels.shape[3]
        self._length = n
        declared = getattr(data, "classes", None)
        labels = None
        if not (isinstance(declared, (list, tuple)) and declared):
            targets = getattr(data, "targets", None)  # torchvision's data sets have them
            labels = _labels(targets, n, where) if targets is not None else self._all_labels()
        self.classes = _class_names(declared, labels)
        notes = [AS_GIVEN] if values is not None else []
        if self.classes == [str(i) for i in range(len(self.classes))]:
            notes.append(CLASSES_GUESSED)
        self.notes = tuple(notes)

    def _all_labels(self) -> np.ndarray:
        """Every item's label (a data set that declares neither classes nor targets: each
        item is read once, its transform included)."""
        return np.array([_label(self._item(i)[1], f"{self.where} item {i}", None)
                         for i in range(len(self))], dtype=np.int64)

    def __len__(self) -> int:
        return self._length

    def _item(self, i: int):
        try:
            item = self.data[i]
        except Exception as exc:  # noqa: BLE001 - the learner's own __getitem__
            raise ActlensError(f"{self.where}: reading item {i} failed ({type(exc).__name__}:"
                               f" {str(exc)[:160]})") from None
        image, label = (item[0], item[1]) if isinstance(item, (tuple, list)) and len(item) >= 2 \
            else (item, 0)
        return _image_array(image, f"{self.where} item {i}"), label

    def read(self, start: int, stop: int):
        images, labels, _ = self.read_values(start, stop)
        return images, labels

    def read_values(self, start: int, stop: int):
        import torch

        items = [self._item(i) for i in range(start, stop)]
        shapes = sorted({tuple(image.shape) for image, _ in items})
        if len(shapes) > 1 or {image.dtype for image, _ in items} != {items[0][0].dtype}:
            raise ActlensError(f"{self.where}: items {start} to {stop - 1} differ in shape or"
                               f" type ({', '.join(map(str, shapes[:3]))}); give every image"
                               " one size and type in the transform")
        batch = torch.stack([image for image, _ in items])
        pixels, values = as_batch(batch, f"{self.where} items {start} to {stop - 1}")
        labels = np.array([_label(label, f"{self.where} item {start + k}", len(self.classes))
                           for k, (_, label) in enumerate(items)], dtype=np.int64)
        return pixels, labels, values


def _image_array(image, where: str):
    """One item's image as an array: a tensor as it is (C×H×W), a PIL image as its pixels
    (H×W×C uint8), an array as it is."""
    import torch

    if hasattr(image, "getbands") and hasattr(image, "convert"):  # a PIL image
        image = np.asarray(image.convert("RGB" if len(image.getbands()) >= 3 else "L"))
    if isinstance(image, np.ndarray):
        if image.dtype.kind not in "fiu" or image.ndim not in (2, 3):
            raise ActlensError(f"{where}: the image is a {image.dtype} array of shape"
                               f" {image.shape}; give H×W×C pixels or C×H×W values")
        t = torch.from_numpy(np.ascontiguousarray(image))
        image = t.permute(2, 0, 1) if t.ndim == 3 and t.shape[2] in (1, 3) else t
    if not isinstance(image, torch.Tensor):
        raise ActlensError(f"{where}: the image is {datasets.kind_of(image)}; give a tensor, a PIL"
                           " image or an array")
    if image.is_meta:
        raise ActlensError(f"{where}: the image is on the meta device; it holds no data")
    image = image.detach().cpu()
    if image.ndim == 2:
        image = image[None]
    if image.ndim != 3:
        raise ActlensError(f"{where}: the image has shape {tuple(image.shape)}; expected"
                           " C×H×W (or H×W for grey)")
    return image


def _label(label, where: str, num_classes: int | None) -> int:
    import torch

    if isinstance(label, torch.Tensor) and label.numel() == 1:
        label = label.item()
    elif isinstance(label, (np.ndarray, np.generic)) and label.size == 1:
        label = label.item()
    if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer)):
        raise ActlensError(f"{where}: the label is {datasets.kind_of(label)}; give a class number")
    top = f" to {num_classes - 1}" if num_classes else ""
    if int(label) < 0 or (num_classes is not None and int(label) >= num_classes):
        raise ActlensError(f"{where}: label {int(label)} is not a class number (from 0{top})")
    return int(label)


def _materialised(data, where: str) -> datasets.ImageSource:
    """An iterable data set read once into memory (at most MAX_MATERIALISED images)."""
    pixels, values, labels = [], [], []
    count = 0
    try:
        items = iter(data)
    except Exception as exc:  # noqa: BLE001 - the learner's own __iter__
        raise ActlensError(f"{where}: iterating failed ({type(exc).__name__}: {str(exc)[:160]})"
                           ) from None
    for item in _guarded(items, where):
        image, label = (item[0], item[1]) if isinstance(item, (tuple, list)) else (item, 0)
        p, v = as_batch(_image_array(image, f"{where} item {count}")[None], where)
        pixels.append(p)
        values.append(v)
        labels.append(np.array([_label(label, f"{where} item {count}", None)], dtype=np.int64))
        count += len(p)
        if count >= MAX_MATERIALISED:
            break
    if not pixels:
        raise ActlensError(f"{where}: the data yields no images")
    if any(v is None for v in values) and any(v is not None for v in values):
        raise ActlensError(f"{where}: some items are pixels and some are float values")
    shapes = {p.shape[1:] for p in pixels}
    if len(shapes) > 1:
        raise ActlensError(f"{where}: the images have different shapes; resize them to one size")
    stacked = np.concatenate(pixels)
    given = np.concatenate(values) if values[0] is not None else None
    labels_ = _labels(np.concatenate(labels)[:len(stacked)], len(stacked), where)
    return MemorySource(stacked, given, labels_, _class_names(getattr(data, "classes", None),
                                                              labels_), where)


def _guarded(items, where: str):
    """``items``, with an error of the learner's iterator as one clear line."""
    while True:
        try:
            item = next(items)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - the learner's own iterator
            raise ActlensError(f"{where}: reading the next item failed ({type(exc).__name__}:"
                               f" {str(exc)[:160]})") from None
        yield item


datasets.register(NAME, open_python, info=datasets.DatasetInfo(title="your data",
                                                             from_python=True))
