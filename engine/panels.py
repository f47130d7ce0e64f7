"""A panel of the view, and the one place its TensorBoard tag and its title are made.

A :class:`Panel` says what it is in fields: its :class:`Role`, its ``name`` (an activation's
spec text, a module output's name), its ``layer`` inside a network, its ``number`` when the
same name repeats, and ``source``, the tag of the panel whose values its activation
received. :func:`label` turns those into the tag and the title; nothing else makes or reads
them. The tags are the TensorBoard contract: ``input``, ``output_relu``, ``output_relu_2``
on the pixels; ``relu/conv1``, ``relu/conv1_act`` inside the network; a module's output
names as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .stats import Stats


class Role(str, Enum):
    INPUT = "input"  # the preprocessed batch
    BEFORE = "before"  # a layer's values before its activation
    AFTER = "after"  # an activation's output
    OUTPUT = "output"  # what a user's module returns or one of its layers gives


INPUT_TAG = "input"


def label(role: Role, name: str = "", layer: str = "", number: int = 1) -> tuple[str, str]:
    """``(tag, title)`` of a panel."""
    suffix = f"_{number}" if number > 1 else ""
    if role is Role.INPUT:
        return INPUT_TAG, INPUT_TAG
    if role is Role.OUTPUT:
        return f"{name}{suffix}", f"{name} · {layer}" if layer else name
    if not layer:  # an activation on the pixels
        return f"output_{name}{suffix}", name
    act = "_act" if role is Role.AFTER else ""
    group, _, last = layer.rpartition("/")
    if group and role is Role.AFTER:  # "kaiming/layer20": every card of the view shows the
        return f"{name}{suffix}/{layer}{act}", f"{name} · {group.replace('/', ' · ')}"  # layer
    return f"{name}{suffix}/{layer}{act}", f"{name} · {layer.replace('/', ' · ')}{act}"


@dataclass
class Panel:
    """One column of the view: the input or one activation's output for the whole batch,
    or one image's feature maps (``cells``)."""

    role: Role
    images: np.ndarray  # uint8 (N, H, W, 3), C-contiguous
    stats: Stats | None
    display: str
    name: str = ""  # spec text, or a module output's name; "" for the input
    layer: str = ""  # the network layer ("conv1"); "" on the pixels
    number: int = 1  # 2 for the second panel of the same name and layer
    source: str = ""  # tag of the panel holding this one's activation's input; "" for the input
    raw: np.ndarray | None = None  # float32 (N, C, H, W) values, when requested
    spec: object | None = None  # the ActivationSpec of an activation's output
    hist: tuple[np.ndarray, np.ndarray] | None = None  # (counts, edges), when requested
    cells: list[str] | None = None  # what each cell is when not the batch's images ("channel 3")
    note: str = ""  # e.g. how many channels are dead
    tag: str = field(init=False)  # TensorBoard tag: "input", "output_relu", "relu/conv1", ...
    title: str = field(init=False)  # shown above the panel (the window translates the input's)

    def __post_init__(self) -> None:
        self.tag, self.title = label(self.role, self.name, self.layer, self.number)

    @property
    def row(self) -> str:
        """Panels of one row share this key: one activation's layers inside the network;
        "" for panels laid out in the flow."""
        if not self.layer or self.role not in (Role.BEFORE, Role.AFTER):
            return ""
        return f"{self.name}{f'_{self.number}' if self.number > 1 else ''}"

    @property
    def is_input(self) -> bool:
        return self.role is Role.INPUT


def numbered(names, taken=()) -> list[int]:
    """The ``number`` of each of ``names``: 1 for the first of a name, 2 for its repeat...;
    a name in ``taken`` is already used once."""
    seen: dict[str, int] = dict.fromkeys(taken, 1)
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(seen[name])
    return out
