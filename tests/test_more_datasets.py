"""CIFAR-100, MNIST, Fashion-MNIST and image folders behind the same interface."""

import gzip
import hashlib
import io
import pickle
import struct

import numpy as np
import pytest
from PIL import Image

from activation_lens.engine.data import datasets
from activation_lens.engine.errors import ActlensError, DatasetMissingError
from activation_lens.engine.export import export_session
from activation_lens.engine.pipeline import Engine, StepRequest
from tests.conftest import make_images, trust_cifar_files

# --- CIFAR-100 ---------------------------------------------------------------------------

@pytest.fixture
def cifar100(tmp_path, monkeypatch):
    folder = tmp_path / "cifar-100-python"
    folder.mkdir()
    images = make_images(30, seed=4)
    fine = [i % 100 for i in range(30)]
    coarse = [i % 20 for i in range(30)]
    data = np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(30, 3072)
    for name in ("test", "train"):
        with open(folder / name, "wb") as f:
            pickle.dump({"data": data, "fine_labels": fine, "coarse_labels": coarse}, f)
    with open(folder / "meta", "wb") as f:
        pickle.dump({"fine_label_names": [f"fine{i}" for i in range(100)],
                     "coarse_label_names": [f"coarse{i}" for i in range(20)]}, f)

    trust_cifar_files(monkeypatch, "cifar100", folder)
    return tmp_path, images


def test_cifar100_loads_fine_labels_by_default(cifar100):
    root, images = cifar100
    src = datasets.open_source("cifar100", root, "test")
    assert len(src.classes) == 100 and src.labels[7] == 7
    np.testing.assert_array_equal(src.read(0, 30)[0], images)


def test_cifar100_coarse_labels_on_request(cifar100):
    root, _ = cifar100
    src = datasets.open_source("cifar100", root, "test", coarse_labels=True)
    assert len(src.classes) == 20 and src.classes[3] == "coarse3" and src.labels[23] == 3


# --- MNIST and Fashion-MNIST -------------------------------------------------------------

def write_idx(path, array: np.ndarray) -> None:
    dims = array.shape
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + b"".join(struct.pack(">I", d) for d in dims)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture(params=["mnist", "fashion-mnist"])
def mnist_like(request, tmp_path):
    folder = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST"}[request.param]
    raw = tmp_path / folder / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, (25, 28, 28), dtype=np.uint8)
    labels = np.arange(25) % 10
    write_idx(raw / "t10k-images-idx3-ubyte", images)
    write_idx(raw / "t10k-labels-idx1-ubyte", labels)
    return request.param, tmp_path, images, labels


def test_mnist_style_test_split_loads_as_single_channel(mnist_like):
    name, root, images, labels = mnist_like
    src = datasets.open_source(name, root, "test")
    assert len(src) == 25 and src.channels == 1 and len(src.classes) == 10
    batch = src.batch(0, 16)
    assert batch.images.shape == (16, 28, 28, 1)
    np.testing.assert_array_equal(batch.images[..., 0], images[:16])
    np.testing.assert_array_equal(batch.labels, labels[:16])


def test_single_channel_batches_are_shown_and_exported_as_grey(mnist_like, tmp_path):
    name, root, images, _ = mnist_like
    req = StepRequest(data_root=str(root), dataset=name, batch_size=8, preprocess="normalize")
    result = Engine().run(req)
    shown = result.panels[0].images
    assert shown.shape == (8, 28, 28, 3)
    assert np.array_equal(shown[..., 0], shown[..., 2])
    outcome = export_session(req, tmp_path / "logs", "0:2")
    assert outcome.steps_written == [0, 1]


def test_mnist_missing_train_split_is_a_downloadable_missing_dataset(mnist_like):
    name, root, _, _ = mnist_like
    with pytest.raises(DatasetMissingError) as info:
        datasets.open_source(name, root, "train")
    assert "train-images-idx3-ubyte" in str(info.value)


def test_mnist_download_fetches_verifies_and_unpacks_every_file(tmp_path, monkeypatch):
    from dataclasses import replace

    from activation_lens.engine.data import mnist
    from tests.test_datasets import _Server

    blobs, resources = {}, []
    rng = np.random.default_rng(5)
    for name, array in [("train-images-idx3-ubyte", rng.integers(0, 256, (4, 28, 28))),
                        ("train-labels-idx1-ubyte", np.arange(4)),
                        ("t10k-images-idx3-ubyte", rng.integers(0, 256, (3, 28, 28))),
                        ("t10k-labels-idx1-ubyte", np.arange(3))]:
        path = tmp_path / name
        write_idx(path, array)
        blob = gzip.compress(path.read_bytes())
        blobs[f"/{name}.gz"] = blob
        resources.append((f"{name}.gz", hashlib.md5(blob).hexdigest()))
    server = _Server(blobs)
    try:
        # The first mirror refuses connections; the download falls back to the second.
        monkeypatch.setitem(mnist.FILES, "mnist", replace(
            mnist.FILES["mnist"], resources=tuple(resources),
            mirrors=("http://127.0.0.1:9/", server.base + "/")))
        seen = []
        datasets.download("mnist", tmp_path / "root", progress=lambda d, t: seen.append(d))
        src = datasets.open_source("mnist", tmp_path / "root", "test")
        assert len(src) == 3 and seen[-1] == sum(len(b) for b in blobs.values())
        assert sorted(p.name for p in (tmp_path / "root").iterdir()) == ["MNIST"]
    finally:
        server.close()


# --- image folders -----------------------------------------------------------------------

@pytest.fixture
def image_folder(tmp_path):
    root = tmp_path / "images"
    rng = np.random.default_rng(7)
    for cls, n in (("cats", 3), ("dogs", 4)):
        (root / cls).mkdir(parents=True)
        for i in range(n):
            arr = rng.integers(0, 256, (40 + i, 60, 3), dtype=np.uint8)
            Image.fromarray(arr).save(root / cls / f"{i}.png")
    return root


def test_image_folder_is_indexed_and_decoded_to_squares(image_folder):
    src = datasets.open_source("folder", image_folder, image_size=24)
    assert src.classes == ["cats", "dogs"] and len(src) == 7
    images, labels = src.read(0, 7)
    assert images.shape == (7, 24, 24, 3) and labels.tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_image_folder_decodes_only_the_batch_it_reads(image_folder, monkeypatch):
    from activation_lens.engine.data import folder

    decoded = []
    real = folder.decode_square
    monkeypatch.setattr(folder, "decode_square",
                        lambda path, size: decoded.append(path) or real(path, size))
    src = datasets.open_source("folder", image_folder)
    src.batch(0, 2)
    assert decoded == src.paths[:2]
    src.batch(0, 2)  # read again: from memory
    assert decoded == src.paths[:2]


def test_unreadable_files_show_grey_and_are_counted(image_folder):
    (image_folder / "cats" / "broken.jpg").write_bytes(b"not really a jpeg")
    src = datasets.open_source("folder", image_folder, image_size=16)
    images, _ = src.read(0, len(src))
    assert len(src.unreadable) == 1 and "1 unreadable image shown grey" in src.notes
    broken = src.paths.index(str(image_folder / "cats" / "broken.jpg"))
    assert (images[broken] == 128).all()


def test_non_image_files_and_empty_class_folders_are_reported(image_folder):
    (image_folder / "cats" / "notes.txt").write_text("hello")
    (image_folder / "zebras").mkdir()
    src = datasets.open_source("folder", image_folder)
    assert "1 non-image file ignored" in src.notes
    assert "empty class folders: zebras" in src.notes
    assert len(src) == 7


@pytest.mark.parametrize("side", [7000, 30000])  # past our limit; past Pillow's own limit
def test_decompression_bomb_is_refused_before_decoding(image_folder, side):
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    bomb = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))
    (image_folder / "dogs" / "bomb.png").write_bytes(bomb)
    src = datasets.open_source("folder", image_folder)
    src.read(0, len(src))
    reasons = list(src.unreadable.values())
    assert len(reasons) == 1 and "to decode safely" in reasons[0]


def test_folder_without_class_folders_or_images_is_a_clear_error(tmp_path):
    with pytest.raises(ActlensError, match="does not exist"):
        datasets.open_source("folder", tmp_path / "missing")
    (tmp_path / "flat").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "flat" / "a.png")
    with pytest.raises(ActlensError, match="no class folders"):
        datasets.open_source("folder", tmp_path / "flat")
    (tmp_path / "empty" / "cls").mkdir(parents=True)
    with pytest.raises(ActlensError, match="no images"):
        datasets.open_source("folder", tmp_path / "empty")


def test_jpeg_folder_round_trips_through_the_export(image_folder, tmp_path):
    for i in range(3):
        arr = np.full((32, 32, 3), 40 * i, dtype=np.uint8)
        buf = io.BytesIO()
        Image.fromarray(arr).save(buf, format="JPEG")
        (image_folder / "dogs" / f"j{i}.jpg").write_bytes(buf.getvalue())
    req = StepRequest(data_root=str(image_folder), dataset="folder", batch_size=4)
    outcome = export_session(req, tmp_path / "logs")
    assert outcome.steps_written == [0, 1, 2]
