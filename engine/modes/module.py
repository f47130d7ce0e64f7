"""The learner's own ``nn.Module`` file (engine/usermodule.py): each image-shaped output of
its forward and of its activation layers."""

from __future__ import annotations

import copy
from pathlib import Path

from .. import objects
from ..errors import ActlensError, quote_user
from ..module_process import DEFAULT_TIME_LIMIT_S
from ..panels import INPUT_TAG, Role, numbered
from ..text import Text
from .base import Mode, Option, selected_image
from .network import IMAGE

MAX_CHANNEL_CELLS = 1024  # the channels of one output shown as cells; the rest are named


class ModuleMode(Mode):
    name = "module"
    chosen_by = "model"
    one_image = True
    uses_activations = False  # the module brings its own
    remembered = False  # a module file runs code: only the command line or the user opens it
    options = (
        # Never restored from the settings (only offered as a recent file).
        Option("model", "", flag="--model", metavar="FILE.py[:CLASS]",
               help="run your own nn.Module file on each batch (this runs its code, in a"
                    " process of its own)"),
        Option("time_limit", DEFAULT_TIME_LIMIT_S, 1, 3600, setting="module/time_limit",
               flag="--time-limit", metavar="S",
               needs_mode="--time-limit belongs to --model (a module file's process)",
               help="seconds a module file may take to load or to run one batch before its"
                    f" process is stopped (default {DEFAULT_TIME_LIMIT_S})"),
        IMAGE,
    )

    def ready(self, session) -> bool:
        return bool(session.model)

    def user_module(self, engine, model: str, device):
        """The ``nn.Module`` handed over from Python under the key ``model`` (run here: it
        is the learner's own object, in their own process)."""
        net = objects.get(model)
        # the learner's own instance on the CPU; a copy on another device
        return net if device.type == "cpu" else engine.cached(
            ("model", model, str(device)), lambda: copy.deepcopy(net).to(device))

    def process(self, engine, model: str, device):
        """The process that runs the file ``FILE.py[:CLASS]`` on ``device``: a fresh one
        when the file changes (so an edited file runs as it now is)."""
        from ..module_process import ModuleProcess
        from ..usermodule import module_path, parse_model

        ref = parse_model(model)
        try:
            stamp = module_path(ref).stat().st_mtime_ns  # a missing file: said at once
        except OSError:
            stamp = None
        key = (str(ref), stamp, str(device))
        current = engine.module_process
        if current is None or current.key != key:
            engine.close()
            current = engine.module_process = ModuleProcess(str(ref), str(device), ref.path)
            current.key = key
        return current

    def warm_up(self, engine, request) -> None:
        from ..devices import resolve_device

        if request.model and not objects.is_key(request.model):
            self.process(engine, request.model, resolve_device(request.device)).start()

    def outputs(self, engine, x, request, device) -> list:
        """``(name, layer, tensor)`` of the module on ``x`` (engine/usermodule.py)."""
        from ..usermodule import run_module

        if objects.is_key(request.model):
            return run_module(self.user_module(engine, request.model, device), x,
                              _named(request.model), handed_over=True)
        return self.process(engine, request.model, device).run(
            x, request.time_limit, engine.superseded)

    def panels(self, engine, x, request, device) -> list:
        """Each image-shaped output of the user's module: 1 or 3 channels as images of the
        batch, any other number as the selected image's channels."""
        i = selected_image(request, x.shape[0])
        path = _named(request.model)
        outputs = self.outputs(engine, x, request, device)
        numbers = numbered([name for name, _, _ in outputs], taken=(INPUT_TAG,))
        panels = []
        for (name, layer, values), n in zip(outputs, numbers):
            fields = dict(role=Role.OUTPUT, name=name, layer=layer, number=n, source=INPUT_TAG)
            try:
                if values.shape[1] in (1, 3):
                    panels.append(engine.panel(values.float(), request, **fields))
                else:
                    display = "signed" if request.display == "clip" else request.display
                    maps = values[i][:MAX_CHANNEL_CELLS].float()  # a grid a screen can hold
                    panel = engine.channel_panel(maps, request, display, **fields)
                    if values.shape[1] > MAX_CHANNEL_CELLS:
                        panel.note = Text(
                            "the first {shown} of its {total} channels (their statistics too)",
                            shown=f"{MAX_CHANNEL_CELLS:,}", total=f"{values.shape[1]:,}")
                    panels.append(panel)
            except (RuntimeError, ValueError, NotImplementedError, MemoryError) as exc:
                raise ActlensError(f"{quote_user(path, 200)}: {name} of shape"
                                   f" {tuple(values.shape)} cannot be shown ({type(exc).__name__}:"
                                   f" {quote_user(str(exc), 120)})") from None
        return panels

    def export_rows(self, request) -> list[tuple[str, str]]:
        return [("view", f"module {_named(request.model)}")]

    def run_name(self, request) -> str:
        if objects.is_key(request.model):
            return "module-" + type(objects.get(request.model)).__name__[:30]
        return "module-" + Path(request.model.split(":")[0]).stem[:30]


def _named(model: str) -> str:
    """How messages name the module: its file, or the class of the object from Python."""
    from ..usermodule import parse_model

    return objects.describe(model) if objects.is_key(model) else parse_model(model).path


MODE = ModuleMode()
