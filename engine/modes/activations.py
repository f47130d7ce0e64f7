"""The exercise: each activation applied to the preprocessed pixels."""

from __future__ import annotations

from ..levels import pointwise
from ..panels import INPUT_TAG, Role, numbered
from .base import Mode


class ActivationsMode(Mode):
    name = "activations"
    activations_see_input = True

    def panels(self, engine, x, request, device) -> list:
        specs = request.activations
        names = [str(s) for s in specs]
        x_levels = engine.on_levels(x)  # each pixel level's value, when the step has them

        def output(spec):
            module = engine.module(spec, device)
            if x_levels is not None and pointwise(spec):
                return x_levels.apply(module)  # measured per level (engine/levels.py)
            return module(x)

        return [engine.panel(output(spec), request, Role.AFTER, name=name, number=n,
                             source=INPUT_TAG, reference=x_levels or x, spec=spec)
                for spec, name, n in zip(specs, names, numbered(names))]


MODE = ActivationsMode()
