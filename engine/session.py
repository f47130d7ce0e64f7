"""The session: every choice a user makes, in one frozen value with its defaults written once.

:class:`Session` is what the window shows and what an export writes. It comes from the
settings file (:meth:`Session.from_settings`), is changed by the command line
(:meth:`Session.with_args`, whose options :func:`add_session_options` adds to both command
lines) and by the window's widgets (:meth:`Session.with_`), is saved back
(:meth:`Session.to_settings`), and becomes the engine's :class:`StepRequest`
(:meth:`Session.request`). Adding an option means a field here, its widget binding in the
window, and the engine code that uses it.

The defaults are the classic tutorial's, taken from :class:`StepRequest` (the engine's own
definition of a step), so each is written once.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields, replace
from typing import Any

from . import modes, objects
from .data.datasets import SPLITS, dataset_info, dataset_names, expand_path
from .display import DISPLAYS
from .errors import ActlensError
from .modes.base import WithOptions, accepts_options
from .pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE, StepRequest
from .preprocess import PREPROCESSING
from .registry import MAX_ACTIVATIONS, ActivationSpec, parse_spec_list

MAX_BATCH_INDEX = 10**9
# Changing any of these opens another set of images: the batch starts again at 0.
SOURCE_FIELDS = ("dataset", "split", "image_size", "coarse_labels", "shuffle_seed")


@accepts_options
@dataclass(frozen=True)
class Session(WithOptions):
    """Every user choice. Immutable: change it with :meth:`with_` (or the helpers below).
    The view's own choices (``session.network_seed``, ``session.model``...) are the modes'
    options (engine/modes/), kept in ``options`` and read as attributes."""

    dataset: str = StepRequest.dataset
    split: str = StepRequest.split
    batch_index: int = StepRequest.batch_index
    batch_size: int = StepRequest.batch_size
    image_size: int = StepRequest.image_size
    coarse_labels: bool = StepRequest.coarse_labels
    shuffle_seed: int | None = StepRequest.shuffle_seed
    preprocess: str = StepRequest.preprocess
    display: str = StepRequest.display
    device: str = StepRequest.device
    specs: tuple[ActivationSpec, ...] = StepRequest.activations
    enabled: tuple[bool, ...] = ()  # one flag per spec; empty means every spec is enabled
    # Each data set remembers its own folder; "" is the folder shared by the downloadable ones.
    data_roots: tuple[tuple[str, str], ...] = ()
    logdir: str = ""
    allow_unverified: bool = StepRequest.allow_unverified
    mode: str = StepRequest.mode
    options: tuple[tuple[str, Any], ...] = ()  # the modes' options that are not defaults

    # --- derived ---------------------------------------------------------------------

    @property
    def shown_mode(self) -> str:
        """The mode the view shows: the chosen one once it has what it needs (a module
        file), the default until then."""
        return self.mode if modes.get(self.mode).ready(self) else modes.DEFAULT

    @property
    def active_specs(self) -> tuple[ActivationSpec, ...]:
        if len(self.enabled) != len(self.specs):
            return self.specs
        return tuple(s for s, on in zip(self.specs, self.enabled) if on)

    @property
    def data_root(self) -> str:
        """The folder of the current data set ("" for the platform default)."""
        roots = dict(self.data_roots)
        own = roots.get(self.dataset, "")
        return own or ("" if dataset_info(self.dataset).user_folder else roots.get("", ""))

    def with_data_root(self, root: str) -> Session:
        roots = dict(self.data_roots)
        roots[self.dataset] = root
        info = dataset_info(self.dataset)
        if not (info.user_folder or info.from_python):  # the user's folders are not shared
            roots[""] = root
        return replace(self, data_roots=tuple(sorted(roots.items())))

    def with_specs(self, specs_and_flags) -> Session:
        pairs = list(specs_and_flags)[:MAX_ACTIVATIONS]
        return replace(self, specs=tuple(s for s, _ in pairs), enabled=tuple(on for _, on in pairs))

    def request(self, id: int = 0, **extra: Any) -> StepRequest:
        """The engine's request for this session's current batch (``extra``: other fields)."""
        fields_ = dict(
            id=id,
            data_root=self.data_root,
            dataset=self.dataset,
            split=self.split,
            batch_index=self.batch_index,
            batch_size=self.batch_size,
            preprocess=self.preprocess,
            activations=self.active_specs,
            display=self.display,
            device=self.device,
            allow_unverified=self.allow_unverified,
            image_size=self.image_size,
            coarse_labels=self.coarse_labels and dataset_info(self.dataset).coarse_labels,
            shuffle_seed=self.shuffle_seed,
            mode=self.shown_mode,
            options=self.options,
        )
        return StepRequest(**{**fields_, **extra})

    # --- settings file ---------------------------------------------------------------

    @classmethod
    def from_settings(cls, store) -> Session:
        """Read from a settings store (``text``/``integer``/``flag`` readers that validate);
        any value that is missing or out of place keeps its default."""
        d = cls()
        names = dataset_names()
        roots = {"": store.text("data/root", "")}
        for name in names:
            roots[name] = store.text(f"data/root_{name}", "")
        try:
            specs = parse_spec_list(store.text("session/activations", ",".join(map(str, d.specs))))
        except Exception:
            specs = list(d.specs)
        flags = store.text("session/enabled", "")
        enabled = tuple(c == "1" for c in flags) if len(flags) == len(specs) else ()
        seed = store.integer("data/shuffle_seed", -1, -1, 2**31 - 1)
        return cls(
            dataset=store.text("data/dataset", d.dataset, names),
            split=store.text("data/split", d.split, SPLITS),
            batch_index=store.integer("data/batch_index", d.batch_index, 0, MAX_BATCH_INDEX),
            batch_size=store.integer("data/batch_size", d.batch_size, 1, MAX_BATCH_SIZE),
            image_size=store.integer("data/image_size", d.image_size, 4, MAX_IMAGE_SIZE),
            coarse_labels=store.flag("data/coarse_labels", d.coarse_labels),
            shuffle_seed=None if seed < 0 else seed,
            preprocess=store.text("session/preprocess", d.preprocess, PREPROCESSING),
            display=store.text("session/display", d.display, DISPLAYS),
            device=store.text("session/device", d.device)[:40],
            specs=tuple(specs[:MAX_ACTIVATIONS]),
            enabled=enabled[:MAX_ACTIVATIONS],
            data_roots=tuple(sorted((k, v) for k, v in roots.items() if v)),
            logdir=store.text("export/logdir", d.logdir),
            mode=store.text("session/mode", d.mode,
                            [m for m in modes.names() if modes.get(m).remembered]),
        ).with_(**{o.name: o.read(store) for o in modes.all_options() if o.setting})

    def to_settings(self, store) -> None:
        """Write every choice worth remembering (``allow_unverified`` is asked for each run)."""
        roots = dict(self.data_roots)
        store.set("data/root", roots.get("", ""))
        for name, root in roots.items():
            if name:
                store.set(f"data/root_{name}", root)
        store.set("data/dataset", self.dataset)
        store.set("data/split", self.split)
        store.set("data/batch_index", self.batch_index)
        store.set("data/batch_size", self.batch_size)
        store.set("data/image_size", self.image_size)
        store.set("data/coarse_labels", self.coarse_labels)
        store.set("data/shuffle_seed", -1 if self.shuffle_seed is None else self.shuffle_seed)
        store.set("session/preprocess", self.preprocess)
        store.set("session/display", self.display)
        store.set("session/device", self.device)
        store.set("session/activations", ",".join(str(s) for s in self.specs))
        flags = self.enabled if len(self.enabled) == len(self.specs) else (True,) * len(self.specs)
        store.set("session/enabled", "".join("1" if on else "0" for on in flags))
        store.set("export/logdir", self.logdir)
        store.set("session/mode", self.mode if modes.get(self.mode).remembered else modes.DEFAULT)
        values = self.option_values()
        for opt in modes.all_options():
            if opt.setting:
                store.set(opt.setting, values[opt.name])

    # --- command line ----------------------------------------------------------------

    def with_args(self, args: argparse.Namespace) -> Session:
        """This session with the options given on a command line (None: not given)."""
        changes: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(args, f.name, None)
            if value is not None and f.name not in ("specs", "data_roots", "enabled", "options"):
                changes[f.name] = value
        for opt in modes.all_options():
            if getattr(args, opt.name, None) is not None:
                changes[opt.name] = getattr(args, opt.name)
        if getattr(args, "activations", None):
            changes["specs"] = tuple(parse_spec_list(args.activations))[:MAX_ACTIVATIONS]
            changes["enabled"] = ()
        if getattr(args, "split", None) is not None:
            changes["batch_index"] = 0
        chosen = check_view_options(args)
        if chosen:
            changes["mode"] = chosen
        session = self.with_(**changes)
        if getattr(args, "data_root", None):  # the folder given wins over remembered ones
            root = args.data_root if objects.is_key(args.data_root) else \
                str(expand_path(args.data_root, "data folder").absolute())
            kept = tuple((k, v) for k, v in session.data_roots if dataset_info(k).user_folder)
            session = replace(session, data_roots=kept).with_data_root(root)
        return session


def check_view_options(args: argparse.Namespace) -> str | None:
    """The mode a command line chooses (None: none); refuse options that contradict each
    other."""
    chosen = [m for m in map(modes.get, modes.names()) if m.is_chosen(args)]
    if len(chosen) > 1:
        flags = [m.flag or modes.option(m.chosen_by).flag for m in chosen]
        raise ActlensError(f"{' and '.join(flags)} show two different views; choose one")
    for opt in modes.all_options():
        given = getattr(args, opt.name, None)
        if opt.needs_mode and given is not None and given != opt.default and not any(
                m in chosen for m in modes.modes_using(opt.name)):
            raise ActlensError(opt.needs_mode)
    default_specs = ",".join(map(str, Session().specs))
    given = getattr(args, "activations", None)
    if chosen and not chosen[0].uses_activations and given not in (None, default_specs):
        flag = chosen[0].flag or modes.option(chosen[0].chosen_by).flag
        raise ActlensError(f"--activations does not apply to {flag}: it brings its own")
    return chosen[0].name if chosen else None


def bounded_int(low: int, high: int):
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") \
                from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high} (got {text[:40]})")
        return value

    return parse


def add_preprocess_option(p: argparse.ArgumentParser, default: str | None,
                          what: str = "what the activations receive") -> None:
    """``--preprocess`` with the session's choices: both command lines and ``actlens train``."""
    p.add_argument("--preprocess", default=default, choices=list(PREPROCESSING),
                   help=f"{what} (default: {Session.preprocess})")


def add_session_options(p: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options both command lines share. With ``defaults`` (the export) an option left
    out takes the session default; without (the window) it is None, so the remembered
    session stands."""
    d = Session()

    def default(value):
        return value if defaults else None

    p.add_argument("--data-root", help="folder holding the data set (default: $ACTLENS_DATA_ROOT"
                   " or the user data directory)")
    p.add_argument("--dataset", default=default(d.dataset), choices=dataset_names())
    p.add_argument("--split", default=default(d.split), choices=SPLITS)
    p.add_argument("--batch-size", type=bounded_int(1, MAX_BATCH_SIZE), default=default(d.batch_size),
                   help=f"images per batch (default {d.batch_size})")
    p.add_argument("--image-size", type=bounded_int(4, MAX_IMAGE_SIZE), default=default(d.image_size),
                   help="image folders: square size in pixels")
    p.add_argument("--coarse-labels", action="store_true", default=default(False),
                   help="CIFAR-100: label images with the 20 superclasses")
    p.add_argument("--shuffle-seed", type=bounded_int(0, 2**31 - 1), default=None,
                   help="show the images in a shuffled order, the same for the same seed")
    p.add_argument("--activations", default=default(",".join(map(str, d.specs))),
                   help="comma-separated specs, e.g. relu,leaky_relu(negative_slope=0.2)")
    add_preprocess_option(p, default(d.preprocess))
    p.add_argument("--display", default=default(d.display), choices=list(DISPLAYS))
    p.add_argument("--device", default=default(d.device), help="cpu, cuda, cuda:N, mps or auto")
    p.add_argument("--allow-unverified", action="store_true", default=default(False),
                   help="load data files that fail the official checksum, as plain data only")
    for mode in map(modes.get, modes.names()):
        if mode.flag:
            p.add_argument(mode.flag, action="store_true", default=default(False),
                           help=mode.flag_help)
    for opt in modes.all_options():
        opt.add_argument(p, defaults=defaults)
