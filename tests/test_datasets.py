"""CIFAR-10 loading: verification before unpickling, clear errors, download with cancel."""

import http.server
import io
import os
import pickle
import shutil
import tarfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from activation_lens.engine.data import datasets
from activation_lens.engine.errors import (
    ActlensError,
    CancelledError,
    DatasetMissingError,
    UnverifiedDataError,
)


def test_verified_test_split_loads_through_torchvision_with_labels_and_classes(cifar):
    src = datasets.open_source("cifar10", cifar.root, "test")
    assert len(src) == 130 and src.classes[3] == "cat"
    assert src.num_batches(64) == 3
    b = src.batch(2, 64)
    assert b.images.shape == (2, 32, 32, 3) and b.images.dtype == np.uint8
    np.testing.assert_array_equal(b.images, cifar.test_images[128:130])
    np.testing.assert_array_equal(b.labels, cifar.test_labels[128:130])


def test_train_split_concatenates_the_five_batches(cifar):
    src = datasets.open_source("cifar10", cifar.root, "train")
    np.testing.assert_array_equal(src.read(0, 100)[0], cifar.train_images)


def test_data_root_may_point_at_the_cifar_folder_itself(cifar):
    assert len(datasets.open_source("cifar10", cifar.folder, "test")) == 130


def test_missing_root_is_reported_as_downloadable_missing_dataset(tmp_path):
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source("cifar10", tmp_path / "nothing", "test")
    assert "cifar-10-batches-py does not exist" in str(info.value)


def test_batch_index_out_of_range_names_the_valid_range(cifar):
    src = datasets.open_source("cifar10", cifar.root, "test")
    with pytest.raises(ActlensError, match="batches 0 to 2"):
        src.batch(3, 64)


def test_file_failing_official_md5_is_refused_naming_the_file(cifar_files):
    with pytest.raises(UnverifiedDataError) as info:
        datasets.open_source("cifar10", cifar_files.root, "test")
    assert str(cifar_files.folder / "test_batch") in str(info.value)
    assert "--allow-unverified" in str(info.value)


def test_allow_unverified_loads_a_repacked_copy_as_plain_data(cifar_files):
    src = datasets.open_source("cifar10", cifar_files.root, "test", allow_unverified=True)
    np.testing.assert_array_equal(src.read(0, 130)[0], cifar_files.test_images)
    assert src.classes[:3] == ["airplane", "automobile", "bird"]
    assert src.labels.tolist() == cifar_files.test_labels


def test_missing_batch_file_is_named(cifar):
    (cifar.folder / "test_batch").unlink()
    with pytest.raises(ActlensError, match="test_batch is missing"):
        datasets.open_source("cifar10", cifar.root, "test")


def test_truncated_batch_file_gives_a_clear_error_not_a_traceback(cifar_files):
    path = cifar_files.folder / "test_batch"
    path.write_bytes(path.read_bytes()[:5000])
    with pytest.raises(UnverifiedDataError):
        datasets.open_source("cifar10", cifar_files.root, "test")
    with pytest.raises(ActlensError, match="not a readable CIFAR-10 file"):
        datasets.open_source("cifar10", cifar_files.root, "test", allow_unverified=True)


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("allow_unverified", [False, True])
def test_pickle_with_a_code_payload_never_runs(cifar_files, tmp_path, allow_unverified):
    marker = tmp_path / "pwned"
    with open(cifar_files.folder / "test_batch", "wb") as f:
        pickle.dump({"data": _Payload(marker), "labels": [0]}, f)
    with pytest.raises(ActlensError):
        datasets.open_source("cifar10", cifar_files.root, "test",
                             allow_unverified=allow_unverified)
    assert not marker.exists()


def test_object_arrays_are_not_plain_data(cifar_files):
    data = np.empty(2, dtype=object)
    with open(cifar_files.folder / "test_batch", "wb") as f:
        pickle.dump({"data": data, "labels": [0, 1]}, f)
    with pytest.raises(ActlensError, match="refused"):
        datasets.open_source("cifar10", cifar_files.root, "test", allow_unverified=True)


def test_wrong_shape_is_reported_as_not_a_cifar_batch(cifar_files):
    with open(cifar_files.folder / "test_batch", "wb") as f:
        pickle.dump({"data": np.zeros((2, 10), np.uint8), "labels": [0, 1]}, f)
    with pytest.raises(ActlensError, match="is not a CIFAR-10 batch"):
        datasets.open_source("cifar10", cifar_files.root, "test", allow_unverified=True)


# --- download --------------------------------------------------------------------------


def _archive_of(folder: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        tar.add(folder, arcname="cifar-10-batches-py")
    return buf.getvalue()


class _Server:
    """A loopback HTTP server serving one payload (or a path -> payload dict), optionally
    slowly."""

    def __init__(self, payload, delay: float = 0.0):
        outer = self
        routes = payload if isinstance(payload, dict) else None

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = routes.get(self.path) if routes is not None else payload
                if body is None:
                    self.send_error(404)
                    return
                self._send(body)

            def _send(self, payload):
                self.send_response(200)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                for i in range(0, len(payload), 4096):
                    if outer.stop.is_set():
                        return
                    try:
                        self.wfile.write(payload[i : i + 4096])
                    except OSError:
                        return
                    time.sleep(delay)

            def log_message(self, *args):
                pass

        self.stop = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.url = f"{self.base}/cifar-10-python.tar.gz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_cifar_from(monkeypatch, url: str, archive_md5: str | None = None,
                     dataset: str = "cifar10") -> None:
    """Download ``dataset``'s archive from ``url`` in this test (checked against
    ``archive_md5``, if given)."""
    from dataclasses import replace

    from activation_lens.engine.data import cifar

    files = cifar.FILES[dataset]
    monkeypatch.setitem(cifar.FILES, dataset, replace(
        files, url=url, archive_md5=archive_md5 or files.archive_md5))


@pytest.fixture
def served_archive(cifar, monkeypatch):
    import hashlib

    payload = _archive_of(cifar.folder)
    servers = []

    def serve(delay=0.0):
        s = _Server(payload, delay)
        servers.append(s)
        serve_cifar_from(monkeypatch, s.url, hashlib.md5(payload).hexdigest())
        return s

    yield serve
    for s in servers:
        s.close()


def test_download_fetches_checks_and_extracts_a_loadable_folder(served_archive, tmp_path):
    served_archive()
    seen = []
    root = tmp_path / "fresh"
    datasets.download("cifar10", root, progress=lambda d, t: seen.append((d, t)))
    assert len(datasets.open_source("cifar10", root, "test")) == 130
    assert seen[-1][0] == seen[-1][1] > 0
    assert sorted(p.name for p in root.iterdir()) == ["cifar-10-batches-py"]


def test_download_over_a_partial_copy_of_the_same_files_replaces_it_and_keeps_nothing(
        served_archive, cifar, tmp_path):
    served_archive()
    root = tmp_path / "partial"
    shutil.copytree(cifar.folder, root / "cifar-10-batches-py")
    for i in range(1, 6):
        (root / "cifar-10-batches-py" / f"data_batch_{i}").unlink()
    assert datasets.download("cifar10", root) is None  # nothing in it differed
    assert sorted(p.name for p in root.iterdir()) == ["cifar-10-batches-py"]
    assert (root / "cifar-10-batches-py" / "data_batch_1").is_file()


def test_download_over_a_differing_copy_moves_it_aside_and_says_where_it_is(
        served_archive, cifar, tmp_path, capsys):
    from activation_lens.engine import cli

    served_archive()
    root = tmp_path / "mine"
    mine = root / "cifar-10-batches-py"
    mine.mkdir(parents=True)
    (mine / "test_batch").write_bytes(b"the user's own conversion")
    (mine / "notes.txt").write_text("mine")
    assert cli.main(["download", "--data-root", str(root)]) == 0
    kept = root / "cifar-10-batches-py.kept"
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"the copy that was there differs from the download: it is kept in {kept}")
    assert (kept / "test_batch").read_bytes() == b"the user's own conversion"
    assert (kept / "notes.txt").read_text() == "mine"
    assert len(datasets.open_source("cifar10", root, "test")) == 130
    (mine / "extra").write_text("again")  # a second download keeps the next copy beside it
    assert datasets.download("cifar10", root) == root / "cifar-10-batches-py.kept-2"


def test_cancelled_download_leaves_no_folder_that_passes_as_valid(served_archive, tmp_path):
    served_archive(delay=0.01)
    cancel = threading.Event()
    root = tmp_path / "fresh"

    def progress(done, total):
        if done > 8192:
            cancel.set()

    with pytest.raises(CancelledError):
        datasets.download("cifar10", root, progress=progress, cancel=cancel)
    assert not root.exists()  # the folder made for the download went with it
    with pytest.raises(DatasetMissingError):
        datasets.open_source("cifar10", root, "test")


def test_download_without_network_fails_fast_and_leaves_no_folder_it_made(monkeypatch,
                                                                         tmp_path):
    serve_cifar_from(monkeypatch, "http://127.0.0.1:9/cifar-10-python.tar.gz")
    t = time.perf_counter()
    with pytest.raises(ActlensError, match="could not download CIFAR-10"):
        datasets.download("cifar10", tmp_path / "r" / "deeper")
    assert time.perf_counter() - t < 10
    assert list(tmp_path.iterdir()) == []  # neither r nor r/deeper is left behind
    (tmp_path / "mine").mkdir()  # a folder the user had stays, empty or not
    with pytest.raises(ActlensError, match="could not download CIFAR-10"):
        datasets.download("cifar10", tmp_path / "mine")
    assert (tmp_path / "mine").is_dir() and list((tmp_path / "mine").iterdir()) == []


def test_default_data_root_honours_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTLENS_DATA_ROOT", str(tmp_path))
    assert datasets.default_data_root() == tmp_path


@pytest.mark.parametrize("kind", ["folder", "fifo", "link loop", "device"])
def test_a_data_file_that_is_not_a_regular_file_is_named_in_one_line_and_nothing_downloads(
        cifar_files, tmp_path, kind):
    import subprocess
    import sys

    from activation_lens.engine.cli import EXIT_USER_ERROR

    path = cifar_files.folder / "test_batch"
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link loop":
        path.symlink_to(path)
    else:
        path.symlink_to("/dev/zero")
    r = subprocess.run([sys.executable, "-m", "activation_lens", "export", "--data-root",
                        str(cifar_files.root), "--logdir", str(tmp_path / "logs")],
                       capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert r.returncode == EXIT_USER_ERROR, r.stderr
    assert r.stderr.startswith(f"actlens: error: {path} is not a regular file ("), r.stderr
    assert r.stderr.count("\n") == 1 and "download" not in r.stderr.lower()
    assert sorted(p.name for p in cifar_files.root.iterdir()) == ["cifar-10-batches-py"]
