"""The depth view in the window: a table and a line per (activation, init), live on depth
edits, a word while a long step computes, and a Training tab that trains every pair, plots
them live and keeps what it did when cancelled."""

from __future__ import annotations

from tests.test_gui import settle


def deep_view(w):
    return w.mode_views.views["deep"]


def table_rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_the_profile_has_a_row_and_a_line_per_pair_and_follows_the_depth(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), deep=True, depth=4, width=4,
                    activations="relu,sigmoid", init="xavier,kaiming")
    qtbot.waitUntil(lambda: w.last_view is not None and w.last_view.result.request.mode == "deep",
                    timeout=30000)
    view = deep_view(w)
    assert view.isVisible()
    rows = table_rows(view.batch.table)
    assert [r[0] for r in rows] == ["relu · xavier", "relu · kaiming", "sigmoid · xavier",
                                    "sigmoid · kaiming"]
    assert rows[1][3] == "1" and rows[2][3] == "—"  # the theory: ReLU's, none for Sigmoid
    # four measured lines, and ReLU's two dashed theory lines
    assert len(view.batch.profile_plot.listDataItems()) == 6
    assert "Sigmoid's slope f′ is at most 0.25" in view.batch.note.text()
    w.form.mode_form("deep").depth_spin.setValue(7)
    settle(qtbot, w)
    x, _ = view.batch.profile_plot.listDataItems()[0].getData()
    assert list(x) == [1, 2, 3, 4, 5, 6, 7]


def test_a_slow_step_says_it_is_computing(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), deep=True, depth=30, width=16, batch_size=64,
                    activations="relu,tanh,sigmoid", init="default,xavier,kaiming",
                    wait_for_panels=False)
    qtbot.waitUntil(lambda: w.status_label.text() == "Computing…", timeout=30000)
    settle(qtbot, w)
    assert w.status_label.text().startswith("Batch 0")
    w.edit({"depth": 31})
    qtbot.waitUntil(lambda: deep_view(w).batch.note.text().startswith("Computing"), timeout=30000)
    settle(qtbot, w)
    assert not deep_view(w).batch.note.text().startswith("Computing")


def test_training_at_depth_trains_every_pair_and_plots_them(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), deep=True, depth=3, width=4, batch_size=16,
                    activations="relu,tanh", init="kaiming")
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)
    training = deep_view(w).training
    deep_view(w).setCurrentWidget(training)
    training.steps.setValue(5)
    training.optimiser.setCurrentIndex(training.optimiser.findData("sgd"))
    assert training.lr.value() == 0.01  # the optimiser's own rate
    training.train_button.click()
    assert not training.train_button.isEnabled() and training.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not training.running(), timeout=120000)
    rows = table_rows(training.table)
    assert [r[0] for r in rows] == ["relu · kaiming", "tanh · kaiming"]
    assert all(r[2].endswith("%") and r[4].startswith("done") for r in rows)
    assert "5 steps of SGD with momentum 0.9" in training.status.text()
    losses = [item.getData()[1] for item in training.loss_plot.listDataItems()]
    assert [len(v) for v in losses] == [5, 5]
    assert training.grad_image.image.shape == (3, 5)  # layer × step
    assert training.train_button.isEnabled()


def test_cancelling_training_at_depth_keeps_the_steps_done(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), deep=True, depth=3, width=4, batch_size=16,
                    activations="relu,tanh,sigmoid", init="kaiming")
    qtbot.waitUntil(lambda: w.last_view is not None, timeout=30000)
    training = deep_view(w).training
    training.steps.setValue(100_000)
    training.start()
    qtbot.waitUntil(lambda: "step" in training.status.text() and "of 100000" in
                    training.status.text(), timeout=60000)
    training.cancel()
    qtbot.waitUntil(lambda: not training.running(), timeout=30000)
    rows = table_rows(training.table)
    assert len(rows) == 1 and rows[0][4].startswith("cancelled after")
    assert rows[0][2].endswith("%")  # measured where it stopped
    assert training.status.text().startswith("Cancelled: kept")
    assert "2 pair(s) not trained" in training.status.text()
    assert len(training.loss_plot.listDataItems()[0].getData()[1]) >= 1


def test_a_failed_step_does_not_leave_the_window_saying_it_is_computing(cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), deep=True, depth=3, width=4)
    w.edit({"depth": 64, "width": 64, "batch_size": 1024})  # too large a stack: refused
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=30000)
    qtbot.wait(800)  # past the moment a slow step would be said to be computing
    assert "smaller batch, width or depth" in w.status_label.text()
    assert not deep_view(w).batch.note.text().startswith("Computing")
