"""The window's language: English (the source strings) or Simplified Chinese, through Qt's
translation system.

Every user-visible string of ``gui/`` goes through ``self.tr()`` or
``QCoreApplication.translate()``; ``pyside6-lupdate`` collects them into
``resources/translations/actlens_zh_CN.ts`` and ``pyside6-lrelease`` compiles that into the
``.qm`` file the package ships (``python resources/translations/update.py`` does both). Text
the engine writes for people (notes, statistics) reaches the window as
:class:`engine.text.Text`, whose template is translated in the ``engine`` context.

The choice, strongest first: ``--lang``, the ``ui/language`` setting (View → Language,
Preferences), the system locale. The command line stays English; activation names and
TensorBoard tags stay as torch writes them.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

from ..engine import RESOURCES

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}  # each name in its own language
SYSTEM = "system"
SETTING = "ui/language"
CHOICES = (SYSTEM, *LANGUAGES)
CATALOG = "actlens_{}.qm"


def system_language() -> str:
    """``zh_CN`` where the system's first interface language is Chinese, else ``en``."""
    for name in QLocale.system().uiLanguages():
        lang = name.replace("-", "_").lower()
        if lang.startswith("zh"):
            return "zh_CN"
        if lang.startswith("en") or lang not in ("c", "posix"):
            return "en"
    return "en"


def chosen_language(option: str | None, settings) -> str:
    """The language to start in: ``--lang``, else the setting, else the system's."""
    if option in LANGUAGES:
        return option
    saved = settings.text(SETTING, SYSTEM, CHOICES) if settings is not None else SYSTEM
    return saved if saved in LANGUAGES else system_language()


def install(app, language: str) -> list:
    """Install the translators for ``language`` on ``app`` (ours, and Qt's own for the
    standard buttons and file dialogs); returns them (they must outlive the window). Without
    our catalogue the window stays English throughout, and says so on stderr."""
    if language not in LANGUAGES or language == "en":
        return []
    ours = QTranslator(app)
    data = catalog_bytes(language)
    if data is None or not ours.load(data):
        print(f"actlens: the {language} translation is missing or damaged; the window stays"
              " in English (reinstall Activation Lens)", file=sys.stderr)
        return []
    ours.catalog = data  # Qt reads the catalogue in place: it lives as long as the translator
    translators = [ours]
    qt = QTranslator(app)
    if qt.load(QLocale(language), "qtbase", "_",
               QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt)
    for t in translators:
        app.installTranslator(t)
    QLocale.setDefault(QLocale(language))
    return translators


def catalog_bytes(language: str) -> bytes | None:
    """The compiled catalogue shipped in the package, however it was installed."""
    from importlib import resources

    try:
        return resources.files(RESOURCES).joinpath(
            "translations", CATALOG.format(language)).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None


# CIFAR-10's classes, listed for the catalogue (lupdate); class_name() translates them
CLASSES = [
    QT_TRANSLATE_NOOP("Classes", "airplane"), QT_TRANSLATE_NOOP("Classes", "automobile"),
    QT_TRANSLATE_NOOP("Classes", "bird"), QT_TRANSLATE_NOOP("Classes", "cat"),
    QT_TRANSLATE_NOOP("Classes", "deer"), QT_TRANSLATE_NOOP("Classes", "dog"),
    QT_TRANSLATE_NOOP("Classes", "frog"), QT_TRANSLATE_NOOP("Classes", "horse"),
    QT_TRANSLATE_NOOP("Classes", "ship"), QT_TRANSLATE_NOOP("Classes", "truck"),
]


# the side panel's choices, for the catalogue: English shows each name as it is (it is the
# command line's word); other languages add what it means beside it
SIDE_PANEL_CHOICES = [
    QT_TRANSLATE_NOOP("Choices", "to_tensor"), QT_TRANSLATE_NOOP("Choices", "normalize"),
    QT_TRANSLATE_NOOP("Choices", "centered"), QT_TRANSLATE_NOOP("Choices", "edges"),
    QT_TRANSLATE_NOOP("Choices", "clip"), QT_TRANSLATE_NOOP("Choices", "minmax"),
    QT_TRANSLATE_NOOP("Choices", "signed"), QT_TRANSLATE_NOOP("Choices", "minmax_image"),
    QT_TRANSLATE_NOOP("Choices", "difference"), QT_TRANSLATE_NOOP("Choices", "test"),
    QT_TRANSLATE_NOOP("Choices", "train"),
]


def choice_text(key: str) -> str:
    """A preprocessing, display or split name as the side panel lists it."""
    return QCoreApplication.translate("Choices", key)


def class_name(name: str, dataset: str) -> str:
    """A CIFAR-10 class name in the window's language, for the data sets that declare
    CIFAR-10's classes; any other data set's as it is (a folder called ``cat`` is the user's
    own word)."""
    from ..engine.data.datasets import dataset_info

    if dataset_info(dataset).translated_classes:
        return QCoreApplication.translate("Classes", name)
    return name


def panel_title(panel) -> str:
    """A panel's title as the window shows it: the input's is a word, the others are specs."""
    return QCoreApplication.translate("PanelCard", "Input") if panel.is_input else panel.title


def engine_text(text) -> str:
    """Text the engine wrote for people, in the window's language: a
    :class:`engine.text.Text` translates its template, anything else is shown as is."""
    parts = getattr(text, "parts", None)
    if parts is not None:
        return text.sep.join(engine_text(p) for p in parts)
    template = getattr(text, "template", None)
    if template is None:
        return str(text)
    translated = QCoreApplication.translate("engine", template)
    args = {k: engine_text(v) if isinstance(v, str) else v for k, v in text.args.items()}
    try:
        return translated.format(**args)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        # a broken translation ({n[0]}, {n.x}): the English stands
        return str(text)
