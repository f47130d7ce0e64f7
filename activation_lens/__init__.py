"""Activation Lens: see what non-linear activations do to real images.

From a script or a notebook::

    import activation_lens as lens

    lens.export("logs", MyModel(), dataset)   # what the exercise's SummaryWriter loop writes
    lens.view(MyModel(), dataset)             # the window, on the same objects
    lens.compare(images, activations="relu,sigmoid")   # one step, shown inline in a notebook

Every keyword after the objects is a command-line option (``batch_size=32``,
``preprocess="centered"``, ``device="cuda"``, ``deep=True``...). Errors are
:class:`ActlensError` with the command line's one-line messages.
"""

from activation_lens.engine.errors import ActlensError

__all__ = ["ActlensError", "compare", "export", "view"]


def view(model=None, data=None, **session):
    """Open the window on ``model`` (an ``nn.Module`` instance) and ``data`` (a Dataset, a
    DataLoader, a tensor or array of images, or a folder). From a script it returns when
    the window closes; in Jupyter or IPython with the Qt event loop running (``%gui qt``) it
    returns the window at once. It never touches signal handlers, the excepthook or the
    settings file (``settings=True`` uses and saves the user's settings)."""
    from activation_lens.gui.api import view as _view

    return _view(model, data, **session)


def export(logdir, model=None, data=None, **session):
    """What ``actlens export`` does, on ``model`` and ``data``; returns the outcome
    (``.logdir``, ``.steps_written``, ``.tags``, ``.tensorboard_command``)."""
    from activation_lens.engine.api import export as _export

    return _export(logdir, model, data, **session)


def compare(images, activations=None, **session):
    """One step on ``images`` without a window: a result a notebook shows inline, with
    ``.stats`` (plain data), ``.images()`` and ``.save(path)``."""
    from activation_lens.engine.api import compare as _compare

    return _compare(images, activations, **session)
