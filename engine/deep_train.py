"""Training at depth: the depth mode's stack, trained for a number of steps per (activation,
initialisation), to see which pairs learn and whether their lower layers ever do.

Every pair starts from the same seed (the same draws, scaled by its initialisation) and sees
the same batches in the same order, so the figures differ only by the pair. Each step records
the loss and the std of every conv layer's weight gradient (layer × step: the update each
layer gets); the held-out accuracy is measured at a few points on the way. A pair whose loss
becomes NaN or infinite is stopped there and reported as diverged; the others go on.
Cancelling stops within one step and keeps every finished step.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .errors import ActlensError, CancelledError
from .text import Text

OPTIMISERS = ("adam", "sgd")
# Adam as in the step of the lesson's table; SGD with momentum at a rate that trains the
# Kaiming ReLU stack at depth 20 (0.1 diverges there, 0.001 barely moves in 300 steps).
DEFAULT_LR = {"adam": 1e-3, "sgd": 1e-2}
MOMENTUM = 0.9
EVALUATIONS = 5  # held-out measurements per run, the last at its last step
HELD_OUT_MAX = 2000  # held-out images measured (the first ones of the held-out split)
EVALUATION_ELEMENTS = 16_000_000  # values of one layer in one evaluation pass (64 MB)


def check_optimiser(name: str) -> str:
    name = str(name).strip().lower()
    if name not in OPTIMISERS:
        raise ActlensError(f"unknown optimiser '{name[:40]}'; use {' or '.join(OPTIMISERS)}")
    return name


@dataclass(frozen=True)
class DeepTrainSettings:
    specs: tuple  # ActivationSpec
    inits: tuple[str, ...]
    depth: int = 20
    width: int = 16
    pool: bool = False
    seed: int = 0
    steps: int = 300
    optimiser: str = "adam"
    lr: float | None = None  # None: DEFAULT_LR of the optimiser
    batch_size: int = 64
    device: str = "cpu"
    preprocess: str = "to_tensor"

    @property
    def rate(self) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[self.optimiser]

    @property
    def pairs(self) -> list[tuple]:
        return list(dict.fromkeys((spec, init) for spec in self.specs for init in self.inits))

    def recipe(self) -> Text:
        """The run's recipe, in words (said beside every figure)."""
        fields = dict(steps=self.steps, lr=f"{self.rate:g}", batch=self.batch_size,
                      seed=self.seed, preprocess=self.preprocess)
        if self.optimiser == "adam":
            return Text("{steps} steps of Adam, learning rate {lr}, batch {batch}, seed {seed},"
                        " preprocessing {preprocess}", **fields)
        return Text("{steps} steps of SGD with momentum {momentum}, learning rate {lr}, batch"
                    " {batch}, seed {seed}, preprocessing {preprocess}", momentum=MOMENTUM,
                    **fields)


@dataclass(frozen=True)
class DeepTrainStep:
    """One progress report: step counts from 1 within the run of (spec, init)."""

    spec: object
    init: str
    step: int
    steps: int
    loss: float
    grad_std: tuple[float, ...]  # per layer, the weight gradient's std
    accuracy: float | None = None  # held out, at the evaluation points


@dataclass
class DeepTrainRun:
    spec: object
    init: str
    losses: list[float] = field(default_factory=list)
    grad_std: list[tuple[float, ...]] = field(default_factory=list)  # per step, per layer
    evaluated: list[tuple[int, float]] = field(default_factory=list)  # (step, accuracy)
    diverged_at: int | None = None  # the step whose loss was NaN or infinite
    cancelled: bool = False
    seconds: float = 0.0

    @property
    def label(self) -> str:
        return f"{self.spec} · {self.init}"

    @property
    def accuracy(self) -> float | None:
        return self.evaluated[-1][1] if self.evaluated else None

    def grad_matrix(self) -> np.ndarray:
        """layer × step of the weight gradient's std (float64; empty before a step)."""
        return np.array(self.grad_std, dtype=float).T if self.grad_std else np.zeros((0, 0))

    def state(self) -> str:
        if self.diverged_at is not None:
            return f"diverged at step {self.diverged_at}"
        if self.cancelled:
            return f"cancelled after {len(self.losses)} steps"
        return "done"


def evaluation_steps(steps: int) -> list[int]:
    """The steps after which the held-out accuracy is measured: EVALUATIONS points, evenly
    spaced, the last one the last step."""
    return sorted({max(1, round(steps * k / EVALUATIONS)) for k in range(1, EVALUATIONS + 1)})


def check_settings(settings: DeepTrainSettings, classes: int) -> None:
    from .modes.deep import MAX_DEPTH

    if not 1 <= settings.steps <= 100_000:
        raise ActlensError(f"train steps must be from 1 to 100000, not {settings.steps}")
    check_optimiser(settings.optimiser)
    if not (math.isfinite(settings.rate) and 0 < settings.rate <= 10):
        raise ActlensError(f"the learning rate must be above 0 and at most 10, not {settings.rate:g}")
    if not 1 <= settings.depth <= MAX_DEPTH:
        raise ActlensError(f"the depth must be from 1 to {MAX_DEPTH}, not {settings.depth}")
    if classes < 2:
        raise ActlensError("training needs a data set with at least two classes")


def train_pair(spec, init: str, data, settings: DeepTrainSettings,
               report: Callable[[DeepTrainStep], None] | None = None,
               cancel: threading.Event | None = None) -> DeepTrainRun:
    """Train a fresh stack of ``spec`` with ``init``; stops within one step of ``cancel``."""
    import torch
    import torch.nn.functional as F

    from .cpu import training_threads, use_threads
    from .devices import resolve_device
    from .modes.deep import build_head, build_stack, check_size, stack_logits

    device = resolve_device(settings.device)
    if device.type == "cpu":
        use_threads(training_threads())
    size = data.train_images.shape[1]
    check_size((settings.batch_size, 3, size, size), settings.depth, settings.width, settings.pool)
    classes = len(data.classes)
    channels = _batch(data, data.train_images[:1], settings, device).shape[1]
    run = DeepTrainRun(spec, init)
    started = time.perf_counter()
    with torch.inference_mode(False):
        net = build_stack(spec, settings.depth, settings.width, init, settings.seed,
                          settings.pool, channels).to(device).train()
        head = build_head(settings.width, classes, settings.seed).to(device).train()
        optimiser = make_optimiser([*net.parameters(), *head.parameters()], settings)
        batches = batch_order(len(data.train_labels), settings)
        evaluations = set(evaluation_steps(settings.steps))
        with torch.enable_grad():
            for step in range(1, settings.steps + 1):
                if cancel is not None and cancel.is_set():
                    run.cancelled = True
                    break
                idx = next(batches)
                x = _batch(data, data.train_images[idx], settings, device)
                y = torch.from_numpy(np.asarray(data.train_labels[idx], dtype=np.int64)).to(device)
                loss = F.cross_entropy(stack_logits(net, head, x), y.clamp(0, classes - 1))
                value = float(loss.detach())
                if not math.isfinite(value):
                    run.diverged_at = step
                    run.losses.append(value)
                    break
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                stds = torch.stack([c.weight.grad.std() if c.weight.grad.numel() > 1
                                    else c.weight.grad.abs().sum() for c in net.convs])
                optimiser.step()
                run.losses.append(value)
                run.grad_std.append(tuple(stds.tolist()))
                accuracy = None
                if step in evaluations:
                    accuracy = evaluate(net, head, data, settings, device)
                    run.evaluated.append((step, accuracy))
                if report is not None:
                    report(DeepTrainStep(spec, init, step, settings.steps, value,
                                         run.grad_std[-1], accuracy))
    if run.cancelled and run.losses and (not run.evaluated or run.evaluated[-1][0] != len(run.losses)):
        run.evaluated.append((len(run.losses), evaluate(net, head, data, settings, device)))
    run.seconds = time.perf_counter() - started
    return run


def make_optimiser(params, settings: DeepTrainSettings):
    import torch

    if settings.optimiser == "adam":
        return torch.optim.Adam(params, lr=settings.rate)
    return torch.optim.SGD(params, lr=settings.rate, momentum=MOMENTUM)


def batch_order(n: int, settings: DeepTrainSettings):
    """Index arrays of ``settings.batch_size``, epoch after epoch, each epoch a permutation
    drawn from the seed: the same batches for every pair."""
    import torch

    order = torch.Generator().manual_seed(settings.seed)
    while True:
        perm = torch.randperm(n, generator=order).numpy()
        for at in range(0, n - settings.batch_size + 1, settings.batch_size):
            yield perm[at:at + settings.batch_size]
        if n < settings.batch_size:
            yield perm


def _batch(data, images: np.ndarray, settings: DeepTrainSettings, device):
    from .preprocess import preprocess, to_float

    return preprocess(to_float(images, device), settings.preprocess, data.mean, data.std)


def evaluate(net, head, data, settings: DeepTrainSettings, device) -> float:
    """Held-out accuracy (0..1) on the first HELD_OUT_MAX held-out images."""
    import torch

    from .modes.deep import stack_logits

    n = min(len(data.heldout_labels), HELD_OUT_MAX)
    pixels = int(np.prod(data.heldout_images.shape[1:3])) if data.heldout_images.ndim >= 3 else 1
    chunk = max(1, min(500, EVALUATION_ELEMENTS // max(1, settings.width * pixels)))
    correct = 0
    with torch.inference_mode():
        for start in range(0, n, chunk):
            stop = min(start + chunk, n)
            x = _batch(data, data.heldout_images[start:stop], settings, device)
            y = torch.from_numpy(np.asarray(data.heldout_labels[start:stop], dtype=np.int64))
            correct += int((stack_logits(net, head, x).argmax(1).cpu() == y).sum())
    return correct / max(n, 1)


def train_pairs(data, settings: DeepTrainSettings, report=None, cancel=None,
                finished: Callable[[DeepTrainRun], None] | None = None) -> list[DeepTrainRun]:
    """Train every (activation, init) pair in order. A diverged pair does not stop the
    others; cancelling keeps the runs finished before it and the steps of the one it cut."""
    check_settings(settings, len(data.classes))
    runs = []
    for spec, init in settings.pairs:
        run = train_pair(spec, init, data, settings, report, cancel)
        runs.append(run)
        if finished is not None:
            finished(run)
        if run.cancelled:
            break
    if not runs or (runs[0].cancelled and not runs[0].losses):
        raise CancelledError("training cancelled before its first step")
    return runs


def held_out_note(data) -> Text:
    """Where the held-out accuracy comes from."""
    n = min(len(data.heldout_labels), HELD_OUT_MAX)
    if n < len(data.heldout_labels):
        return Text("{note}; accuracy on the first {n} held-out images", note=data.note,
                    n=f"{n:,}")
    return data.note


def results_table(runs: list[DeepTrainRun], settings: DeepTrainSettings) -> str:
    """The runs, one line each: held-out accuracy, the last loss, what became of it."""
    lines = [f"trained: {settings.recipe()}",
             f"{'activation · init':<28} {'held-out':>9} {'last loss':>10} {'weight grad':>12}"
             f" {'seconds':>8}  state"]
    for r in runs:
        acc = f"{r.accuracy:.1%}" if r.accuracy is not None else "—"
        loss = f"{r.losses[-1]:.3f}" if r.losses else "—"
        ratio = "—"
        if r.grad_std and r.grad_std[-1][-1] > 0:
            ratio = f"{r.grad_std[-1][0] / r.grad_std[-1][-1]:.2g}"
        lines.append(f"{r.label:<28} {acc:>9} {loss:>10} {ratio:>12} {r.seconds:>8.1f}  {r.state()}")
    lines.append("weight grad: the std of layer 1's weight gradient over the last layer's, at the"
                 " last step")
    return "\n".join(lines)


def run_rows(runs: list[DeepTrainRun]) -> list[dict]:
    """The runs as ``actlens deep --json`` writes them (NaN left for the caller to null)."""
    return [{"activation": str(r.spec), "init": r.init, "steps": len(r.losses),
             "losses": r.losses, "heldout_accuracy": [{"step": s, "accuracy": a}
                                                      for s, a in r.evaluated],
             "grad_std_first_last": [[g[0], g[-1]] for g in r.grad_std],
             "diverged_at": r.diverged_at, "cancelled": r.cancelled,
             "seconds": round(r.seconds, 2)} for r in runs]


def write_train_logdir(runs: list[DeepTrainRun], settings: DeepTrainSettings, logdir) -> list:
    """TensorBoard scalars per pair (one run folder each, beside the depth profile's):
    ``train/loss`` and ``train/grad std layer NN`` per step, ``heldout/accuracy``."""
    from .logdirs import check_logdir, logdir_path
    from .modes.deep import open_run_log, run_names
    from .summaries import scalar_value, text_value

    root = logdir_path(logdir)
    check_logdir(root)
    written = []
    names = run_names(root, [f"train-{r.spec}-{r.init}" for r in runs])
    for r, name in zip(runs, names):
        log = open_run_log(root, name)
        try:
            log.summary(0, [text_value("recipe", f"{settings.recipe()}; {r.state()}")])
            evaluated = dict(r.evaluated)
            for step, (loss, stds) in enumerate(zip(r.losses, r.grad_std), start=1):
                values = [scalar_value("train/loss", loss)]
                values += [scalar_value(f"train/grad std layer {i:02d}", s)
                           for i, s in enumerate(stds, start=1)]
                if step in evaluated:
                    values.append(scalar_value("heldout/accuracy", evaluated[step]))
                log.summary(step, values)
        finally:
            log.close()
        written.append(log.path)
    return written
