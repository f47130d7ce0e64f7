"""Activation Lens engine: loads image batches, runs activations, maps values to pixels,
writes TensorBoard exports. Pure compute; never imports Qt."""

from engine.errors import ActlensError

__all__ = ["ActlensError"]
