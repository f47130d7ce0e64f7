"""The banner for data whose checksums differ: what it says, what its button loads, what
the window says meanwhile, and that the choice is remembered for that data folder."""

from __future__ import annotations

import numpy as np

from tests.conftest import CifarFixture


def wait_for_offer(w, qtbot):
    banner = w.error_banner
    qtbot.waitUntil(lambda: banner.isVisible() and banner.button.isVisible(), timeout=30000)
    return banner


def test_the_banner_points_to_its_own_button_not_to_a_command_line_flag(cifar_files,
                                                                        make_window, qtbot):
    w = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    banner = wait_for_offer(w, qtbot)
    assert "--allow-unverified" not in banner.text()
    assert banner.text() == (
        f"{cifar_files.folder / 'test_batch'} failed the MD5 check against the official"
        " CIFAR-10 sums, so it was not loaded (unpickling an unverified file can run code)."
        " Download the data again, or, if you trust this copy, press \u201cLoad it anyway\u201d"
        " to read it as plain data.")


def test_the_window_says_it_is_loading_once_the_button_is_pressed(cifar_files, make_window,
                                                                 qtbot):
    w = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    wait_for_offer(w, qtbot).button.click()
    assert w.status_label.text() == "Loading data…"
    assert w.placeholder.text() == "Loading data…"
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)


def test_edits_made_while_the_banner_shows_are_kept_when_the_button_is_pressed(
        cifar_files, make_window, qtbot):
    w = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    banner = wait_for_offer(w, qtbot)
    w.form.batch_size_spin.setValue(16)
    w.form.preprocess_combo.setCurrentIndex(w.form.preprocess_combo.findData("centered"))
    qtbot.wait(300)  # the edited steps fail on the same data
    assert w.form.batch_size_spin.value() == 16
    wait_for_offer(w, qtbot).button.click()
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)
    shown = w.last_view.result.request
    assert (shown.batch_size, shown.preprocess) == (16, "centered")
    assert w.form.batch_size_spin.value() == 16 and not banner.isVisible()


def test_loading_unverified_data_is_remembered_for_that_folder_only(tmp_path, cifar_files,
                                                                    make_window, qtbot):
    first = make_window(data_root=str(cifar_files.root), wait_for_panels=False)
    wait_for_offer(first, qtbot).button.click()
    qtbot.waitUntil(lambda: first.last_view is not None, timeout=30000)
    first.close()

    again = make_window(data_root=str(cifar_files.root))  # the panels show: nothing asked
    assert not again.error_banner.isVisible() and again.session.allow_unverified
    assert np.array_equal(again.last_view.result.panels[0].images[0],
                          cifar_files.test_images[0])
    assert again.form.notes_label.isVisible()
    assert again.form.notes_label.text().startswith("unverified copy: ")
    again.close()

    other = CifarFixture(tmp_path / "other")
    elsewhere = make_window(data_root=str(other.root), wait_for_panels=False)
    wait_for_offer(elsewhere, qtbot)  # another folder is asked about again
    assert elsewhere.last_view is None and not elsewhere.session.allow_unverified
