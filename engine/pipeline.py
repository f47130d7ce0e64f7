"""One step of the viewer: a batch through preprocessing, every activation and the display.

:class:`Engine` owns the loaded data sets and built modules; :meth:`Engine.run` turns a
:class:`StepRequest` into a :class:`StepResult`. It is used by the GUI's worker thread, the
export and scripts alike, and never touches Qt.
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from engine.cpu import step_threads, use_threads
from engine.data import datasets
from engine.display import check_display, input_display, to_uint8
from engine.errors import ActlensError, DeviceError, quote_user
from engine.preprocess import check_preprocess, preprocess, to_float
from engine.registry import ActivationSpec, build_module, parse_spec_list
from engine.stats import Stats, compute_stats, finite_range, histogram
from engine.text import Text

HISTOGRAM_BINS = 64
# activations: on the pixels; network: inside the small CNN (engine/network.py); module: the
# user's own nn.Module file (engine/usermodule.py).
MODES = ("activations", "network", "module")
MAX_BATCH_SIZE = 1024  # images per step; the window and the command lines accept 1 to this
MAX_IMAGE_SIZE = 1024  # pixels, image folders
DEFAULT_ACTIVATIONS: tuple[ActivationSpec, ...] = tuple(parse_spec_list("relu,sigmoid"))


@dataclass(frozen=True)
class StepRequest:
    """Everything needed to compute one view. The defaults are the classic tutorial."""

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
    mode: str = "activations"  # one of MODES
    image: int = 0  # network and module modes: the image of the batch whose maps are shown
    weights: str = ""  # network mode: a state dict file; "" for seeded random weights
    network_seed: int = 0  # network mode: the seed of the random weights
    model: str = ""  # module mode: FILE.py[:CLASS]
    keep_raw: bool = True  # keep float values for the inspector (the export does not need them)
    stats: bool = True  # compute raw-value statistics (the export does not need them)
    # Tags of the panels that get a 64-bin histogram of their raw values ("*": every panel).
    histograms: tuple[str, ...] = ()

    def source_key(self) -> tuple:
        return (self.dataset, os.fspath(self.data_root), self.split, self.allow_unverified,
                self.image_size, self.coarse_labels, self.shuffle_seed)

    def with_(self, **changes) -> StepRequest:
        return replace(self, **changes)


@dataclass
class Panel:
    """One column of the view: the input or one activation's output for the whole batch."""

    title: str  # spec text, or "input"
    tag: str  # TensorBoard tag: "input", "output_relu", ...
    images: np.ndarray  # uint8 (N, H, W, 3), C-contiguous
    stats: Stats | None
    display: str
    raw: np.ndarray | None = None  # float32 (N, C, H, W) values, when requested
    spec: ActivationSpec | None = None
    hist: tuple[np.ndarray, np.ndarray] | None = None  # (counts, edges), when requested
    cells: list[str] | None = None  # what each cell is when not the batch's images ("channel 3")
    note: str = ""  # e.g. how many channels are dead


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


def output_tags(specs) -> list[str]:
    """TensorBoard tags per activation: ``output_<spec>``, numbered if a spec repeats."""
    tags, seen = [], {}
    for spec in specs:
        base = f"output_{spec}"
        seen[base] = seen.get(base, 0) + 1
        tags.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return tags


class Engine:
    """Caches loaded sources and built modules; runs steps. Use from one thread at a time."""

    MAX_SOURCES = 3  # e.g. a data set's test and train splits and one more
    MAX_MODULES = 64

    def __init__(self) -> None:
        self._sources: OrderedDict[tuple, datasets.ImageSource] = OrderedDict()
        self._modules: OrderedDict[tuple, object] = OrderedDict()

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

    def network(self, spec: ActivationSpec, request: StepRequest, device):
        """The small CNN with ``spec``: seeded random weights, or ``request.weights``."""
        from engine.network import build_network, load_weights

        key = ("network", spec, request.weights, request.image_size, request.network_seed,
               str(device))
        if key not in self._modules:
            net = build_network(spec, request.image_size, request.network_seed)
            if request.weights:
                load_weights(net, request.weights, spec)
            self._remember(key, net.to(device))
        return self._modules[key]

    def user_module(self, model: str, device):
        """The module of ``FILE.py[:CLASS]``, built again when the file changes."""
        from engine.usermodule import load_module, parse_model

        ref = parse_model(model)
        try:
            stamp = Path(ref.path).expanduser().stat().st_mtime_ns
        except OSError:
            stamp = None
        key = ("model", ref, stamp, str(device))
        if key not in self._modules:
            self._remember(key, load_module(ref).to(device))
        return self._modules[key]

    def _remember(self, key, module) -> None:
        """Cache ``module`` under ``key``, dropping the least recently built."""
        while len(self._modules) >= self.MAX_MODULES:
            self._modules.popitem(last=False)
        self._modules[key] = module

    def run(self, request: StepRequest) -> StepResult:
        from engine.devices import resolve_device

        check_preprocess(request.preprocess)
        check_display(request.display)
        if request.mode not in MODES:
            raise ActlensError(f"unknown mode '{quote_user(request.mode)}'; one of {', '.join(MODES)}")
        device = resolve_device(request.device)
        t0 = time.perf_counter()
        source = self.source(request)
        batch = source.batch(request.batch_index, request.batch_size)
        t1 = time.perf_counter()
        try:
            panels = self._compute(batch, source, request, device)
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
        )

    def _compute(self, batch, source, request: StepRequest, device) -> list[Panel]:
        import torch

        if device.type == "cpu":
            use_threads(step_threads(batch.images.size * (len(request.activations) + 1)))
        with torch.inference_mode():
            unit = to_float(batch.images, device)
            x = preprocess(unit, request.preprocess, source.mean, source.std)
            shown = input_display(request.preprocess, request.display)
            panels = [self._panel("input", "input", x, shown, None, None, request)]
            if shown != request.display:
                panels[0].note = Text("shown {display}: the input's values are not pixels in"
                                       " [0, 1]", display=shown)
            if request.mode == "network":
                return panels + self._network_panels(x, request, device)
            if request.mode == "module":
                return panels + self._module_panels(x, request, device)
            for spec, tag in zip(request.activations, output_tags(request.activations)):
                y = self.module(spec, device)(x)
                panels.append(self._panel(str(spec), tag, y, request.display, x, spec, request))
        return panels

    def _network_panels(self, x, request: StepRequest, device) -> list[Panel]:
        """conv1 and conv2 before and after the activation, for each spec: the channels of
        the selected image, signed values shown signed."""
        from engine.network import feature_maps

        i = min(max(request.image, 0), x.shape[0] - 1)
        display = "signed" if request.display == "clip" else request.display
        panels = []
        for spec, tag in zip(request.activations, output_tags(request.activations)):
            net = self.network(spec, request.with_(image_size=x.shape[-1]), device)
            maps = feature_maps(net, x[i:i + 1])
            for layer, values in maps.items():
                after = layer.endswith("_act")
                panels.append(self._channel_panel(
                    f"{spec} · {layer}", f"{tag.removeprefix('output_')}/{layer}",
                    values[0], display, spec if after else None, request))
        return panels

    def _module_panels(self, x, request: StepRequest, device) -> list[Panel]:
        """Each image-shaped output of the user's module: 1 or 3 channels as images of the
        batch, any other number as the selected image's channels."""
        from engine.usermodule import parse_model, run_module

        i = min(max(request.image, 0), x.shape[0] - 1)
        panels = []
        path = parse_model(request.model).path
        for tag, title, values in run_module(self.user_module(request.model, device), x, path):
            try:
                if values.shape[1] in (1, 3):
                    panels.append(self._panel(title, tag, values.float(), request.display,
                                              None, None, request))
                else:
                    display = "signed" if request.display == "clip" else request.display
                    panels.append(self._channel_panel(title, tag, values[i].float(), display,
                                                      None, request))
            except (RuntimeError, ValueError, NotImplementedError, MemoryError) as exc:
                raise ActlensError(f"{quote_user(path, 200)}: {tag} of shape"
                                   f" {tuple(values.shape)} cannot be shown ({type(exc).__name__}:"
                                   f" {quote_user(str(exc), 120)})") from None
        return panels

    def _channel_panel(self, title, tag, maps, display, spec, request) -> Panel:
        """One image's channels (C, H, W) as a grid of C grey cells."""
        from engine.stats import channel_note

        panel = self._panel(title, tag, maps.unsqueeze(1), display, None, spec, request)
        panel.cells = [f"channel {c}" for c in range(maps.shape[0])]
        panel.note = channel_note(maps, spec.output_bounds() if spec is not None else None) \
            if spec is not None else ""
        return panel

    @staticmethod
    def _panel(title, tag, values, display, reference, spec, request) -> Panel:
        stats = None
        if request.stats:
            bounds = spec.output_bounds() if spec is not None else None
            stats = compute_stats(values, display, bounds=bounds, reference=reference)
        finite = finite_range(stats) is not None
        pixels = to_uint8(values, display, reference, finite=finite)
        if pixels.shape[1] == 1:
            pixels = pixels.expand(-1, 3, -1, -1)
        images = pixels.permute(0, 2, 3, 1).contiguous().cpu().numpy()
        raw = values.float().cpu().numpy() if request.keep_raw else None
        hist = None
        if tag in request.histograms or "*" in request.histograms:
            hist = histogram(values, HISTOGRAM_BINS, finite_range(stats))
        return Panel(title, tag, images, stats, display, raw, spec, hist)


def data_root_or_default(root: str | os.PathLike | None) -> Path:
    return datasets.expand_path(root, "data folder") if root else datasets.default_data_root()
