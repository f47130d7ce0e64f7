"""The Chinese interface: the catalogue is complete and compiled, and the window in zh_CN
shows no English sentence (activation names, data set names and other words the command
line also takes stay as written)."""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TS = ROOT / "resources" / "translations" / "actlens_zh_CN.ts"
QM = TS.with_suffix(".qm")


def _update_module():
    spec = importlib.util.spec_from_file_location(
        "translations_update", ROOT / "resources" / "translations" / "update.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages():
    for context in ET.parse(TS).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message.findtext("source"), message.find("translation")


def test_every_catalogue_entry_has_a_finished_translation():
    assert _update_module().unfinished(TS) == []


def test_every_string_the_sources_mark_for_translation_is_in_the_catalogue(capsys):
    """lupdate over today's sources into a copy finds nothing new or unfinished."""
    assert _update_module().check() == 0, capsys.readouterr().out


def test_shipped_catalogue_is_what_lrelease_makes_of_the_ts(tmp_path):
    update = _update_module()
    built = tmp_path / "built.qm"
    update.run_lrelease(TS, built)
    assert built.read_bytes() == QM.read_bytes(), "run resources/translations/update.py"


def test_translations_keep_every_placeholder_and_line_break():
    for context, source, translation in _messages():
        text = translation.text or ""
        assert sorted(re.findall(r"\{[^}]*\}", text)) == \
            sorted(re.findall(r"\{[^}]*\}", source)), (context, source, text)
        assert text.count("\n") == source.count("\n"), (context, source, text)


def test_translations_are_chinese_where_the_source_has_words():
    for context, source, translation in _messages():
        words = re.sub(r"\{[^}]*\}", "", source)
        if re.search(r"[A-Za-z]{3,}", words) and not _only_terms(words):
            assert re.search(r"[\u4e00-\u9fff]", translation.text or ""), (context, source)


# --- the window in Chinese -------------------------------------------------------------

# Words that stay as they are in the Chinese window: names the command line takes (data sets,
# splits, preprocessing, displays, devices, activations), products and file kinds, key names.
TERMS = {
    "cifar", "mnist", "fashion", "folder", "sample", "test", "train", "cpu", "cuda", "mps",
    "tensorboard", "pytorch", "torch", "torchvision", "python", "cnn", "conv", "avgpool",
    "linear", "module", "forward", "save", "state", "dict", "weights", "only", "true",
    "totensor", "nan", "inf", "max", "min", "ctrl", "shift", "alt", "png", "jpeg", "home",
    "end", "page", "down", "left", "right", "esc", "relu", "sigmoid", "identity", "laplacian", "logdir",
    "samples", "images", "signed", "apple", "metal", "input", "output", "json", "run", "act",
    "http", "localhost", "edges", "centered", "normalize", "clip", "minmax", "image",
    "difference", "coarse", "labels", "tensor", "mean", "std", "none", "batch", "size",
    "superclasses", "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
    "ship", "truck", "data", "enter", "del", "delete", "return", "space", "tab", "csv", "pth",
    "autograd", "english",  # each language's name is in its own language
    "kaiming", "xavier", "default", "glorot", "bengio",  # --init values, and their authors
    "adam", "sgd",  # the optimisers' names
    "log",  # log10(...), a formula
}
PRODUCT = "Activation Lens"


def _activation_words() -> set[str]:
    from activation_lens.engine.registry import ACTIVATIONS

    words = set()
    for act in ACTIVATIONS.values() if isinstance(ACTIVATIONS, dict) else ACTIVATIONS:
        for attr in ("name", "cls_name", "display", "key"):
            value = getattr(act, attr, None)
            if isinstance(value, str):
                words.update(w.lower() for w in re.findall(r"[A-Za-z]+", value))
        for param in getattr(act, "params", ()) or ():
            name = getattr(param, "name", "")
            words.update(w.lower() for w in re.findall(r"[A-Za-z]+", name))
    return words


def _only_terms(text: str, extra: set[str] = frozenset()) -> bool:
    return not _english_words(text, extra)


def _english_words(text: str, extra: set[str] = frozenset()) -> list[str]:
    text = text.replace(PRODUCT, " ")
    text = re.sub(r"<[^>]+>|&\w+;", " ", text)  # rich text tags and entities
    text = re.sub(r"\S*[/\\~]\S*", " ", text)  # paths, URLs, key chords like Ctrl+Q
    text = re.sub(r"--[\w-]+", " ", text)  # command-line options
    text = re.sub(r"\b\w*_\w*\b", " ", text)  # identifiers: negative_slope, cifar-10 tags
    words = re.findall(r"[A-Za-z]{3,}", text)
    return [w for w in words if w.lower() not in TERMS and w.lower() not in extra]


def _texts(widget) -> list[tuple[str, str]]:
    """(where, text) for what ``widget`` shows: its text, title, tooltip, items, headers."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QDockWidget,
        QGroupBox,
        QLabel,
        QLineEdit,
        QTableWidget,
        QTabWidget,
    )

    name = f"{type(widget).__name__} {widget.objectName()}"
    out = [(name + " tooltip", widget.toolTip())]
    if widget.isWindow() or isinstance(widget, QDockWidget):
        out.append((name + " title", widget.windowTitle()))
    if isinstance(widget, (QLabel, QAbstractButton)):
        out.append((name, widget.text()))
    if isinstance(widget, QGroupBox):
        out.append((name, widget.title()))
    if isinstance(widget, QLineEdit):
        out.append((name + " placeholder", widget.placeholderText()))
    if isinstance(widget, QComboBox):
        out += [(name + " item", widget.itemText(i)) for i in range(widget.count())]
    if isinstance(widget, QTabWidget):
        out += [(name + " tab", widget.tabText(i)) for i in range(widget.count())]
    if isinstance(widget, QTableWidget):
        out += [(name + " header", widget.horizontalHeaderItem(i).text())
                for i in range(widget.columnCount()) if widget.horizontalHeaderItem(i)]
    for action in widget.actions():
        out += [(f"action of {name}", action.text()), (f"action of {name} tip",
                                                         action.toolTip())]
        if action.menu() is not None:
            out += [(f"menu {action.text()}", a.text()) for a in action.menu().actions()]
    return [(where, text) for where, text in out if text]


def _window_texts(windows) -> list[tuple[str, str]]:
    from PySide6.QtWidgets import QWidget

    found = []
    for top in windows:
        for widget in [top, *top.findChildren(QWidget)]:
            found += _texts(widget)
    return found


@pytest.fixture
def chinese(qapp):
    """The window's translators for zh_CN installed, and a record of what they missed."""
    from PySide6.QtCore import QLocale, QTranslator

    from activation_lens.gui import i18n

    class Recording(QTranslator):
        def __init__(self, inner):
            super().__init__()
            self.inner, self.missed = inner, set()

        def translate(self, context, source, disambiguation=None, n=-1):
            out = self.inner.translate(context, source, disambiguation, n)
            if not out and source and context in ours_contexts:
                self.missed.add((context, source))
            return out

        def isEmpty(self):
            return False

    ours_contexts = {c for c, _, _ in _messages()} | {  # not Qt's or pyqtgraph's own
        node.name for path in (ROOT / "gui").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)}
    before = QLocale()
    installed = i18n.install(qapp, "zh_CN")
    assert installed, "the zh_CN catalogue did not load"
    ours = installed[0]
    qapp.removeTranslator(ours)
    recording = Recording(ours)
    qapp.installTranslator(recording)
    yield recording
    for t in (recording, *installed[1:]):
        qapp.removeTranslator(t)
    QLocale.setDefault(before)


def _open_everything(window, qtbot):
    """Every dock, dialog and sheet a user reaches from the menus, still open."""
    from PySide6.QtWidgets import QApplication

    window.inspector_action.trigger()
    window.docks.training_action.trigger()
    window.show_shortcuts()
    window.open_export()
    window.preferences.open()
    inspector = window.inspector
    inspector.select_image(window.last_view.result, 3)
    for tab in (inspector.histogram_tab, inspector.curve_tab):
        inspector.tabs.setCurrentWidget(tab)
        qtbot.wait(200)
    qtbot.wait(300)
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_chinese_window_shows_no_untranslated_text(make_window, cifar, qtbot, chinese):
    window = make_window(data_root=str(cifar.root), activations="relu,sigmoid,leaky_relu")
    qtbot.waitUntil(lambda: window.inspector is None or True)
    windows = _open_everything(window, qtbot)
    extra = _activation_words()
    left = [(where, text, words) for where, text in _window_texts(windows)
            if (words := _english_words(text, extra))]
    assert left == [], "\n".join(f"{w}: {t!r} ({', '.join(ws)})" for w, t, ws in left)
    assert chinese.missed == set(), sorted(chinese.missed)
    assert "批次" in window.status_label.text()


def test_chinese_network_view_shows_no_untranslated_text(make_window, cifar, qtbot, chinese):
    window = make_window(data_root=str(cifar.root), network=True, preprocess="centered")
    qtbot.waitUntil(lambda: window.last_view.result.request.mode == "network", timeout=30000)
    extra = _activation_words() | {"conv1", "conv2"}
    left = [(where, text, words) for where, text in _window_texts([window])
            if (words := _english_words(text, extra))]
    assert left == [], "\n".join(f"{w}: {t!r} ({', '.join(ws)})" for w, t, ws in left)
    assert chinese.missed == set(), sorted(chinese.missed)


def test_chinese_deep_view_shows_no_untranslated_text(make_window, cifar, qtbot, chinese):
    window = make_window(data_root=str(cifar.root), deep=True, depth=4, width=4,
                         init="default,xavier,kaiming")
    qtbot.waitUntil(lambda: window.last_view.result.request.mode == "deep", timeout=30000)
    left = [(where, text, words) for where, text in _window_texts([window])
            if (words := _english_words(text, _activation_words()))]
    assert left == [], "\n".join(f"{w}: {t!r} ({', '.join(ws)})" for w, t, ws in left)
    assert chinese.missed == set(), sorted(chinese.missed)


def test_the_lang_option_overrides_the_setting_and_the_system(isolated_settings):
    from activation_lens.engine.settings import Settings
    from activation_lens.gui.app import parse_args
    from activation_lens.gui.i18n import SETTING, chosen_language

    settings = Settings(isolated_settings)
    settings.set(SETTING, "en")
    assert chosen_language(parse_args(["--lang", "zh_CN"]).lang, settings) == "zh_CN"
    assert chosen_language(None, settings) == "en"
    settings.set(SETTING, "zh_CN")
    assert chosen_language(None, settings) == "zh_CN"
    settings.set(SETTING, "klingon")  # a hand-edited value falls back to the system's
    assert chosen_language(None, settings) in ("en", "zh_CN")


def test_the_language_follows_a_chinese_system_locale(monkeypatch):
    from PySide6.QtCore import QLocale

    from activation_lens.gui import i18n

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("zh_CN")))
    assert i18n.system_language() == "zh_CN"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert i18n.system_language() == "en"


def test_engine_text_is_translated_with_its_own_arguments(qapp, chinese):
    from activation_lens.engine.text import Text, join
    from activation_lens.gui.i18n import engine_text

    note = Text("{dead} of {total} channels dead (all zero)", dead=3, total=16)
    assert str(note) == "3 of 16 channels dead (all zero)"  # the command line's English
    shown = engine_text(join([note, Text("{stuck} of {total} channels saturated", stuck=1,
                                         total=16)]))
    assert "3" in shown and "16" in shown and "死" in shown and "饱和" in shown
    assert engine_text("plain text stays") == "plain text stays"


def test_a_missing_catalogue_leaves_the_whole_window_english_and_says_so(qapp, monkeypatch,
                                                                           capsys):
    from PySide6.QtCore import QCoreApplication

    from activation_lens.gui import i18n

    monkeypatch.setattr(i18n, "catalog_bytes", lambda language: b"not a catalogue")
    assert i18n.install(qapp, "zh_CN") == []  # not even Qt's own buttons in Chinese
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    assert "zh_CN translation is missing or damaged" in capsys.readouterr().err


def test_text_is_the_english_sentence_and_keeps_its_template_whatever_its_argument_names():
    import pickle

    from activation_lens.engine.text import Text, plural

    t = Text("{cls}() needs {template}", cls="Net", template="arguments")
    assert t == "Net() needs arguments" and t.template == "{cls}() needs {template}"
    assert t.args == {"cls": "Net", "template": "arguments"}
    assert plural(1, "{n} file", "{n} files") == "1 file" and plural(2, "{n} file",
                                                                       "{n} files") == "2 files"
    assert pickle.loads(pickle.dumps(t)) == "Net() needs arguments"  # crosses as plain text


def test_the_chinese_side_panel_says_what_each_preprocessing_display_and_split_means(
        make_window, cifar, qtbot, chinese):
    window = make_window(data_root=str(cifar.root))
    form = window.form
    for combo in (form.preprocess_combo, form.display_combo, form.split_combo):
        for i in range(combo.count()):
            text, key = combo.itemText(i), combo.itemData(i)
            assert text.startswith(key) and re.search(r"[\u4e00-\u9fff]", text), text
    assert chinese.missed == set(), sorted(chinese.missed)
