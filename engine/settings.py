"""Persistent settings: a small INI file of plain strings and numbers, read without ever
unpickling anything.

``QSettings`` stores Python objects by pickling them (``@Variant(...)`` entries) and unpickles
them on ``value()``, so a crafted settings file would run code at start-up. This store reads
the file as text with :mod:`configparser`: every value is a string, and each reader checks the
type and range it expects, falling back to the default for anything else. Files written by
earlier versions (QSettings' INI format) read the same way; their ``@Variant``/``@ByteArray``
entries are just strings that fail validation.
"""

from __future__ import annotations

import base64
import binascii
import configparser
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

MAX_FILE_BYTES = 1_000_000  # a settings file is a few hundred bytes; ignore anything huge
MAX_TEXT = 4096  # the longest string value read back (paths, activation lists)


def settings_path() -> Path:
    """``$ACTLENS_SETTINGS`` if set, else ``settings.ini`` in the user's config folder."""
    env = os.environ.get("ACTLENS_SETTINGS")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("actlens", appauthor=False)) / "settings.ini"


class Settings:
    """Keys are ``group/name``; values are stored as text and validated when read."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._values: dict[str, str] = {}
        self.problem = ""  # why the file could not be read, if it could not
        self._load()

    # --- reading ---------------------------------------------------------------------

    def _load(self) -> None:
        try:
            if not self.path.is_file():
                return
            if self.path.stat().st_size > MAX_FILE_BYTES:
                self.problem = f"{self.path} is larger than a settings file can be; ignored"
                return
            text = self.path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            self.problem = f"cannot read {self.path}: {exc.strerror or exc}"
            return
        parser = configparser.RawConfigParser(strict=False, interpolation=None,
                                              delimiters=("=",), comment_prefixes=(";", "#"))
        parser.optionxform = str  # keys keep their case
        try:
            parser.read_string(text)
        except configparser.Error as exc:
            self.problem = f"{self.path} is not a settings file ({type(exc).__name__}); ignored"
            return
        for section in parser.sections():
            for key, value in parser.items(section):
                name = key if section == "General" else f"{section}/{key}"
                self._values[name] = value or ""

    def raw(self, key: str) -> str | None:
        value = self._values.get(key)
        if value is None or len(value) > MAX_TEXT:
            return None
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = value[1:-1]
            return decoded if isinstance(decoded, str) else None
        return value

    def text(self, key: str, default: str, choices: Iterable[str] | None = None) -> str:
        value = self.raw(key)
        if value is None or "\x00" in value:
            return default
        if choices is not None and value not in set(choices):
            return default
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.raw(key)
        try:
            number = int(value.strip()) if value is not None and len(value) < 32 else default
        except ValueError:
            return default
        return number if low <= number <= high else default

    def real(self, key: str, default: float, low: float, high: float) -> float:
        """A finite number from ``low`` to ``high``, else ``default``."""
        value = self.raw(key)
        try:
            number = float(value.strip()) if value is not None and len(value) < 32 else default
        except ValueError:
            return default
        return number if low <= number <= high else default  # NaN fails both

    def flag(self, key: str, default: bool) -> bool:
        value = (self.raw(key) or "").strip().lower()
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        return default

    def blob(self, key: str) -> bytes | None:
        value = self.raw(key)
        if not value:
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return None

    # --- writing ---------------------------------------------------------------------

    def set(self, key: str, value: str | int | bool | bytes) -> None:
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int):
            text = str(value)
        elif isinstance(value, (bytes, bytearray)):
            text = base64.b64encode(bytes(value)).decode("ascii")
        else:
            text = json.dumps(str(value), ensure_ascii=False)
        self._values[key] = text

    def sync(self) -> bool:
        """Write the file atomically; False (and ``problem`` set) if it cannot be written."""
        groups: dict[str, dict[str, str]] = {}
        for key, value in sorted(self._values.items()):
            group, _, name = key.rpartition("/")
            groups.setdefault(group or "General", {})[name] = value.replace("\n", " ")
        lines = []
        for group, values in groups.items():
            lines.append(f"[{group}]")
            lines.extend(f"{name}={value}" for name, value in values.items())
            lines.append("")
        target = Path(os.path.realpath(self.path))  # a linked file (dotfiles) stays linked
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=target.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            self.problem = f"cannot save settings to {self.path}: {exc.strerror or exc}"
            return False
        return True


class MemorySettings(Settings):
    """Settings that live and die with one window: the Python API's, which never reads or
    writes the user's settings file unless asked to."""

    def __init__(self):
        self.path = Path(os.devnull)
        self._values = {}
        self.problem = ""

    def sync(self) -> bool:
        return True


def open_settings() -> Settings:
    return Settings(settings_path())
