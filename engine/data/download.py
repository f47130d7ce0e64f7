"""Downloading data sets: streamed with progress and cooperative cancel, verified, and moved
into place only when complete, so a failed or cancelled download leaves nothing behind."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from ..errors import ActlensError, CancelledError
from ..text import Text


def md5_of(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@contextmanager
def staging_dir(root: Path):
    """A private folder inside ``root`` (same file system, so moves are atomic), always
    removed afterwards, and with it the folders made for it that nothing was put into."""
    made = [p for p in (root, *root.parents) if not p.exists()]
    try:
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".actlens-download-", dir=root))
    except OSError as exc:
        raise ActlensError(Text("cannot write to {root}: {reason}", root=root,
                                reason=exc.strerror or exc)) from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # the deepest first
            try:
                folder.rmdir()  # only if empty: a download that ended well keeps its files
            except OSError:
                break


def fetch(url: str, dest: Path, title: str, root: Path, *, progress=None, cancel=None,
          timeout: float = 15.0, base: int = 0, total_hint: int = 0) -> int:
    """Stream ``url`` into ``dest``; return the bytes written. ``progress(done, total)`` counts
    from ``base`` (for several files in one download)."""
    done = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0)
            while chunk := response.read(1 << 18):
                if cancel is not None and cancel.is_set():
                    raise CancelledError(f"{title} download cancelled")
                out.write(chunk)
                done += len(chunk)
                if progress:
                    progress(base + done, total_hint or total)
    except OSError as exc:  # URLError, timeouts, refused connections, a full disk
        reason = getattr(exc, "reason", exc)
        raise ActlensError(Text(
            "could not download {title} ({reason}). Check the network, or fetch {file} on"
            " another machine and put it into {root}", title=title, reason=reason,
            file=os.path.basename(url), root=root)) from None
    return done


def check_md5(path: Path, expected: str, title: str) -> None:
    if md5_of(path) != expected:
        raise ActlensError(Text(
            "the downloaded {title} file {file} failed its MD5 check (a broken mirror or an"
            " interrupted transfer); try again", title=title, file=path.name))
