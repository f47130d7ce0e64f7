"""Log dirs: checking one before any work, and the run folder each new event file goes in.

Nothing is created until :func:`open_event_log`, which makes the missing folders and the
event file together, under a lock on the folder, and removes what it made if that fails.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import ActlensError, quote_user
from .events import EVENT_PREFIX, EventLog
from .text import Text


def logdir_path(logdir: os.PathLike | str) -> Path:
    """``logdir`` as a Path; an empty name is refused (it would mean the current folder)."""
    text = os.fspath(logdir)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if not text.strip():
        raise ActlensError("the log dir is empty; give a folder name, e.g. --logdir runs/relu")
    if "\0" in text:
        raise ActlensError(f"log dir {quote_user(text)} is not a valid path")
    from .data.datasets import expand_path

    return expand_path(text, "log dir")


def check_logdir(logdir: Path) -> None:
    """Refuse an unusable log directory before any work is done, creating nothing.

    ``logdir`` must be a writable folder, or not exist yet below the nearest existing folder,
    which must then be writable (the folders are created only when the event file is).
    """
    shown = quote_user(str(logdir), 200)
    here = logdir
    while True:
        try:
            st = here.stat()
            break
        except FileNotFoundError:
            if here.parent == here:
                raise ActlensError(Text("cannot create log dir {logdir}: no such place",
                                        logdir=shown)) from None
            here = here.parent
        except NotADirectoryError:
            raise ActlensError(Text("cannot create log dir {logdir}: a part of that path is a"
                                    " file", logdir=shown)) from None
        except (OSError, ValueError) as exc:
            raise ActlensError(
                f"cannot create log dir {shown}: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    if not stat.S_ISDIR(st.st_mode):
        if here == logdir:
            raise ActlensError(f"log dir {shown} is not a directory")
        raise ActlensError(Text("cannot create log dir {logdir}: {path} is a file",
                                logdir=shown, path=quote_user(str(here), 200)))
    if not os.access(here, os.W_OK | os.X_OK):
        if here == logdir:
            raise ActlensError(f"log dir {shown} is not writable")
        raise ActlensError(Text("cannot create log dir {logdir}: {path} is not writable",
                                logdir=shown, path=quote_user(str(here), 200)))


def open_event_log(logdir: Path) -> tuple[EventLog, list[Path], bool]:
    """Create ``logdir`` (as needed) and a new event file in it, or, when ``logdir`` already
    holds an export's event files, in a new run folder ``logdir/run-N``: TensorBoard merges
    every event file of one folder into one run, so two exports in one folder would show
    twice the images per step. The check and the file's creation happen under a lock on
    the folder, so two exports started at once still end up in two runs.

    Returns the log, the folders created (outermost first) and whether a run folder was made.
    """
    created = _make_dirs(logdir)
    try:
        with _FolderLock(logdir):
            if not _holds_events(logdir):
                return EventLog(logdir), created, False
            for n in range(2, 100_000):
                run = logdir / f"run-{n}"
                try:
                    run.mkdir()
                except FileExistsError:
                    continue
                created.append(run)
                return EventLog(run), created, True
            raise ActlensError(f"log dir {logdir} holds too many runs already")
    except BaseException:
        remove_dirs(created)
        raise


def remove_dirs(created: list[Path]) -> None:
    """Remove the folders an export created, innermost first, where they are still empty."""
    for d in reversed(created):
        try:
            d.rmdir()
        except OSError:
            pass


def _make_dirs(path: Path) -> list[Path]:
    """``mkdir -p path``; return the folders this call created, outermost first."""
    missing = []
    here = path
    while not here.exists():
        missing.append(here)
        here = here.parent
    created = []
    for d in reversed(missing):
        try:
            d.mkdir()
            created.append(d)
        except FileExistsError:  # another export made it meanwhile
            if not d.is_dir():
                raise
    return created


def _holds_events(folder: Path) -> bool:
    with os.scandir(folder) as it:
        return any(e.name.startswith(EVENT_PREFIX) for e in it)


class _FolderLock:
    """An exclusive ``flock`` on a folder (released when the process ends, however it ends);
    nothing where ``fcntl`` does not exist."""

    def __init__(self, folder: Path):
        self.folder, self.fd = folder, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        self.fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks: go on without one
            pass
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
        return False
