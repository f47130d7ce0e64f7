"""The window, driven like a user would (pytest-qt, offscreen)."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from activation_lens.engine.registry import make_spec
from tests.helpers import param_box


def shown_batch(w) -> int:
    return w.last_view.result.batch.index


def settle(qtbot, w, batch=None):
    """Wait until the window shows the result of its newest request."""
    qtbot.waitUntil(lambda: w.controller.shown_id == w.controller.latest_id, timeout=30000)
    if batch is not None:
        assert shown_batch(w) == batch


def test_window_appears_before_torch_with_controls_disabled(make_window):
    w = make_window(start=False)
    assert w.windowTitle() == "Activation Lens"
    assert w.placeholder.text() == "Loading PyTorch…"
    assert not w.nav.next_button.isEnabled() and not w.export_action.isEnabled()


def test_the_first_look_comes_at_the_zoom_the_panels_take_and_says_what_the_data_is(
        cifar_files, make_window, qtbot):
    w = make_window(start=False, data_root=str(cifar_files.root), allow_unverified=True,
                    activations="relu,sigmoid,tanh")  # the zoom is "fit", as at a first launch
    seen = {}
    w.controller.looked.connect(lambda _view: seen.update(
        zoom=w.first_look.zoom, notes=w.form.notes_label.text(),
        shown=w.stack.currentWidget() is w.first_look))
    w.start()
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=60000)
    qtbot.wait(200)  # the panels fit themselves once they are on screen
    assert seen["shown"]
    assert w.panels.zoom == seen["zoom"], "the view jumped from the first look's zoom"
    assert "unverified copy" in seen["notes"]  # said with the first look, not after it


def test_default_session_shows_input_relu_and_sigmoid_with_tensorboard_pixels(cifar, make_window):
    w = make_window(data_root=str(cifar.root))
    assert [c.full_title for c in w.panels.cards] == ["Input", "relu", "sigmoid"]
    panels = w.last_view.result.panels
    unit = cifar.test_images[:64].astype(np.float32) / 255
    assert np.array_equal(panels[0].images, cifar.test_images[:64])
    expected = ((1 / (1 + np.exp(-unit))) * 255).astype(np.uint8)
    assert np.abs(panels[2].images.astype(int) - expected).max() <= 1
    assert w.panels.cards[1].badge.isVisible()  # relu on [0, 1] is the identity
    assert not w.panels.cards[2].badge.isVisible()
    assert "Batch 0 of 3" in w.status_label.text()
    image = w.last_view.grids[0]
    px = image.pixelColor(0, 0)
    assert (px.red(), px.green(), px.blue()) == tuple(cifar.test_images[0, 0, 0])


def test_keyboard_and_buttons_navigate_batches(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=10)
    qtbot.keyClick(w, Qt.Key.Key_Right)
    settle(qtbot, w, 1)
    qtbot.keyClick(w, Qt.Key.Key_End)
    settle(qtbot, w, 12)
    qtbot.keyClick(w, Qt.Key.Key_Right)  # past the end stays at the end
    settle(qtbot, w, 12)
    qtbot.keyClick(w, Qt.Key.Key_PageUp)
    settle(qtbot, w, 2)
    qtbot.keyClick(w, Qt.Key.Key_Home)
    settle(qtbot, w, 0)
    qtbot.keyClick(w, Qt.Key.Key_PageDown)
    settle(qtbot, w, 10)
    w.nav.prev_button.click()
    settle(qtbot, w, 9)
    w.nav.batch_slider.setValue(4)
    settle(qtbot, w, 4)
    w.nav.batch_spin.setValue(6)
    settle(qtbot, w, 6)
    assert w.visited >= {0, 1, 2, 4, 6, 9, 10, 12}


def test_burst_of_key_presses_is_coalesced_and_ends_on_the_last_batch(cifar, make_window,
                                                                      qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=1)
    shown = []
    w.controller.step_shown.connect(shown.append)
    for _ in range(60):
        qtbot.keyClick(w, Qt.Key.Key_Right)
    settle(qtbot, w, 60)
    assert len(shown) < 60  # intermediate requests were dropped, not queued
    assert w.last_view.result.batch.start == 60


def test_adding_editing_disabling_and_removing_activations(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    editor = w.form.activations
    editor.picker.setCurrentText("leaky_relu")
    editor.add_button.click()
    settle(qtbot, w)
    assert [c.full_title for c in w.panels.cards] == ["Input", "relu", "sigmoid", "leaky_relu"]
    field = param_box(editor.form, "negative_slope")
    field.setText("99")
    field.editingFinished.emit()
    assert "negative_slope=99 is not allowed" in editor.form.message.text()
    field.setText("0.2")
    field.editingFinished.emit()
    settle(qtbot, w)
    assert w.panels.cards[3].full_title == "leaky_relu(negative_slope=0.2)"
    editor.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # disable relu
    settle(qtbot, w)
    assert [c.full_title for c in w.panels.cards] == [
        "Input", "sigmoid", "leaky_relu(negative_slope=0.2)"]
    editor.list.setCurrentRow(2)
    editor.move_current(-1)
    settle(qtbot, w)
    assert [str(s) for s in editor.specs()] == ["leaky_relu(negative_slope=0.2)", "sigmoid"]
    editor.remove_current()
    settle(qtbot, w)
    assert [str(s) for s, _ in editor.all_specs()] == ["relu", "sigmoid"]


def test_typed_spec_is_validated_next_to_the_field(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    editor = w.form.activations
    editor.spec_edit.setText("hardtanh(min_val=1, max_val=0)")
    editor.spec_edit.returnPressed.emit()
    assert "min_val must be less than max_val" in editor.message.text()
    editor.spec_edit.setText("elu(alpha=0.5)")
    editor.spec_edit.returnPressed.emit()
    settle(qtbot, w)
    assert w.panels.cards[-1].full_title == "elu(alpha=0.5)"
    assert editor.spec_edit.text() == ""


def test_twelve_activations_are_the_limit(cifar, make_window):
    w = make_window(data_root=str(cifar.root))
    for _ in range(12):
        w.form.activations.add(make_spec("tanh"))
    assert w.form.activations.list.count() == 12
    assert "At most 12" in w.form.activations.message.text()


def test_device_list_offers_only_available_devices(cifar, make_window):
    import torch

    w = make_window(data_root=str(cifar.root))
    ids = [w.form.device_combo.itemData(i) for i in range(w.form.device_combo.count())]
    assert ids[0] == "cpu"
    assert ("cuda:0" in ids) == torch.cuda.is_available()


def test_unavailable_device_from_the_command_line_falls_back_to_cpu_with_a_lasting_message(
        cifar, make_window):
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    w = make_window(data_root=str(cifar.root), device="cuda:3")
    assert w.form.device_combo.currentData() == "cpu"
    assert w.last_view is not None  # the first batch has been shown, and the message stays
    assert w.error_banner.isVisible() and "not available" in w.error_banner.text()


def test_preprocess_and_display_changes_recompute(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.form.preprocess_combo.setCurrentIndex(w.form.preprocess_combo.findData("centered"))
    settle(qtbot, w)
    assert w.last_view.result.request.preprocess == "centered"
    assert not w.panels.cards[1].badge.isVisible()  # relu now zeroes the negatives
    w.form.display_combo.setCurrentIndex(w.form.display_combo.findData("signed"))
    settle(qtbot, w)
    assert w.last_view.result.panels[1].display == "signed"


def test_unverified_data_shows_an_error_and_the_window_stays_usable(cifar_files, make_window,
                                                                   qtbot):
    w = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=30000)
    assert "failed the MD5 check" in w.error_banner.text()
    w.session = w.session.with_(allow_unverified=True)
    w.request_step()
    settle(qtbot, w, 0)
    assert not w.error_banner.isVisible()


def test_missing_data_offers_download_choose_or_quit(tmp_path, cifar, make_window, qtbot):
    w = make_window(data_root=str(tmp_path / "empty"), wait_for_panels=False)
    qtbot.waitUntil(lambda: w.data_prompt.dialog is not None, timeout=30000)
    dialog = w.data_prompt.dialog
    assert dialog.download_button.isEnabled()
    dialog.chosen_root = str(cifar.root)
    dialog.accept()
    settle(qtbot, w, 0)
    assert w.session.data_root == str(cifar.root)


def test_declining_missing_data_while_images_show_keeps_them_and_the_window(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.edit({"dataset": "cifar100"})  # not on disk; CIFAR-10 shows meanwhile
    qtbot.waitUntil(lambda: w.data_prompt.dialog is not None, timeout=30000)
    assert w.data_prompt.dialog.quit_button.text() == "Keep the images shown"
    w.data_prompt.dialog.quit_button.click()
    qtbot.waitUntil(lambda: w.data_prompt.dialog is None, timeout=5000)
    assert w.isVisible() and w.session.dataset == "cifar10"
    assert "cifar100 is not loaded" in w.error_banner.text()


def test_quit_from_the_missing_data_dialog_closes_the_window(tmp_path, make_window, qtbot):
    from activation_lens.engine.errors import DatasetMissingError

    w = make_window(data_root=str(tmp_path), start=False)  # nothing shown, not the sample
    w.data_prompt.missing(DatasetMissingError("CIFAR-10 not found", dataset="cifar10",
                                              root=str(tmp_path)))
    assert w.data_prompt.dialog.quit_button.text() == "Quit"
    w.data_prompt.dialog.quit_button.click()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)


def test_settings_are_remembered_between_sessions(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.form.batch_size_spin.setValue(16)
    w.form.activations.add(make_spec("tanh"))
    settle(qtbot, w)
    w.close()
    w2 = make_window()
    assert w2.session.data_root == str(cifar.root)
    assert w2.form.batch_size_spin.value() == 16
    assert [str(s) for s in w2.form.activations.specs()] == ["relu", "sigmoid", "tanh"]


def test_zoom_is_shared_by_every_panel(cifar, make_window):
    w = make_window(data_root=str(cifar.root))
    w.panels.set_zoom(3.0)
    sizes = {c.view.sizeHint().width() for c in w.panels.cards}
    assert sizes == {round((8 * 32 + 7 * 2) * 3.0)}
    w.panels.set_zoom(100)
    assert w.panels.zoom == 16.0


def test_hovering_a_cell_outlines_it_in_every_panel_and_names_its_class(cifar, make_window):
    w = make_window(data_root=str(cifar.root))
    view = w.panels.cards[0].view
    w.panels.set_zoom(1.0)
    assert view.index_at(view.cell_rect(9).center()) == 9
    view.hovered.emit(9)
    assert all(c.view._highlight == 9 for c in w.panels.cards)
    assert view._labels[9] == "#9 · truck"


def test_shortcut_sheet_lists_the_keys(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    qtbot.keyClick(w, Qt.Key.Key_F1)
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert boxes and "Ctrl + E" in boxes[0].text()
    boxes[0].close()


def test_qt_binding_keeps_python_none_alive_across_many_calls(qapp):
    # A binding that drops a reference to None per call aborts the interpreter after a few
    # thousand repaints on Python < 3.12 ("deallocating None").
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 10


def test_remembered_batch_beyond_the_split_shows_the_last_batch(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=1)
    w.go_to(100)
    settle(qtbot, w, 100)
    w.close()
    w2 = make_window(batch_size=64)
    assert shown_batch(w2) == 2 and not w2.error_banner.isVisible()


def test_long_titles_are_elided_in_the_middle_keeping_the_last_parameter_value_in_sight(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="hardtanh(min_val=-0.25, max_val=0.75)")
    w.panels.set_zoom(0.5)
    card = w.panels.cards[1]
    text = card.title.text()
    assert "…" in text and text != card.full_title
    assert text.startswith("hardtanh(") and text.endswith("0.75)")
    assert "hardtanh(min_val=-0.25, max_val=0.75)" in card.title.toolTip()
    assert card.sizeHint().width() <= card.view.sizeHint().width() + 240


def test_panels_have_the_keyboard_focus_once_the_engine_is_ready(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    qtbot.waitUntil(lambda: w.focusWidget() is w.panels, timeout=5000)


def test_a_copy_whose_checksums_differ_can_be_loaded_from_the_window_as_plain_data(
        cifar_files, make_window, qtbot):
    w = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    banner = w.error_banner
    qtbot.waitUntil(lambda: banner.isVisible() and "MD5" in banner.text(), timeout=30000)
    assert w.last_view is None and banner.button.isVisible()
    assert banner.button.text() == "Load it anyway, as plain data"
    banner.button.click()
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)
    assert w.session.allow_unverified and not banner.isVisible()
    shown = w.last_view.result
    assert np.array_equal(shown.panels[0].images[0], cifar_files.test_images[0])
    assert any("unverified" in str(note) for note in shown.notes)  # marked once loaded


def test_the_module_view_without_a_module_shows_its_time_limit_box_beside_its_label(
        cifar, make_window, qtbot):
    from PySide6.QtWidgets import QSpinBox

    w = make_window(data_root=str(cifar.root))
    w.form.mode_combo.setCurrentIndex(w.form.mode_combo.findData("module"))
    form = w.form.mode_form("module")
    qtbot.waitUntil(form.isVisible, timeout=5000)
    (spin,) = form.findChildren(QSpinBox)
    label = form.rows.labelForField(spin)
    assert label.text() == "Time limit" and label.isVisible() and spin.isVisible()


def test_previous_and_next_are_offered_only_where_there_is_a_batch_to_go_to(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), batch_size=50)  # 130 images: batches 0, 1, 2
    assert not w.nav.prev_button.isEnabled() and w.nav.next_button.isEnabled()
    w.nav.next_button.click()
    qtbot.waitUntil(lambda: w.last_view.result.request.batch_index == 1, timeout=20000)
    assert w.nav.prev_button.isEnabled() and w.nav.next_button.isEnabled()
    w.go_to(2)
    qtbot.waitUntil(lambda: w.last_view.result.request.batch_index == 2, timeout=20000)
    assert w.nav.prev_button.isEnabled() and not w.nav.next_button.isEnabled()
