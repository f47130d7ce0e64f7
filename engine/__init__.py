"""Activation Lens engine: loads image batches, runs activations, maps values to pixels,
writes TensorBoard exports. Pure compute; never imports Qt.

Imports: a module imports what it needs at the top, except torch, PIL and tensorboard, which
are imported inside the functions that use them. Importing any engine module is then instant
(the window shows before torch has loaded, and ``actlens --help`` answers at once); only
running a step pays for torch. torchvision is never imported: the data sets are read by
``engine/data`` itself (torchvision is the tests' reference for the arrays).
"""

from .errors import ActlensError

# The package of the style sheet, icons, sample images and translations (resources/)
RESOURCES = f"{__name__.rpartition('.')[0]}.resources"

__all__ = ["RESOURCES", "ActlensError"]
