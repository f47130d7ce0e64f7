"""A restricted unpickler that admits plain data only.

Unpickling an arbitrary file can execute code. Files that fail their official checksum are
loaded (after an explicit opt-in) through :func:`load_plain`, which resolves only the few
globals that numpy arrays need and raises for everything else, so a payload that would run
``os.system`` (or any other callable) is refused before it runs.
"""

from __future__ import annotations

import pickle
from typing import IO, Any

# Globals a pickled numpy array needs (numpy 1.x and 2.x spellings), and the bytes helper
# that protocol-2 pickles written by Python 2 use. Each one only constructs data.
_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),
}


class UnsafePickleError(pickle.UnpicklingError):
    """The pickle asked for something other than plain data."""


class PlainDataUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise UnsafePickleError(f"refused to load {module}.{name}: only plain data is allowed")


def load_plain(stream: IO[bytes], encoding: str = "latin1") -> Any:
    """Unpickle ``stream`` admitting only numpy arrays, lists, dicts, str/bytes and numbers."""
    data = PlainDataUnpickler(stream, encoding=encoding).load()
    _reject_objects(data)
    return data


def _reject_objects(value: Any, depth: int = 0) -> None:
    import numpy as np

    if depth > 20:
        raise UnsafePickleError("refused: data nested too deeply")
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise UnsafePickleError("refused: object arrays are not plain data")
    elif isinstance(value, dict):
        for k, v in value.items():
            _reject_objects(k, depth + 1)
            _reject_objects(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _reject_objects(v, depth + 1)
    elif not isinstance(value, (str, bytes, int, float, bool, type(None), np.generic)):
        raise UnsafePickleError(f"refused: {type(value).__name__} is not plain data")
