"""A step's panels computed once per pixel level are the full computation's, bit for bit.

The engine computes an elementwise activation of pointwise-preprocessed uint8 pixels as a
table over the batch's levels (engine/levels.py). These tests compute every panel the long
way, with the public functions the engine is made of, and compare every field exactly.
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest
import torch

from activation_lens.engine.display import DISPLAYS, input_display, to_images
from activation_lens.engine.pipeline import HISTOGRAM_BINS, LEVELS_FROM, Engine, StepRequest
from activation_lens.engine.preprocess import preprocess, to_float
from activation_lens.engine.registry import ACTIVATIONS, build_module, make_spec, parse_spec_list
from activation_lens.engine.stats import compute_stats, finite_range, histogram

from .conftest import CLASSES, write_cifar_batch
from .helpers import write_idx

# every activation that maps each value alone, and a few with parameters of their own
ELEMENTWISE = tuple(make_spec(name) for name, entry in ACTIVATIONS.items()
                    if not entry.channelwise and not entry.randomised) + tuple(parse_spec_list(
                        "leaky_relu(negative_slope=-0.7),elu(alpha=3),threshold(threshold=0.4,"
                        "value=-2),hardtanh(min_val=0.2,max_val=0.6),softplus(beta=9)"))


def batch_size_per_level(panels: int, values_per_image: int = 3072, extra: int = 0) -> int:
    """The smallest batch size, a multiple of 4 (plus ``extra``), whose step of ``panels``
    panels the engine measures per level (smaller steps are computed in full)."""
    n = -(-LEVELS_FROM // (panels * values_per_image))
    return -(-n // 4) * 4 + extra


def random_cifar(root, n=100, seed=0):
    """A CIFAR-10 folder whose test images hold every level of every channel."""
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    images = np.random.default_rng(seed).integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
    write_cifar_batch(folder / "test_batch", images, [i % 10 for i in range(n)])
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": CLASSES, "num_vis": 3072}, f, protocol=2)
    return root


def expected_panels(engine, request, result):
    """(stats, images, raw, histogram) of every panel, computed on the whole batch at once."""
    source = engine.source(request)
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        with torch.inference_mode():
            x = preprocess(to_float(result.batch.images, "cpu"), request.preprocess,
                           source.mean, source.std)
            shown = input_display(request.preprocess, request.display)
            panels = [(x, shown, None, None)] + [
                (build_module(spec)(x), request.display, spec.output_bounds(), x)
                for spec in request.activations]
            out = []
            for values, display, bounds, reference in panels:
                stats = compute_stats(values, display, bounds, reference)
                finite = finite_range(stats) is not None
                out.append((stats, to_images(values, display, reference, finite=finite),
                            values.numpy(), histogram(values, HISTOGRAM_BINS, finite_range(stats))))
            return out
    finally:
        torch.set_num_threads(before)


def assert_panels_are_the_full_computations(engine, request):
    result = engine.run(request)
    expected = expected_panels(engine, request, result)
    assert len(result.panels) == len(expected)
    for panel, (stats, images, raw, (counts, edges)) in zip(result.panels, expected):
        assert dataclasses.asdict(panel.stats) == dataclasses.asdict(stats), panel.tag
        assert np.array_equal(panel.images, images), panel.tag
        assert np.array_equal(panel.raw, raw), panel.tag
        assert np.array_equal(panel.hist[0], counts), panel.tag
        assert np.array_equal(panel.hist[1], edges), panel.tag


@pytest.mark.parametrize("display", list(DISPLAYS))
@pytest.mark.parametrize("preprocessing", ["to_tensor", "centered", "normalize"])
def test_every_elementwise_activation_per_level_is_the_full_computation_bit_for_bit(
        tmp_path, preprocessing, display):
    root = random_cifar(tmp_path / "data")
    engine = Engine()
    for first in range(0, len(ELEMENTWISE), 12):  # at most 12 activations a step
        activations = ELEMENTWISE[first:first + 12]
        request = StepRequest(data_root=str(root), allow_unverified=True,
                              batch_size=batch_size_per_level(len(activations) + 1),
                              preprocess=preprocessing, display=display,
                              activations=activations, histograms=("*",))
        assert_panels_are_the_full_computations(engine, request)


def test_random_and_channel_mixing_activations_beside_per_level_ones_are_computed_in_full(
        tmp_path):
    root = random_cifar(tmp_path / "data")
    request = StepRequest(data_root=str(root), allow_unverified=True,
                          batch_size=batch_size_per_level(5),
                          activations=tuple(parse_spec_list("rrelu,relu,softmax,sigmoid")),
                          histograms=("*",))
    assert_panels_are_the_full_computations(Engine(), request)


@pytest.mark.parametrize("odd", [0, 1])  # an odd count of 784 values leaves a part vector over
def test_grey_images_per_level_are_the_full_computation_whatever_the_batch_size(
        tmp_path, odd):
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    batch_size = batch_size_per_level(13, 784, extra=odd)
    images = np.random.default_rng(3).integers(0, 256, (2 * batch_size, 28, 28), dtype=np.uint8)
    write_idx(raw / "t10k-images-idx3-ubyte", images)
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(len(images)) % 10)
    request = StepRequest(data_root=str(tmp_path / "data"), dataset="mnist",
                          allow_unverified=True, batch_size=batch_size, batch_index=1,
                          preprocess="normalize", activations=ELEMENTWISE[:12],
                          histograms=("*",))
    assert_panels_are_the_full_computations(Engine(), request)


def test_a_batch_of_one_constant_level_has_the_full_computations_statistics(tmp_path):
    root = tmp_path / "data"
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    n = batch_size_per_level(4)
    write_cifar_batch(folder / "test_batch", np.full((n, 32, 32, 3), 77, np.uint8), [0] * n)
    with open(folder / "batches.meta", "wb") as f:
        pickle.dump({"label_names": CLASSES, "num_vis": 3072}, f, protocol=2)
    for display in DISPLAYS:
        request = StepRequest(data_root=str(root), allow_unverified=True, batch_size=n,
                              display=display, histograms=("*",),
                              activations=tuple(parse_spec_list("relu,identity,hardshrink")))
        assert_panels_are_the_full_computations(Engine(), request)


def assert_panels_describe_their_own_values(result):
    """Each panel's statistics, pixels and histogram are those of its own raw values."""
    request = result.request
    x = torch.from_numpy(result.panels[0].raw)
    for panel in result.panels:
        values = torch.from_numpy(panel.raw)
        reference = None if panel.is_input else x
        bounds = panel.spec.output_bounds() if panel.spec is not None else None
        stats = compute_stats(values, panel.display, bounds, reference)
        finite = finite_range(stats) is not None
        assert dataclasses.asdict(panel.stats) == dataclasses.asdict(stats), panel.tag
        assert np.array_equal(panel.images, to_images(values, panel.display, reference,
                                                      finite=finite)), panel.tag
        counts, edges = histogram(values, HISTOGRAM_BINS, finite_range(stats))
        assert np.array_equal(panel.hist[0], counts), panel.tag
        assert np.array_equal(panel.hist[1], edges), panel.tag
    assert request.display in {p.display for p in result.panels[1:]}


@pytest.mark.parametrize("threads", ["3", "4", "5"])
def test_a_step_split_unevenly_over_threads_describes_its_own_values(
        tmp_path, monkeypatch, threads):
    # 112 images of 784 values: 4 or 5 threads get shares that end in part of a vector
    monkeypatch.setenv("ACTLENS_TORCH_THREADS", threads)
    raw = tmp_path / "data" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "t10k-images-idx3-ubyte", np.full((224, 28, 28), 223))
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(224) % 10)
    before = torch.get_num_threads()
    try:
        result = Engine().run(StepRequest(
            data_root=str(tmp_path / "data"), dataset="mnist", allow_unverified=True,
            batch_size=112, display="minmax", histograms=("*",),
            activations=tuple(parse_spec_list(
                "sigmoid,tanh,silu,gelu,elu,softplus,mish,logsigmoid,selu,celu,hardswish,relu"))))
        assert_panels_describe_their_own_values(result)
    finally:
        torch.set_num_threads(before)
