"""TensorBoard event files: records framed and checksummed as TensorFlow writes them.

One :class:`EventLog` is one new file, never shared with another writer; every record is
flushed when written, so whatever was written before an interruption stays readable.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# How TensorBoard recognises an event file in a folder.
EVENT_PREFIX = "events.out.tfevents."


class EventLog:
    """An append-only TensorBoard event file, written synchronously from one thread."""

    def __init__(self, logdir: Path):
        import socket

        from tensorboard.compat.proto import event_pb2

        self._event_pb2 = event_pb2
        name = f"{EVENT_PREFIX}{int(time.time()):010d}.{socket.gethostname()}.{os.getpid()}"
        for n in range(1000):  # never append to another writer's file
            path = logdir / (f"{name}.actlens" if n == 0 else f"{name}.{n}.actlens")
            try:
                self._file = open(path, "xb")
                break
            except FileExistsError:
                continue
        else:
            raise FileExistsError(f"{logdir} holds 1000 event files named {name}.*")
        self.path = path
        try:
            self.write(event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2"))
        except BaseException:  # e.g. a full disk: leave no empty file that looks like an export
            self._file.close()
            path.unlink(missing_ok=True)
            raise

    def write(self, event) -> None:
        data = event.SerializeToString()
        header = len(data).to_bytes(8, "little")
        self._file.write(
            header
            + _masked_crc(header).to_bytes(4, "little")
            + data
            + _masked_crc(data).to_bytes(4, "little")
        )
        self._file.flush()

    def summary(self, step: int, values) -> None:
        """One record at ``step`` holding ``values`` (``Summary.Value``s, see engine/summaries.py)."""
        from tensorboard.compat.proto.summary_pb2 import Summary

        self.write(
            self._event_pb2.Event(wall_time=time.time(), step=step, summary=Summary(value=values))
        )

    def close(self) -> None:
        self._file.close()


def _masked_crc(data: bytes) -> int:
    crc = _crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


try:
    from google_crc32c import value as _crc32c
except ImportError:  # pragma: no cover - pure-Python fallback, about 1000x slower
    from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import crc32c as _crc32c
