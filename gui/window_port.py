"""The main window as its helpers see it (preferences, data folders, drops, module files,
docks): a Qt parent for their dialogs, actions and docks, and the few things they may ask of
the window. The helpers know nothing else of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WindowPort:
    widget: Any  # the main window, as the parent of dialogs, actions and docks
    settings: Any  # engine.settings.Settings: the settings file
    session: Callable[[], Any]  # the session the side panel shows
    edit: Callable[[dict], None]  # change the session (Session field -> value); the step follows
    root_text: Callable[[], str]  # the current data set's folder, as the side panel says it
    revert_to_shown: Callable[[], None]  # undo a change: the session whose batch shows
    show_error: Callable[[str], None]  # the error banner and the status line
    show_status: Callable[[str], None]  # the status line
    show_placeholder: Callable[[str], None]  # where the panels go before the first batch
    flash: Callable[[str, int], None]  # a passing status-bar message for so many milliseconds
    engine_ready: Callable[[], bool]  # torch has loaded: files can be opened
    showing: Callable[[], bool]  # images are on screen
    devices: Callable[[], list[tuple[str, str]]]  # (text, device id) the engine reported
    current_spec: Callable[[], Any]  # the activation selected in the side panel
    save_settings: Callable[[], None]  # write everything the settings remember, now
    close: Callable[[], Any]  # close the window (and so end the app)
    show_notes: Callable[[tuple], None]  # what the side panel says of the data (notes)
