"""Objects handed over from Python (the API's ``model`` and ``data``), kept under a key that a
session names in place of a file: ``python:data-1``, ``python:model-2``.

A session stays plain text (hashable, comparable, never pickled); the objects it names live
here until :func:`release`. A key is never read from the settings: the data set and the
module mode that take one refuse to be remembered.
"""

from __future__ import annotations

import itertools
import threading

from .errors import ActlensError

PREFIX = "python:"
_objects: dict[str, object] = {}
_lock = threading.Lock()
_counter = itertools.count(1)


def keep(obj, kind: str) -> str:
    """Keep ``obj`` and return its key (``kind``: "data" or "model")."""
    with _lock:
        key = f"{PREFIX}{kind}-{next(_counter)}"
        _objects[key] = obj
    return key


def is_key(text) -> bool:
    return isinstance(text, str) and text.startswith(PREFIX)


def get(key: str):
    """The object kept under ``key``; ActlensError once it is released."""
    with _lock:
        if key in _objects:
            return _objects[key]
    raise ActlensError(f"{key} is no longer available: it was handed over by a Python call"
                       " whose window or export has ended")


def describe(key: str) -> str:
    """How messages name the object: ``MyModel (python:model-2)``; a data set read from
    Python by its own description (``your CIFAR10``)."""
    with _lock:
        obj = _objects.get(key)
    if obj is None:
        return key
    return f"{getattr(obj, 'where', None) or type(obj).__name__} ({key})"


def release(*keys: str) -> None:
    with _lock:
        for key in keys:
            _objects.pop(key, None)
