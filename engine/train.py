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
from .errors import ActlensError, CancelledError, quote_user
from .registry import ActivationSpec
from .text import Text

HELD_OUT_FRACTION = 0.2  # of the test split, when it is all there is


@dataclass(frozen=True)
class TrainSettings:
    specs: tuple[ActivationSpec, ...]
    epochs: int = 4
    lr: float = 2e-3
    seed: int = 0
    batch_size: int = 64
    device: str = "cpu"
    preprocess: str = "to_tensor"


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


@dataclass
class TrainResult:
    spec: ActivationSpec
    losses: list[float] = field(default_factory=list)  # per batch
    accuracies: list[float] = field(default_factory=list)  # held out, per epoch
    heldout_losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    state: dict | None = None  # the trained weights
    cancelled: bool = False

    @property
    def diverged(self) -> bool:
        """Its loss left the finite numbers, or ended far above a guess's (ln 10 for ten
        classes): the learning rate was too large for it."""
        held = self.heldout_losses[-1] if self.heldout_losses else None
        return any(not math.isfinite(v) for v in self.losses[-1:]) or (
            held is not None and (not math.isfinite(held) or held > DIVERGED_LOSS))


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
        except ActlensError:
            train = None
    if train is not None:
        tr_x, tr_y = train.read(0, len(train))
        ho_x, ho_y = test.read(0, len(test))
        note = Text("trained on the train split ({count} images), held out: the test split",
                    count=f"{len(train):,}")
    else:
        x, y = test.read(0, len(test))
        cut = int(round(len(test) * (1 - HELD_OUT_FRACTION)))
        if cut < 1 or cut >= len(test):
            raise ActlensError(f"{len(test)} images are too few to train on and hold out")
        tr_x, tr_y, ho_x, ho_y = x[:cut], y[:cut], x[cut:], y[cut:]
        note = Text("trained on the first {cut} test images, held out: the last {rest} (no"
                    " train split used)", cut=f"{cut:,}", rest=f"{len(test) - cut:,}")
    return TrainData(np.ascontiguousarray(tr_x), np.asarray(tr_y), np.ascontiguousarray(ho_x),
                     np.asarray(ho_y), test.mean, test.std, test.classes, note)


def train_one(spec: ActivationSpec, data: TrainData, settings: TrainSettings,
              report: Callable[[Progress], None] | None = None,
              cancel: threading.Event | None = None, on_epoch=None) -> TrainResult:
    """Train a fresh network with ``spec``; stops within one batch of ``cancel``."""
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
    result = TrainResult(spec)
    started = time.perf_counter()
    # Converted once when it fits in 256 MB (the test split's 8,000 images: 98 MB), else per batch
    fits = data.train_images.size * 4 <= 256 * 2**20
    whole = _batch(data, data.train_images, settings, device) if fits else None
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
            on_epoch(spec, net, epoch)
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
    """Train once per spec, in order; a cancelled run keeps the results finished before it."""
    results = []
    for spec in settings.specs:
        result = train_one(spec, data, settings, report, cancel, on_epoch)
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
        text = json.dumps({
            "epochs": settings.epochs, "lr": settings.lr, "seed": settings.seed,
            "batch_size": settings.batch_size, "preprocess": settings.preprocess,
            "data": data.note,
            "results": {str(r.spec): {"heldout_accuracy": r.accuracies,
                                      "seconds": round(r.seconds, 2), "cancelled": r.cancelled}
                        for r in results},
        }, indent=2)
        _atomic(folder / "run.json", lambda f: f.write(text.encode()))
    except (OSError, RuntimeError) as exc:  # a full disk is torch's RuntimeError
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else \
            str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnsavedRun(Text("saving the trained weights in {folder} failed ({reason}); they"
                              " are kept until saved elsewhere", folder=quote_user(str(folder), 200),
                              reason=quote_user(reason, 120)), results, settings, data,
                          folder, quote_user(reason, 120)) from None
    return folder


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
