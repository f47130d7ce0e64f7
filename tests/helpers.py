"""Helpers shared by several test modules."""

from __future__ import annotations

import io
import os
import subprocess
from contextlib import contextmanager

import numpy as np
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator as ea


def read_images(logdir) -> dict[str, dict[int, np.ndarray]]:
    """Every image of every tag in ``logdir``, decoded: {tag: {step: uint8 (H, W, 3)}}.

    Asks EventAccumulator for all images (it keeps only 4 per tag by default)."""
    acc = ea.EventAccumulator(str(logdir), size_guidance={ea.IMAGES: 0, ea.HISTOGRAMS: 0})
    acc.Reload()
    return {
        tag: {e.step: np.asarray(Image.open(io.BytesIO(e.encoded_image_string)).convert("RGB"))
              for e in acc.Images(tag)}
        for tag in acc.Tags()["images"]
    }


def param_box(form, name: str):
    """The box a parameter form shows beside the label ``name``: found as a user finds it."""
    from PySide6.QtWidgets import QFormLayout

    lay = form.layout()
    for row in range(lay.rowCount()):
        label = lay.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if label is not None and label.widget() is not None and label.widget().text() == name:
            return lay.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
    raise LookupError(f"no parameter box labelled {name!r}")


@contextmanager
def xvfb_display():
    """A private X server for a real window; yields its display name (":N")."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        display = ":" + f.readline().strip()
    try:
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def write_idx(path, array, kind=0x08, dims=None, shape=None) -> None:
    """An MNIST IDX file of ``array`` (uint8 by default); ``kind``, ``dims`` and ``shape``
    write a header that says otherwise."""
    import struct

    shape = array.shape if shape is None else shape
    dims = len(shape) if dims is None else dims
    header = struct.pack(">HBB", 0, kind, dims) + b"".join(struct.pack(">I", d) for d in shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())
