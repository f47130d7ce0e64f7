"""The TensorBoard export: pixel-identical to the tutorial's add_images, robust to failures."""

import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator as ea

from activation_lens.engine.errors import ActlensError, CancelledError
from activation_lens.engine.export import ExportRequest, export_session, parse_batches
from activation_lens.engine.pipeline import StepRequest
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.summaries import tensorboard_command
from tests.helpers import read_images

ROOT = Path(__file__).resolve().parents[1]


def tutorial_export(images: np.ndarray, logdir, batch_size=64):
    """The classic exercise: ToTensor batches, ReLU and Sigmoid, SummaryWriter.add_images."""
    from torch.utils.tensorboard import SummaryWriter
    from torchvision.transforms import ToTensor

    writer = SummaryWriter(str(logdir))
    to_tensor = ToTensor()
    for step, start in enumerate(range(0, len(images), batch_size)):
        imgs = torch.stack([to_tensor(Image.fromarray(i)) for i in images[start:start + batch_size]])
        writer.add_images("input", imgs, step)
        writer.add_images("output_relu", torch.nn.ReLU()(imgs), step)
        writer.add_images("output_sigmoid", torch.nn.Sigmoid()(imgs), step)
    writer.close()


def test_default_export_is_pixel_identical_to_the_tutorials_add_images(cifar, tmp_path):
    outcome = export_session(StepRequest(data_root=str(cifar.root)), tmp_path / "ours")
    tutorial_export(cifar.test_images, tmp_path / "tutorial")
    ours, theirs = read_images(tmp_path / "ours"), read_images(tmp_path / "tutorial")
    assert sorted(ours) == ["input", "output_relu", "output_sigmoid"]
    assert outcome.steps_written == [0, 1, 2]
    for tag in theirs:
        assert sorted(ours[tag]) == sorted(theirs[tag]) == [0, 1, 2]
        for step in theirs[tag]:
            assert np.array_equal(ours[tag][step], theirs[tag][step]), (tag, step)
    assert ours["input"][0].shape == (8 * 32, 8 * 32, 3)  # 64 images, 8 columns
    assert ours["input"][2].shape == (32, 2 * 32, 3)  # the last batch holds 2 images


def test_export_writes_a_session_text_summary(cifar, tmp_path):
    export_session(StepRequest(data_root=str(cifar.root)), tmp_path, "0")
    acc = ea.EventAccumulator(str(tmp_path), size_guidance={ea.TENSORS: 0})
    acc.Reload()
    text = acc.Tensors("session")[0].tensor_proto.string_val[0].decode()
    assert "| activations | relu, sigmoid |" in text


def test_histograms_are_written_per_tag_and_step_when_asked(cifar, tmp_path):
    export_session(StepRequest(data_root=str(cifar.root)), tmp_path, "0:2", histograms=True)
    acc = ea.EventAccumulator(str(tmp_path), size_guidance={ea.HISTOGRAMS: 0})
    acc.Reload()
    assert sorted(acc.Tags()["histograms"]) == ["input", "output_relu", "output_sigmoid"]
    h = acc.Histograms("output_sigmoid")
    assert [e.step for e in h] == [0, 1] and h[0].histogram_value.num == 64 * 3 * 32 * 32
    assert 0.5 <= h[0].histogram_value.min and h[0].histogram_value.max <= 0.7311


def test_parametrised_activation_tags_carry_the_spec_text(cifar, tmp_path):
    specs = tuple(parse_spec_list("leaky_relu(negative_slope=0.2),tanh"))
    req = StepRequest(data_root=str(cifar.root), activations=specs, preprocess="centered")
    export_session(req, tmp_path, "1")
    assert sorted(read_images(tmp_path)) == [
        "input", "output_leaky_relu(negative_slope=0.2)", "output_tanh"]


def test_cancel_keeps_every_finished_step_readable(cifar, tmp_path):
    cancel = threading.Event()

    def progress(done, total):
        if done == 2:
            cancel.set()

    req = StepRequest(data_root=str(cifar.root), batch_size=10)
    outcome = export_session(req, tmp_path, "all", progress=progress, cancel=cancel, workers=1)
    assert outcome.cancelled and 2 <= len(outcome.steps_written) < 13
    assert sorted(read_images(tmp_path)["input"]) == outcome.steps_written


def test_cancel_before_any_step_leaves_no_event_file(cifar, tmp_path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(CancelledError):
        export_session(StepRequest(data_root=str(cifar.root)), tmp_path / "l", cancel=cancel)
    assert not (tmp_path / "l").exists()  # nor the log dir it would have created


def test_log_dir_that_cannot_be_created_is_refused_before_any_work(cifar, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ActlensError, match="cannot create log dir"):
        export_session(StepRequest(data_root=str(cifar.root)), blocker / "logs")


@pytest.mark.parametrize(
    "text, n, expected",
    [("all", 3, [0, 1, 2]), ("1:3", 5, [1, 2]), (":2", 5, [0, 1]), ("3:", 5, [3, 4]),
     ("4,0,4", 5, [0, 4])],
)
def test_batch_selection_syntax(text, n, expected):
    assert parse_batches(text, n) == expected


@pytest.mark.parametrize("text", ["5", "2:9", "3:1", "a:b", "x", "-1"])
def test_bad_batch_selection_is_a_clear_error(text):
    with pytest.raises(ActlensError, match="batch"):
        parse_batches(text, 5)


def test_an_export_request_writes_what_the_same_arguments_write(cifar, tmp_path):
    req = StepRequest(data_root=str(cifar.root), batch_size=16)
    outcome = export_session(ExportRequest(req, tmp_path / "a", "1:3", histograms=True))
    export_session(req, tmp_path / "b", "1:3", histograms=True)
    assert outcome.steps_written == [1, 2]
    a, b = read_images(tmp_path / "a"), read_images(tmp_path / "b")
    assert sorted(a) == sorted(b) == ["input", "output_relu", "output_sigmoid"]
    assert all(np.array_equal(a[t][s], b[t][s]) for t in a for s in (1, 2))
    acc = ea.EventAccumulator(str(tmp_path / "a"), size_guidance={ea.HISTOGRAMS: 0})
    acc.Reload()
    assert sorted(acc.Tags()["histograms"]) == ["input", "output_relu", "output_sigmoid"]


@pytest.mark.parametrize(
    "logdir, batches, fragment",
    [("  ", "all", "the log dir is empty"), ("logs", "a:b", "cannot read batches 'a:b'"),
     ("logs", "1,x", "cannot read batches"), ("logs", [], "no batches to export")],
)
def test_an_export_request_refuses_a_bad_log_dir_name_or_batch_syntax_when_made(
        logdir, batches, fragment):
    with pytest.raises(ActlensError, match=fragment):
        ExportRequest(StepRequest(), logdir, batches)


def test_an_export_request_expands_the_home_folder_and_keeps_the_folder_untouched(tmp_path):
    export = ExportRequest(StepRequest(), "~/actlens-never-made")
    assert export.logdir == Path.home() / "actlens-never-made"
    assert not export.logdir.exists()


def test_an_export_request_checks_listed_batches_against_the_split():
    export = ExportRequest(StepRequest(), "logs", [3, 1, 3])
    assert export.batch_indices(5) == [1, 3]
    with pytest.raises(ActlensError, match="batch 3 does not exist; batches run from 0 to 2"):
        export.batch_indices(3)
    assert ExportRequest(StepRequest(), "logs", "2:").batch_indices(4) == [2, 3]


def test_an_export_request_is_not_mixed_with_loose_export_arguments(tmp_path):
    with pytest.raises(TypeError):
        export_session(ExportRequest(StepRequest(), tmp_path), tmp_path / "other")
    assert list(tmp_path.iterdir()) == []


def test_tensorboard_command_asks_for_every_step():
    assert tensorboard_command("/tmp/my logs", 157) == (
        "tensorboard --logdir '/tmp/my logs' --samples_per_plugin images=157")


# --- the command line -------------------------------------------------------------------


def actlens(*args, **kw):
    return subprocess.run([sys.executable, "-m", "activation_lens", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kw)


def test_cli_export_prints_the_tensorboard_command_with_the_step_count(cifar_files, tmp_path):
    r = actlens("export", "--data-root", str(cifar_files.root), "--logdir", str(tmp_path / "l"),
                "--allow-unverified", "--batches", "0:2")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == (
        f"tensorboard --logdir {tmp_path / 'l'} --samples_per_plugin images=2")
    assert "wrote 2 steps x 3 tags (input, output_relu, output_sigmoid)" in r.stderr


def test_cli_export_never_imports_qt(cifar_files, tmp_path):
    code = (
        "import sys; from activation_lens.gui.launch import main; "
        f"rc = main(['export', '--data-root', {str(cifar_files.root)!r}, '--logdir', "
        f"{str(tmp_path)!r}, '--allow-unverified', '--batches', '0']); "
        "print(rc, any(m.startswith('PySide6') for m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.stdout.split()[-2:] == ["0", "False"], r.stderr


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--activations", "relu,bogus"], "unknown activation 'bogus'"),
        (["--activations", "elu(alpha=-1)"], "alpha=-1 is not allowed"),
        (["--batches", "7:99"], "outside 0:3"),
        (["--device", "cuda:7"], "device 'cuda:7' is not available"),
        (["--device", "tpu"], "unknown device 'tpu'"),
        (["--batch-size", "0"], "--batch-size: must be from 1 to 1024"),
    ],
)
def test_cli_user_errors_are_one_line_without_traceback(cifar_files, tmp_path, extra, fragment):
    r = actlens("export", "--data-root", str(cifar_files.root), "--logdir", str(tmp_path / "l"),
                "--allow-unverified", *extra)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], r.stderr


def test_cli_refuses_bad_batch_syntax_before_looking_for_the_data(tmp_path):
    r = actlens("export", "--data-root", str(tmp_path / "none"), "--logdir", str(tmp_path / "l"),
                "--no-download", "--batches", "1-3")
    assert r.returncode == 2 and "cannot read batches '1-3'" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and not (tmp_path / "l").exists()


def test_cli_refuses_unverified_data_without_the_flag(cifar_files, tmp_path):
    r = actlens("export", "--data-root", str(cifar_files.root), "--logdir", str(tmp_path))
    assert r.returncode == 2 and "failed the MD5 check" in r.stderr
    assert "Traceback" not in r.stderr


def test_cli_missing_data_with_no_download_is_one_line(tmp_path):
    r = actlens("export", "--data-root", str(tmp_path / "none"), "--logdir", str(tmp_path / "l"),
                "--no-download")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "CIFAR-10 not found" in r.stderr


def test_cli_verbose_shows_the_traceback(tmp_path):
    r = actlens("export", "--data-root", str(tmp_path / "none"), "--logdir", str(tmp_path / "l"),
                "--no-download", "--verbose")
    assert r.returncode == 2 and "Traceback" in r.stderr


def test_disk_full_mid_export_is_a_clear_error_and_earlier_steps_stay_readable(
        cifar_files, tmp_path):
    import resource

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    logdir = tmp_path / "l"
    r = actlens("export", "--data-root", str(cifar_files.root), "--logdir", str(logdir),
                "--allow-unverified", "--batch-size", "8", preexec_fn=limit_file_size)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "steps written before it are readable" in r.stderr
    written = int(r.stderr.split("; the ")[1].split()[0])
    assert written >= 1
    assert sorted(read_images(logdir)["input"]) == list(range(written))


def test_process_killed_mid_export_leaves_finished_steps_readable(cifar_files, tmp_path):
    logdir = tmp_path / "l"
    code = (
        "import time; from activation_lens.engine.export import export_session; "
        "from activation_lens.engine.pipeline import StepRequest; "
        f"export_session(StepRequest(data_root={str(cifar_files.root)!r}, batch_size=4, "
        f"allow_unverified=True), {str(logdir)!r}, "
        "progress=lambda d, t: (print(d, flush=True), time.sleep(0.05)))"
    )
    p = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                         text=True)
    for line in p.stdout:
        if int(line) >= 5:
            break
    p.send_signal(signal.SIGKILL)
    p.wait()
    steps = sorted(read_images(logdir)["input"])
    assert len(steps) >= 5 and steps == list(range(len(steps)))


def test_ctrl_c_stops_the_cli_export_after_the_current_step_and_keeps_the_file(tmp_path):
    from tests.conftest import CifarFixture

    data = CifarFixture(tmp_path / "big", n_test=3000, n_train=5)
    logdir = tmp_path / "l"
    p = subprocess.Popen(
        [sys.executable, "-m", "activation_lens", "export", "--data-root", str(data.root), "--logdir",
         str(logdir), "--allow-unverified", "--batch-size", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    for line in p.stderr:  # progress lines arrive every 10% when stderr is not a terminal
        if line.startswith("exporting:"):
            break
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert "Traceback" not in err and "cancelled; kept" in err
    kept = int(err.split("cancelled; kept ")[1].split()[0])
    assert 0 < kept < 3000
    assert sorted(read_images(logdir)["input"]) == list(range(kept))
    assert out.strip().endswith(f"images={kept}")
