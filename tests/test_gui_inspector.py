"""The inspector dock, the identity badge's switch, and saving from the window."""

import json

import numpy as np
import pytest

from tests.helpers import param_box
from tests.test_gui import settle


@pytest.fixture
def window(cifar, make_window):
    return make_window(data_root=str(cifar.root), preprocess="centered",
                       activations="relu,leaky_relu(negative_slope=0.2)")


def test_clicking_a_cell_shows_that_image_in_every_panel_with_its_values(window, qtbot, cifar):
    w = window
    w.panels.cards[1].view.clicked.emit(5)
    tab = w.inspector.pixel_tab
    assert w.inspector.tabs.currentWidget() is tab and tab.image == 5
    assert [t.text() for t in tab.titles[:3]] == [
        "Input", "relu", "leaky_relu(negative_slope=0.2)"]
    tab.views[0].clicked.emit(3, 7)
    expected = cifar.test_images[5, 3, 7]
    assert [tab.table.item(0, c).text() for c in range(3)] == [str(v) for v in expected]
    centered = expected / 255 * 2 - 1
    got = [float(tab.table.item(1, c).text()) for c in range(3)]
    assert got == pytest.approx(centered.tolist(), abs=1e-5)
    relu = [float(tab.table.item(2, c).text()) for c in range(3)]
    assert relu == pytest.approx(np.maximum(centered, 0).tolist(), abs=1e-5)
    assert "pinned" in tab.caption.text() and "dog" in tab.caption.text()


def test_selection_follows_to_the_next_batch(window, qtbot, cifar):
    w = window
    w.panels.cards[0].view.clicked.emit(2)
    w.step_by(1)
    settle(qtbot, w, 1)
    tab = w.inspector.pixel_tab
    assert tab.image == 2 and tab.result.batch.index == 1
    assert tab.caption.text().startswith("Image #66")


def test_curve_redraws_when_a_parameter_changes(window, qtbot):
    w = window
    w.inspector_action.trigger()  # View → Inspector
    assert w.inspector.isVisible()
    w.inspector.tabs.setCurrentWidget(w.inspector.curve_tab)
    curve = w.inspector.curve_tab
    qtbot.waitUntil(lambda: curve.result is not None and curve.result.panels[0].hist is not None,
                    timeout=20000)
    w.form.activations.list.setCurrentRow(1)
    assert str(curve.spec) == "leaky_relu(negative_slope=0.2)"
    field = param_box(w.form.activations.form, "negative_slope")
    field.setText("0.5")
    field.editingFinished.emit()
    assert str(curve.spec) == "leaky_relu(negative_slope=0.5)"

    def drawn_min_near_minus_0_65():  # f(-1.3) = -0.65; the engine computes it off the GUI thread
        ys = [item.yData for item in curve.plot.listDataItems() if item.yData is not None]
        return any(np.isclose(y.min(), -0.5 * 1.3, atol=0.05) for y in ys)

    qtbot.waitUntil(drawn_min_near_minus_0_65, timeout=10000)


def test_histogram_tab_overlays_input_and_the_chosen_panel(window, qtbot):
    w = window
    assert w.last_view.result.panels[0].hist is None  # not computed while no plot shows it
    w.ensure_inspector().show()
    w.inspector.tabs.setCurrentWidget(w.inspector.histogram_tab)
    hist = w.inspector.histogram_tab
    qtbot.waitUntil(lambda: hist.names() == ["Input", "relu"], timeout=20000)
    assert hist.panel_combo.currentText() == "relu"
    counts, _ = w.last_view.result.panels[1].hist
    assert np.array_equal(hist.output_item.yData, counts.astype(float))
    w.step_by(1)  # later steps compute only the two histograms shown
    settle(qtbot, w, 1)
    assert [p.hist is not None for p in w.last_view.result.panels] == [True, True, False]
    hist.panel_combo.setCurrentIndex(2)  # another panel: its histogram is computed on demand
    qtbot.waitUntil(lambda: hist.names() == ["Input", "leaky_relu(negative_slope=0.2)"]
                    and hist.output_item.isVisible(), timeout=20000)
    hist.log_check.setChecked(True)
    assert hist.plot.getAxis("left").labelText.startswith("log10")


def test_identity_badge_switches_preprocessing_in_one_click(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    card = w.panels.cards[1]
    assert card.badge.isVisible()
    from PySide6.QtWidgets import QPushButton

    button = [b for b in card.badge.findChildren(QPushButton) if b.text() == "centered"][0]
    button.click()
    settle(qtbot, w)
    assert w.last_view.result.request.preprocess == "centered"
    assert not w.panels.cards[1].badge.isVisible()


def test_the_identity_badges_buttons_show_their_whole_words_at_a_small_zoom(
        cifar, make_window, qtbot):
    from PySide6.QtWidgets import QApplication, QPushButton

    from activation_lens.gui.app import resource

    app = QApplication.instance()
    app.setStyleSheet(resource("style.qss").decode())  # the window's own fonts and padding
    try:
        w = make_window(data_root=str(cifar.root))
        w.panels.set_zoom(0.5)
        settle(qtbot, w)
        card = w.panels.cards[1]
        assert card.badge.isVisible()
        for button in card.badge.findChildren(QPushButton):
            assert button.width() >= button.sizeHint().width(), button.text()
    finally:
        app.setStyleSheet("")


def test_saving_the_view_panels_and_statistics(window, qtbot, tmp_path):
    from PIL import Image

    w = window

    def saved():  # files are written by the controller's save jobs, off the GUI thread
        qtbot.waitUntil(lambda: not w.controller.running("save"), timeout=20000)

    w.saving.save_view(str(tmp_path / "view.png"))
    saved()
    assert Image.open(tmp_path / "view.png").size[0] > 300
    w.saving.save_panels(str(tmp_path / "pngs"))
    saved()
    assert len(list((tmp_path / "pngs").glob("*.png"))) == 3
    w.saving.save_stats(str(tmp_path / "stats.json"))
    saved()
    data = json.loads((tmp_path / "stats.json").read_text())
    assert data["session"]["preprocess"] == "centered" and len(data["panels"]) == 3
    w.saving.save_stats(str(tmp_path / "stats.txt"))
    saved()
    assert "csv or .json" in w.error_banner.text()


def test_enlarged_views_zoom_together_and_share_the_cursor(window):
    w = window
    w.panels.cards[0].view.clicked.emit(1)
    tab = w.inspector.pixel_tab
    tab.zoom_spin.setValue(10)
    visible = [v for v in tab.views if v.isVisibleTo(tab)]
    assert {v.sizeHint().width() for v in visible} == {320}
    visible[2].hovered.emit(4, 9)
    assert all(v._pixel == (4, 9) for v in visible)


def test_inspector_is_built_on_first_use_and_reopens_next_session(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    assert w.inspector is None  # pyqtgraph is not loaded at start-up
    w.panels.cards[0].view.clicked.emit(0)
    assert w.inspector.isVisible() and w.inspector_action.isChecked()
    w.close()
    w2 = make_window()
    qtbot.waitUntil(lambda: w2.inspector is not None and w2.inspector.isVisible(), timeout=5000)
