"""Your own module: a Python file that defines an ``nn.Module``, run on the batch as it is.

``FILE.py[:CLASS]`` names the file and, when it defines several modules, the class. Loading a
file runs its code, so the window asks before the first time and never reopens one silently.
Every image-shaped tensor ``forward`` returns becomes a panel (a tuple: ``output_0``,
``output_1``, …; a dict: ``output_<key>``; one tensor: ``output``), and the outputs of its
activation sub-modules are captured with forward hooks as extra panels named by module path.
Every failure (the file does not import, defines no module, needs constructor arguments,
raises in ``forward``, returns something that is not a tensor or not image-shaped) is one
:class:`ActlensError` line, with the file and line for Python errors.
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from .errors import ActlensError, quote_user
from .registry import ACTIVATIONS
from .text import Text

_counter = itertools.count()
ACTIVATION_CLASSES = {a.module for a in ACTIVATIONS.values()}
MAX_PANELS = 16  # outputs and hooked layers shown, in that order
MAX_ELEMENTS = 64_000_000  # values in all the panels of a step (256 MB as float32)


@dataclass(frozen=True)
class ModelRef:
    """``FILE.py[:CLASS]``, parsed."""

    path: str
    class_name: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.class_name}" if self.class_name else self.path


def parse_model(text: str) -> ModelRef:
    """``FILE.py`` or ``FILE.py:CLASS`` (a drive letter such as ``C:\\`` is not a class)."""
    text = (text or "").strip()
    if not text:
        raise ActlensError("no module file given; write FILE.py or FILE.py:CLASS")
    m = re.fullmatch(r"(.+?):([A-Za-z_]\w*)", text)
    if m and not re.fullmatch(r"[A-Za-z]", m.group(1)):
        return ModelRef(m.group(1), m.group(2))
    m = re.fullmatch(r"(.+?\.py):(.*)", text)  # a Python file, then no class name or a bad one
    if m:
        raise ActlensError(f"{quote_user(m.group(2), 60) or 'nothing'} after the colon in"
                           f" {quote_user(text, 200)} is not a class name; write FILE.py or"
                           " FILE.py:CLASS")
    return ModelRef(text)


def _pass_interrupt(exc: BaseException) -> None:
    """Re-raise Ctrl-C in a script's or a notebook's own module object where it can come from
    the user: in the main thread (``export(logdir, MyModel(), data)``). A module file's, or one
    raised in a worker, is that module's failure."""
    import threading

    if isinstance(exc, KeyboardInterrupt) and threading.current_thread() is threading.main_thread():
        raise exc


def _where(exc: BaseException, path: Path) -> str:
    """``file:line`` of the innermost frame of ``path`` in the traceback of ``exc``."""
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"{path}:{exc.lineno}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).resolve() == path.resolve()]
    return f"{path}:{frames[-1].lineno}" if frames else str(path)


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc)
    except BaseException:  # an exception whose __str__ raises too
        text = "(its message could not be read)"
    return f"{type(exc).__name__}: {quote_user(text, 160)}"


class _TorchState:
    """Undo what a user's code may change for the whole process (the default dtype)."""

    def __enter__(self):
        import torch

        self.dtype = torch.get_default_dtype()
        return self

    def __exit__(self, *exc):
        import torch

        torch.set_default_dtype(self.dtype)
        return False


MAX_MODULE_BYTES = 16 * 2**20  # a module file is source code: 16 MB is far beyond any


def module_path(ref: ModelRef) -> Path:
    """The file ``ref`` names, if it is a Python file; ActlensError if not (nothing runs)."""
    from .data.datasets import expand_path

    path = expand_path(ref.path, "module file")
    if not path.exists():
        raise ActlensError(f"module file {quote_user(str(path), 200)} does not exist")
    if path.suffix != ".py" or not path.is_file():
        raise ActlensError(f"{quote_user(str(path), 200)} is not a Python file (FILE.py)")
    size = path.stat().st_size
    if size > MAX_MODULE_BYTES:  # before Python reads it whole
        raise ActlensError(f"{quote_user(str(path), 200)} is {size / 2**20:,.0f} MB; a module"
                           f" file is Python source of at most {MAX_MODULE_BYTES // 2**20} MB")
    return path


def load_module(ref: ModelRef):
    """Run the file and build its module (no constructor arguments), on the CPU."""
    from torch import nn


    path = module_path(ref)
    name = f"actlens_user_module_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        with _TorchState():
            spec.loader.exec_module(module)
    except BaseException as exc:  # sys.exit() and KeyboardInterrupt in a module file too
        raise ActlensError(Text("{where}: the file failed to run ({reason})",
                                where=_where(exc, path), reason=_describe(exc))) from None
    finally:
        sys.modules.pop(name, None)
    found = {k: v for k, v in vars(module).items() if inspect.isclass(v)
             and issubclass(v, nn.Module) and v.__module__ == name}
    if ref.class_name:
        if ref.class_name not in found:
            raise ActlensError(Text("{path} defines no nn.Module named {name} (it defines:"
                                    " {found})", path=path, name=quote_user(ref.class_name),
                                    found=", ".join(found) or "none"))
        cls = found[ref.class_name]
    elif len(found) == 1:
        cls = next(iter(found.values()))
    elif not found:
        raise ActlensError(Text("{path} defines no nn.Module subclass", path=path))
    else:
        raise ActlensError(Text("{path} defines several modules ({found}); name one as"
                                " {name}:CLASS", path=path, found=", ".join(found),
                                name=path.name))
    return _instantiate(cls, path)


def _instantiate(cls, path: Path):
    needed = [p.name for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
              if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if needed:
        raise ActlensError(Text("{path}: {cls}() needs arguments ({needed}); give them"
                                " defaults so it can be built as it is", path=path,
                                cls=cls.__name__, needed=", ".join(needed)))
    try:
        with _TorchState():
            return cls().eval()
    except BaseException as exc:
        raise ActlensError(Text("{where}: building {cls}() failed ({reason})",
                                where=_where(exc, path), cls=cls.__name__,
                                reason=_describe(exc))) from None


def run_module(net, x, path: str = "", *, handed_over: bool = False,
               ) -> list[tuple[str, str, object]]:
    """``(name, layer, tensor)`` for each output of ``net(x)`` (``layer``: the activation
    sub-module that gave the same values, or "") and each other activation sub-module's
    output (``layer`` ""), in that order. Raises ActlensError for anything else, except
    Ctrl-C in a ``handed_over`` object run by the main thread."""
    import torch

    captured: list[tuple[str, object]] = []
    hooks = [sub.register_forward_hook(  # a copy: a later in-place op must not change it
        lambda _m, _i, out, n=name: captured.append(
            (n, out.detach().clone() if isinstance(out, torch.Tensor) else out)))
        for name, sub in net.named_modules()
        if name and type(sub).__name__ in ACTIVATION_CLASSES]
    try:
        with _TorchState():
            out = net(x.clone())  # the input panel keeps its values whatever forward does
    except BaseException as exc:  # sys.exit(), KeyboardInterrupt, BaseException subclasses
        if handed_over:
            _pass_interrupt(exc)
        raise ActlensError(Text("{where}: forward failed ({reason})",
                                where=_where(exc, Path(path)) if path else "forward",
                                reason=_describe(exc))) from None
    finally:
        for h in hooks:
            h.remove()
    if isinstance(out, torch.Tensor):
        outputs = [("output", out)]
    elif isinstance(out, (tuple, list)):
        outputs = [(f"output_{i}", t) for i, t in enumerate(out)]
    elif isinstance(out, dict):
        outputs = [(f"output_{k}", t) for k, t in out.items()]
    else:
        raise ActlensError(Text("{path}: forward returned {kind}, not a tensor, a tuple or a"
                                " dict of tensors", path=path or "the module",
                                kind=type(out).__name__))
    for tag, t in outputs:
        if not isinstance(t, torch.Tensor):
            raise ActlensError(f"{path or 'the module'}: forward's {tag} is {type(t).__name__},"
                               " not a tensor")
    shown = [(tag, t) for tag, t in outputs if image_shaped(t, x)]
    if not shown:
        shapes = ", ".join(f"{tag} {why_not_image(t, x)}" for tag, t in outputs) or "nothing"
        raise ActlensError(Text("{path}: forward returned no image-shaped tensor (N, C, H, W)"
                                " of real floats for a batch of {batch}; it returned {shapes}",
                                path=path or "the module", batch=tuple(x.shape),
                                shapes=shapes))
    layer_of = {}  # output_0 is relu1's output: say so, and do not show it twice
    for name, t in captured:
        for tag, o in shown:
            if isinstance(t, torch.Tensor) and t.shape == o.shape and torch.equal(t, o):
                layer_of.setdefault(tag, name)
    named = set(layer_of.values())
    hooked = [(name, "", t) for name, t in captured
              if isinstance(t, torch.Tensor) and image_shaped(t, x) and name not in named]
    titled = [(tag, layer_of.get(tag, ""), t) for tag, t in shown]
    return _bounded([(quote_user(name, 60), quote_user(layer, 60), t)
                     for name, layer, t in titled + hooked], path)


def _bounded(panels, path: str):
    """At most MAX_PANELS panels and MAX_ELEMENTS values in all: one clear line beyond."""
    total = sum(t.numel() for _, _, t in panels)
    if total > MAX_ELEMENTS:
        raise ActlensError(f"{path or 'the module'}: its outputs hold {total:,} values; at most"
                           f" {MAX_ELEMENTS:,} can be shown (use a smaller batch)")
    return panels[:MAX_PANELS]


def why_not_image(t, x) -> str:
    """What keeps ``t`` from being shown as images of the batch ``x``: its shape and the one
    property that is wrong."""
    import torch

    if t.is_nested:  # it has no one shape to name
        return "a nested tensor (tensors of several shapes), not one (N, C, H, W) tensor"
    shape = f"of shape {tuple(t.shape)}"
    if t.is_meta or t.layout != torch.strided:
        return f"{shape} holding no values in memory ({'meta' if t.is_meta else t.layout})"
    if not t.is_floating_point():
        return f"{shape} of {str(t.dtype).replace('torch.', '')} values, not real floats"
    if t.device != x.device:
        return f"{shape} on {t.device}, not {x.device} where the batch is"
    return shape


def image_shaped(t, x) -> bool:
    """(N, C, H, W) real floats of the batch's N, at least one channel and pixel, in memory."""
    import torch

    return (not t.is_nested and t.dim() == 4 and t.shape[0] == x.shape[0] and min(t.shape[1:]) >= 1
            and t.is_floating_point() and t.layout == torch.strided and not t.is_meta
            and t.device == x.device)
