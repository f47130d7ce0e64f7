"""TensorBoard summary values (image grids, histograms, text, scalars) and the command that
shows every exported step. The values go into one record with :meth:`EventLog.summary`."""

from __future__ import annotations

import os
import shlex

import numpy as np

from .imaging import encode_png, make_grid


def samples_flag(steps: int) -> list[str]:
    """TensorBoard's option that shows every exported step: it keeps 10 images per tag by
    default, and ``images=0`` shows none at all in TensorBoard 2.21."""
    return ["--samples_per_plugin", f"images={max(steps, 1)}"]


def tensorboard_command(logdir: os.PathLike | str, steps: int) -> str:
    """The command that shows every exported step of ``logdir``."""
    return shlex.join(["tensorboard", "--logdir", os.fspath(logdir), *samples_flag(steps)])


def image_values(tags_and_images) -> list:
    """One PNG grid per ``(tag, images)``, ``images`` uint8 (N, H, W, 3) as in ``Panel``."""
    from tensorboard.compat.proto.summary_pb2 import Summary

    return [
        Summary.Value(
            tag=tag,
            image=Summary.Image(
                height=grid.shape[0], width=grid.shape[1], colorspace=3,
                encoded_image_string=encode_png(grid),
            ),
        )
        for tag, grid in ((tag, make_grid(images)) for tag, images in tags_and_images)
    ]


def histogram_value(panel):
    """The panel's histogram as TensorBoard's proto, from the engine's own statistics
    (the numbers the window shows): finite values only."""
    from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary

    counts, edges = panel.hist
    s = panel.stats
    n = s.count - s.nan - s.inf
    empty = n == 0
    return Summary.Value(
        tag=panel.tag,
        histo=HistogramProto(
            min=0.0 if empty else s.min,
            max=0.0 if empty else s.max,
            num=float(n),
            sum=0.0 if empty else s.mean * n,
            sum_squares=0.0 if empty else n * (s.std * s.std + s.mean * s.mean),
            bucket_limit=edges[1:].tolist(),
            bucket=counts.astype(np.float64).tolist(),
        ),
    )


def text_value(tag: str, text: str):
    """``text`` (Markdown) under ``tag`` in TensorBoard's Text tab."""
    from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
    from tensorboard.compat.proto.tensor_pb2 import TensorProto
    from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

    metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="text"))
    tensor = TensorProto(
        dtype="DT_STRING",
        string_val=[text.encode("utf-8")],
        tensor_shape=TensorShapeProto(dim=[TensorShapeProto.Dim(size=1)]),
    )
    return Summary.Value(tag=tag, metadata=metadata, tensor=tensor)


def scalar_value(tag: str, value: float):
    """One point of the curve ``tag`` in TensorBoard's Scalars tab."""
    from tensorboard.compat.proto.summary_pb2 import Summary

    return Summary.Value(tag=tag, simple_value=value)
