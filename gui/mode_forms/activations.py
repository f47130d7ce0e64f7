"""The exercise's view: no controls beyond the activation list."""

from PySide6.QtCore import QT_TRANSLATE_NOOP

from . import ModeForm


class ActivationsForm(ModeForm):
    TITLE = QT_TRANSLATE_NOOP("SessionForm", "Activations on the pixels")
    TIP = QT_TRANSLATE_NOOP("SessionForm", "The exercise: each activation applied to the"
                            " preprocessed images")
    HELP = QT_TRANSLATE_NOOP(
        "SessionForm", "Each activation applied to the preprocessed pixels, as in the exercise.")


FORM = ActivationsForm
