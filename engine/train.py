"""The lesson, measured: train the network mode's small CNN once per activation and compare.

Every activation starts from the same initial weights (the convolutions and the classifier
are drawn from ``seed`` before the activation is built) and sees the same data in the same
order, so the figures differ only by the activation. With ``identity`` and average pooling
the network is one linear map: what the other activations gain over it is what
non-linearity buys.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .data import datasets
from .errors import ActlensError, CancelledError, DatasetMissingError, quote_user
from .network import RUN_RECORD
from .registry import ActivationSpec
from .text import Text, from_record, plural

HELD_OUT_FRACTION = 0.2  # of the test split, when it is all there is
OPTIMISER = "Adam"  # the one optimiser the lesson trains with
# How a run's seconds are taken (said beside every table of them).
TIMING = Text("each activation's own training steps and held-out evaluations, timed after an"
              " untimed warm-up (one training step and one held-out batch of every activation,"
              " on throwaway networks)")


@dataclass(frozen=True)
class TrainSettings:
    specs: tuple[ActivationSpec, ...]
    epochs: int = 4
    lr: float = 2e-3
    seed: int = 0
    batch_size: int = 64
    device: str = "cpu"
    preprocess: str = "to_tensor"

    def _fields(self) -> dict:
        return dict(optimiser=OPTIMISER, lr=f"{self.lr:g}", batch=self.batch_size,
                    seed=self.seed, preprocess=self.preprocess, device=self.device,
                    epochs=plural(self.epochs, "{n} epoch", "{n} epochs"))

    def _steps(self, images: int) -> dict:
        batches = math.ceil(images / self.batch_size)
        return dict(batches=plural(batches, "{n} batch", "{n} batches"),
                    steps=plural(batches * self.epochs, "{n} step", "{n} steps"))

    def recipe(self, data: TrainData | None = None) -> Text:
        """The run's recipe in words, said beside its figures: with ``data``, its number of
        steps and the split it trained on."""
        fields = self._fields()
        if data is None:
            return Text("{optimiser}, learning rate {lr}, {epochs} in batches of {batch}, seed"
                        " {seed}, preprocessing {preprocess}, device {device}", **fields)
        return Text("{optimiser}, learning rate {lr}, {epochs} of {batches} of {batch} ({steps}),"
                    " seed {seed}, preprocessing {preprocess}, device {device}; {data}",
                    data=data.note, **self._steps(len(data.train_labels)), **fields)

    def plan(self, planned: PlannedData | None, train_on_test: bool) -> Text:
        """What Train will do, said plainly before it starts: the activations, the optimiser,
        the epochs (and steps, where the number of images is known), the seed, the
        preprocessing and the data. ``planned``: :func:`planned_data` (None where the data
        cannot say which splits it holds)."""
        fields = dict(self._fields(), activations=", ".join(str(s) for s in self.specs))
        if planned is None:
            data = split_rule(train_on_test)
        else:
            data = planned.text()
        if planned is not None and planned.train:
            return Text("{activations}, each from the same initial weights, with {optimiser},"
                        " learning rate {lr}, {epochs} of {batches} of {batch} ({steps}), seed"
                        " {seed}, preprocessing {preprocess}, device {device}; {data}",
                        data=data, **self._steps(planned.train), **fields)
        return Text("{activations}, each from the same initial weights, with {optimiser},"
                    " learning rate {lr}, {epochs} in batches of {batch}, seed {seed},"
                    " preprocessing {preprocess}, device {device}; {data}", data=data, **fields)


@dataclass(frozen=True)
class PlannedData:
    """The data a run will train on, known before it opens it (:func:`planned_data`):
    ``on_train``, the train split (held out: the test split), else the test split cut in
    two; ``train_there``: the data folder holds a train split; the numbers of images, where
    known (None otherwise)."""

    on_train: bool
    train_there: bool
    train: int | None = None
    heldout: int | None = None

    def text(self) -> Text:
        if self.on_train:
            if self.train:
                return Text("trained on the train split ({count} images), held out: the test"
                            " split", count=f"{self.train:,}")
            return Text("trained on the train split, held out: the test split")
        why = Text("the train split is left out, as asked") if self.train_there \
            else Text("the data folder has no train split")
        if self.train:
            return Text("trained on the first {cut} test images, held out: the last {rest}"
                        " ({why})", cut=f"{self.train:,}", rest=f"{self.heldout:,}", why=why)
        return Text("trained on the first {cut} of the test split, held out: the last {rest}"
                    " ({why})", cut=f"{100 * (1 - HELD_OUT_FRACTION):g}%",
                    rest=f"{100 * HELD_OUT_FRACTION:g}%", why=why)


def planned_data(request, train_on_test: bool, shown=None) -> PlannedData | None:
    """What :func:`load_training_data` will train on for ``request``, found by looking at the
    data folder (quick; nothing read): the train split when it is there, unless
    ``train_on_test``. ``shown``: a step's result, whose number of images counts the split
    it shows when it is of the same data. None for data that cannot say which splits it
    holds (handed over from Python)."""
    splits = datasets.available_splits(request.dataset, request.data_root)
    if not splits:
        return None
    train_there = "train" in splits
    on_train = train_there and not train_on_test
    count = None
    if shown is not None and _same_data(shown.request, request) and \
            shown.request.split == ("train" if on_train else "test"):
        count = shown.num_images
    if on_train:
        return PlannedData(True, True, count)
    cut = held_out_cut(count) if count else None
    return PlannedData(False, train_there, cut, count - cut if cut else None)


def _same_data(a, b) -> bool:
    """Whether two requests read the same images (in any order, of either split)."""
    def data(r):
        return r.with_(split="test", shuffle_seed=None).source_key()

    return data(a) == data(b)


def held_out_cut(images: int) -> int | None:
    """Where the test split is cut when it is all there is: the first ``1 -
    HELD_OUT_FRACTION`` trains, the rest is held out; None when a part would be empty."""
    cut = int(round(images * (1 - HELD_OUT_FRACTION)))
    return cut if 1 <= cut < images else None


@dataclass
class TrainData:
    """uint8 NHWC images and int64 labels to train on and to hold out, and where they came
    from (said on screen and in the export)."""

    train_images: np.ndarray
    train_labels: np.ndarray
    heldout_images: np.ndarray
    heldout_labels: np.ndarray
    mean: tuple[float, ...]
    std: tuple[float, ...]
    classes: list[str]
    note: str


@dataclass
class Progress:
    """One report: ``epoch`` counts from 1; ``accuracy`` is set at the end of an epoch."""

    spec: ActivationSpec
    epoch: int
    step: int  # batches done in this run, over all epochs
    steps: int  # batches in the whole run
    loss: float
    accuracy: float | None = None
    heldout_loss: float | None = None


DIVERGED_LOSS = 2 * math.log(10)  # twice the loss of a uniform guess over ten classes
CHANCE_POINTS = 1.5  # held-out accuracy this close to a guess's (in points) is a guess's


@dataclass
class TrainResult:
    spec: ActivationSpec
    losses: list[float] = field(default_factory=list)  # per batch
    accuracies: list[float] = field(default_factory=list)  # held out, per epoch
    heldout_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0  # its own steps and evaluations (see TIMING)
    state: dict | None = None  # the trained weights
    cancelled: bool = False
    classes: int = 10  # what a guess chooses from
    warmup_seconds: float = 0.0  # the untimed warm-up paid before it (the first run's)

    @property
    def diverged(self) -> bool:
        """Its loss left the finite numbers, or ended far above a guess's (ln 10 for ten
        classes): the learning rate was too large for it."""
        held = self.heldout_losses[-1] if self.heldout_losses else None
        return any(not math.isfinite(v) for v in self.losses[-1:]) or (
            held is not None and (not math.isfinite(held) or held > DIVERGED_LOSS))

    @property
    def stayed_at_chance(self) -> bool:
        """It did not diverge, yet learned nothing: its held-out accuracy ended within
        ``CHANCE_POINTS`` of a guess's (100 / classes %), whatever its loss (ReLU's units
        all dead after too large a step). Staying at chance is judged on the accuracy,
        diverging on the loss."""
        if self.diverged or not self.accuracies:
            return False
        return abs(self.accuracies[-1] * 100 - 100 / self.classes) <= CHANCE_POINTS


def chance_note(results: list[TrainResult]) -> Text | None:
    """Why a run is marked as having stayed at chance, when one is."""
    stayed = [r for r in results if r.stayed_at_chance]
    if not stayed:
        return None
    classes = stayed[0].classes
    return Text("stayed at chance: its held-out accuracy ended at a guess's ({chance}): it"
                " learned nothing, whatever its loss (a uniform guess's is ln {classes} ="
                " {loss}), which is not a divergence. Too large a step can leave every unit dead or"
                " saturated (try a smaller learning rate), a saturating activation such as"
                " Sigmoid can learn too slowly to leave it in so few steps, or the data holds"
                " nothing to learn.",
                chance=f"{100 / classes:.1f}%", classes=classes, loss=f"{math.log(classes):.2f}")


def sigmoid_note(results: list[TrainResult]) -> Text | None:
    """Why Sigmoid scores below identity, when it does (a true result with a reason)."""
    def final(name):
        found = [r for r in results if r.spec.name == name and r.accuracies]
        return found[0].accuracies[-1] if found else None

    sigmoid, identity = final("sigmoid"), final("identity")
    if sigmoid is None or identity is None or sigmoid >= identity:
        return None
    return Text("Sigmoid ({sigmoid}) scores below identity ({identity}), and that is a true"
                " result: its outputs are centred on 0.5, not 0, so every unit of the next layer"
                " sees only positive inputs; it saturates, and its slope is at most 0.25, so the"
                " gradients that reach the first layer are small and it learns slowly. The depth"
                " view (Show: Through a deep network, or actlens deep) shows why, layer by layer.",
                sigmoid=f"{sigmoid * 100:.1f}%", identity=f"{identity * 100:.1f}%")


def split_rule(train_on_test: bool) -> Text:
    """What a run will train on and hold out, before the data is opened."""
    cut = f"{100 * (1 - HELD_OUT_FRACTION):g}%"
    rest = f"{100 * HELD_OUT_FRACTION:g}%"
    if train_on_test:
        return Text("trained on the first {cut} of the test split, held out: the last {rest}",
                    cut=cut, rest=rest)
    return Text("trained on the train split when it is on disk (held out: the test split), else"
                " on the first {cut} of the test split (held out: the last {rest})",
                cut=cut, rest=rest)


def load_training_data(request, train_on_test: bool = False, loaded=None) -> TrainData:
    """The train split when it is on disk (held out: the test split); otherwise, or with
    ``train_on_test``, the first 80% of the test split (held out: the last 20%).
    ``loaded(request)`` may give a split that is already in memory (the window's)."""
    from .pipeline import data_root_or_default

    def open_split(split):
        if loaded is not None:
            found = loaded(request.with_(split=split, shuffle_seed=None))
            if found is not None:
                return found
        return datasets.open_source(
            request.dataset, data_root_or_default(request.data_root), split,
            allow_unverified=request.allow_unverified, image_size=request.image_size)

    test = open_split("test")
    train = None
    if not train_on_test:
        try:
            train = open_split("train")
        except DatasetMissingError:  # not there: the test split is cut, as planned_data says
            train = None  # (a train split that is there but damaged is reported, not skipped)
    if train is not None:
        tr_x, tr_y = train.read(0, len(train))
        ho_x, ho_y = test.read(0, len(test))
        note = Text("trained on the train split ({count} images), held out: the test split",
                    count=f"{len(train):,}")
    else:
        x, y = test.read(0, len(test))
        cut = held_out_cut(len(test))
        if cut is None:
            raise ActlensError(f"{len(test)} images are too few to train on and hold out")
        tr_x, tr_y, ho_x, ho_y = x[:cut], y[:cut], x[cut:], y[cut:]
        note = Text("trained on the first {cut} test images, held out: the last {rest} (no"
                    " train split used)", cut=f"{cut:,}", rest=f"{len(test) - cut:,}")
    return TrainData(np.ascontiguousarray(tr_x), np.asarray(tr_y), np.ascontiguousarray(ho_x),
                     np.asarray(ho_y), test.mean, test.std, test.classes, note)


def warm_up(data: TrainData, settings: TrainSettings,
            cancel: threading.Event | None = None) -> float:
    """What the first run would otherwise pay, paid untimed: one training step of every
    activation on a throwaway network and one held-out batch (torch's thread pool, the
    convolutions' kernels, the optimiser's first step); its seconds. It draws nothing from
    the random generators, so the runs after it are the same as without it."""
    import torch

    from .cpu import training_threads, use_threads
    from .devices import resolve_device
    from .network import build_network

    started = time.perf_counter()
    device = resolve_device(settings.device)
    if device.type == "cpu":
        use_threads(training_threads())
    n = min(settings.batch_size, len(data.train_labels))
    forked = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=forked):
        x = _batch(data, data.train_images[:n], settings, device)
        y = torch.from_numpy(data.train_labels[:n]).to(device)
        for spec in dict.fromkeys(settings.specs):
            if cancel is not None and cancel.is_set():
                break
            net = build_network(spec, data.train_images.shape[1], settings.seed).to(device)
            _train_step(net.train(), torch.optim.Adam(net.parameters(), lr=settings.lr), x, y)
            with torch.inference_mode():
                net.eval()(_batch(data, data.heldout_images[:512], settings, device))
    return time.perf_counter() - started


def train_one(spec: ActivationSpec, data: TrainData, settings: TrainSettings,
              report: Callable[[Progress], None] | None = None,
              cancel: threading.Event | None = None, on_epoch=None) -> TrainResult:
    """Train a fresh network with ``spec``; stops within one batch of ``cancel``. Its
    seconds are its own steps and held-out evaluations (see :data:`TIMING`)."""
    import torch

    from .cpu import training_threads, use_threads
    from .devices import resolve_device
    from .network import build_network

    device = resolve_device(settings.device)
    size = data.train_images.shape[1]
    net = build_network(spec, size, settings.seed).to(device).train()
    optimiser = torch.optim.Adam(net.parameters(), lr=settings.lr)
    order = torch.Generator().manual_seed(settings.seed)  # the same order for every spec
    n = len(data.train_labels)
    per_epoch = math.ceil(n / settings.batch_size)
    result = TrainResult(spec, classes=len(data.classes) or 10)
    # Converted once when it fits in 256 MB (the test split's 8,000 images: 98 MB), else per batch
    fits = data.train_images.size * 4 <= 256 * 2**20
    whole = _batch(data, data.train_images, settings, device) if fits else None
    started = time.perf_counter()
    for epoch in range(1, settings.epochs + 1):
        if device.type == "cpu":
            use_threads(training_threads())
        perm = torch.randperm(n, generator=order).numpy()
        for b in range(per_epoch):
            if cancel is not None and cancel.is_set():
                result.cancelled = True
                break
            idx = perm[b * settings.batch_size:(b + 1) * settings.batch_size]
            x = whole[idx] if whole is not None else _batch(data, data.train_images[idx],
                                                            settings, device)
            y = torch.from_numpy(data.train_labels[idx]).to(device)
            result.losses.append(_train_step(net, optimiser, x, y))
            if not math.isfinite(result.losses[-1]):
                break  # diverged: nothing more to learn from this run
            if report is not None and (b % 10 == 0 or b == per_epoch - 1):
                report(Progress(spec, epoch, len(result.losses), per_epoch * settings.epochs,
                                result.losses[-1]))
        if result.cancelled:
            break
        accuracy, heldout_loss = evaluate(net, data, settings, device)
        result.accuracies.append(accuracy)
        result.heldout_losses.append(heldout_loss)
        if not math.isfinite(result.losses[-1]):
            break  # diverged
        if on_epoch is not None:
            paused = time.perf_counter()  # the TensorBoard maps are not the run's own work
            on_epoch(spec, net, epoch)
            started += time.perf_counter() - paused
        if report is not None:
            report(Progress(spec, epoch, len(result.losses), per_epoch * settings.epochs,
                            result.losses[-1], accuracy, heldout_loss))
    result.seconds = time.perf_counter() - started
    result.state = {k: v.detach().cpu().clone() for k, v in net.state_dict().items()}
    return result


def _train_step(net, optimiser, x, y) -> float:
    """One optimiser step on the batch ``x`` with labels ``y``; its loss."""
    import torch.nn.functional as F

    loss = F.cross_entropy(net(x), y)
    optimiser.zero_grad(set_to_none=True)
    loss.backward()
    optimiser.step()
    return loss.item()


def _batch(data: TrainData, images: np.ndarray, settings: TrainSettings, device):
    from .preprocess import preprocess, to_float

    return preprocess(to_float(images, device), settings.preprocess, data.mean, data.std)


def evaluate(net, data: TrainData, settings: TrainSettings, device) -> tuple[float, float]:
    """Held-out accuracy (0..1) and mean cross-entropy."""
    import torch
    import torch.nn.functional as F

    net.eval()
    correct, total_loss, n = 0, 0.0, len(data.heldout_labels)
    with torch.inference_mode():
        for start in range(0, n, 512):
            x = _batch(data, data.heldout_images[start:start + 512], settings, device)
            y = torch.from_numpy(data.heldout_labels[start:start + 512]).to(device)
            logits = net(x)
            total_loss += float(F.cross_entropy(logits, y, reduction="sum"))
            correct += int((logits.argmax(1) == y).sum())
    net.train()
    return correct / max(n, 1), total_loss / max(n, 1)


def train_all(data: TrainData, settings: TrainSettings, report=None, cancel=None,
              finished: Callable[[TrainResult], None] | None = None,
              on_epoch=None) -> list[TrainResult]:
    """Train once per spec, in order, after an untimed warm-up (:func:`warm_up`, its seconds
    in the first result's ``warmup_seconds``); a cancelled run keeps the results finished
    before it."""
    results = []
    warmup = warm_up(data, settings, cancel)
    for spec in settings.specs:
        result = train_one(spec, data, settings, report, cancel, on_epoch)
        result.warmup_seconds, warmup = warmup, 0.0
        results.append(result)
        if finished is not None:
            finished(result)
        if result.cancelled:
            break
    if not results or (results[0].cancelled and not results[0].accuracies):
        raise CancelledError("training cancelled before any epoch finished")
    return results


class UnsavedRun(ActlensError):
    """Saving a finished training failed: the one-line reason, and what was trained (kept
    in memory, so that it can be saved elsewhere)."""

    def __init__(self, message: str, results, settings, data, folder, reason):
        super().__init__(message)
        self.results, self.settings, self.data = results, settings, data
        self.folder, self.reason = folder, reason


def save_run(results: list[TrainResult], folder: Path, settings: TrainSettings,
             data: TrainData) -> Path:
    """Each activation's trained state dict in ``folder`` (the network mode opens the folder:
    every activation gets its own weights), and ``run.json`` with the settings and figures.
    Each file appears whole or not at all; a failure is :class:`UnsavedRun`, holding the
    results."""
    import torch

    from .network import spec_file

    try:
        folder.mkdir(parents=True, exist_ok=True)
        for r in results:
            if r.accuracies:  # a run cancelled before its first epoch has nothing worth keeping
                _atomic(folder / spec_file(r.spec), lambda f, r=r: torch.save(r.state, f))
        text = json.dumps(run_record(results, settings, data), indent=2)
        _atomic(folder / RUN_RECORD, lambda f: f.write(text.encode()))
    except (OSError, RuntimeError) as exc:  # a full disk is torch's RuntimeError
        reason = _why_not_written(exc, folder)
        try:
            folder.rmdir()  # a run folder left empty is no run; one holding files stays
        except OSError:
            pass
        raise UnsavedRun(Text("saving the trained weights in {folder} failed ({reason}); they"
                              " are kept until saved elsewhere", folder=quote_user(str(folder), 200),
                              reason=quote_user(reason, 120)), results, settings, data,
                          folder, quote_user(reason, 120)) from None
    return folder


def _why_not_written(exc: Exception, folder: Path) -> str:
    """A failed save in the user's words: torch reports a full disk as an internal
    "[enforce fail at inline_container.cc]" error, so the free space is asked instead."""
    import errno
    import shutil

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "no space left on the disk"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    try:
        full = shutil.disk_usage(folder if folder.exists() else folder.parent).free < 2**20
    except OSError:
        full = False
    if full or "enforce fail" in str(exc):
        return "no space left on the disk" if full else "the file could not be written whole"
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_record(results: list[TrainResult], settings: TrainSettings, data: TrainData) -> dict:
    """What ``run.json`` says: the recipe, whole and in parts, how the seconds were taken,
    and each activation's figures."""
    recipe = settings.recipe(data)
    return {
        "recipe": str(recipe), "recipe_text": recipe.record(),
        "classes": results[0].classes if results else len(data.classes),
        "optimiser": OPTIMISER, "epochs": settings.epochs,
        "steps": math.ceil(len(data.train_labels) / settings.batch_size) * settings.epochs,
        "lr": settings.lr, "seed": settings.seed, "batch_size": settings.batch_size,
        "preprocess": settings.preprocess, "device": settings.device, "data": data.note,
        "seconds_are": str(TIMING),
        "warmup_seconds": sum(r.warmup_seconds for r in results),
        "results": {str(r.spec): {"heldout_accuracy": r.accuracies,
                                  "heldout_loss": _finite(r.heldout_losses),
                                  "seconds": r.seconds, "cancelled": r.cancelled,
                                  "diverged": r.diverged, "stayed_at_chance": r.stayed_at_chance}
                    for r in results},
    }


@dataclass
class SavedRun:
    """A run as its ``run.json`` tells it (:func:`load_run`): its folder, its recipe (a
    :class:`Text` where the file keeps one) and its results, whose figures are the saved
    ones (the losses per batch are not saved)."""

    folder: Path
    recipe: str
    results: list[TrainResult]


@dataclass
class SavedResult(TrainResult):
    """A result read back from ``run.json``: its marks as they were saved."""

    saved_diverged: bool = False
    saved_at_chance: bool = False

    @property
    def diverged(self) -> bool:
        return self.saved_diverged

    @property
    def stayed_at_chance(self) -> bool:
        return self.saved_at_chance


def load_run(folder: str | os.PathLike) -> SavedRun | None:
    """The run saved in ``folder`` (its ``run.json``: plain JSON, never code), or None where
    there is none or it is not one that :func:`save_run` wrote."""
    from .registry import parse_spec

    path = Path(folder) / RUN_RECORD
    try:
        if not path.is_file() or path.stat().st_size > 2**20:  # a pipe would block the read
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
        classes = int(record.get("classes", 10))
        if not 1 <= classes <= 10**6:  # a guess chooses from them: never 0
            return None
        results = [SavedResult(
            parse_spec(spec), accuracies=[float(a) for a in figures["heldout_accuracy"]],
            heldout_losses=[] if figures.get("heldout_loss") is None
            else [float(figures["heldout_loss"])], seconds=float(figures["seconds"]),
            cancelled=bool(figures.get("cancelled")), classes=classes,
            saved_diverged=bool(figures.get("diverged")),
            saved_at_chance=bool(figures.get("stayed_at_chance")))
            for spec, figures in record["results"].items()]
        if results:
            results[0].warmup_seconds = float(record.get("warmup_seconds", 0.0))
        recipe = from_record(record.get("recipe_text"), str(record["recipe"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, ActlensError,
            RecursionError, OverflowError):  # nested a million deep, a count of 1e400
        return None
    return SavedRun(Path(folder), recipe, results)


def _finite(values: list[float]) -> float | None:
    """The last of ``values`` where it is a finite number (JSON has no NaN), unrounded: a
    table read back shows the digits the live one showed."""
    return values[-1] if values and math.isfinite(values[-1]) else None


def _atomic(path: Path, write) -> None:
    """``write(file)`` into a temporary file beside ``path``, then put it in its place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def discard_empty_run(folder: Path) -> None:
    """Remove a run's folder that nothing was saved in (the run ended before saving)."""
    try:
        folder.rmdir()
    except OSError:
        pass


def run_folder(root: Path, settings: TrainSettings) -> Path:
    """A new, empty folder for a run, ``root/actlens-training/e4-lr0.002-s0-<time>`` (``-2``,
    ``-3``... where a run started in the same second has it), made and checked writable
    now, before any training: ActlensError if it cannot be."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = root / "actlens-training" / f"e{settings.epochs}-lr{settings.lr:g}-s{settings.seed}-{stamp}"
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            folder = base if n == 1 else base.with_name(f"{base.name}-{n}")
            try:
                folder.mkdir()
            except FileExistsError:
                continue
            _atomic(folder / ".write-check", lambda f: f.write(b"ok"))
            (folder / ".write-check").unlink()
            return folder
    except OSError as exc:
        raise ActlensError(Text("trained runs cannot be saved in {root} ({reason}); choose"
                                " another data folder before training",
                                root=quote_user(str(base.parent), 200),
                                reason=exc.strerror or str(exc))) from None
    raise ActlensError(f"too many runs started at {stamp} in {base.parent}")


class TrainLog:
    """TensorBoard scalars of a training run: one run folder per activation (named by its
    spec), ``train/loss`` per batch and ``heldout/accuracy`` per epoch, and at each epoch's
    end the network mode's feature maps of one fixed held-out image."""

    def __init__(self, logdir: Path, data: TrainData):
        self.logdir, self.data = logdir, data
        self.logs: dict[str, object] = {}

    def _log(self, spec: ActivationSpec):
        from .logdirs import check_logdir, open_event_log
        from .summaries import text_value

        key = str(spec)
        if key not in self.logs:
            safe = "".join(c if c.isalnum() or c in "-_.=" else "_" for c in key)
            check_logdir(self.logdir / safe)
            log = self.logs[key] = open_event_log(self.logdir / safe)[0]
            log.summary(0, [text_value("data", self.data.note)])  # what it trained on
        return self.logs[key]

    def report(self, p: Progress) -> None:
        from .summaries import scalar_value

        values = [scalar_value("train/loss", p.loss)]
        if p.accuracy is not None:
            values.append(scalar_value("heldout/accuracy", p.accuracy))
            values.append(scalar_value("heldout/loss", p.heldout_loss))
        self._log(p.spec).summary(p.step, values)

    def epoch_maps(self, spec: ActivationSpec, net, epoch: int, settings: TrainSettings) -> None:
        """conv1 and conv2 before and after the activation, for held-out image 0."""
        import torch

        from .display import to_images
        from .network import feature_maps
        from .summaries import image_values

        device = next(net.parameters()).device
        with torch.inference_mode():
            x = _batch(self.data, self.data.heldout_images[:1], settings, device)
            maps = feature_maps(net.eval(), x)
        net.train()
        grids = [(f"maps/{layer}", to_images(values[0].unsqueeze(1), "signed"))
                 for layer, values in maps.items()]
        self._log(spec).summary(epoch, image_values(grids))

    def close(self) -> None:
        for log in self.logs.values():
            log.close()
