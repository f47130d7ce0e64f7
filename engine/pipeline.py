"""One step of the viewer: a batch through preprocessing, every activation and the display.

:class:`Engine` owns the loaded data sets and built modules; :meth:`Engine.run` turns a
:class:`StepRequest` into a :class:`StepResult`. It is used by the GUI's worker thread, the
export and scripts alike, and never touches Qt.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .cpu import step_threads, use_threads
from .data import datasets
from .display import check_display, input_display, to_images
from .errors import ActlensError, DeviceError
from .levels import POINTWISE, Levels, LevelValues, suits
from .modes.base import WithOptions, accepts_options
from .panels import Panel, Role
from .preprocess import check_preprocess, preprocess, to_float
from .registry import ActivationSpec, build_module, parse_spec_list
from .stats import compute_stats, finite_range, histogram
from .text import Text

HISTOGRAM_BINS = 64
MAX_BATCH_SIZE = 1024  # images per step; the window and the command lines accept 1 to this
MAX_IMAGE_SIZE = 1024  # pixels, image folders
# Values one step may hold, the input's and each activation's (float32: about 2 GB); beyond
# it a step is refused in one line instead of running out of memory.
MAX_STEP_VALUES = 2**29
# Values per step (the batch's, times the activations and the input) from which a pointwise
# step is measured per pixel level (engine/levels.py): below it, counting the levels costs
# more than it saves. Engine.run on one thread, medians, in full against per level: batch
# 64 x 2 activations (0.6 M values) 2.3 against 2.8 ms; 128 x 2 (1.2 M) 5.3 against 4.9 ms;
# 64 x 8 (1.8 M) 8.6 against 6.5 ms; 256 x 8 (7.1 M) 33 against 20 ms.
LEVELS_FROM = 1_000_000
DEFAULT_ACTIVATIONS: tuple[ActivationSpec, ...] = tuple(parse_spec_list("relu,sigmoid"))


@accepts_options
@dataclass(frozen=True)
class StepRequest(WithOptions):
    """Everything needed to compute one view. The defaults are the classic tutorial. The
    view's own options (``request.image``, ``request.network_seed``...) are in ``options``:
    see engine/modes/."""

    id: int = 0
    data_root: str = ""
    dataset: str = "cifar10"
    split: str = datasets.DEFAULT_SPLIT
    batch_index: int = 0
    batch_size: int = 64
    preprocess: str = "to_tensor"
    activations: tuple[ActivationSpec, ...] = DEFAULT_ACTIVATIONS
    display: str = "clip"
    device: str = "cpu"
    allow_unverified: bool = False
    image_size: int = 32
    coarse_labels: bool = False
    shuffle_seed: int | None = None  # images in a seeded random order instead of file order
    mode: str = "activations"  # a name in engine.modes.REGISTERED
    options: tuple[tuple[str, object], ...] = ()  # the mode's options that are not defaults
    keep_raw: bool = True  # keep float values for the inspector (the export does not need them)
    stats: bool = True  # compute raw-value statistics (the export does not need them)
    # Tags of the panels that get a 64-bin histogram of their raw values ("*": every panel).
    histograms: tuple[str, ...] = ()

    def source_key(self) -> tuple:
        return (self.dataset, os.fspath(self.data_root), self.split, self.allow_unverified,
                self.image_size, self.coarse_labels, self.shuffle_seed)



@dataclass
class StepResult:
    request: StepRequest
    batch: datasets.Batch
    num_batches: int
    num_images: int
    classes: list[str]
    panels: list[Panel]
    device: str
    timings: dict[str, float] = field(default_factory=dict)  # seconds
    notes: tuple[str, ...] = ()  # what the user should know about the data (files skipped)
    details: object = None  # what the mode shows beside the panels (Mode.details)


class Engine:
    """Caches loaded sources and built modules; runs steps. Use from one thread at a time."""

    MAX_SOURCES = 3  # e.g. a data set's test and train splits and one more
    MAX_MODULES = 64

    def __init__(self) -> None:
        self._sources: OrderedDict[tuple, datasets.ImageSource] = OrderedDict()
        self._modules: OrderedDict[tuple, object] = OrderedDict()
        # the module file's process (engine/module_process.py), while one is open
        self.module_process = None
        # set by the thread that steps: true once a newer step waits, so that a step
        # waiting on a module's process gives way
        self.superseded = lambda: False
        self._looked = None  # (source key, index, size, batch) of the first look, used once
        self._levels = None  # the Levels of the step being computed, when it has them

    def close(self) -> None:
        """End the module's process, if one runs (any thread may call it)."""
        process, self.module_process = self.module_process, None
        if process is not None:
            process.close()

    def source(self, request: StepRequest) -> datasets.ImageSource:
        key = request.source_key()
        if key in self._sources:
            self._sources.move_to_end(key)
        else:
            while len(self._sources) >= self.MAX_SOURCES:
                self._sources.popitem(last=False)
            source = datasets.open_source(
                request.dataset,
                data_root_or_default(request.data_root),
                request.split,
                allow_unverified=request.allow_unverified,
                image_size=request.image_size,
                coarse_labels=request.coarse_labels,
            )
            if request.shuffle_seed is not None:
                # the same seed gives the same order on every machine
                order = np.random.default_rng(request.shuffle_seed).permutation(len(source))
                source = datasets.ReorderedSource(source, order)
            self._sources[key] = source
        return self._sources[key]

    def cached_source(self, request: StepRequest) -> datasets.ImageSource | None:
        """The source ``request`` reads if it is already loaded, else None. Safe to call from
        another thread: it only looks (sources are read-only once loaded)."""
        return self._sources.get(request.source_key())

    def module(self, spec: ActivationSpec, device):
        key = (spec, str(device))
        if key not in self._modules:
            self._remember(key, build_module(spec).to(device))
        return self._modules[key]

    def cached(self, key: tuple, build):
        """The module cached under ``key``, built by ``build()`` the first time (the modes
        keep their networks here)."""
        if key not in self._modules:
            self._remember(key, build())
        return self._modules[key]

    def _remember(self, key, module) -> None:
        """Cache ``module`` under ``key``, dropping the least recently built."""
        while len(self._modules) >= self.MAX_MODULES:
            self._modules.popitem(last=False)
        self._modules[key] = module

    def run(self, request: StepRequest) -> StepResult:
        from . import modes
        from .devices import resolve_device

        check_preprocess(request.preprocess)
        check_display(request.display)
        mode = modes.get(request.mode)
        device = resolve_device(request.device)
        t0 = time.perf_counter()
        mode.warm_up(self, request)  # e.g. a module's process imports torch while data loads
        source = self.source(request)
        batch = self._read_batch(request, source)
        t1 = time.perf_counter()
        try:
            panels, details = self._compute(batch, source, request, device, mode)
        except RuntimeError as exc:  # torch reports device faults (CUDA, MPS) this way
            if device.type == "cpu":
                raise
            for key in [k for k in self._modules if str(device) in k]:
                del self._modules[key]
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DeviceError(
                f"the computation failed on {device} ({reason}); try again, or use the CPU",
                device=str(device),
            ) from exc
        t2 = time.perf_counter()
        return StepResult(
            request=request,
            batch=batch,
            num_batches=source.num_batches(request.batch_size),
            num_images=len(source),
            classes=source.classes,
            panels=panels,
            device=str(device),
            timings={"load": t1 - t0, "compute": t2 - t1},
            notes=tuple(source.notes),
            details=details,
        )

    def _read_batch(self, request: StepRequest, source) -> datasets.Batch:
        """The batch ``request`` asks for; one too large for a step is refused (an image
        folder's before a pixel is read). The batch the first look read is used once: data
        handed over from Python is not read through its transform twice."""
        if datasets.dataset_info(request.dataset).user_folder:
            n = min(request.batch_size, len(source))
            check_step_size(request, (n, request.image_size, request.image_size, 3))
        looked, self._looked = self._looked, None
        if looked is not None and looked[:3] == (request.source_key(), request.batch_index,
                                                 request.batch_size):
            batch = looked[3]
        else:
            batch = source.batch(request.batch_index, request.batch_size)
        check_step_size(request, batch.images.shape)
        return batch

    def first_look(self, request: StepRequest, standing_in: bool = False) -> StepResult | None:
        """The batch's images as read, in one input panel without statistics, made without
        torch (the window paints it while torch still loads); None for data whose own
        values are the input (their reader has torch loaded already). The source stays
        cached, so the step that follows reads nothing again. ``standing_in``: the data set is
        shown in place of the missing one it stands in for, and the panel says so."""
        source = self.source(request)
        batch = self._read_batch(request, source)
        self._looked = (request.source_key(), request.batch_index, request.batch_size, batch)
        if batch.values is not None:
            return None
        images = batch.images if batch.images.shape[-1] == 3 \
            else np.repeat(batch.images, 3, axis=-1)
        panel = Panel(Role.INPUT, np.ascontiguousarray(images), None, "clip")
        info = datasets.dataset_info(request.dataset)
        panel.note = Text("{missing} is not in the data folder: these are the built-in"
                          " sample's images, as read; the activations follow once PyTorch has"
                          " loaded", missing=info.stands_in_for) if standing_in \
            else Text("the images as read; the preprocessing and the activations follow once"
                      " PyTorch has loaded")
        return StepResult(request=request, batch=batch,
                          num_batches=source.num_batches(request.batch_size),
                          num_images=len(source), classes=source.classes, panels=[panel],
                          device="", notes=tuple(source.notes))

    def _compute(self, batch, source, request: StepRequest, device, mode) -> list[Panel]:
        import torch

        if device.type == "cpu":
            use_threads(step_threads(batch.images.size * (len(request.activations) + 1)))
        with torch.inference_mode():
            if batch.values is not None:  # the data's own values, as its transform made them
                x = torch.from_numpy(batch.values).to(device)
                within = bool(((x >= 0) & (x <= 1)).all())
                shown = input_display("to_tensor" if within else "normalize", request.display)
            else:
                unit = to_float(batch.images, device)
                x = preprocess(unit, request.preprocess, source.mean, source.std)
                shown = input_display(request.preprocess, request.display)
                if mode.activations_see_input and device.type == "cpu" \
                        and request.preprocess in POINTWISE \
                        and batch.images.size * (len(request.activations) + 1) >= LEVELS_FROM \
                        and suits(batch.images, torch.get_num_threads()):
                    self._levels = Levels(batch.images, x, request.preprocess, source.mean,
                                          source.std)
            try:
                first = self.panel(self.on_levels(x) or x, request, Role.INPUT, display=shown)
                if shown != request.display:
                    first.note = Text("shown {display}: the input's values are not pixels in"
                                      " [0, 1]", display=shown)
                panels = [first] + mode.panels(self, x, request, device)
            finally:
                self._levels = None
        # outside inference mode: a mode's details may differentiate (a normal copy of x)
        return panels, mode.details(self, x.clone(), batch, source, request, device)

    def on_levels(self, x) -> LevelValues | None:
        """``x`` as a table over its pixel levels (engine/levels.py), when ``x`` is the
        preprocessed batch of the step being computed on the CPU and its preprocessing maps
        each pixel alone; else None."""
        levels = self._levels
        return levels.input if levels is not None and levels.input.full is x else None

    def channel_panel(self, maps, request, display, role, *, spec=None, **fields) -> Panel:
        """One image's channels (C, H, W) as a grid of C grey cells."""
        from .stats import channel_note

        panel = self.panel(maps.unsqueeze(1), request, role, display=display, spec=spec,
                           **fields)
        panel.cells = [f"channel {c}" for c in range(maps.shape[0])]
        panel.note = channel_note(maps, spec.output_bounds()) if spec is not None else ""
        return panel

    @staticmethod
    def panel(values, request, role, *, display=None, reference=None, spec=None, peak=None,
              **fields) -> Panel:
        """A panel of ``values`` (float NCHW): statistics, pixels for ``display`` (the
        request's by default), raw values and a histogram as the request asks.
        ``reference``: the activation's input, for the statistics that compare with it;
        ``peak``: the ``signed`` display's white, when panels share one scale."""
        display = display or request.display
        # per level (engine/levels.py) only when the reference is measured so too
        on_levels = isinstance(values, LevelValues) and (
            reference is None or isinstance(reference, LevelValues))
        full = values.full if isinstance(values, LevelValues) else values
        if isinstance(reference, LevelValues) and not on_levels:
            reference = reference.full
        stats = None
        if request.stats:
            bounds = spec.output_bounds() if spec is not None else None
            stats = values.stats(display, bounds, reference) if on_levels else \
                compute_stats(full, display, bounds=bounds, reference=reference)
        finite = finite_range(stats) is not None
        if on_levels:
            images = values.images(display, reference, finite=finite, peak=peak)
        else:
            images = to_images(full, display, reference, finite=finite, peak=peak)
        raw = full.float().cpu().numpy() if request.keep_raw else None
        panel = Panel(role, images, stats, display, raw=raw, spec=spec, **fields)
        if panel.tag in request.histograms or "*" in request.histograms:
            value_range = finite_range(stats)
            panel.hist = values.histogram(HISTOGRAM_BINS, value_range) \
                if on_levels and value_range is not None else \
                histogram(full, HISTOGRAM_BINS, value_range)
        return panel


def check_step_size(request: StepRequest, shape) -> None:
    """Refuse a step whose input (``shape``: N, H, W, C) and activations would hold more than
    :data:`MAX_STEP_VALUES` values."""
    n, h, w, c = shape
    panels = 1 + len(request.activations)
    total = n * h * w * max(c, 3) * panels
    if total > MAX_STEP_VALUES:
        raise ActlensError(Text(
            "{n} images of {h}×{w} and {k} activations make {total} values in one step, more"
            " than the {most} it may hold (about {gb} GB); choose a smaller batch or image"
            " size, or fewer activations", n=n, h=h, w=w, k=panels - 1, total=f"{total:,}",
            most=f"{MAX_STEP_VALUES:,}", gb=round(MAX_STEP_VALUES * 4 / 2**30)))


def data_root_or_default(root: str | os.PathLike | None) -> Path:
    return datasets.expand_path(root, "data folder") if root else datasets.default_data_root()
