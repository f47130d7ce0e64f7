"""A restricted unpickler that admits plain data only, with work bounded by the file's size.

Unpickling an arbitrary file can execute code. Files that fail their official checksum are
loaded (after an explicit opt-in) through :func:`load_plain`, which resolves only the few
globals that numpy arrays need and raises for everything else, so a payload that would run
``os.system`` (or any other callable) is refused before it runs.

Refusing callables is not enough: a small file must not cost unbounded time or memory.

- Pickle has no opcode that repeats or copies: every object is built by opcodes read from the
  file, and a repeated object is a memo *reference* (two bytes), not a copy. Unpickling is
  therefore linear in the file's bytes, except where the unpickler hashes (dict keys, sets)
  or calls a global. So: the pure-Python unpickler is used (its memo is a dict, its reads can
  be bounded) and every declared length is checked against the bytes left in the file; dict
  keys must be strings or small numbers (hashing a key made of shared tuples visits every
  path through it: 30 levels of ``(t, t)`` took 7 s in CPython's own unpickler, 35 take
  minutes); sets are refused; the admitted globals check their arguments (``_codecs.encode``
  only re-encodes text as latin-1: with any codec it could double a string per call, 328
  bytes growing into 16 MB); state is applied only to numpy arrays and dtypes.
- References make the *loaded value* a graph whose expansion can be exponential: ten
  nested ``[previous] * 100`` fit in 2 kB and expand into 10^20 items, so any code that
  walks it (our own check, ``np.asarray``, ``repr``) never returns. The check below walks the
  value as a tree and refuses it once it visits more than ``16 * bytes + 10,000`` nodes
  (numpy arrays count as one): genuine data files describe each item with at least a byte,
  so only shared references can exceed the budget, and everything downstream may then walk
  the value freely. Cycles are refused by the depth limit.
"""

from __future__ import annotations

import io
import pickle
import struct
from typing import IO, Any

MAX_DEPTH = 20
NODES_PER_BYTE = 16
BASE_NODES = 10_000
_MAX_KEY_INT = 2**64


class UnsafePickleError(pickle.UnpicklingError):
    """The pickle asked for something other than plain data (or more work than its size)."""


class TooMuchStructureError(UnsafePickleError):
    """The value expands into more items than its file's bytes can describe."""


class _NdarrayType:
    """Stands for ``numpy.ndarray`` inside a pickle: only :func:`_reconstruct` accepts it, so
    the class itself can never be called to allocate an arbitrary uninitialised array."""

    def __repr__(self) -> str:
        return "numpy.ndarray"


_NDARRAY = _NdarrayType()


def _reconstruct(subtype, shape, typecode):
    """numpy's ``_reconstruct(ndarray, (0,), b'b')``: an empty array that BUILD then fills
    (numpy checks the state's data against its shape and dtype)."""
    import numpy as np

    if (
        subtype is not _NDARRAY
        or type(shape) is not tuple
        or len(shape) != 1
        or type(shape[0]) is not int
        or shape[0] != 0
        or typecode not in (b"b", "b")
    ):
        raise UnsafePickleError("it holds more than plain data (an unusual array constructor)")
    return np.ndarray((0,), np.int8)


def _dtype(spec, align=False, copy=False):
    import numpy as np

    if type(spec) is not str or len(spec) > 16 or type(align) is not bool \
            or type(copy) is not bool:
        raise UnsafePickleError("it holds more than plain data (an unusual dtype)")
    try:
        dtype = np.dtype(spec, align, copy)
    except TypeError:
        raise UnsafePickleError(f"it holds an unknown dtype '{spec}'") from None
    if dtype.hasobject:
        raise UnsafePickleError("it holds more than plain data (an object dtype)")
    return dtype


def _scalar(dtype, data=None):
    import numpy as np

    if not isinstance(dtype, np.dtype) or dtype.hasobject or type(data) is not bytes:
        raise UnsafePickleError("it holds more than plain data (an unusual numpy scalar)")
    return _numpy_global("scalar")(dtype, data)


def _frombuffer(buf, dtype, shape, order):
    import numpy as np

    if (
        type(buf) not in (bytes, bytearray)
        or not isinstance(dtype, np.dtype)
        or dtype.hasobject
        or type(shape) is not tuple
        or len(shape) > 32
        or not all(type(n) is int for n in shape)
        or order not in ("C", "F")
    ):
        raise UnsafePickleError("it holds more than plain data (an unusual array buffer)")
    return np.frombuffer(buf, dtype=dtype).reshape(shape, order=order)


def _encode(text, encoding="utf-8", errors="strict"):
    """``_codecs.encode`` as Python 2 pickles use it: text to latin-1 bytes, nothing else."""
    if type(text) is not str or encoding not in ("latin1", "latin-1") or errors != "strict":
        raise UnsafePickleError("it holds more than plain data (an unusual text encoding)")
    return text.encode("latin-1")


def _numpy_global(name: str):
    try:
        from numpy._core import multiarray
    except ImportError:  # numpy 1.x
        from numpy.core import multiarray
    return getattr(multiarray, name)


# Globals a pickled numpy array needs (numpy 1.x and 2.x spellings), and the bytes helper
# that protocol-2 pickles written by Python 2 use. Each one only constructs data, and
# checks its arguments first.
_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.multiarray", "scalar"): _scalar,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy", "ndarray"): _NDARRAY,
    ("numpy", "dtype"): _dtype,
    ("_codecs", "encode"): _encode,
}


class _BoundedFile:
    """A read-only view of a stream that never hands out more than ``size`` bytes, so no
    declared length can make the unpickler allocate more than the file holds."""

    def __init__(self, stream: IO[bytes], size: int):
        self._stream = stream
        self.remaining = size

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0 or n > self.remaining:
            n = self.remaining
        data = self._stream.read(n)
        self.remaining -= len(data)
        return data

    def readline(self, limit: int = -1) -> bytes:
        data = self._stream.readline(self.remaining)
        self.remaining -= len(data)
        return data

    def readinto(self, buf) -> int:
        data = self.read(len(buf))
        buf[: len(data)] = data
        return len(data)


def _key_ok(key: Any) -> bool:
    t = type(key)
    if t in (str, bytes, float, bool) or key is None:
        return True
    return t is int and -_MAX_KEY_INT < key < _MAX_KEY_INT


def _check_keys(keys) -> None:
    for key in keys:
        if not _key_ok(key):
            raise UnsafePickleError(
                "it holds more than plain data (dictionary keys must be strings or numbers,"
                f" not {type(key).__name__})"
            )


class PlainDataUnpickler(pickle._Unpickler):
    """The pure-Python unpickler with every opcode that could hash, call or allocate beyond
    the file's bytes either checked or refused."""

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, stream: IO[bytes], size: int, encoding: str = "latin1"):
        self._bounded = _BoundedFile(stream, size)
        super().__init__(self._bounded, encoding=encoding)

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except (KeyError, TypeError):
            pass
        shown = f"{module}.{name}"
        shown = shown if len(shown) <= 80 else shown[:80] + "…"
        raise UnsafePickleError(
            f"it holds more than plain data (refused to load {shown}: only plain data is allowed)"
        )

    def persistent_load(self, pid):
        raise UnsafePickleError("it holds more than plain data (a persistent reference)")

    # --- opcodes that hash or store: only into lists and dicts, keys checked first --------

    def _target(self, kind: type):
        target = self.stack[-1]
        if type(target) is not kind:
            raise UnsafePickleError(
                f"it holds more than plain data (items added to a {type(target).__name__})")
        return target

    def load_setitem(self):
        stack = self.stack
        value, key = stack.pop(), stack.pop()
        _check_keys((key,))
        self._target(dict)[key] = value

    dispatch[pickle.SETITEM[0]] = load_setitem

    def load_setitems(self):
        items = self.pop_mark()
        _check_keys(items[0::2])
        target = self._target(dict)
        for i in range(0, len(items) - 1, 2):
            target[items[i]] = items[i + 1]

    dispatch[pickle.SETITEMS[0]] = load_setitems

    def load_dict(self):
        items = self.pop_mark()
        _check_keys(items[0::2])
        self.append({items[i]: items[i + 1] for i in range(0, len(items) - 1, 2)})

    dispatch[pickle.DICT[0]] = load_dict

    def load_append(self):
        value = self.stack.pop()
        self._target(list).append(value)

    dispatch[pickle.APPEND[0]] = load_append

    def load_appends(self):
        items = self.pop_mark()
        self._target(list).extend(items)

    dispatch[pickle.APPENDS[0]] = load_appends

    def load_set(self):
        raise UnsafePickleError("it holds more than plain data (a set)")

    for _op in (pickle.EMPTY_SET, pickle.ADDITEMS, pickle.FROZENSET):
        dispatch[_op[0]] = load_set

    # --- opcodes that call or mutate ------------------------------------------------------

    def load_build(self):
        import numpy as np

        if not isinstance(self.stack[-2], (np.ndarray, np.dtype)):
            raise UnsafePickleError("it holds more than plain data (state for an object)")
        super().load_build()

    dispatch[pickle.BUILD[0]] = load_build

    def load_newobj(self):
        raise UnsafePickleError("it holds more than plain data (an object)")

    for _op in (pickle.NEWOBJ, pickle.NEWOBJ_EX, pickle.OBJ, pickle.INST):
        dispatch[_op[0]] = load_newobj

    def load_ext(self):
        raise UnsafePickleError("it holds more than plain data (an extension code)")

    for _op in (pickle.EXT1, pickle.EXT2, pickle.EXT4):
        dispatch[_op[0]] = load_ext

    def load_bytearray8(self):
        # Read first, then copy: the stock opcode allocates the declared length up front.
        (n,) = struct.unpack("<Q", self.read(8))
        data = self.read(n)
        if len(data) != n:
            raise pickle.UnpicklingError("pickle data was truncated")
        self.append(bytearray(data))

    dispatch[pickle.BYTEARRAY8[0]] = load_bytearray8
    del _op


def load_plain(stream: IO[bytes], encoding: str = "latin1") -> Any:
    """Unpickle ``stream`` admitting only numpy arrays, lists, dicts, str/bytes and numbers.

    Raises :class:`UnsafePickleError` (a sentence starting with "it holds ...") for anything
    else, including values that expand into more items than the file's bytes describe.
    """
    try:
        start = stream.tell()
        size = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)
    except (AttributeError, OSError, ValueError):
        data = stream.read()
        stream, start, size = io.BytesIO(data), 0, len(data)
    data = PlainDataUnpickler(stream, size, encoding=encoding).load()
    _reject_objects(data, budget=NODES_PER_BYTE * size + BASE_NODES, size=size)
    return data


def _reject_objects(value: Any, budget: int, size: int) -> None:
    """Walk ``value`` as a tree (shared references count every time they are reached)."""
    import numpy as np

    atoms = (str, bytes, int, float, bool, type(None), np.generic)
    todo = [(value, 0)]
    visits = 0
    while todo:
        item, depth = todo.pop()
        visits += 1
        if visits > budget:
            raise TooMuchStructureError(
                f"it holds more structure than its {size} bytes can describe (the same items"
                " referenced over and over; a 'pickle bomb')"
            )
        if depth > MAX_DEPTH:
            raise UnsafePickleError(
                f"it holds data nested more than {MAX_DEPTH} levels deep (or referring to itself)"
            )
        if isinstance(item, np.ndarray):
            if item.dtype.hasobject:
                raise UnsafePickleError("it holds more than plain data (an object array)")
        elif type(item) is dict:
            for k, v in item.items():
                todo.append((k, depth + 1))
                todo.append((v, depth + 1))
        elif type(item) in (list, tuple):
            todo.extend((v, depth + 1) for v in item)
        elif not isinstance(item, atoms) or (isinstance(item, np.generic)
                                             and item.dtype.hasobject):
            raise UnsafePickleError(
                f"it holds more than plain data (a {type(item).__name__})"
            )
