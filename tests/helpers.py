"""Helpers shared by several test modules."""

from __future__ import annotations

import io

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
