"""The Training dock: trains per activation on the worker, plots live, can be cancelled, and
hands its weights to the network mode."""

from __future__ import annotations

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


def test_a_trained_run_that_cannot_be_saved_is_kept_and_saved_elsewhere(
        cifar, make_window, qtbot, tmp_path):
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
    assert dock.status.text().startswith("Trained, but not saved: saving the trained weights")
    assert not dock.save_button.isHidden()
    dock.save_elsewhere(str(tmp_path / "elsewhere"))
    qtbot.waitUntil(lambda: "Weights saved" in dock.status.text(), timeout=30000)
    (saved,) = (tmp_path / "elsewhere" / "actlens-training").iterdir()  # a run folder of its own
    assert (saved / "relu.pt").is_file() and dock.folder == str(saved)
    assert dock.show_button.isEnabled() and dock.save_button.isHidden()
