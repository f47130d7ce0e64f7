"""The Python API from the learner's own script and notebook: one import package, the
exercise rewritten with ``export``, ``compare`` inline, and ``view`` on their objects."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import activation_lens as lens
from tests.helpers import read_images

ROOT = Path(__file__).resolve().parents[1]

# The exercise: the CIFAR-10 test split with ToTensor, batches of 64, MyModel, and the
# SummaryWriter loop; then the same written by one call of activation_lens.export.
EXERCISE = '''\
import json, sys
import torch, torchvision
from torch import nn
from torch.nn import ReLU, Sigmoid
from torch.utils.data import DataLoader
from torch.utils.tensorboard import SummaryWriter

root, sums = sys.argv[1], json.loads(sys.argv[2])
torchvision.datasets.CIFAR10.train_list, torchvision.datasets.CIFAR10.test_list, \\
    torchvision.datasets.CIFAR10.meta = sums  # these small files' own checksums

dataset = torchvision.datasets.CIFAR10(root, train=False, download=False,
                                       transform=torchvision.transforms.ToTensor())
dataloader = DataLoader(dataset, batch_size=64)


class MyModel(nn.Module):
    def __init__(self):
        super(MyModel, self).__init__()
        self.relu1 = ReLU()
        self.sigmoid1 = Sigmoid()

    def forward(self, input):
        output = self.sigmoid1(input)
        return output


mymodel = MyModel()
writer = SummaryWriter("logs_exercise")
step = 0
for data in dataloader:
    imgs, targets = data
    writer.add_images("input", imgs, step)
    output = mymodel(imgs)
    writer.add_images("output", output, step)
    step = step + 1
writer.close()

import activation_lens
import engine, gui, utils  # the learner's own modules of those names, untouched by ours

outcome = activation_lens.export("logs_lens", MyModel(), dataloader)
print(json.dumps({"logdir": str(outcome.logdir), "steps": outcome.steps_written,
                  "tags": outcome.tags, "mine": [engine.MINE, gui.MINE, utils.MINE],
                  "package": activation_lens.__file__}))
'''


def test_the_exercise_rewritten_with_export_writes_the_exercises_own_pixels_from_a_folder_of_generic_module_names(  # noqa: E501
        cifar_files, tmp_path):
    for name in ("engine", "gui", "utils"):
        (tmp_path / f"{name}.py").write_text(f"MINE = {name!r}\n")
    (tmp_path / "exercise.py").write_text(EXERCISE)
    r = subprocess.run([sys.executable, "exercise.py", str(cifar_files.root),
                        json.dumps(cifar_files.sums())], cwd=tmp_path, capture_output=True,
                       text=True, timeout=240)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["mine"] == ["engine", "gui", "utils"]
    assert not out["package"].startswith(str(tmp_path))
    theirs = read_images(tmp_path / "logs_exercise")
    ours = read_images(tmp_path / out["logdir"])
    assert sorted(theirs) == ["input", "output"] and out["steps"] == [0, 1, 2]
    for tag in theirs:
        assert sorted(ours[tag]) == sorted(theirs[tag]) == [0, 1, 2]
        for step in theirs[tag]:
            assert np.array_equal(ours[tag][step], theirs[tag][step]), (tag, step)


def test_compare_returns_the_panels_their_statistics_and_a_png_for_the_notebook(tmp_path):
    images = torch.rand(8, 3, 16, 16) * 2 - 1  # values outside [0, 1], taken as they come
    result = lens.compare(images, activations="relu,sigmoid")
    assert result.tags == ["input", "output_relu", "output_sigmoid"]
    assert result.stats["output_relu"]["min"] == 0.0
    assert result.stats["input"]["min"] == pytest.approx(float(images.min()))
    assert result.stats["output_sigmoid"]["max"] == pytest.approx(
        float(torch.sigmoid(images).max()))
    png = result._repr_png_()
    assert png.startswith(b"\x89PNG")
    assert result.save(tmp_path / "c.png").read_bytes() == png


def test_the_inline_picture_says_where_an_activation_changes_nothing():
    amber = (240, 200, 90)  # the window's badge colour

    def says_identical(activations) -> bool:
        picture = lens.compare(torch.rand(8, 3, 16, 16), activations=activations).picture()
        return bool(np.all(picture == amber, axis=2).any())

    assert says_identical("relu")  # on [0, 1], ReLU is the identity
    assert not says_identical("sigmoid")


def test_one_image_and_whole_number_pixels_are_read_as_a_learner_means_them():
    image = torch.rand(3, 32, 32)  # dataset[0][0]
    one = lens.compare(image)
    assert len(one.result.batch.labels) == 1
    assert one.stats["input"]["mean"] == pytest.approx(float(image.mean()))
    assert len(lens.compare(image.permute(1, 2, 0).numpy()).result.batch.labels) == 1
    pixels = torch.randint(0, 256, (4, 3, 8, 8))  # int64 pixels, as uint8 would be
    assert lens.compare(pixels).stats["input"]["max"] == pytest.approx(
        float(pixels.max()) / 255)
    with pytest.raises(lens.ActlensError, match="whole numbers are pixels from 0 to 255"):
        lens.compare(pixels * 10)


def test_preprocessing_float_values_is_refused_by_name_and_pixels_are_preprocessed():
    values = torch.rand(4, 3, 8, 8)
    with pytest.raises(lens.ActlensError, match=r"^preprocess='centered' turns uint8 pixels"
                       r" into values, and these images are already float values"):
        lens.compare(values, preprocess="centered")
    pixels = (values * 255).to(torch.uint8)
    centered = lens.compare(pixels, preprocess="centered").stats["input"]
    assert centered["min"] < 0 < centered["max"]  # pixels are preprocessed as asked
    as_given = lens.compare(values, preprocess="to_tensor").stats["input"]
    assert as_given["min"] >= 0  # ToTensor's rule: float values pass unchanged


def test_a_shuffled_order_keeps_the_values_a_transform_made():
    values = torch.rand(12, 3, 8, 8) * 2 - 1  # e.g. after Normalize: signed
    data = torch.utils.data.TensorDataset(values, torch.arange(12) % 3)
    shuffled = lens.compare(torch.utils.data.DataLoader(data, batch_size=12, shuffle=True))
    assert shuffled.stats["input"]["min"] == pytest.approx(float(values.min()))


def test_activations_given_as_torch_modules_keep_their_parameters():
    x = torch.rand(4, 3, 8, 8) * 2 - 1
    leaky = lens.compare(x, activations=[nn.LeakyReLU(0.3)])
    assert leaky.stats["output_leaky_relu(negative_slope=0.3)"]["min"] == pytest.approx(
        float(nn.functional.leaky_relu(x, 0.3).min()))
    with pytest.raises(lens.ActlensError, match="give them by name"):
        lens.compare(x, activations=[nn.PReLU()])  # learned weights: not a fixed spec


def test_an_iterable_data_set_is_read_once_when_it_is_handed_over():
    reads = []

    class Stream(torch.utils.data.IterableDataset):
        def __iter__(self):
            for i in range(20):
                reads.append(i)
                yield torch.rand(3, 8, 8), i % 2

    result = lens.compare(Stream(), batch_size=4)
    assert len(result.result.batch.labels) == 4 and len(reads) == 20


def test_a_dataloader_gives_its_batch_size_and_its_shuffled_order(tmp_path):
    images = torch.rand(12, 3, 8, 8)
    data = torch.utils.data.TensorDataset(images, torch.arange(12) % 3)
    shuffled = lens.compare(torch.utils.data.DataLoader(data, batch_size=5, shuffle=True))
    in_order = lens.compare(torch.utils.data.DataLoader(data, batch_size=5))
    seeded = lens.compare(data, batch_size=5, shuffle_seed=0)
    assert len(in_order.result.batch.labels) == 5
    assert in_order.stats["input"]["mean"] == pytest.approx(float(images[:5].mean()))
    assert np.array_equal(shuffled.images()["input"], seeded.images()["input"])
    assert not np.array_equal(shuffled.images()["input"], in_order.images()["input"])
    # export steps through the loader's batches too: 12 images in batches of 5
    outcome = lens.export(tmp_path / "logs", data=torch.utils.data.DataLoader(data, batch_size=5))
    assert outcome.steps_written == [0, 1, 2]


def test_ctrl_c_in_the_learners_own_forward_stops_export_as_an_interrupt(tmp_path):
    class Interrupted(nn.Module):
        def forward(self, x):
            raise KeyboardInterrupt  # what Ctrl-C (or a notebook's interrupt) raises

    with pytest.raises(KeyboardInterrupt):
        lens.export(tmp_path / "logs", Interrupted(), torch.rand(4, 3, 8, 8))


@pytest.mark.parametrize(("layout", "make"), [
    ("NCHW float", lambda x: x),
    ("NHWC array", lambda x: x.permute(0, 2, 3, 1).numpy()),
    ("NHW grey uint8", lambda x: (x[:, 0] * 255).round().to(torch.uint8)),
])
def test_compare_takes_tensors_and_arrays_in_every_layout(layout, make):
    x = torch.rand(4, 3, 8, 8)
    result = lens.compare(make(x), activations="relu")
    channels = 1 if "grey" in layout else 3
    assert result.images()["input"].shape == (8, 4 * 8, 3)
    assert len(result.result.batch.labels) == 4 and result.result.batch.images.shape[3] == channels


@pytest.mark.parametrize(("call", "message"), [
    (lambda: lens.compare(torch.rand(4, 5, 8, 8)), "images of 5 channels"),
    (lambda: lens.compare(torch.rand(4, 3, 8, 8), batch_size=0), "--batch-size: must be from 1"),
    (lambda: lens.compare(torch.rand(4, 3, 8, 8), activations="relux"), "relux"),
    (lambda: lens.compare("no/such/folder"), "is not a folder"),
    (lambda: lens.export("logs", model=nn.ReLU, data=torch.rand(2, 3, 8, 8)),
     "not an nn.Module instance"),
    (lambda: lens.compare(torch.rand(4, 3, 8, 8), no_such_option=1),
     "no_such_option= is not a choice; see help"),
    (lambda: lens.compare(torch.empty(2, 3, 8, 8, device="meta")), "meta device"),
    (lambda: lens.compare((torch.rand(2, 3, 8, 8), torch.tensor([0, 10**9]))), "classes; at most"),
    (lambda: lens.compare(torch.rand(2, 3, 8, 8), model=nn.ReLU()), "takes no model"),
    (lambda: lens.export(None, data=torch.rand(2, 3, 8, 8)), "logdir is NoneType"),
    (lambda: lens.view(data=torch.rand(2, 3, 8, 8), device="cuda:7"), "not available here"),
    (lambda: lens.view(data=torch.rand(2, 3, 8, 8), lang="xx"), "invalid choice: 'xx'"),
    (lambda: lens.compare(torch.rand(2, 3, 8, 8), batchsize=2),
     "batchsize= is not a choice; did you mean batch_size=?"),
    (lambda: lens.compare(torch.rand(2, 3, 8, 8), nn.Sequential(nn.ReLU())), "takes no model"),
    (lambda: lens.export("logs", torch.utils.data.TensorDataset(torch.rand(2, 3, 8, 8)),
                         nn.Sequential(nn.ReLU())), "the model goes first"),
    (lambda: lens.export("logs", nn.Sequential(nn.ReLU()), torch.rand(2, 3, 8, 8),
                         activations="tanh"), "does not apply to --model"),
    (lambda: lens.export("logs", data=torch.rand(2, 3, 8, 8), help=True), "help and version"),
])
def test_bad_arguments_raise_the_projects_error_with_the_command_lines_message(call, message):
    with pytest.raises(lens.ActlensError, match=message):
        call()


def test_view_opens_the_window_on_a_dataset_and_a_module_steps_and_returns_when_closed(
        cifar_files, tmp_path, monkeypatch):
    settings = tmp_path / "settings.ini"
    monkeypatch.setenv("ACTLENS_SETTINGS", str(settings))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    class MyModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.relu1 = nn.ReLU()

        def forward(self, x):
            return self.relu1(x)

    data = torch.utils.data.TensorDataset(torch.rand(40, 3, 16, 16), torch.arange(40) % 4)
    app = QApplication.instance() or QApplication([])
    seen = []

    def watch():
        window = next((w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"
                       and w.isVisible()), None)
        if window is None or window.last_view is None:
            return
        result = window.last_view.result
        if not seen or seen[-1] != result.request.batch_index:
            seen.append(result.request.batch_index)
            if result.request.batch_index == 0:
                assert [p.tag for p in result.panels] == ["input", "output"]
                assert result.panels[0].stats.min == pytest.approx(
                    float(data.tensors[0][:16].min()))  # the tensors as they came
                assert not window.form.split_combo.isEnabled()  # handed-over data has no splits
                window.step_by(1)
            else:
                window.close()

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(50)
    hook, handler = sys.excepthook, signal.getsignal(signal.SIGINT)
    assert lens.view(MyModel(), data, batch_size=16) is None
    timer.stop()
    assert seen == [0, 1]
    assert sys.excepthook is hook and signal.getsignal(signal.SIGINT) is handler
    assert not settings.exists()  # nothing read or written unless asked


NOTEBOOK_CELL = '''\
import torch
import activation_lens as lens
result = lens.compare(torch.rand(6, 3, 16, 16), activations="relu,tanh")
result
'''


def test_a_real_notebook_kernel_shows_compare_as_a_png(tmp_path, monkeypatch):
    import nbclient
    import nbformat

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # the kernel inherits it
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_CELL)])
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs), outputs
