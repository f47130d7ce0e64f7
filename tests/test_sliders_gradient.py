"""Parameter sliders (scales, sync with the box, live dragging through the window) and the
gradient f'(x) by autograd (the engine's functions, the Curve tab's overlay and share)."""

import numpy as np
import pytest
import torch

from activation_lens.engine.inspection import (
    activation_gradient,
    curve_data,
    gradient_at,
    small_gradient_fraction,
)
from activation_lens.engine.registry import parse_spec
from tests.helpers import param_box
from tests.test_gui import settle

# --- the engine: f'(x) by autograd ------------------------------------------------------


def test_relu_gradient_is_zero_below_zero_and_one_above():
    x, dy = activation_gradient(parse_spec("relu"), -1, 1, 201)
    assert np.all(dy[x < 0] == 0) and np.all(dy[x > 0] == 1)


def test_sigmoid_gradient_peaks_at_a_quarter_at_zero():
    x, dy = activation_gradient(parse_spec("sigmoid"), -6, 6, 401)
    assert dy.max() == pytest.approx(0.25, abs=1e-7)
    assert abs(x[dy.argmax()]) < 1e-6
    s = 1 / (1 + np.exp(-x))
    assert np.allclose(dy, s * (1 - s), atol=1e-6)


def test_gradient_follows_the_parameters_of_the_spec():
    x, dy = activation_gradient(parse_spec("leaky_relu(negative_slope=0.2)"), -1, 1, 101)
    assert np.allclose(dy[x < 0], 0.2) and np.allclose(dy[x > 0], 1.0)


def test_gradient_is_the_modules_own_derivative_even_with_random_slopes():
    values = np.random.default_rng(0).uniform(-1, -0.1, (2, 3, 4, 4)).astype(np.float32)
    spec = parse_spec("rrelu(seed=3)")  # training mode: a random slope per value
    from activation_lens.engine.registry import build_module

    slopes = build_module(spec)(torch.from_numpy(values)).numpy() / values
    assert np.ptp(slopes) > 0.05  # the slopes really differ
    assert np.allclose(gradient_at(spec, values), slopes, atol=1e-6)


def test_channelwise_gradient_is_the_diagonal_of_the_jacobian():
    values = np.random.default_rng(1).normal(size=(2, 3, 4, 4)).astype(np.float32)
    s = torch.softmax(torch.from_numpy(values), 1).numpy()
    assert np.allclose(gradient_at(parse_spec("softmax"), values), s * (1 - s), atol=1e-6)


def test_sigmoid_gradient_never_vanishes_on_to_tensor_values_and_almost_always_on_large_ones():
    rng = np.random.default_rng(2)
    unit = rng.uniform(0, 1, (8, 3, 32, 32)).astype(np.float32)  # ToTensor's range
    large = (rng.choice([-1, 1], unit.shape) * rng.uniform(10, 50, unit.shape)).astype(np.float32)
    sigmoid = parse_spec("sigmoid")
    assert small_gradient_fraction(sigmoid, unit) == 0.0
    assert small_gradient_fraction(sigmoid, large) > 0.99
    assert small_gradient_fraction(parse_spec("identity"), large) == 0.0


def test_curve_data_brings_the_gradient_and_the_share_only_on_request():
    spec = parse_spec("tanh")
    values = np.linspace(-5, 5, 48, dtype=np.float32).reshape(1, 3, 4, 4)
    plain = curve_data(spec, -2, 2, values=values)
    assert plain.dy is None and plain.small_gradient is None
    full = curve_data(spec, -2, 2, gradient=True, values=values)
    assert np.allclose(full.dy, 1 - np.tanh(full.x) ** 2, atol=1e-6)
    expected = np.mean(np.abs(1 - np.tanh(values.astype(np.float64)) ** 2) < 0.01)
    assert full.small_gradient == pytest.approx(expected)


# --- the sliders ------------------------------------------------------------------------


@pytest.fixture
def form(qtbot):
    from activation_lens.gui.activation_editor import ParamForm

    form = ParamForm()
    qtbot.addWidget(form)
    form.applied_specs = []
    form.applied.connect(form.applied_specs.append)
    return form


def test_log_scale_slider_maps_its_ends_to_the_range_ends(form):
    form.set_spec(parse_spec("elu"))
    slider, scale = form.sliders["alpha"], form.scales["alpha"]
    assert scale.mapping == "log"
    slider.setValue(slider.minimum())
    assert form.applied_specs[-1].params["alpha"] == 0.001
    slider.setValue(slider.maximum())
    assert form.applied_specs[-1].params["alpha"] == 10.0
    slider.setValue((slider.minimum() + slider.maximum()) // 2)  # the middle decade
    assert form.applied_specs[-1].params["alpha"] == pytest.approx(0.1)
    assert form.message.text() == ""


def test_negative_slope_slider_covers_zero_to_one_evenly_on_a_quarter_of_its_length(form):
    form.set_spec(parse_spec("leaky_relu"))
    slider, scale = form.sliders["negative_slope"], form.scales["negative_slope"]
    ends = [scale.position(v) for v in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert np.ptp(np.diff(ends)) <= 1  # evenly spaced: linear on [0, 1]
    assert ends[-1] - ends[0] >= (slider.maximum() - slider.minimum()) // 4
    assert scale.value(ends[0]) == 0.0 and scale.value(ends[-1]) == 1.0
    assert scale.value(slider.minimum()) == -10.0 and scale.value(slider.maximum()) == 10.0


def test_slider_of_an_open_range_stays_inside_it(form):
    form.set_spec(parse_spec("softplus"))
    slider = form.sliders["threshold"]  # (0, 80]
    slider.setValue(slider.minimum())
    assert 0 < form.applied_specs[-1].params["threshold"] < 0.01
    assert form.message.text() == ""


def test_slider_and_box_follow_each_other_with_one_edit_per_change(form):
    form.set_spec(parse_spec("leaky_relu(negative_slope=0.2)"))
    box, slider = param_box(form, "negative_slope"), form.sliders["negative_slope"]
    scale = form.scales["negative_slope"]
    assert slider.value() == scale.position(0.2)
    moves = []
    slider.valueChanged.connect(moves.append)
    slider.setValue(scale.position(0.5))  # slider → box
    assert box.text() == "0.5" and [s.params["negative_slope"] for s in form.applied_specs] == [0.5]
    box.setText("0.75")  # box → slider, without the slider reporting a move of its own
    box.editingFinished.emit()
    assert slider.value() == scale.position(0.75)
    assert len(moves) == 1 and [s.params["negative_slope"] for s in form.applied_specs] == [0.5, 0.75]
    box.setText("99")  # out of range: a message, the slider stays, no edit
    box.editingFinished.emit()
    assert "not allowed" in form.message.text() and slider.value() == scale.position(0.75)
    assert len(form.applied_specs) == 2


def test_integer_slider_and_spin_box_follow_each_other(form):
    form.set_spec(parse_spec("prelu"))
    spin, slider = param_box(form, "num_parameters"), form.sliders["num_parameters"]
    assert (slider.minimum(), slider.maximum()) == (0, 2)  # one step per integer 1..3
    slider.setValue(2)
    assert spin.value() == 3 and form.applied_specs[-1].params["num_parameters"] == 3
    spin.setValue(1)
    assert slider.value() == 0 and form.applied_specs[-1].params["num_parameters"] == 1


# --- dragging through the window --------------------------------------------------------


def _drag(qtbot, slider, positions, every=10):
    """Positions one after another as a mouse drag sets them; events are processed only
    every ``every`` moves, as a busy GUI thread would."""
    slider.setSliderDown(True)
    for i, pos in enumerate(positions):
        slider.setSliderPosition(pos)  # sliderMoved and valueChanged, as under the mouse
        if i % every == every - 1:
            qtbot.wait(15)  # long enough for a step to be shown now and then
    slider.setSliderDown(False)


def _zero_to_one(scale, n=100):
    start, end = scale.position(0.0), scale.position(1.0)
    return [start + round(i * (end - start) / (n - 1)) for i in range(n)]


def _painted(card) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = card.view._pixmap.toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, :image.width() * 3].reshape(image.height(), image.width(), 3).copy()


@pytest.fixture
def leaky_window(cifar, make_window):
    w = make_window(data_root=str(cifar.root), preprocess="centered",
                    activations="relu,leaky_relu")
    w.form.activations.list.setCurrentRow(1)
    return w


def test_a_drag_of_100_values_ends_on_the_last_one_and_paints_nothing_older_after_it(
        leaky_window, qtbot):
    from activation_lens.engine.imaging import GRID_COLUMNS, make_grid
    from activation_lens.engine.pipeline import Engine
    from activation_lens.gui.workers import GRID_PAD

    w = leaky_window
    form = w.form.activations.form
    shown = []
    w.controller.shown.connect(lambda view: shown.append(view.result.request))
    _drag(qtbot, form.sliders["negative_slope"], _zero_to_one(form.scales["negative_slope"]))
    settle(qtbot, w)
    qtbot.wait(300)  # a stale frame still on its way would be painted by now
    final = w.last_view.result.request
    assert final.activations[1].params["negative_slope"] == 1.0
    assert shown[-1] == final and len(shown) < 100
    ids = [r.id for r in shown]
    assert ids == sorted(set(ids))  # never an older request after a newer one
    fresh = Engine().run(final.with_(id=0)).panels[2]
    panel = w.last_view.result.panels[2]
    assert np.array_equal(panel.images, fresh.images)
    assert np.array_equal(panel.raw, w.last_view.result.panels[0].raw)  # slope 1: identity
    grid = make_grid(fresh.images, GRID_COLUMNS, pad=GRID_PAD, pad_value=40)
    assert np.array_equal(_painted(w.panels.cards[2]), grid)
    assert w.panels.cards[2].full_title == "leaky_relu(negative_slope=1)"


def test_the_curve_follows_a_drag_asking_each_curve_once_and_drawing_the_last(
        leaky_window, qtbot):
    w = leaky_window
    inspector = w.ensure_inspector()
    inspector.show()
    inspector.tabs.setCurrentWidget(inspector.curve_tab)
    curve = inspector.curve_tab
    qtbot.waitUntil(lambda: curve.shown_key is not None, timeout=20000)
    asked, drawn = [], []
    ask = curve.ask_curve
    curve.ask_curve = lambda key, *args: (asked.append(key), ask(key, *args))
    curve.drawn.connect(lambda key: drawn.append(key[0]))
    form = w.form.activations.form
    _drag(qtbot, form.sliders["negative_slope"], _zero_to_one(form.scales["negative_slope"]))
    settle(qtbot, w)
    final = w.last_view.result.request.activations[1]
    qtbot.waitUntil(lambda: drawn and drawn[-1] == final, timeout=10000)
    qtbot.wait(300)
    assert len(asked) == len(set(asked)) and asked[-1][0] == final
    assert set(drawn[drawn.index(final):]) == {final}  # nothing older drawn after the last
    x, y = curve.curve_item.xData, curve.curve_item.yData
    assert np.allclose(y, x, atol=1e-6)  # negative_slope=1: the identity


def test_the_gradient_checkbox_draws_f_prime_and_the_share_where_it_vanishes(
        cifar, make_window, qtbot):
    w = make_window(data_root=str(cifar.root), activations="sigmoid")
    inspector = w.ensure_inspector()
    inspector.show()
    inspector.tabs.setCurrentWidget(inspector.curve_tab)
    curve = inspector.curve_tab
    qtbot.waitUntil(lambda: curve.shown_key is not None, timeout=20000)
    assert not curve.gradient_item.isVisible() and not curve.gradient_label.isVisible()
    curve.gradient_check.setChecked(True)
    qtbot.waitUntil(lambda: curve.gradient_item.isVisible(), timeout=10000)
    x, dy = curve.gradient_item.xData, curve.gradient_item.yData
    s = 1 / (1 + np.exp(-x))
    assert np.allclose(dy, s * (1 - s), atol=1e-6)
    assert curve.gradient_label.isVisible()
    assert curve.gradient_label.text() == "|f′(x)| < 0.01 on 0.0% of this batch's values"
    curve.gradient_check.setChecked(False)
    qtbot.waitUntil(lambda: not curve.gradient_item.isVisible(), timeout=10000)
    assert not curve.gradient_label.isVisible()
