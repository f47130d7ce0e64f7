"""What every view of the batch is: a :class:`Mode`, with the session :class:`Option` s it adds.

A mode turns the preprocessed batch into panels (:meth:`Mode.panels`), says what its export
records (:meth:`Mode.export_rows`), names its default run (:meth:`Mode.run_name`) and tells the
window and the inspector what it shows (:attr:`Mode.one_image`, :attr:`Mode.uses_activations`).
Its options are session fields that only it reads: they travel in ``Session.options`` and
``StepRequest.options`` and read back as attributes (``request.network_seed``).
"""

from __future__ import annotations

import argparse
import functools
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Option:
    """One session choice a mode adds: its default, its type and range, its settings key
    and its command-line option."""

    name: str  # the session field, e.g. "network_seed"
    default: Any
    low: int | None = None  # whole numbers: the range
    high: int | None = None
    setting: str | None = None  # settings key; None: never remembered (e.g. code to run)
    flag: str | None = None  # command-line option, e.g. "--network-seed"
    help: str = ""
    metavar: str | None = None
    # Refused on a command line that does not choose one of the modes using it (the text
    # says why), e.g. "--weights belongs to --network (the small CNN's weights)".
    needs_mode: str = ""
    # Text options: turns the text into its canonical form or raises ActlensError, so a bad
    # value is refused on the command line and forgotten when read from the settings.
    parse: Any = None

    def check(self, value: Any) -> Any:
        """``value`` as this option's type and in its range, or ValueError."""
        if isinstance(self.default, bool):
            if not isinstance(value, bool):
                raise ValueError(f"{self.name} is on or off, not {value!r}")
            return value
        if isinstance(self.default, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{self.name} is a whole number, not {value!r}")
            if not self.low <= value <= self.high:
                raise ValueError(f"{self.name} must be from {self.low} to {self.high}")
            return value
        if not isinstance(value, str):
            raise ValueError(f"{self.name} is text, not {value!r}")
        return value

    def read(self, store) -> Any:
        """The remembered value from a settings store (its default when missing or bad)."""
        if isinstance(self.default, bool):
            return store.flag(self.setting, self.default)
        if isinstance(self.default, int):
            return store.integer(self.setting, self.default, self.low, self.high)
        value = store.text(self.setting, self.default)
        if self.parse is not None:
            try:
                return self.parse(value)
            except Exception:
                return self.default
        return value

    def add_argument(self, parser: argparse.ArgumentParser, *, defaults: bool) -> None:
        from ..session import bounded_int

        kwargs: dict[str, Any] = {"default": self.default if defaults else None,
                                  "help": self.help, "dest": self.name}
        if self.metavar:
            kwargs["metavar"] = self.metavar
        if isinstance(self.default, bool):
            kwargs.update(action="store_true", default=self.default if defaults else None)
        elif isinstance(self.default, int):
            kwargs["type"] = bounded_int(self.low, self.high)
        elif self.parse is not None:
            kwargs["type"] = _argument_type(self.parse)
        parser.add_argument(self.flag, **kwargs)


def _argument_type(parse):
    def convert(text: str):
        try:
            return parse(text)
        except Exception as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return convert


class Mode:
    """A view of the batch. Subclasses set the class attributes and :meth:`panels`."""

    name = ""  # the session's ``mode`` value and the TensorBoard run's view
    options: tuple[Option, ...] = ()
    flag: str | None = None  # a command-line switch that chooses the mode, e.g. "--network"
    flag_help = ""
    # The option whose value chooses the mode on a command line (``--model FILE``), if any.
    chosen_by: str | None = None
    one_image = False  # shows one image's maps: clicking the input batch selects the image
    uses_activations = True  # the activation list (and the Curve tab) apply to it
    activations_see_input = False  # every activation receives the input batch itself
    remembered = True  # restored from the settings at start-up
    command: str | None = None  # an ``actlens`` command of its own, e.g. "deep"
    command_help = ""

    def add_command_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The command's options beyond the session's (which it takes too)."""

    def run_command(self, args: argparse.Namespace) -> int:
        raise NotImplementedError

    def ready(self, session) -> bool:
        """Whether ``session`` has what this mode needs (a module file, say); the default
        mode is shown until it does."""
        return True

    def warm_up(self, engine, request) -> None:
        """Start what the first step will need while the data loads (a module's process)."""

    def panels(self, engine, x, request, device) -> list:
        """The panels after the input for the preprocessed batch ``x`` (float NCHW on
        ``device``), inside ``torch.inference_mode``."""
        raise NotImplementedError

    def details(self, engine, x, batch, source, request, device):
        """What the view shows beside its panels (e.g. a per-layer profile), computed
        outside inference mode so that it may differentiate; None for most modes."""
        return None

    def export_rows(self, request) -> list[tuple[str, str]]:
        """``(setting, value)`` rows the export's session table adds for this mode."""
        return []

    def run_name(self, request) -> str:
        """What the default export run name says about this view."""
        return "-".join(s.name for s in request.activations)[:40]

    def is_chosen(self, args: argparse.Namespace) -> bool:
        if self.flag and getattr(args, self.flag_dest, None):
            return True
        return bool(self.chosen_by and getattr(args, self.chosen_by, None))

    @property
    def flag_dest(self) -> str:
        return (self.flag or "").lstrip("-").replace("-", "_")


def selected_image(request, n: int) -> int:
    """The image of the batch whose maps a one-image mode shows (clamped to the batch)."""
    return min(max(request.image, 0), n - 1)


class WithOptions:
    """For frozen dataclasses with an ``options`` field (sorted ``(name, value)`` pairs of
    the modes' options that differ from their defaults): options read as attributes and
    change through :meth:`with_` like any field."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "options":
            raise AttributeError(name)
        from . import option

        spec = option(name)
        if spec is None:
            raise AttributeError(f"{type(self).__name__} has no field or option {name!r}")
        return dict(self.__dict__.get("options", ())).get(name, spec.default)

    def with_(self, **changes: Any):
        from . import option

        own = {k: v for k, v in changes.items() if option(k) is None}
        extra = {k: v for k, v in changes.items() if k not in own}
        if extra:
            values = dict(own.get("options", self.options))
            for k, v in extra.items():
                values[k] = v
            own["options"] = normalise_options(values)
        elif "options" in own:
            own["options"] = normalise_options(dict(own["options"]))
        return replace(self, **own)

    def option_values(self) -> dict[str, Any]:
        """Every mode option's value, defaults included."""
        from . import all_options

        values = dict(self.options)
        return {o.name: values.get(o.name, o.default) for o in all_options()}


def accepts_options(cls):
    """Class decorator over a frozen dataclass with :class:`WithOptions`: its constructor
    takes the modes' options as keywords too (``StepRequest(mode="network", image=3)``)."""
    init = cls.__init__
    own = {f.name for f in fields(cls)}

    @functools.wraps(init)
    def __init__(self, **kwargs):
        extra = {k: kwargs.pop(k) for k in list(kwargs) if k not in own}
        if extra:
            kwargs["options"] = normalise_options({**dict(kwargs.get("options", ())), **extra})
        init(self, **kwargs)

    cls.__init__ = __init__
    return cls


def normalise_options(values: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The canonical ``options`` value: known options whose value is not the default, sorted,
    so two equal sessions compare equal."""
    from . import option

    out = []
    for name, value in values.items():
        spec = option(name)
        if spec is None:
            raise TypeError(f"no session option {name!r}")
        if value != spec.default:
            out.append((name, value))
    return tuple(sorted(out))
