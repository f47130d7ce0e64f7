"""Persistent settings (QSettings): last data root, session and window geometry."""

from __future__ import annotations

import os

from PySide6.QtCore import QSettings


def open_settings() -> QSettings:
    """``$ACTLENS_SETTINGS`` (an .ini path) if set, else the platform's usual place."""
    path = os.environ.get("ACTLENS_SETTINGS")
    if path:
        return QSettings(path, QSettings.Format.IniFormat)
    return QSettings("ActivationLens", "actlens")


def read_str(s: QSettings, key: str, default: str) -> str:
    value = s.value(key, default)
    return str(value) if value is not None else default


def read_int(s: QSettings, key: str, default: int) -> int:
    try:
        return int(s.value(key, default))
    except (TypeError, ValueError):
        return default
