"""Inspector values, activation curves, per-panel histograms and saving a step."""

import csv
import json

import numpy as np
import pytest
import torch

from activation_lens.engine.errors import ActlensError
from activation_lens.engine.inspection import activation_curve, pixel_values, save_panel_pngs, save_stats
from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import parse_spec, parse_spec_list


@pytest.fixture
def step(cifar):
    specs = tuple(parse_spec_list("relu,leaky_relu(negative_slope=0.2),softmax"))
    req = StepRequest(data_root=str(cifar.root), preprocess="centered", activations=specs,
                      histograms=("*",))
    return Engine().run(req), cifar


def test_pixel_values_match_the_raw_tensors(step):
    result, cifar = step
    pv = pixel_values(result, 5, 3, 7)
    pixel = cifar.test_images[5, 3, 7]
    assert pv.pixel == tuple(int(v) for v in pixel) and pv.label == "dog"
    centered = pixel.astype(np.float32) / 255 * 2 - 1
    titles = [t for t, _ in pv.rows]
    assert titles == ["input", "relu", "leaky_relu(negative_slope=0.2)", "softmax"]
    values = dict(pv.rows)
    assert values["input"] == pytest.approx(centered.tolist(), abs=1e-6)
    assert values["relu"] == pytest.approx(np.maximum(centered, 0).tolist(), abs=1e-6)
    leaky = np.where(centered > 0, centered, 0.2 * centered)
    assert values["leaky_relu(negative_slope=0.2)"] == pytest.approx(leaky.tolist(), abs=1e-6)
    soft = torch.softmax(torch.tensor(centered), 0).tolist()
    assert values["softmax"] == pytest.approx(soft, abs=1e-6)


def test_pixel_outside_the_batch_is_a_clear_error(step):
    with pytest.raises(ActlensError, match="no pixel"):
        pixel_values(step[0], 500, 0, 0)


def test_histograms_count_every_value_of_each_panel(step):
    result, _ = step
    for p in result.panels:
        counts, edges = p.hist
        assert counts.sum() == p.raw.size and len(edges) == len(counts) + 1
        assert edges[0] == pytest.approx(p.stats.min) and edges[-1] == pytest.approx(p.stats.max)


def test_relu_curve_is_flat_below_zero_and_the_identity_above():
    x, y = activation_curve(parse_spec("relu"), -1, 1, 201)
    assert np.allclose(y, np.maximum(x, 0), atol=1e-7)


def test_curve_follows_parameter_edits():
    _, a = activation_curve(parse_spec("leaky_relu(negative_slope=0.1)"), -1, 0, 11)
    _, b = activation_curve(parse_spec("leaky_relu(negative_slope=0.5)"), -1, 0, 11)
    assert a[0] == pytest.approx(-0.1) and b[0] == pytest.approx(-0.5)


def test_channelwise_curve_is_defined():
    x, y = activation_curve(parse_spec("softmax"), -2, 2, 5)
    assert np.all((y > 0) & (y < 1)) and y[-1] > y[0]


def test_stats_save_as_json_and_csv(step, tmp_path):
    result, _ = step
    data = json.loads(save_stats(result, tmp_path / "s.json").read_text())
    assert [p["panel"] for p in data["panels"]][:2] == ["input", "relu"]
    assert data["panels"][1]["frac_zero"] == pytest.approx(result.panels[1].stats.frac_zero)
    with open(save_stats(result, tmp_path / "s.csv")) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 and rows[0]["preprocess"] == "centered"
    with pytest.raises(ActlensError, match=".csv or .json"):
        save_stats(result, tmp_path / "s.txt")


def test_panel_pngs_hold_the_exact_grid_pixels(step, tmp_path):
    from PIL import Image

    from activation_lens.engine.imaging import make_grid

    result, _ = step
    paths = save_panel_pngs(result, tmp_path / "png")
    assert [p.name for p in paths][0] == "batch00000_input.png" and len(paths) == 4
    decoded = np.asarray(Image.open(paths[1]).convert("RGB"))
    assert np.array_equal(decoded, make_grid(result.panels[1].images))


def test_engine_keeps_only_the_most_recently_used_sources(cifar):
    engine = Engine()
    engine.MAX_SOURCES = 2
    base = StepRequest(data_root=str(cifar.root))
    engine.run(base)  # test split
    engine.run(base.with_(split="train"))
    engine.run(base)  # the test split is now the most recently used
    engine.run(base.with_(image_size=16))  # a third source evicts the train split
    assert engine.cached_source(base.with_(split="train")) is None
    assert engine.cached_source(base) is not None
    assert engine.cached_source(base.with_(image_size=16)) is not None


def test_histograms_are_computed_only_for_the_requested_panels(cifar):
    req = StepRequest(data_root=str(cifar.root), histograms=("input", "output_sigmoid"))
    result = Engine().run(req)
    assert [p.hist is not None for p in result.panels] == [True, False, True]


def test_prelu_with_a_slope_per_channel_has_a_curve_and_a_gradient():
    from activation_lens.engine.inspection import activation_curve, activation_gradient
    from activation_lens.engine.registry import parse_spec

    spec = parse_spec("prelu(num_parameters=3)")
    x, y = activation_curve(spec, -2.0, 2.0, 5)
    assert list(y) == [-0.5, -0.25, 0.0, 1.0, 2.0]  # torch's initial slope 0.25
    _, dy = activation_gradient(spec, -2.0, 2.0, 5)
    assert list(dy[:2]) == [0.25, 0.25] and list(dy[3:]) == [1.0, 1.0]
