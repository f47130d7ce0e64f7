"""The Python API's window: ``activation_lens.view(model, data, **session)``.

Unlike the ``actlens`` program it leaves the process as it found it: no signal handler, no
excepthook, no ``os._exit``, and no settings file read or written unless asked to.
"""

from __future__ import annotations

from ..engine import objects
from ..engine.api import argv_for, hand_over, raising
from ..engine.devices import resolve_device
from ..engine.errors import ActlensError

_open_windows: list = []  # windows that live beside a notebook's kernel


def view(model=None, data=None, *, settings: bool = False, **session):
    """Open the window on ``model`` and ``data`` (see activation_lens.view). Returns when the
    window closes, or at once (returning the window) where a Qt event loop already runs."""
    from ..engine.settings import MemorySettings, open_settings
    from .app import parse_args, prepare_app
    from .main_window import MainWindow

    if isinstance(session.get("lang"), str):  # "zh", "zh-CN": the catalogue's name
        session["lang"] = {"zh": "zh_CN", "zh-cn": "zh_CN", "zh_cn": "zh_CN"}.get(
            session["lang"].lower(), session["lang"])
    with raising():
        args = parse_args(argv_for(session))
    if session.get("device") is not None:  # asked for by name: refused here, not ignored
        resolve_device(str(session["device"]))
    keys = hand_over(args, model, data, session)
    store = open_settings() if settings else MemorySettings()
    try:
        app = prepare_app(args.lang, store)
        window = MainWindow(args, store)
    except BaseException:
        objects.release(*keys)
        raise
    window.show()
    window.start()
    if event_loop_running():
        from PySide6.QtCore import Qt

        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # then its objects go
        window.destroyed.connect(lambda *_: objects.release(*keys))
        _open_windows.append(window)
        window.destroyed.connect(lambda *_: _open_windows.remove(window)
                                 if window in _open_windows else None)
        return window
    app.exec()
    objects.release(*keys)
    _finish_left_behind()
    return None


def _finish_left_behind() -> None:
    """A step the window left behind when it closed (a long forward of the learner's model)
    ends before the interpreter does: killed under way inside torch at shutdown, it would
    abort the learner's script. It was told to stop; it ends after the step in hand."""
    import atexit
    import threading

    def wait() -> None:
        for t in threading.enumerate():
            if t.name.startswith("actlens-") and t.is_alive() and t.daemon:
                t.join(300)

    if any(t.name.startswith("actlens-") and t.is_alive() for t in threading.enumerate()):
        atexit.register(wait)


def event_loop_running() -> bool:
    """Whether IPython or Jupyter runs the Qt event loop (``%gui qt``), so that a window
    shown now lives beside the prompt without blocking it."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    kernel = getattr(shell, "kernel", None)
    loop = getattr(kernel, "eventloop", None) if kernel is not None else None
    return loop is not None or bool(getattr(shell, "active_eventloop", None))


__all__ = ["ActlensError", "event_loop_running", "view"]
