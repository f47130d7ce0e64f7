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


def replace_folder(new: Path, target: Path) -> Path | None:
    """Put the downloaded folder ``new`` at ``target``. A copy already at ``target`` is the
    user's, and may be the only one (a copy converted by hand, one split from a friend): unless
    every file in it is byte for byte the downloaded one, it is moved aside, never deleted.
    Returns where it went (``<name>.kept``, ``<name>.kept-2``…), or None."""
    kept = None
    if target.exists() or target.is_symlink():
        if _only_copies_of(target, new):
            shutil.rmtree(target)
        else:
            kept = _free_name(target)
            os.replace(target, kept)
    os.replace(new, target)
    return kept


def _only_copies_of(old: Path, new: Path) -> bool:
    """Every file under ``old`` is also under ``new``, with the same bytes (nothing is lost by
    replacing ``old`` with ``new``)."""
    if old.is_symlink() or not old.is_dir():
        return False
    for path in old.rglob("*"):
        twin = new / path.relative_to(old)
        if path.is_symlink() or path.is_dir() != twin.is_dir():
            return False
        if not path.is_dir() and (not twin.is_file() or path.stat().st_size != twin.stat().st_size
                                  or md5_of(path) != md5_of(twin)):
            return False
    return True


def _free_name(target: Path) -> Path:
    for n in range(1, 10_000):
        candidate = target.with_name(f"{target.name}.kept" + (f"-{n}" if n > 1 else ""))
        if not (candidate.exists() or candidate.is_symlink()):
            return candidate
    raise ActlensError(Text("cannot find a free name beside {target} to keep the copy there",
                            target=target))


def check_md5(path: Path, expected: str, title: str) -> None:
    if md5_of(path) != expected:
        raise ActlensError(Text(
            "the downloaded {title} file {file} failed its MD5 check (a broken mirror or an"
            " interrupted transfer); try again", title=title, file=path.name))
