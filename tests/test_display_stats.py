"""Preprocessing, display mappings and statistics, checked against numpy on known inputs."""

import numpy as np
import pytest
import torch

from activation_lens.engine.display import input_display, to_uint8
from activation_lens.engine.preprocess import preprocess, to_float
from activation_lens.engine.stats import compute_stats, histogram


def _np(t):
    return t.cpu().numpy()


def test_to_float_equals_torchvision_to_tensor():
    from PIL import Image
    from torchvision.transforms import ToTensor

    img = np.random.default_rng(0).integers(0, 256, (2, 32, 32, 3), dtype=np.uint8)
    expected = torch.stack([ToTensor()(Image.fromarray(i)) for i in img])
    assert torch.equal(to_float(img, "cpu"), expected)


def test_clip_display_is_tensorboards_truncating_conversion():
    x = torch.tensor([-0.5, 0.0, 0.5, 0.999, 1.0, 2.0, 0.73105857]).view(1, 1, 1, 7)
    expected = (x.numpy().astype(np.float32) * 255).clip(0, 255).astype(np.uint8)
    assert np.array_equal(_np(to_uint8(x, "clip")), expected)


def test_minmax_stretches_the_batch_range_to_black_and_white():
    x = torch.tensor([0.5, 0.6, 0.7]).view(1, 1, 1, 3)
    assert _np(to_uint8(x, "minmax")).ravel().tolist() == [0, 128, 255]


def test_minmax_image_stretches_each_image_separately():
    x = torch.tensor([[0.0, 1.0], [10.0, 20.0]]).view(2, 1, 1, 2)
    assert _np(to_uint8(x, "minmax_image")).reshape(2, 2).tolist() == [[0, 255], [0, 255]]


def test_signed_maps_zero_to_mid_grey_and_extremes_to_the_ends():
    x = torch.tensor([-2.0, 0.0, 1.0, 2.0]).view(1, 1, 1, 4)
    assert _np(to_uint8(x, "signed")).ravel().tolist() == [0, 128, 191, 255]


def test_difference_shows_unchanged_values_as_mid_grey():
    ref = torch.tensor([0.2, -0.5, 0.3]).view(1, 1, 1, 3)
    out = torch.relu(ref)
    assert _np(to_uint8(out, "difference", ref)).ravel().tolist() == [128, 255, 128]


def test_constant_batch_under_minmax_shows_its_value_instead_of_noise():
    assert _np(to_uint8(torch.zeros(1, 1, 2, 2), "minmax")).max() == 0


def test_nan_and_infinity_never_crash_any_display():
    x = torch.tensor([float("nan"), float("inf"), -float("inf"), 0.5]).view(1, 1, 1, 4)
    for mode in ("clip", "minmax", "signed", "minmax_image"):
        assert to_uint8(x, mode).dtype == torch.uint8
    assert to_uint8(x, "difference", torch.zeros_like(x)).dtype == torch.uint8


def test_stats_match_numpy_on_known_values():
    rng = np.random.default_rng(1)
    v = rng.normal(0, 1, (2, 3, 4, 4)).astype(np.float32)
    v[0, 0, 0, :2] = 0
    s = compute_stats(torch.from_numpy(v), "clip")
    assert s.min == pytest.approx(v.min()) and s.max == pytest.approx(v.max())
    assert s.mean == pytest.approx(v.astype(np.float64).mean())
    assert s.std == pytest.approx(v.astype(np.float64).std())
    assert s.frac_zero == pytest.approx((v == 0).mean())
    assert s.frac_below == pytest.approx((v < 0).mean())
    assert s.frac_above == pytest.approx((v > 1).mean())
    assert s.count == v.size and s.nan == 0 and s.inf == 0


def test_only_clip_display_reports_clipping():
    x = torch.tensor([-1.0, 2.0]).view(1, 1, 1, 2)
    s = compute_stats(x, "minmax")
    assert (s.frac_below, s.frac_above) == (0.0, 0.0)


def test_saturation_counts_values_within_a_thousandth_of_a_bound():
    x = torch.tensor([0.0, 0.0005, 0.5, 0.9995, 1.0]).view(1, 1, 1, 5)
    assert compute_stats(x, "clip", bounds=(0.0, 1.0)).frac_saturated == pytest.approx(4 / 5)
    assert compute_stats(x, "clip").frac_saturated is None


def test_identity_badge_is_set_for_relu_on_to_tensor_input_and_cleared_when_centered():
    unit = to_float(np.random.default_rng(0).integers(0, 256, (4, 8, 8, 3), np.uint8), "cpu")
    assert compute_stats(torch.relu(unit), "clip", reference=unit).identical_to_input is True
    centered = preprocess(unit, "centered")
    stats = compute_stats(torch.relu(centered), "clip", reference=centered)
    assert stats.identical_to_input is False


def test_stats_report_nan_and_infinity_and_ignore_them_in_the_moments():
    x = torch.tensor([float("nan"), float("inf"), 1.0, 3.0]).view(1, 1, 1, 4)
    s = compute_stats(x, "signed")
    assert (s.nan, s.inf) == (1, 1)
    assert (s.min, s.max, s.mean) == (1.0, 3.0, 2.0)
    assert "NaN 1, inf 1" in s.summary_line()


def test_all_nan_panel_reports_nan_moments():
    s = compute_stats(torch.full((1, 1, 1, 3), float("nan")), "clip")
    assert s.nan == 3 and np.isnan(s.min)


def test_histogram_counts_every_finite_value():
    x = torch.tensor([0.0, 0.1, 0.5, 1.0, float("nan")])
    counts, edges = histogram(x, bins=4)
    assert counts.sum() == 4 and len(edges) == 5 and edges[0] == 0.0 and edges[-1] == 1.0


def test_preprocessing_modes_produce_their_documented_ranges():
    unit = to_float(np.array([[[[0, 128, 255]]]], dtype=np.uint8), "cpu")
    centered = preprocess(unit, "centered").ravel().tolist()
    assert centered == pytest.approx([-1, 128 / 255 * 2 - 1, 1], abs=1e-6)
    norm = preprocess(unit, "normalize", (0.5, 0.5, 0.5), (0.25, 0.25, 0.25))
    assert norm.ravel().tolist() == pytest.approx([-2, (128 / 255 - 0.5) / 0.25, 2], abs=1e-6)
    flat = to_float(np.full((1, 5, 5, 3), 77, np.uint8), "cpu")
    assert torch.count_nonzero(preprocess(flat, "edges")) == 0


def test_input_panel_display_keeps_the_image_recognisable():
    assert input_display("to_tensor", "clip") == "clip"
    assert input_display("centered", "clip") == "minmax"
    assert input_display("edges", "difference") == "signed"
    assert input_display("normalize", "signed") == "signed"


def test_summary_line_says_which_side_was_clipped_before_the_share():
    below = compute_stats(torch.tensor([-1.0, 0.5, 0.5, 0.5]).view(1, 1, 1, 4), "clip")
    above = compute_stats(torch.tensor([2.0, 0.5, 0.5, 0.5]).view(1, 1, 1, 4), "clip")
    both = compute_stats(torch.tensor([-1.0, 2.0, 0.5, 0.5]).view(1, 1, 1, 4), "clip")
    none = compute_stats(torch.tensor([0.0, 0.5, 0.5, 0.5]).view(1, 1, 1, 4), "clip")
    assert "clipped below 25.0%" in below.summary_line()
    assert "clipped above 25.0%" in above.summary_line()
    assert "clipped 50.0%: below 25.0%, above 25.0%" in both.summary_line()
    assert none.summary_line().endswith("clipped 0%")
