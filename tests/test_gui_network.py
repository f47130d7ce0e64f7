"""The network mode and the user's own module in the window."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QMessageBox

from tests.test_gui import settle
from tests.test_network import MY_MODEL


def choose_mode(w, qtbot, mode: str) -> None:
    combo = w.form.mode_combo
    combo.setCurrentIndex(combo.findData(mode))
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == mode
                    and w.controller.shown_id == w.controller.latest_id, timeout=20000)


def test_network_mode_shows_each_layer_before_and_after_each_activation(cifar, make_window,
                                                                        qtbot):
    w = make_window(data_root=str(cifar.root))
    choose_mode(w, qtbot, "network")
    titles = [c.full_title for c in w.panels.cards]
    assert titles[0] == "Input" and len(titles) == 1 + 4 * 2
    assert titles[1:5] == ["relu · conv1", "relu · conv1_act", "relu · conv2", "relu · conv2_act"]
    assert w.panels.cards[1].view._labels[3] == "channel 3"
    assert "seeded random" in w.form.mode_form("network").weights_label.text()
    before = w.last_view.result.panels[1].raw.copy()
    w.panels.cards[0].view.clicked.emit(5)  # pick another image of the batch
    qtbot.waitUntil(lambda: w.last_view.result.request.image == 5, timeout=20000)
    assert not np.array_equal(w.last_view.result.panels[1].raw, before)
    w.step_by(1)
    settle(qtbot, w, 1)
    assert w.last_view.result.request.mode == "network"


def test_the_pixel_readout_lists_every_feature_map_at_the_pixel(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.ensure_inspector().show()
    choose_mode(w, qtbot, "network")
    w.panels.cards[0].view.clicked.emit(2)
    qtbot.waitUntil(lambda: w.last_view.result.request.image == 2, timeout=20000)
    tab = w.inspector.pixel_tab
    assert tab.image == 2
    tab.views[0].clicked.emit(4, 6)
    assert tab.table.columnCount() == 32  # conv2 has 32 maps
    labels = [tab.table.verticalHeaderItem(r).text() for r in range(tab.table.rowCount())]
    assert "relu · conv1 (raw)" in labels
    row = labels.index("relu · conv1 (raw)")
    expected = w.last_view.result.panels[1].raw[:, 0, 4, 6]
    got = [float(tab.table.item(row, c).text()) for c in range(16)]
    assert np.allclose(got, expected, atol=1e-4)
    headers = [tab.table.horizontalHeaderItem(c).text() for c in range(32)]
    assert headers == [f"map {c}" for c in range(32)]  # maps by number, not "R · map 0"
    assert labels[0] == "input pixel (uint8: R, G, B)"  # the input row says its three


def open_module(w, qtbot, path) -> None:
    w.models.choose(str(path))
    if w.models.warning is not None:  # the first time: opening runs the file's code
        box = w.models.warning
        assert "runs its Python code" in box.text()
        box.button(QMessageBox.StandardButton.Open).click()


def test_opening_a_module_warns_once_then_shows_its_outputs(cifar, make_window, qtbot,
                                                           tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    w = make_window(data_root=str(cifar.root))
    relu = w.last_view.result.panels[1].images.copy()
    w.models.choose(str(path))
    assert w.models.warning is not None
    w.models.warning.button(QMessageBox.StandardButton.Cancel).click()
    assert w.session.model == ""  # cancelled: nothing ran
    open_module(w, qtbot, path)
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=20000)
    assert [p.tag for p in w.last_view.result.panels] == ["input", "output_0", "output_1"]
    assert np.array_equal(w.last_view.result.panels[1].images, relu)
    w.models.choose(str(path))
    assert w.models.warning is None  # agreed once
    assert w.models.recent() == [str(path)]


def test_a_bad_module_leaves_the_previous_view_and_a_message(cifar, make_window, qtbot,
                                                            tmp_path):
    good = tmp_path / "my_model.py"
    good.write_text(MY_MODEL)
    bad = tmp_path / "broken.py"
    bad.write_text("from torch import nn\nclass M(nn.Module):\n"
                   "    def forward(self, x):\n        raise RuntimeError('oops')\n")
    w = make_window(data_root=str(cifar.root))
    open_module(w, qtbot, good)
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=20000)
    shown = w.last_view
    open_module(w, qtbot, bad)
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=20000)
    assert "broken.py:4: forward failed (RuntimeError: oops)" in w.error_banner.text()
    assert w.last_view is shown and len(w.panels.cards) == 3
    open_module(w, qtbot, good)  # and the window goes on working
    w.step_by(1)
    settle(qtbot, w, 1)
    assert not w.error_banner.isVisible()


def test_a_module_is_not_reopened_at_the_next_start(cifar, make_window, qtbot, tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    w = make_window(data_root=str(cifar.root))
    open_module(w, qtbot, path)
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=20000)
    w.close()
    w2 = make_window()
    assert w2.last_view.result.request.mode == "activations" and w2.session.model == ""
    assert w2.models.recent() == [str(path)]  # offered under File → Open Recent


def test_refused_weights_are_undone_and_stepping_goes_on(cifar, make_window, qtbot, tmp_path):
    import torch

    bad = tmp_path / "bad.pt"
    torch.save({"conv1.weight": torch.zeros(2, 2)}, bad)
    w = make_window(data_root=str(cifar.root))
    choose_mode(w, qtbot, "network")
    w.edit({"weights": str(bad)})
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=20000)
    assert "does not fit the network" in w.error_banner.text()
    assert w.session.weights == ""
    assert "seeded random" in w.form.mode_form("network").weights_label.text()
    w.step_by(1)
    settle(qtbot, w, 1)  # the next batch shows, with the weights that work


def test_refused_weights_opened_from_the_pixels_view_keep_their_message_on_screen(
        cifar, make_window, qtbot, tmp_path):
    import torch

    bad = tmp_path / "bad.pt"
    torch.save({"conv1.weight": torch.zeros(2, 2)}, bad)
    w = make_window(data_root=str(cifar.root))
    shown = []
    w.controller.shown.connect(shown.append)
    w.edit({"mode": "network", "weights": str(bad)})  # as a dropped weights file does
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=20000)
    qtbot.wait(500)  # undoing the change must not start a step that hides the message
    assert w.error_banner.isVisible() and "does not fit the network" in w.error_banner.text()
    assert shown == [] and w.session.mode == "activations"
    assert w.form.mode_combo.currentData() == "activations"


def test_the_module_view_names_the_layer_behind_each_output(cifar, make_window, qtbot,
                                                           tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    w = make_window(data_root=str(cifar.root))
    open_module(w, qtbot, path)
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "module", timeout=20000)
    assert [c.full_title for c in w.panels.cards] == ["Input", "output_0 · relu1",
                                                      "output_1 · sigmoid1"]
    w.ensure_inspector().show()
    w.inspector.tabs.setCurrentWidget(w.inspector.curve_tab)
    qtbot.waitUntil(lambda: "brings its own activations" in w.inspector.curve_tab.title.text(),
                    timeout=10000)


def test_the_curve_tab_keeps_nothing_of_the_last_activation_once_a_module_shows(
        cifar, make_window, qtbot, tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    w = make_window(data_root=str(cifar.root))
    w.ensure_inspector().show()
    curve = w.inspector.curve_tab
    w.inspector.tabs.setCurrentWidget(curve)
    curve.gradient_check.setChecked(True)
    qtbot.waitUntil(lambda: curve.gradient_label.isVisible(), timeout=10000)
    open_module(w, qtbot, path)
    qtbot.waitUntil(lambda: "brings its own activations" in curve.title.text(), timeout=20000)
    assert not curve.gradient_label.isVisible()  # no share of the activation shown before
    assert not any(item.isVisible() for item in curve.items)


def test_in_the_network_view_the_curve_spans_the_layer_before_the_activation(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    choose_mode(w, qtbot, "network")
    w.ensure_inspector().show()
    w.inspector.tabs.setCurrentWidget(w.inspector.curve_tab)
    curve = w.inspector.curve_tab
    qtbot.waitUntil(lambda: "relu · conv1's histogram" in curve.title.text(), timeout=20000)
    conv1 = w.last_view.result.panels[1].stats
    assert f"{conv1.min:.3g}" in curve.title.text()


def test_hovering_an_input_image_outlines_no_feature_map(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    choose_mode(w, qtbot, "network")
    w.panels.cards[0].view.hovered.emit(3)
    assert w.panels.cards[0].view._highlight == 3
    assert all(c.view._highlight == -1 for c in w.panels.cards[1:])
    w.panels.cards[1].view.hovered.emit(5)  # relu · conv1 channel 5: also after the ReLU
    assert [c.view._highlight for c in w.panels.cards[:5]] == [-1, 5, 5, -1, -1]


def test_the_network_histogram_compares_the_batchs_input_with_one_images_maps_like_with_like(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    choose_mode(w, qtbot, "network")
    w.ensure_inspector().show()
    hist = w.inspector.histogram_tab
    w.inspector.tabs.setCurrentWidget(hist)
    hist.panel_combo.setCurrentIndex(1)  # relu · conv1: its reference is the batch's input
    n_input, n_maps = w.last_view.result.panels[0].images.shape[0] * 3 * 32 * 32, 16 * 32 * 32
    qtbot.waitUntil(lambda: hist.names() == [f"Input ({n_input:,} values, scaled to {n_maps:,})",
                            f"relu · conv1 ({n_maps:,} values)"], timeout=20000)
    assert np.isclose(hist.input_item.yData.sum(), n_maps)  # one population's size on one axis
    assert np.isclose(hist.output_item.yData.sum(), n_maps)
    assert hist.plot.getAxis("left").labelText == f"count per {n_maps:,} values"
    hist.panel_combo.setCurrentIndex(2)  # relu · conv1_act over relu · conv1: alike, unscaled
    qtbot.waitUntil(lambda: hist.names() == ["relu · conv1", "relu · conv1_act"], timeout=20000)
    assert hist.plot.getAxis("left").labelText == "count"


def test_a_curve_tab_open_when_the_network_view_starts_shows_the_layers_histogram_at_once(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.ensure_inspector().show()
    curve = w.inspector.curve_tab
    w.inspector.tabs.setCurrentWidget(curve)  # the Histogram tab never visited
    qtbot.waitUntil(lambda: curve.hist_item.isVisible(), timeout=10000)  # the input's
    choose_mode(w, qtbot, "network")  # now the curve's source is conv1
    qtbot.waitUntil(lambda: "relu · conv1's histogram" in curve.title.text(), timeout=20000)
    qtbot.waitUntil(lambda: curve.hist_item.isVisible(), timeout=10000)
    counts, _ = w.last_view.result.panels[1].hist
    assert counts.sum() > 0 and curve.hist_item.yData is not None
