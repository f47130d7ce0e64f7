"""Inside a network: the small CNN's feature maps, the learner's own module file, and their
export."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from activation_lens.engine import modes
from activation_lens.engine.errors import ActlensError
from activation_lens.engine.network import LAYERS, build_network, load_weights
from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.session import Session
from tests.helpers import read_images

MY_MODEL = '''\
import torch
from torch import nn
from torch.nn import ReLU, Sigmoid


class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.relu1 = ReLU()
        self.sigmoid1 = Sigmoid()

    def forward(self, input):
        x_relu = self.relu1(input)
        x_sigmoid = self.sigmoid1(input)
        return x_relu, x_sigmoid
'''


@pytest.fixture
def my_model(tmp_path):
    path = tmp_path / "my_model.py"
    path.write_text(MY_MODEL)
    return path


def request_for(cifar, **changes) -> StepRequest:
    return StepRequest(data_root=str(cifar.root), **changes)


def test_network_panels_equal_the_same_layers_computed_by_plain_torch(cifar):
    req = request_for(cifar, mode="network", image=3, activations=tuple(parse_spec_list("tanh")))
    result = Engine().run(req)
    assert [p.tag for p in result.panels] == ["input"] + [f"tanh/{layer}" for layer in LAYERS]
    net = build_network(parse_spec_list("tanh")[0])
    x = torch.from_numpy(cifar.test_images[3:4]).permute(0, 3, 1, 2).float() / 255
    conv1 = F.conv2d(x, net.conv1.weight, net.conv1.bias, padding=1)
    conv2 = F.conv2d(F.avg_pool2d(torch.tanh(conv1), 2), net.conv2.weight, net.conv2.bias,
                     padding=1)
    expected = [conv1, torch.tanh(conv1), conv2, torch.tanh(conv2)]
    for panel, values in zip(result.panels[1:], expected):
        assert panel.raw.shape == (values.shape[1], 1, *values.shape[2:])
        np.testing.assert_allclose(panel.raw[:, 0], values[0].detach().numpy(), atol=1e-5)
        assert panel.cells[0] == "channel 0" and len(panel.cells) == values.shape[1]


def test_random_weights_are_shared_by_every_activation_and_fixed_by_the_seed():
    relu, elu = parse_spec_list("relu,elu")
    a, b = build_network(relu, seed=1), build_network(elu, seed=1)
    assert torch.equal(a.conv1.weight, b.conv1.weight) and torch.equal(a.fc.weight, b.fc.weight)
    assert not torch.equal(a.conv1.weight, build_network(relu, seed=2).conv1.weight)


def test_identity_with_average_pooling_makes_the_network_exactly_linear():
    f = build_network(parse_spec_list("identity")[0])
    a, b = torch.randn(2, 3, 32, 32), torch.randn(2, 3, 32, 32)
    with torch.no_grad():
        assert torch.allclose(f(a + b), f(a) + f(b) - f(torch.zeros_like(a)), atol=1e-4)
        relu = build_network(parse_spec_list("relu")[0])
        assert not torch.allclose(relu(a + b), relu(a) + relu(b) - relu(torch.zeros_like(a)),
                                  atol=1e-4)


def test_dead_channels_after_relu_are_named_on_the_panel(cifar):
    req = request_for(cifar, mode="network", activations=tuple(parse_spec_list("relu")),
                      preprocess="centered")
    engine = Engine()
    net = modes.get("network").network(engine, parse_spec_list("relu")[0], req,
                                       torch.device("cpu"))  # the one the step uses
    with torch.no_grad():  # one conv1 channel that is negative everywhere: dead after ReLU
        net.conv1.bias[2] = -100.0
    result = engine.run(req)
    act = next(p for p in result.panels if p.tag == "relu/conv1_act")
    assert "channels dead (all zero)" in act.note
    assert int(act.note.split()[0]) >= 1


def test_weights_from_a_state_dict_are_used_and_a_mismatch_is_refused_by_name(cifar, tmp_path):
    spec = parse_spec_list("relu")[0]
    trained = build_network(spec, seed=5)
    good = tmp_path / "good.pt"
    torch.save(trained.state_dict(), good)
    result = Engine().run(request_for(cifar, mode="network", activations=(spec,),
                                      weights=str(good)))
    x = torch.from_numpy(cifar.test_images[0:1]).permute(0, 3, 1, 2).float() / 255
    np.testing.assert_allclose(result.panels[1].raw[:, 0],
                               trained.conv1(x)[0].detach().numpy(), atol=1e-5)
    state = trained.state_dict()
    state["conv2.weight"] = torch.zeros(8, 16, 3, 3)
    state["extra.bias"] = torch.zeros(3)
    del state["fc.bias"]
    bad = tmp_path / "bad.pt"
    torch.save(state, bad)
    with pytest.raises(ActlensError) as info:
        load_weights(build_network(spec), bad)
    message = str(info.value)
    assert "missing fc.bias" in message and "unexpected extra.bias" in message
    assert "conv2.weight (8×16×3×3 instead of 32×16×3×3)" in message


def test_a_weights_file_that_is_not_weights_is_refused_without_running_it(tmp_path):
    import pickle

    class RunsCode:
        def __reduce__(self):
            return (print, ("ran",))

    path = tmp_path / "evil.pt"
    path.write_bytes(pickle.dumps(RunsCode()))
    with pytest.raises(ActlensError, match="is not a weights file") as refused:
        load_weights(build_network(parse_spec_list("relu")[0]), path)
    assert str(refused.value).endswith("(it holds Python objects, not only tensors, and such a"
                                       " file is not loaded: unpickling it could run code)")
    assert "torch" not in str(refused.value)  # not torch's advice, nor its documentation


def test_a_cut_short_weights_file_is_named_as_such(tmp_path):
    good = tmp_path / "good.pt"
    net = build_network(parse_spec_list("relu")[0])
    torch.save(net.state_dict(), good)
    cut = tmp_path / "cut.pt"
    cut.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ActlensError, match="it is not a PyTorch file, or it is cut short"):
        load_weights(build_network(parse_spec_list("relu")[0]), cut)


def test_the_tutorials_module_runs_unchanged_and_equals_relu_and_sigmoid(cifar, my_model):
    engine = Engine()
    plain = engine.run(request_for(cifar))
    mine = engine.run(request_for(cifar, mode="module", model=str(my_model)))
    assert [p.tag for p in mine.panels] == ["input", "output_0", "output_1"]
    for a, b in zip(plain.panels, mine.panels):
        assert np.array_equal(a.images, b.images) and np.array_equal(a.raw, b.raw)


def test_the_tutorials_module_exports_pixel_identical_to_relu_and_sigmoid(cifar, my_model,
                                                                         tmp_path):
    from activation_lens.engine.export import export_session

    export_session(request_for(cifar), tmp_path / "plain", "0:2")
    export_session(request_for(cifar, mode="module", model=str(my_model)), tmp_path / "mine",
                   "0:2")
    plain, mine = read_images(tmp_path / "plain"), read_images(tmp_path / "mine")
    for ours, theirs in (("output_0", "output_relu"), ("output_1", "output_sigmoid")):
        assert sorted(mine[ours]) == [0, 1]
        for step in (0, 1):
            assert np.array_equal(mine[ours][step], plain[theirs][step])


def test_activation_layers_inside_a_module_become_extra_panels_by_path(cifar, tmp_path):
    path = tmp_path / "deep.py"
    path.write_text(textwrap.dedent('''
        from torch import nn

        class Deep(nn.Module):
            def __init__(self, width=8):
                super().__init__()
                self.features = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(),
                                              nn.Conv2d(width, 3, 1), nn.Tanh())

            def forward(self, x):
                return {"image": self.features(x), "logits": x.mean((2, 3))}
    '''))
    result = Engine().run(request_for(cifar, mode="module", model=f"{path}:Deep", image=2))
    tags = [p.tag for p in result.panels]
    assert tags == ["input", "output_image", "features.1"]
    relu = result.panels[2]
    assert relu.images.shape[0] == 8 and relu.cells == [f"channel {c}" for c in range(8)]
    assert result.panels[1].images.shape[0] == len(result.batch.labels)


BAD_MODULES = {
    "syntax error": ("class M(nn.Module:\n", "bad.py:1"),
    "raises at import": ("from torch import nn\nx = 1\nraise ValueError('boom')\n",
                         "bad.py:3: the file failed to run (ValueError: boom)"),
    "defines no module": ("x = 1\n", "defines no nn.Module subclass"),
    "needs arguments": ("from torch import nn\nclass M(nn.Module):\n"
                        "    def __init__(self, width):\n        super().__init__()\n",
                        "M() needs arguments (width)"),
    "raises in forward": ("from torch import nn\nclass M(nn.Module):\n"
                          "    def forward(self, x):\n        return x.view(7, -1, 5)\n",
                          "bad.py:4: forward failed (RuntimeError: shape"),
    "returns a string": ("from torch import nn\nclass M(nn.Module):\n"
                         "    def forward(self, x):\n        return 'hello'\n",
                         "forward returned str"),
    "returns the wrong shape": ("from torch import nn\nclass M(nn.Module):\n"
                                "    def forward(self, x):\n        return x.flatten()\n",
                                "no image-shaped tensor"),
    "calls sys.exit in forward": ("import sys\nfrom torch import nn\nclass M(nn.Module):\n"
                                  "    def forward(self, x):\n        sys.exit(0)\n",
                                  "bad.py:5: forward failed (SystemExit"),
    "raises KeyboardInterrupt at import": ("raise KeyboardInterrupt\n",
                                           "bad.py:1: the file failed to run (KeyboardInterrupt"),
    "returns a meta tensor": ("import torch\nfrom torch import nn\nclass M(nn.Module):\n"
                              "    def forward(self, x):\n"
                              "        return torch.empty(x.shape, device='meta')\n",
                              "holding no values in memory (meta)"),
    "returns a nested tensor": ("import torch\nfrom torch import nn\nclass M(nn.Module):\n"
                                "    def forward(self, x):\n"
                                "        return torch.nested.nested_tensor([x[0], x[1, :2]])\n",
                                "output a nested tensor (tensors of several shapes), not one"),
    "returns whole numbers": ("from torch import nn\nclass M(nn.Module):\n"
                              "    def forward(self, x):\n        return (x * 255).long()\n",
                              "output of shape (64, 3, 32, 32) of int64 values, not real floats"),
    "does not exist": (None, "does not exist"),
    "several modules": ("from torch import nn\nclass A(nn.Module):\n    pass\n"
                        "class B(nn.Module):\n    pass\n", "name one as bad.py:CLASS"),
}


@pytest.mark.parametrize("case", list(BAD_MODULES))
def test_a_bad_module_file_is_one_clear_message(case, cifar, tmp_path):
    source, fragment = BAD_MODULES[case]
    path = tmp_path / "bad.py"
    if source is not None:
        path.write_text(source)
    with pytest.raises(ActlensError) as info:
        Engine().run(request_for(cifar, mode="module", model=str(path)))
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_export_with_network_writes_the_feature_maps_of_the_chosen_image(cifar_files,
                                                                        tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "activation_lens.gui.launch", "export", "--data-root", str(cifar_files.root),
         "--allow-unverified", "--network", "--image", "5", "--batches", "0:2",
         "--activations", "relu", "--logdir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    images = read_images(tmp_path / "logs")
    assert set(images) == {"input"} | {f"relu/{layer}" for layer in LAYERS}
    assert images["relu/conv1"][0].shape == (2 * 32, 8 * 32, 3)  # 16 maps, 8 to a row
    assert images["relu/conv2"][1].shape == (4 * 16, 8 * 16, 3)  # 32 maps of 16 x 16


def test_a_module_file_is_never_restored_from_the_settings(tmp_path, my_model):
    from activation_lens.engine.settings import Settings

    store = Settings(tmp_path / "s.ini")
    Session(mode="module", model=str(my_model)).to_settings(store)
    again = Session.from_settings(store)
    assert again.mode == "activations" and again.model == ""


def test_a_weights_path_that_is_a_pipe_is_refused_without_waiting(tmp_path):
    import os
    import time

    pipe = tmp_path / "fifo.pt"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(ActlensError, match="not a weights file"):
        load_weights(build_network(parse_spec_list("relu")[0]), pipe)
    assert time.monotonic() - started < 5


def test_a_module_changing_its_input_in_place_leaves_the_input_panel_alone(cifar, tmp_path):
    path = tmp_path / "inplace.py"
    path.write_text("from torch import nn\nclass M(nn.Module):\n"
                    "    def forward(self, x):\n        return x.mul_(-1)\n")
    result = Engine().run(request_for(cifar, mode="module", model=str(path)))
    assert result.panels[0].raw.min() >= 0 and result.panels[1].raw.max() <= 0


def test_a_module_that_changes_the_default_dtype_does_not_change_it_for_the_app(cifar,
                                                                               tmp_path):
    path = tmp_path / "dtype.py"
    path.write_text("import torch\nfrom torch import nn\ntorch.set_default_dtype(torch.float64)\n"
                    "class M(nn.Module):\n    def forward(self, x):\n        return x\n")
    Engine().run(request_for(cifar, mode="module", model=str(path)))
    assert torch.get_default_dtype() == torch.float32


def test_an_activation_layer_called_many_times_gives_unique_tags_and_a_bounded_view(
        cifar, tmp_path):
    path = tmp_path / "many.py"
    path.write_text("from torch import nn\nclass M(nn.Module):\n"
                    "    def __init__(self):\n        super().__init__()\n"
                    "        self.input = nn.Tanh()\n"
                    "    def forward(self, x):\n        for _ in range(40):\n"
                    "            x = self.input(x)\n        return x * 2\n")
    result = Engine().run(request_for(cifar, mode="module", model=str(path)))
    tags = [p.tag for p in result.panels]
    assert len(tags) == len(set(tags)) == 1 + 16 and tags[:4] == [
        "input", "output", "input_2", "input_3"]


def test_network_and_module_options_that_contradict_are_refused():
    from activation_lens.engine.session import add_session_options

    p = __import__("argparse").ArgumentParser()
    add_session_options(p, defaults=True)
    with pytest.raises(ActlensError, match="choose one"):
        Session().with_args(p.parse_args(["--network", "--model", "x.py"]))
    with pytest.raises(ActlensError, match="--weights belongs to --network"):
        Session().with_args(p.parse_args(["--weights", "w.pt"]))


def network_weights(tmp_path, name="w.pt", **changes):
    net = build_network(parse_spec_list("relu")[0])
    state = {**net.state_dict(), **changes}
    path = tmp_path / name
    torch.save(state, path)
    return path


def export_with_weights(cifar_files, tmp_path, weights):
    """``actlens export --network --weights``: its exit code, stderr and own peak memory."""
    import time
    from pathlib import Path

    err = tmp_path / "stderr.txt"
    with open(err, "w") as f:
        app = subprocess.Popen(
            [sys.executable, "-m", "activation_lens", "export", "--network", "--weights",
             str(weights), "--data-root", str(cifar_files.root), "--allow-unverified",
             "--batches", "0:1", "--logdir", str(tmp_path / "logs")],
            stdout=subprocess.DEVNULL, stderr=f)
        peak_kb = 0
        while app.poll() is None:  # its own high-water mark (rusage would count the test's)
            try:
                status = Path(f"/proc/{app.pid}/status").read_text()
                peak_kb = max(peak_kb, int(status.split("VmHWM:")[1].split()[0]))
            except (OSError, IndexError, ValueError):
                pass
            time.sleep(0.02)
    app.stderr = err.read_text()
    app.peak_mb = peak_kb / 1024
    return app


def test_a_small_weights_file_that_inflates_to_gigabytes_is_refused_before_it_is_unpacked(
        cifar_files, tmp_path):
    import re
    import zipfile

    path = network_weights(tmp_path, "bomb.pt")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("w/data/999", "w", force_zip64=True) as entry:  # an extra storage
            zeros = bytes(2**24)
            for _ in range(64):  # 1 GB of zeros, in about 1 MB
                entry.write(zeros)
    assert path.stat().st_size < 1.3 * 2**20  # smaller on disk than the weights may be (1.4 MB)
    r = export_with_weights(cifar_files, tmp_path, path)
    assert r.returncode == 2
    assert re.search(r"bomb\.pt holds 1,02\d\.\d MB; this network's weights take at most",
                     r.stderr), r.stderr
    assert 50 < r.peak_mb < 1536  # measured, and without the 1 GB it unpacks to
    big = network_weights(tmp_path, "big.pt")
    with zipfile.ZipFile(big, "a") as archive:  # too large on disk: its entries are not read
        archive.writestr("w/data/998", bytes(8 * 2**20))
    r = export_with_weights(cifar_files, tmp_path, big)
    assert r.returncode == 2 and "big.pt holds 8.1 MB" in r.stderr, r.stderr


def test_weights_of_a_dtype_the_network_cannot_use_are_refused_by_name(cifar_files, tmp_path):
    net = build_network(parse_spec_list("relu")[0])
    path = network_weights(tmp_path, "int8.pt", **{
        "conv1.weight": net.state_dict()["conv1.weight"].to(torch.int8)})
    r = export_with_weights(cifar_files, tmp_path, path)
    assert r.returncode == 2
    assert "conv1.weight holds int8 values; the network's weights are real floating-point" \
        in r.stderr


OPENS_COUNTED = """\
import sys
path, argv = sys.argv[1], sys.argv[2:]
opened = []
sys.addaudithook(lambda event, args: opened.append(1)
                 if event == "open" and str(args[0]) == path else None)
from activation_lens.gui.app import launch_options
from activation_lens.gui.main_window import MainWindow
from PySide6.QtWidgets import QApplication
app = QApplication([])
w = MainWindow(launch_options(network=True, weights=path, data_root=argv[0],
                              allow_unverified=True, activations="relu,tanh,sigmoid"))
w.show()
w.start()
while w.last_view is None:
    app.processEvents()
print("opened", len(opened), len(w.last_view.result.panels))
w.close()
"""


def test_a_weights_file_given_at_start_up_is_read_once_for_every_activation(cifar_files,
                                                                          tmp_path):
    path = tmp_path / "w.pt"
    torch.save(build_network(parse_spec_list("relu")[0]).state_dict(), path)
    r = subprocess.run([sys.executable, "-c", OPENS_COUNTED, str(path), str(cifar_files.root)],
                       capture_output=True, text=True, timeout=240,
                       env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen",
                            "ACTLENS_SETTINGS": str(tmp_path / "settings.ini")})
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split()[-3:] == ["opened", "1", str(1 + 3 * 4)], r.stdout
