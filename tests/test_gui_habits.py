"""Habits of the desktop: copy the view, drag and drop, recent data folders, class names in the
cells, Preferences and the language menu, driven through the real window."""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontMetrics, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from activation_lens.engine.settings import MAX_TEXT, Settings
from activation_lens.gui.preferences import restart_command
from activation_lens.gui.recent import RecentList
from tests.test_gui import settle
from tests.test_network import MY_MODEL

# --- helpers -----------------------------------------------------------------------------


def mime_of(*paths, urls=None) -> QMimeData:
    mime = QMimeData()
    mime.setUrls(urls if urls is not None else [QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def drag_enter(target, mime) -> bool:
    event = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def drop(target, mime) -> bool:
    """Drag ``mime`` over ``target`` (the window or a part of it) and drop it, as a user
    would; True if it was taken."""
    if not drag_enter(target, mime):
        return False
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def make_image_folder(root):
    rng = np.random.default_rng(3)
    for cls, n in (("cats", 3), ("dogs", 4)):
        (root / cls).mkdir(parents=True)
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (36, 36, 3), dtype=np.uint8)).save(
                root / cls / f"{i}.png")
    return root


def menu_entries(menu) -> list[tuple[str, bool]]:
    menu.aboutToShow.emit()
    return [(a.text(), a.isEnabled()) for a in menu.actions()]


def trigger_entry(menu, text) -> None:
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == text).trigger()


# --- copy the view -----------------------------------------------------------------------


def test_ctrl_shift_c_copies_the_picture_that_save_view_writes(cifar, make_window, qtbot,
                                                              tmp_path):
    w = make_window(data_root=str(cifar.root))
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(w, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    copied = QGuiApplication.clipboard().image()
    assert not copied.isNull()
    assert "Copied the view" in w.statusBar().currentMessage()
    w.saving.save_view(str(tmp_path / "view.png"))
    qtbot.waitUntil(lambda: not w.controller.running("save"), timeout=20000)
    saved = QImage(str(tmp_path / "view.png"))
    assert copied.size() == saved.size() and copied.width() > 300
    rgb = QImage.Format.Format_RGB32
    assert copied.convertToFormat(rgb) == saved.convertToFormat(rgb)
    assert w.saving.copy_action.shortcut().toString() == "Ctrl+Shift+C"


def test_copy_before_any_batch_says_so_and_leaves_the_clipboard_alone(make_window):
    w = make_window(start=False)
    QGuiApplication.clipboard().setText("kept")
    w.saving.copy_view()
    assert QGuiApplication.clipboard().text() == "kept"
    assert "Nothing to copy yet" in w.error_banner.text()


# --- drag and drop -----------------------------------------------------------------------


def test_a_folder_dropped_on_the_panels_opens_as_an_image_folder(cifar, make_window, qtbot,
                                                                 tmp_path):
    folder = make_image_folder(tmp_path / "pets")
    w = make_window(data_root=str(cifar.root))
    assert drop(w.panels.viewport(), mime_of(folder))
    qtbot.waitUntil(lambda: w.last_view.result.request.dataset == "folder", timeout=30000)
    assert w.session.dataset == "folder" and w.session.data_root == str(folder)
    assert w.last_view.result.classes == ["cats", "dogs"]
    assert w.last_view.result.num_images == 7
    assert w.data_prompt.recent.entries()[0] == f"folder\t{folder}"


def test_a_dropped_folder_that_holds_no_images_is_undone_with_a_message(cifar, make_window,
                                                                        qtbot, tmp_path):
    (tmp_path / "empty").mkdir()
    w = make_window(data_root=str(cifar.root))
    before, shown = w.session, w.last_view
    assert drop(w, mime_of(tmp_path / "empty"))
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=30000)
    assert "no class folders" in w.error_banner.text()
    assert w.session == before and w.last_view is shown


def test_drag_enter_refuses_anything_but_local_files(cifar, make_window):
    w = make_window(data_root=str(cifar.root))
    text = QMimeData()
    text.setText("/some/path")
    assert not drag_enter(w, text)
    assert not drag_enter(w, mime_of(urls=[QUrl("https://example.com/data.zip")]))
    assert not drag_enter(w, mime_of(cifar.root, urls=[QUrl.fromLocalFile(str(cifar.root)),
                                                       QUrl("https://example.com/x.pt")]))
    assert not drag_enter(w.panels.viewport(), mime_of(urls=[QUrl("https://example.com/a")]))
    assert drag_enter(w, mime_of(cifar.root))


def test_dropping_a_module_file_warns_then_opens_it(cifar, make_window, qtbot, tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    w = make_window(data_root=str(cifar.root))
    assert drop(w, mime_of(path))
    assert w.models.warning is not None and "runs its Python code" in w.models.warning.text()
    assert w.session.model == ""  # nothing runs before the user agrees
    w.models.warning.button(QMessageBox.StandardButton.Open).click()
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=30000)
    assert w.session.model == str(path) and w.models.recent() == [str(path)]


def test_dropping_weights_shows_the_network_with_them(cifar, make_window, qtbot, tmp_path):
    import torch

    from activation_lens.engine.network import build_network
    from activation_lens.engine.registry import make_spec

    path = tmp_path / "mine.pth"
    torch.save(build_network(make_spec("relu"), seed=5).state_dict(), path)
    w = make_window(data_root=str(cifar.root))
    assert w.session.mode == "activations"
    assert drop(w, mime_of(path))
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "network"
                    and w.controller.shown_id == w.controller.latest_id, timeout=30000)
    assert w.last_view.result.request.weights == str(path) and not w.error_banner.isVisible()


def test_dropping_a_training_runs_run_json_uses_its_folder(cifar, make_window, tmp_path):
    run = tmp_path / "run1"
    run.mkdir()
    (run / "run.json").write_text("{}")
    w = make_window(data_root=str(cifar.root))
    assert drop(w, mime_of(run / "run.json"))
    assert w.session.weights == str(run) and w.session.mode == "network"


@pytest.mark.parametrize("what, message", [
    ("notes.txt", "cannot be opened here"),
    ("gone.pt", "it is not a file or folder"),
    ("two", "one file or folder at a time"),
])
def test_a_drop_that_cannot_be_opened_is_one_message_and_changes_nothing(
        what, message, cifar, make_window, tmp_path):
    w = make_window(data_root=str(cifar.root))
    before = w.session
    (tmp_path / "notes.txt").write_text("hello")
    mime = mime_of(tmp_path / "notes.txt", cifar.root) if what == "two" else mime_of(
        tmp_path / what)
    drop(w, mime)
    assert message in w.error_banner.text() and w.error_banner.isVisible()
    assert w.session == before and w.models.warning is None


# --- recent data folders -----------------------------------------------------------------


def test_data_folders_chosen_in_the_data_box_are_offered_again_under_open_recent(
        cifar, make_window, qtbot, tmp_path, monkeypatch):
    copy = tmp_path / "copy"
    shutil.copytree(cifar.root, copy)
    w = make_window(data_root=str(cifar.root))
    menu = w.data_prompt.recent_menu
    assert menu_entries(menu) == [("No data folders yet", False)]
    for folder in (copy, cifar.root):
        monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, f=folder: str(f))
        w.form.root_button.click()
        settle(qtbot, w)
    assert w.session.data_root == str(cifar.root)
    assert menu_entries(menu) == [(f"{cifar.root} (cifar10)", True), (f"{copy} (cifar10)", True)]
    trigger_entry(menu, f"{copy} (cifar10)")
    settle(qtbot, w, 0)
    assert w.session.data_root == str(copy)
    assert menu_entries(menu)[0] == (f"{copy} (cifar10)", True)  # now the most recent
    w.close()
    w2 = make_window()
    assert [t for t, _ in menu_entries(w2.data_prompt.recent_menu)] == [
        f"{copy} (cifar10)", f"{cifar.root} (cifar10)"]


def test_a_recent_folder_that_is_gone_is_removed_with_a_message(cifar, make_window, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    w = make_window(data_root=str(cifar.root))
    w.data_prompt.recent.add(f"cifar10\t{gone}")
    gone.rmdir()
    before = w.session
    trigger_entry(w.data_prompt.recent_menu, f"{gone} (cifar10)")
    assert "is no longer there" in w.error_banner.text()
    assert w.session == before
    assert menu_entries(w.data_prompt.recent_menu) == [("No data folders yet", False)]


def test_recent_entries_read_back_only_when_valid_and_fit_one_setting(tmp_path):
    path = tmp_path / "settings.ini"
    path.write_text('[data]\nrecent="nonsense\\nfolder\\t/a\\nmnist\\t\\nfolder\\t/a\\n'
                    'cifar10\\t/b"\n')
    from activation_lens.gui.data_dialog import _valid_entry

    recent = RecentList(Settings(path), "data/recent", _valid_entry)
    assert recent.entries() == ["folder\t/a", "cifar10\t/b"]
    for i in range(20):
        recent.add(f"folder\t/{i:03d}" + "x" * 900)
    recent.add("folder\t" + "y" * 2000)  # too long to remember: ignored
    entries = recent.entries()
    assert entries[0].startswith("folder\t/019") and 1 <= len(entries) <= 8
    recent.settings.sync()
    assert len(Settings(path).raw("data/recent")) <= MAX_TEXT
    assert RecentList(Settings(path), "data/recent", _valid_entry).entries() == entries


# --- class names in the cells ------------------------------------------------------------


def test_class_names_show_in_the_batch_cells_from_200_percent_zoom(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    view = w.panels.cards[0].view
    w.panels.set_zoom(1.9)
    assert view.drawn_names() == []
    w.panels.set_zoom(2.0)
    names = view.drawn_names()
    assert [n for _, n in names[:3]] == ["airplane", "automobile", "bird"]
    assert len(names) == 64 and all(c.view.drawn_names() for c in w.panels.cards)
    metrics = QFontMetrics(view.name_font())
    assert all(metrics.horizontalAdvance(n) <= view.cell_rect(0).width() - 4 for _, n in names)
    qtbot.waitUntil(lambda: view.size() == view.sizeHint(), timeout=5000)
    painted = view.grab().toImage()
    grid = w.last_view.grids[0]
    cell = view.cell_rect(3)

    def changed(y):  # pixels of the cell's row y that differ from the image's own
        return sum(painted.pixelColor(x, y) != grid.pixelColor(x // 2, y // 2)
                   for x in range(cell.left(), cell.right() + 1))

    assert changed(cell.top() + 2) == 0  # the image itself is untouched
    assert changed(cell.bottom() - 1) > cell.width() // 2  # the strip with the name
    assert view.index_at(QPoint(cell.center().x(), cell.bottom() - 1)) == 3  # part of the cell
    w.panels.set_zoom(1.99)
    assert view.drawn_names() == []


def test_a_long_class_name_is_elided_to_its_cell_and_tiny_cells_show_none(qapp):
    from activation_lens.gui.panels import GridView

    view = GridView()
    grid = QImage(2 * 34, 32, QImage.Format.Format_RGB888)
    grid.fill(0)
    view.set_image(grid, 2, 32, 32, 2, 2, ["#0", "#1"], ["a rather long class name", "cat"])
    view.set_zoom(2.0)
    (_, long), (_, short) = view.drawn_names()
    assert long.endswith("…") and long.startswith("a ") and short == "cat"
    assert QFontMetrics(view.name_font()).horizontalAdvance(long) <= view.cell_rect(0).width()
    view.set_image(grid.scaled(2 * 6, 4), 2, 4, 4, 2, 2, ["#0", "#1"], ["cat", "dog"])
    assert view.drawn_names() == []  # 8 px cells at 200%: no room for a name


def test_feature_map_cells_show_no_class_names(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.edit({"mode": "network"})
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "network", timeout=30000)
    w.panels.set_zoom(4.0)
    assert w.panels.cards[0].view.drawn_names()  # the input: the batch
    assert all(c.view.drawn_names() == [] for c in w.panels.cards[1:])  # feature maps


# --- preferences and language ------------------------------------------------------------


def open_preferences(w, qtbot):
    w.activateWindow()  # a dialog that just closed may still hold the focus
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.preferences.dialog is not None
                    and w.preferences.dialog.isVisible(), timeout=5000)
    return w.preferences.dialog


def test_preferences_set_the_data_folder_and_device_at_once(cifar, make_window, qtbot,
                                                            tmp_path):
    from activation_lens.engine.devices import DeviceInfo

    copy = tmp_path / "copy"
    shutil.copytree(cifar.root, copy)
    w = make_window(data_root=str(cifar.root))
    w.form.set_devices([DeviceInfo("cpu", "CPU"), DeviceInfo("cuda:99", "far away")], "cpu")
    dialog = open_preferences(w, qtbot)
    assert dialog.root_edit.text() == str(cifar.root)
    assert [dialog.device_combo.itemData(i) for i in range(dialog.device_combo.count())] == [
        "cpu", "cuda:99"]
    dialog.root_edit.setText(str(copy))
    dialog.ok_button.click()
    assert w.preferences.dialog is None  # closed
    settle(qtbot, w, 0)
    assert w.session.data_root == str(copy)
    assert w.data_prompt.recent.entries()[0] == f"cifar10\t{copy}"
    dialog = open_preferences(w, qtbot)
    dialog.device_combo.setCurrentIndex(1)
    dialog.ok_button.click()
    assert w.session.device == "cuda:99"  # applied at once (this machine then refuses it)
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=30000)


@pytest.mark.parametrize("bad, message", [
    ("file", "is a file, not a folder"),
    ("missing", "does not exist"),
    ("", "No data folder given"),
])
def test_preferences_refuse_a_bad_data_folder_and_change_nothing(bad, message, cifar,
                                                                 make_window, qtbot, tmp_path):
    (tmp_path / "file").write_text("x")
    w = make_window(data_root=str(cifar.root))
    before = w.session
    dialog = open_preferences(w, qtbot)
    dialog.root_edit.setText(str(tmp_path / bad) if bad else "  ")
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.ok_button.click()
    assert dialog.isVisible() and message in dialog.message.text()
    assert w.session == before and w.preferences.language() == "system"
    assert w.data_prompt.recent.entries() == []


def test_restart_now_stores_the_language_and_starts_the_app_again(cifar, make_window, qtbot,
                                                                  isolated_settings,
                                                                  monkeypatch):
    app_args = ["--lang", "en", "--data-root", "/old", "--batch-size", "8",
                "--allow-unverified"]
    monkeypatch.setattr(sys, "orig_argv", ["python", "-X", "dev", "/venv/bin/actlens", *app_args])
    monkeypatch.setattr(sys, "argv", ["/venv/bin/actlens", *app_args])
    started = []
    w = make_window(data_root=str(cifar.root))
    w.preferences.starter = lambda program, args: started.append((program, args)) or (True, 1)
    dialog = open_preferences(w, qtbot)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.restart_button.click()
    # the settings hold the new language, data folder and session: only what they do not
    # remember comes back from the first command line
    assert started == [(sys.executable, ["-X", "dev", "/venv/bin/actlens",
                                         "--allow-unverified"])]
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert Settings(isolated_settings).text("ui/language", "") == "zh_CN"


def test_a_restart_that_cannot_start_says_so_and_keeps_the_window(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.preferences.starter = lambda program, args: (False, 0)
    dialog = open_preferences(w, qtbot)
    assert not dialog.restart_button.isEnabled()  # nothing to restart for yet
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("zh_CN"))
    dialog.restart_button.click()
    assert w.isVisible() and dialog.isVisible()
    assert "could not be started again" in dialog.message.text()
    assert "could not be started again" in w.error_banner.text()


def test_view_language_menu_reflects_the_setting_and_offers_the_restart(cifar, make_window,
                                                                        qtbot, isolated_settings):
    started = []
    w = make_window(data_root=str(cifar.root))
    w.preferences.starter = lambda program, args: started.append(program) or (True, 1)
    menu = w.preferences.language_menu
    menu.aboutToShow.emit()
    assert [(a.text(), a.isChecked()) for a in menu.actions()] == [
        ("System default", True), ("English", False), ("简体中文", False)]
    menu.actions()[2].trigger()
    box = w.preferences.offer
    assert box is not None and "starts again" in box.text()
    next(b for b in box.buttons() if b.text() == "Later").click()
    assert started == [] and w.isVisible()
    assert Settings(isolated_settings).text("ui/language", "") == "zh_CN"
    menu.aboutToShow.emit()
    assert [a.isChecked() for a in menu.actions()] == [False, False, True]
    menu.actions()[1].trigger()
    next(b for b in w.preferences.offer.buttons() if b.text() == "Restart now").click()
    assert started == [sys.executable]
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert Settings(isolated_settings).text("ui/language", "") == "en"


def test_the_restart_command_keeps_only_what_the_settings_do_not_remember():
    app = ["--lang", "zh_CN", "--batch-size", "8", "--lang=en", "--data-root", "/old",
           "--allow", "--model", "net.py:Net", "--activations", "relu"]
    program, args = restart_command(["python", "-X", "dev", "/bin/actlens", *app],
                                    ["/bin/actlens", *app])
    assert program == sys.executable
    assert args == ["-X", "dev", "/bin/actlens", "--allow", "--model", "net.py:Net"]
    _, args = restart_command(["python", "-m", "gui", "--model=a.py"], ["gui", "--model=a.py"])
    assert args == ["-m", "gui", "--model=a.py"]


# --- the shortcut sheet ------------------------------------------------------------------


def test_shortcut_sheet_lists_the_new_keys_and_the_old(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    qtbot.keyClick(w, Qt.Key.Key_F1)
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert boxes
    text = boxes[0].text()
    for keys in ("Ctrl + Shift + C", "Ctrl + ,", "drag and drop", "Ctrl + E", "Ctrl + M", "F1"):
        assert keys in text
    boxes[0].close()


def test_a_view_too_large_for_one_picture_is_refused_with_a_message_and_the_clipboard_kept(
        cifar, make_window, qtbot, monkeypatch):
    from PySide6.QtGui import QGuiApplication

    from activation_lens.gui import saving
    w = make_window(data_root=str(cifar.root))
    QGuiApplication.clipboard().setText("kept")
    monkeypatch.setattr(saving, "MAX_VIEW_PIXELS", 1000)  # as a 1600% view of 1,024 images
    w.saving.copy_view()
    assert "too large for one picture" in w.error_banner.text() and w.error_banner.isVisible()
    assert QGuiApplication.clipboard().text() == "kept"


def test_a_drop_before_pytorch_has_loaded_asks_to_drop_again_and_changes_nothing(
        cifar, make_window, tmp_path):
    folder = make_image_folder(tmp_path / "photos")
    w = make_window(start=False, data_root=str(cifar.root))
    before = w.session
    drop(w, mime_of(folder))
    assert "once PyTorch has loaded" in w.error_banner.text()
    assert w.session == before


def test_a_change_that_fails_before_the_first_batch_brings_back_the_starting_session(
        cifar, make_window, qtbot, tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not weights")
    w = make_window(data_root=str(cifar.root), wait_for_panels=False)
    w.edit({"mode": "network", "weights": str(bad)})  # before any batch has shown
    qtbot.waitUntil(lambda: w.error_banner.isVisible() and w.last_view is not None,
                    timeout=30000)
    assert w.session.mode == "activations" and w.session.weights == ""
    assert w.last_view.result.request.mode == "activations"


def test_markup_in_a_path_is_shown_as_text_in_every_label_that_quotes_it(
        make_window, qtbot, tmp_path):
    from PySide6.QtWidgets import QLabel

    root = tmp_path / "<b>x<br>"  # as a folder named <img src=...> would be
    root.mkdir()
    w = make_window(data_root=str(root), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.data_prompt.dialog is not None, timeout=30000)
    quoting = [label for top in QApplication.topLevelWidgets()
               for label in top.findChildren(QLabel) if "<b>x<br>" in label.text()]
    assert quoting, "the path should be quoted somewhere (the dialog, the Data box)"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in quoting), \
        [label.objectName() or type(label.parent()).__name__ for label in quoting
         if label.textFormat() != Qt.TextFormat.PlainText]
    w.session = w.session.with_(weights=str(root / "w.pt"))
    w.form.show_session(w.session, w.root_text())
    assert "&lt;b&gt;x&lt;br&gt;" in w.form.mode_form("network").weights_label.toolTip()


def test_a_starting_session_that_fails_falls_back_to_the_defaults_with_its_message(
        cifar, make_window, qtbot, tmp_path):
    bad = tmp_path / "gone.pt"
    bad.write_bytes(b"not weights")  # as remembered weights replaced by something else
    w = make_window(data_root=str(cifar.root), network=True, weights=str(bad),
                    wait_for_panels=False)
    qtbot.waitUntil(lambda: w.last_view is not None and w.error_banner.isVisible(),
                    timeout=30000)
    assert "gone.pt" in w.error_banner.text()
    assert w.session.mode == "activations" and w.session.weights == ""
    assert w.session.data_root == str(cifar.root)  # the data folder is kept


def test_the_zoom_chosen_is_the_zoom_of_the_next_launch_even_with_a_dock_open(cifar, make_window,
                                                                              qtbot):
    w = make_window(data_root=str(cifar.root))
    w.resize(1200, 800)
    w.docks.inspector_action.trigger()
    w.panels.set_zoom(1.1)
    w.close()
    for _ in range(2):  # a launch that changes nothing keeps it too
        w = make_window()
        qtbot.waitUntil(lambda w=w: w.nav.zoom_label.text().strip() == "110%", timeout=5000)
        assert w.panels.zoom == pytest.approx(1.1)
        w.close()


@pytest.mark.parametrize("saved", [30, 10])
def test_a_saved_zoom_the_zoom_control_cannot_show_opens_fitted_not_clamped(
        cifar, make_window, qtbot, isolated_settings, saved):
    from activation_lens.engine.settings import Settings

    store = Settings(isolated_settings)
    store.set("window/zoom", saved)
    store.sync()
    w = make_window(data_root=str(cifar.root), batch_size=4)
    qtbot.wait(300)  # the restored zoom is applied once the first panels show
    restored = w.panels.zoom
    w.panels.fit()
    assert restored == w.panels.zoom and restored > 0.5
