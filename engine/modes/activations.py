"""The exercise: each activation applied to the preprocessed pixels."""

from __future__ import annotations

from ..panels import INPUT_TAG, Role, numbered
from .base import Mode


class ActivationsMode(Mode):
    name = "activations"
    activations_see_input = True

    def panels(self, engine, x, request, device) -> list:
        specs = request.activations
        names = [str(s) for s in specs]
        return [engine.panel(engine.module(spec, device)(x), request, Role.AFTER, name=name,
                             number=n, source=INPUT_TAG, reference=x, spec=spec)
                for spec, name, n in zip(specs, names, numbered(names))]


MODE = ActivationsMode()
