"""The Training dock: trains per activation on the worker, plots live, can be cancelled, and
hands its weights to the network mode."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.test_gui import settle


def curve(plot, name: str):
    """The curve a training plot shows for ``name`` (its name in the legend)."""
    (item,) = [i for i in plot.listDataItems() if i.name() == name]
    return item


def points(item) -> int:
    _, ys = item.getData()
    return 0 if ys is None else len(ys)


def test_training_in_the_window_plots_each_activation_and_feeds_the_network_mode(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="relu,identity")
    w.docks.training_action.trigger()  # View → Training
    dock = w.docks.training
    assert dock.isVisible()
    dock.epochs.setValue(2)
    dock.start()
    qtbot.waitUntil(lambda: not dock.running(), timeout=120000)
    assert [str(r.spec) for r in dock.results] == ["relu", "identity"]
    assert dock.table.rowCount() == 2 and dock.table.item(0, 1).text().endswith("%")
    loss_item, acc_item = curve(dock.loss_plot, "relu"), curve(dock.acc_plot, "relu")
    assert points(acc_item) == 2 and points(loss_item) >= 2
    assert "train split" in dock.status.text() and "Weights saved" in dock.status.text()
    dock.show_button.click()  # the trained network's feature maps, each with its own weights
    qtbot.waitUntil(lambda: w.last_view.result.request.mode == "network"
                    and w.last_view.result.request.weights == dock.folder, timeout=20000)
    trained = w.last_view.result.panels[1].raw.copy()
    w.edit({"weights": ""})
    settle(qtbot, w, 0)
    assert not np.array_equal(w.last_view.result.panels[1].raw, trained)


def test_cancelling_training_keeps_the_curves_so_far(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="relu,tanh,sigmoid")
    dock = w.docks.ensure_training()
    dock.epochs.setValue(50)
    dock.start()
    qtbot.waitUntil(lambda: points(curve(dock.loss_plot, "relu")) > 0, timeout=60000)
    dock.cancel()
    qtbot.waitUntil(lambda: not dock.running(), timeout=30000)
    assert dock.train_button.isEnabled()
    assert points(curve(dock.loss_plot, "relu")) > 0  # the losses so far are kept
    assert len(dock.results) <= 1


def trained_but_not_saved(cifar, make_window, qtbot):
    """A window whose Training dock trained relu and could not save it (its run folder went
    while it trained)."""
    import shutil

    w = make_window(data_root=str(cifar.root), activations="relu")
    dock = w.docks.ensure_training()
    dock.epochs.setValue(30)
    dock.start()
    qtbot.waitUntil(lambda: points(curve(dock.loss_plot, "relu")) > 0, timeout=60000)
    (run,) = (cifar.root / "actlens-training").iterdir()
    shutil.rmtree(run)
    run.write_text("the run's folder, gone while it trained")  # saving it will fail
    qtbot.waitUntil(lambda: not dock.running(), timeout=120000)
    return w, dock


def test_a_trained_run_that_cannot_be_saved_is_kept_and_saved_elsewhere(
        cifar, make_window, qtbot, tmp_path):
    w, dock = trained_but_not_saved(cifar, make_window, qtbot)
    assert dock.status.text().startswith("Trained, but not saved: saving the trained weights")
    assert not dock.save_button.isHidden()
    dock.save_elsewhere(str(tmp_path / "elsewhere"))
    qtbot.waitUntil(lambda: "Weights saved" in dock.status.text(), timeout=30000)
    (saved,) = (tmp_path / "elsewhere" / "actlens-training").iterdir()  # a run folder of its own
    assert (saved / "relu.pt").is_file() and dock.folder == str(saved)
    assert dock.show_button.isEnabled() and dock.save_button.isHidden()


def test_closing_with_a_trained_run_not_saved_asks_first_and_keeps_the_window_open(
        cifar, make_window, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    w, dock = trained_but_not_saved(cifar, make_window, qtbot)
    asked = []

    def answer(text):
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == text).click()

    QTimer.singleShot(300, lambda: answer("Keep the window open to save them"))
    w.close()
    assert asked and "only in memory" in asked[0]
    assert w.isVisible() and dock.isVisible()  # still open: the run can be saved elsewhere
    QTimer.singleShot(300, lambda: answer("Quit without saving"))
    w.close()
    assert len(asked) == 2 and not w.isVisible()


def test_the_dock_says_its_recipe_trains_on_the_windows_preprocessing_and_marks_chance(
        tmp_path, make_window, qtbot):
    import json

    from tests.test_train import blank_cifar

    data = blank_cifar(tmp_path / "data")  # nothing to learn: every run stays at chance
    w = make_window(data_root=str(data.root), allow_unverified=True,
                    activations="relu,identity")
    w.edit({"preprocess": "centered"})
    settle(qtbot, w)
    dock = w.docks.ensure_training()
    dock.show()
    dock.epochs.setValue(1)
    assert dock.recipe_label.text() == (
        "Recipe: relu, identity, each from the same initial weights, with Adam, learning rate"
        " 0.002, 1 epoch in batches of 64, seed 0, preprocessing centered, device cpu; trained"
        " on the train split, held out: the test split. The preprocessing is the side panel's"
        " Preprocess.")
    w.edit({"preprocess": "normalize"})  # the dock follows the side panel
    qtbot.waitUntil(lambda: "preprocessing normalize" in dock.recipe_label.text(), timeout=30000)
    w.edit({"preprocess": "centered"})
    settle(qtbot, w)
    dock.start()
    qtbot.waitUntil(lambda: not dock.running(), timeout=120000)
    assert dock.run_label.text().startswith(
        "In the table: Adam, learning rate 0.002, 1 epoch of 2 batches of 64 (2 steps), seed 0,"
        " preprocessing centered, device cpu; trained on the train split (100 images)")
    assert "The warm-up before the first activation took" in dock.run_label.text()
    header = dock.table.horizontalHeaderItem(3)
    assert header.text() == "seconds (after warm-up)" and "untimed warm-up" in header.toolTip()
    assert [dock.table.item(r, 0).text() for r in range(2)] == [
        "relu (stayed at chance)", "identity (stayed at chance)"]
    assert dock.notes.isVisible() and dock.notes.text().startswith("stayed at chance:")
    saved = json.loads((Path(dock.folder) / "run.json").read_text())
    assert saved["preprocess"] == "centered" and "preprocessing centered" in saved["recipe"]


def test_sigmoid_below_identity_gets_a_note_pointing_to_the_depth_view(cifar, make_window):
    from activation_lens.engine.registry import parse_spec_list
    from activation_lens.engine.train import TrainResult
    from activation_lens.gui.controller import TRAINING

    w = make_window(data_root=str(cifar.root), activations="relu,identity,sigmoid")
    dock = w.docks.ensure_training()
    dock.show()
    relu, identity, sigmoid = parse_spec_list("relu,identity,sigmoid")
    figures = ((relu, 0.516), (identity, 0.413), (sigmoid, 0.255))
    for spec, accuracy in figures[:2]:  # the dock's own route for a finished activation
        w.controller.progressed.emit(TRAINING, dock, (
            "trained", TrainResult(spec, [1.5], [accuracy], [1.7], 2.0)))
    assert not dock.notes.isVisible()
    w.controller.progressed.emit(TRAINING, dock, (
        "trained", TrainResult(sigmoid, [2.0], [0.255], [2.05], 2.0)))
    assert dock.notes.isVisible()
    assert dock.notes.text().startswith("Sigmoid (25.5%) scores below identity (41.3%)")
    assert "centred on 0.5" in dock.notes.text()
    assert "The depth view (Show: Through a deep network" in dock.notes.text()


def test_the_docks_choices_are_remembered_between_launches(
        cifar, make_window, isolated_settings):
    w = make_window(data_root=str(cifar.root))
    dock = w.docks.ensure_training()
    dock.epochs.setValue(7)
    dock.lr.setValue(0.005)
    dock.seed.setValue(3)
    dock.on_test.setChecked(True)
    w.close()
    w2 = make_window()
    dock2 = w2.docks.ensure_training()
    assert (dock2.epochs.value(), dock2.lr.value(), dock2.seed.value()) == (7, 0.005, 3)
    assert dock2.on_test.isChecked()
    assert "1 epoch" not in dock2.recipe_label.text() and "7 epochs" in dock2.recipe_label.text()
    w2.close()
    text = isolated_settings.read_text()
    isolated_settings.write_text(text.replace('lr="0.005"', 'lr="nan"').replace(
        "epochs=7", "epochs=100000"))
    dock3 = make_window().docks.ensure_training()
    assert (dock3.epochs.value(), dock3.lr.value(), dock3.seed.value()) == (4, 0.002, 3)


def test_before_training_the_recipe_says_plainly_what_will_be_trained(
        cifar, make_window, qtbot):
    for batch in cifar.folder.glob("data_batch_*"):
        batch.unlink()  # only the test split: 130 images, cut 104 / 26
    w = make_window(data_root=str(cifar.root), activations="relu,identity")
    dock = w.docks.ensure_training()
    dock.epochs.setValue(3)
    assert dock.recipe_label.text() == (
        "Recipe: relu, identity, each from the same initial weights, with Adam, learning rate"
        " 0.002, 3 epochs of 2 batches of 64 (6 steps), seed 0, preprocessing to_tensor, device"
        " cpu; trained on the first 104 test images, held out: the last 26 (the data folder has"
        " no train split). The preprocessing is the side panel's Preprocess.")
    assert "would" not in dock.recipe_label.text() and "when it is" not in dock.recipe_label.text()


def test_the_last_results_table_shows_again_after_reopening_the_dock_and_after_a_relaunch(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="relu,identity")
    w.docks.training_action.trigger()
    dock = w.docks.training
    dock.epochs.setValue(1)
    dock.start()
    qtbot.waitUntil(lambda: not dock.running(), timeout=120000)

    def table(d):
        return [[d.table.item(r, c).text() for c in range(4)] for r in range(d.table.rowCount())]

    trained, label = table(dock), dock.run_label.text()
    assert len(trained) == 2
    assert "buys." in dock.status.text() and "Add identity" not in dock.status.text()
    w.docks.training_action.trigger()  # closed
    assert not dock.isVisible()
    w.docks.training_action.trigger()  # and opened again
    assert table(w.docks.training) == trained
    w.close()
    w2 = make_window(data_root=str(cifar.root), activations="relu,identity")
    qtbot.waitUntil(lambda: w2.docks.training is not None, timeout=5000)  # it was open
    again = w2.docks.training
    assert table(again) == trained and again.run_label.text() == label
    assert again.folder == dock.folder and again.show_button.isEnabled()
    assert "The table shows the last run, saved in" in again.status.text()
    _, accs = curve(again.acc_plot, "relu").getData()
    assert len(accs) == 1


def test_opened_beside_the_inspector_the_dock_takes_the_whole_side_as_a_tab(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    w.resize(1400, 860)  # the window's default size
    w.docks.inspector_action.trigger()
    w.docks.training_action.trigger()  # both docks on the right
    dock, inspector = w.docks.training, w.inspector
    qtbot.waitUntil(lambda: dock.isVisible() and not dock.visibleRegion().isEmpty(), timeout=5000)
    qtbot.wait(200)
    assert inspector in w.tabifiedDockWidgets(dock)
    assert dock.height() > 650  # not half of the side
    for plot in (dock.loss_plot, dock.acc_plot):
        assert plot.height() >= 210 and plot.plotItem.legend is None  # no legend on a curve
    scroll = dock.widget()
    top = dock.table.mapTo(scroll.widget(), dock.table.rect().topLeft()).y()
    assert top + 60 < scroll.viewport().height()  # the table's first rows in sight
    w.docks.inspector_action.trigger()  # View → Inspector brings it to the front
    qtbot.waitUntil(lambda: not inspector.visibleRegion().isEmpty(), timeout=5000)
    assert dock.isVisible() and w.docks.training_action.isChecked() is False


def test_the_tables_scroll_bars_are_drawn_in_the_dark_style(cifar, make_window, qtbot):
    from PySide6.QtWidgets import QApplication

    from activation_lens.gui.app import resource

    app = QApplication.instance()
    before = app.styleSheet()
    app.setStyleSheet(resource("style.qss").decode("utf-8"))  # the app's own style
    try:
        w = make_window(data_root=str(cifar.root))
        dock = w.docks.ensure_training()
        dock.show()
        dock.table.setRowCount(40)  # more rows and columns than it shows
        for bar, size in ((dock.table.horizontalScrollBar(), (300, 14)),
                          (dock.table.verticalScrollBar(), (14, 200))):
            bar.setRange(0, 100)
            bar.setPageStep(30)
            bar.resize(*size)
            image = bar.grab().toImage()
            image = image.convertToFormat(image.Format.Format_RGB888)
            rgb = np.frombuffer(image.constBits(), np.uint8).reshape(
                image.height(), image.bytesPerLine())[:, :image.width() * 3]
            assert rgb.max() < 140, "a light scroll bar on the dark canvas"
    finally:
        app.setStyleSheet(before)


def test_without_identity_trained_the_lesson_says_how_to_train_its_baseline(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="relu")
    dock = w.docks.ensure_training()
    dock.epochs.setValue(1)
    dock.start()
    qtbot.waitUntil(lambda: not dock.running(), timeout=120000)
    assert dock.status.text().endswith("Add identity to the side panel's activations to train"
                                       " that baseline beside them.")
