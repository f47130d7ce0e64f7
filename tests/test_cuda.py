"""On a CUDA device the engine gives the same pixels and statistics as on the CPU."""

import numpy as np
import pytest

from activation_lens.engine.export import export_session
from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import parse_spec_list
from tests.helpers import read_images

pytestmark = pytest.mark.cuda

SPECS = tuple(parse_spec_list("relu,sigmoid,tanh,gelu,elu,softplus,rrelu(seed=1)"))


@pytest.mark.parametrize("preprocess", ["to_tensor", "centered", "normalize", "edges"])
def test_cuda_step_matches_the_cpu_step(cifar, preprocess):
    engine = Engine()
    req = StepRequest(data_root=str(cifar.root), preprocess=preprocess, activations=SPECS[:6])
    cpu, gpu = engine.run(req), engine.run(req.with_(device="cuda"))
    assert gpu.device.startswith("cuda")
    assert len(cpu.panels) == 1 + len(req.activations)
    assert [p.tag for p in gpu.panels] == [p.tag for p in cpu.panels]
    for a, b in zip(cpu.panels, gpu.panels, strict=True):
        assert np.abs(a.images.astype(int) - b.images.astype(int)).max() <= 1, a.title
        assert b.stats.mean == pytest.approx(a.stats.mean, rel=1e-4, abs=1e-6)


def test_default_export_on_cuda_is_pixel_identical_to_the_cpu_export(cifar, tmp_path):
    req = StepRequest(data_root=str(cifar.root))
    export_session(req, tmp_path / "cpu")
    export_session(req.with_(device="cuda"), tmp_path / "cuda")
    a, b = read_images(tmp_path / "cpu"), read_images(tmp_path / "cuda")
    assert set(a) == {"input", "output_relu", "output_sigmoid"} and b.keys() == a.keys()
    for tag in a:
        assert a[tag] and b[tag].keys() == a[tag].keys(), tag
        for step in a[tag]:
            assert np.array_equal(a[tag][step], b[tag][step]), (tag, step)


def test_seeded_rrelu_is_reproducible_on_cuda(cifar):
    engine = Engine()
    req = StepRequest(data_root=str(cifar.root), activations=SPECS[6:], preprocess="centered",
                      device="cuda")
    one, two = engine.run(req), engine.run(req)
    assert len(one.panels) == 1 + len(req.activations)
    assert [p.tag for p in two.panels] == [p.tag for p in one.panels]
    assert np.array_equal(one.panels[1].raw, two.panels[1].raw)
