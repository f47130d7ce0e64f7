"""The views of the batch, one module each. A new view is a module here that defines a
:class:`~engine.modes.base.Mode` subclass named ``MODE``, its form in ``gui/mode_forms/``,
and its name in :data:`REGISTERED` (the order of the window's list)."""

from __future__ import annotations

import importlib
from functools import cache

from .base import Mode, Option

REGISTERED = ("activations", "network", "module", "deep")
DEFAULT = REGISTERED[0]


@cache
def _modes() -> dict[str, Mode]:
    out = {}
    for name in REGISTERED:
        mode = importlib.import_module(f"{__name__}.{name}").MODE
        assert mode.name == name, f"{__name__}.{name} defines mode {mode.name!r}"
        out[name] = mode
    return out


def names() -> tuple[str, ...]:
    return REGISTERED


def get(name: str) -> Mode:
    """The mode called ``name``; ActlensError for any other name."""
    try:
        return _modes()[name]
    except (KeyError, TypeError):
        from ..errors import ActlensError, quote_user

        raise ActlensError(f"unknown mode '{quote_user(str(name))}'; one of"
                           f" {', '.join(REGISTERED)}") from None


@cache
def _options() -> dict[str, Option]:
    out: dict[str, Option] = {}
    for mode in _modes().values():
        for opt in mode.options:
            if out.setdefault(opt.name, opt) != opt:
                raise AssertionError(f"two modes define option {opt.name!r} differently")
    return out


def all_options() -> tuple[Option, ...]:
    """Every mode's options, each once (two modes may share one, like ``image``)."""
    return tuple(_options().values())


def option(name: str) -> Option | None:
    return _options().get(name)


def modes_using(name: str) -> tuple[Mode, ...]:
    return tuple(m for m in _modes().values() if any(o.name == name for o in m.options))


def commands() -> dict[str, Mode]:
    """The ``actlens`` commands that modes add, by name."""
    return {m.command: m for m in _modes().values() if m.command}


def refresh() -> None:
    """Read :data:`REGISTERED` again (after it changed, as in a test that adds a mode)."""
    _modes.cache_clear()
    _options.cache_clear()
