"""The Python API's engine half: sessions from keyword arguments, ``export`` and ``compare``
(``activation_lens.view`` opens the window on the same sessions, in gui/api.py).

A session's keywords are the command line's options (``activations="relu,tanh"``,
``batch_size=32``, ``preprocess="centered"``, ``deep=True``...), parsed by the command line's
own parser, so both take the same values and refuse the same ones with the same one-line
messages (raised as :class:`ActlensError`).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import objects
from .data.datasets import dataset_info
from .errors import ActlensError


def argv_for(session: dict) -> list[str]:
    """Keyword arguments as command-line options: ``batch_size=32`` → ``--batch-size 32``;
    True → the flag; False and None → left out; a list → its items joined by commas."""
    argv = []
    for key, value in session.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value is False or value is None:
            continue
        elif key == "activations" and not isinstance(value, str):
            items = value if isinstance(value, (list, tuple)) else [value]
            argv += [flag, ",".join(_spec_text(v) for v in items)]
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(v) for v in value)]
        else:
            argv += [flag, os.fspath(value) if isinstance(value, os.PathLike) else str(value)]
    return argv


def _spec_text(item) -> str:
    """An activation given as text, or as a torch module instance (``nn.LeakyReLU(0.3)``):
    its spec, with the module's own parameters."""
    from torch import nn

    if not isinstance(item, nn.Module):
        return str(item)
    from .registry import ACTIVATIONS

    found = next((a for a in ACTIVATIONS.values() if a.module == type(item).__name__), None)
    if found is None or any(True for _ in item.parameters()):
        raise ActlensError(f"activations: {type(item).__name__} is not one of the elementwise"
                           " activations with fixed parameters; give them by name, e.g."
                           " activations='relu,leaky_relu(negative_slope=0.3)' (see actlens"
                           " activations)")
    params = [f"{p.name}={getattr(item, p.name)!r}" for p in found.params
              if hasattr(item, p.name) and getattr(item, p.name) != p.default]
    return f"{found.name}({', '.join(params)})" if params else found.name


@contextmanager
def raising():
    """The command line's parsers raise ActlensError (instead of exiting) inside."""
    from .cli import OneLineParser

    before, OneLineParser.raises = OneLineParser.raises, True
    try:
        yield
    except SystemExit:  # help= or version=: argparse printed and would end the program
        raise ActlensError("help and version are command-line options; for the Python API"
                           " see help(activation_lens)") from None
    except ActlensError as exc:
        raise ActlensError(_as_keywords(str(exc))) from None
    finally:
        OneLineParser.raises = before


def _as_keywords(message: str) -> str:
    """An unknown option, named as the keyword it was, with the nearest known one."""
    import difflib
    import re

    m = re.search(r"unrecognized arguments: --([\w-]+)", message)
    if not m:
        return message
    from .cli import build_parser

    known = set()
    for parser in _parsers(build_parser()):
        known |= {o[2:].replace("-", "_") for a in parser._actions for o in a.option_strings
                  if o.startswith("--")}
    known -= {"help", "version", "verbose"}
    given = m.group(1).replace("-", "_")
    near = difflib.get_close_matches(given, sorted(known), n=1, cutoff=0.6)
    return f"{given}= is not a choice" + (f"; did you mean {near[0]}=?" if near else
                                         "; see help(activation_lens)")


def _parsers(parser):
    import argparse

    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def checked_logdir(logdir) -> str:
    if not isinstance(logdir, (str, os.PathLike)):
        raise ActlensError(f"logdir is {type(logdir).__name__}; give a folder path")
    return os.fspath(logdir)


def hand_over(args, model, data, session=()) -> list[str]:
    """Put ``model`` and ``data`` into the parsed ``args`` (as the command line would name
    a module file and a data folder); the keys of the objects kept for them. ``session``
    names the choices given, which a DataLoader's own do not override."""
    from torch import nn
    from torch.utils.data import DataLoader

    keys = []
    if isinstance(data, nn.Module) and not isinstance(model, nn.Module):
        raise ActlensError("the model goes first and the data second: view(MyModel(), data),"
                           " export(logdir, MyModel(), data)")
    if model is not None:
        if not isinstance(model, nn.Module):
            raise ActlensError(f"model is {type(model).__name__}, not an nn.Module instance"
                               " (give MyModel(), not MyModel)")
        if getattr(args, "model", None):
            raise ActlensError("give the module either as model= or as a model file, not both")
        args.model = objects.keep(model, "model")
        keys.append(args.model)
    if data is None:
        return keys
    folder = _folder(data)
    if folder is not None:
        cifar = (folder / "cifar-10-batches-py").is_dir()
        args.dataset = "cifar10" if cifar else "folder"
        args.data_root = str(folder)
        return keys
    if isinstance(data, DataLoader):
        _take_loader_choices(args, data, session)
    from .data.python import NAME, source_for

    # read (and refused, in one line) now, once, rather than at every step
    source = source_for(data, f"your {type(data).__name__}")
    _refuse_preprocess_of_values(source, dict(session).get("preprocess"))
    args.dataset, args.data_root = NAME, objects.keep(source, "data")
    keys.append(args.data_root)
    return keys


def _refuse_preprocess_of_values(source, preprocess) -> None:
    """Preprocessing turns pixels into values; float images already are values (a transform
    made them) and are used as they are. Asking to preprocess them is refused, not ignored.
    ``to_tensor`` is ToTensor's own rule: float values pass through it unchanged."""
    from .data.python import AS_GIVEN

    if preprocess not in (None, "to_tensor") and AS_GIVEN in source.notes:
        raise ActlensError(
            f"preprocess={preprocess!r} turns uint8 pixels into values, and these images are"
            " already float values (as a transform made them), used as they are; give uint8"
            " pixels to preprocess them, or leave preprocess out")


def _take_loader_choices(args, loader, session) -> None:
    """A DataLoader's batches as the learner's loop sees them: its batch size, and a shuffled
    order where it shuffles (seed 0), unless ``session`` names them."""
    from torch.utils.data import RandomSampler

    if "batch_size" not in session and loader.batch_size:
        args.batch_size = loader.batch_size
    if isinstance(loader.sampler, RandomSampler) and "shuffle_seed" not in session:
        args.shuffle_seed = 0


def _folder(data) -> Path | None:
    if not isinstance(data, (str, os.PathLike)):
        return None
    from .data.datasets import expand_path

    path = expand_path(os.fspath(data), "data folder")
    if not path.is_dir():
        raise ActlensError(f"data {os.fspath(data)!r} is not a folder")
    return path


def export(logdir, model=None, data=None, **session):
    """What ``actlens export`` does, on the learner's own objects; returns the outcome
    (``.logdir``, ``.steps_written``, ``.tags``, ``.tensorboard_command``)."""
    from .cli import build_parser
    from .export import ExportRequest, export_session
    from .pipeline import Engine
    from .session import Session

    with raising():
        args = build_parser().parse_args(["export", "--logdir", checked_logdir(logdir),
                                          *argv_for(session)])
    keys = hand_over(args, model, data, session)
    try:
        request = Session().with_args(args).request()
        job = ExportRequest(request, args.logdir, args.batches, args.histograms)
        job.check_logdir()
        return export_session(job, engine=Engine())
    finally:
        objects.release(*keys)


def compare(images, activations=None, **session) -> Comparison:
    """One step on ``images`` (a batch: tensor, array, Dataset, DataLoader or folder)
    without a window: every activation's output beside the input, with statistics."""

    from torch import nn

    from .cli import build_parser
    from .pipeline import Engine
    from .session import Session
    from .usermodule import ACTIVATION_CLASSES

    if "model" in session or isinstance(activations, nn.Module) and \
            type(activations).__name__ not in ACTIVATION_CLASSES:
        raise ActlensError("compare() shows activations on images and takes no model; use"
                           " view(model, data) or export(logdir, model, data)")
    if activations is not None:
        session["activations"] = activations
    with raising():
        args = build_parser().parse_args(["export", "--logdir", os.devnull,
                                          *argv_for(session)])
    keys = hand_over(args, None, images, session)
    try:
        if "batch_size" not in session and dataset_info(args.dataset).from_python \
                and _is_batch(images):  # the whole batch given
            args.batch_size = min(len(objects.get(args.data_root)), 256)
        result = Engine().run(Session().with_args(args).request())
    finally:
        objects.release(*keys)
    return Comparison(result)


def _is_batch(images) -> bool:
    """A tensor or array of images (or ``(images, labels)``): one batch, shown whole."""
    import torch

    first = images[0] if isinstance(images, tuple) and images else images
    return isinstance(first, (np.ndarray, torch.Tensor))


@dataclass
class Comparison:
    """One step's panels: shown inline by a notebook (``_repr_png_``), saved with
    :meth:`save`, its statistics as plain data (:attr:`stats`)."""

    result: object

    @property
    def tags(self) -> list[str]:
        return [p.tag for p in self.result.panels]

    @property
    def stats(self) -> dict[str, dict]:
        """``{tag: {"min", "max", "mean", "std", "frac_zero", ...}}`` per panel."""
        return {p.tag: p.stats.as_dict() for p in self.result.panels if p.stats is not None}

    def images(self) -> dict[str, np.ndarray]:
        """Each panel as one uint8 RGB grid (H, W, 3), as TensorBoard shows it."""
        from .imaging import make_grid

        return {p.tag: make_grid(p.images) for p in self.result.panels}

    def picture(self) -> np.ndarray:
        """The panels side by side, as the window shows them: each titled, with its
        statistics and, where the activation changed nothing, a line that says so."""
        import textwrap

        from PIL import Image, ImageDraw, ImageFont

        try:
            font = ImageFont.load_default(size=13)
        except TypeError:  # an older Pillow: its one bitmap font
            font = ImageFont.load_default()
        grids = self.images()
        gap, line = 12, 17
        cards = []
        for panel in self.result.panels:
            grid = grids[panel.tag]
            chars = max(24, grid.shape[1] // 7)
            grey, amber = (190, 190, 190), (240, 200, 90)
            lines = []
            if panel.stats is not None:
                lines = [(t, grey) for t in textwrap.wrap(str(panel.stats.summary_line()), chars)]
                if panel.stats.identical_to_input:
                    lines += [(t, amber) for t in textwrap.wrap(
                        "identical to input: this activation changes nothing on these values",
                        chars)]
            cards.append(("Input" if panel.is_input else panel.title, grid, lines))
        height = max(g.shape[0] + line * (len(ls) + 1) for _, g, ls in cards) + 2 * gap
        width = sum(g.shape[1] for _, g, _ in cards) + gap * (len(cards) + 1)
        canvas = Image.new("RGB", (width, height), (32, 32, 32))
        draw = ImageDraw.Draw(canvas)
        x = gap
        for title, grid, lines in cards:
            draw.text((x, gap // 2), title, fill=(240, 240, 240), font=font)
            canvas.paste(Image.fromarray(grid), (x, gap // 2 + line))
            y = gap // 2 + line + grid.shape[0] + 4
            for text, colour in lines:
                draw.text((x, y), text, fill=colour, font=font)
                y += line
            x += grid.shape[1] + gap
        return np.asarray(canvas)

    def _repr_png_(self) -> bytes:
        from .imaging import encode_png

        return encode_png(np.ascontiguousarray(self.picture()))

    def save(self, path) -> Path:
        """Write the picture as a PNG file; returns its path."""
        path = Path(os.fspath(path))
        try:
            path.write_bytes(self._repr_png_())
        except OSError as exc:
            raise ActlensError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path

    def __repr__(self) -> str:
        n = len(self.result.batch.labels)
        return f"<Comparison of {n} image{'s' if n != 1 else ''}: {', '.join(self.tags)}>"
