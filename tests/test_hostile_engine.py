"""Hostile inputs to the engine and the export command line: every case answers in bounded
time with one clear line (or loads), never a traceback, an "internal error" or a hang."""

from __future__ import annotations

import errno
import io
import math
import os
import pickle
import struct
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch  # imported up front: deadlines time loading only
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from activation_lens.engine.data import datasets
from activation_lens.engine.data.safe_pickle import load_plain
from activation_lens.engine.errors import ActlensError, quote_user
from activation_lens.engine.events import EventLog
from activation_lens.engine.export import export_session
from activation_lens.engine.pipeline import Engine, StepRequest
from activation_lens.engine.registry import ACTIVATIONS, build_module, make_spec, parse_spec, parse_spec_list
from tests.conftest import CLASSES, CifarFixture
from tests.helpers import write_idx

ROOT = Path(__file__).resolve().parents[1]


# --- helpers -----------------------------------------------------------------------------


def actlens(*args, timeout=60, cwd=ROOT):
    """The real entry point, as a user runs it."""
    started = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "activation_lens", *args], cwd=cwd, capture_output=True,
                       text=True, timeout=timeout)
    r.seconds = time.perf_counter() - started
    return r


def assert_clean_failure(r, *fragments, one_line=True):
    """Non-zero exit, no traceback, no catch-all, one short line naming what is wrong."""
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr, r.stderr[-2000:]
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    if one_line:
        assert len(lines) == 1, r.stderr[-2000:]
    assert len(r.stderr) < 1500, r.stderr[:300]
    for fragment in fragments:
        assert fragment in r.stderr, r.stderr[-2000:]


def timed(fn, *args, **kw):
    started = time.perf_counter()
    try:
        return fn(*args, **kw), time.perf_counter() - started
    except Exception as exc:  # noqa: BLE001 - the caller checks the type
        return exc, time.perf_counter() - started


def list_bomb(levels=10, fanout=100):
    value = 0
    for _ in range(levels):
        value = [value] * fanout
    return value


def write_meta(fixture: CifarFixture, extra: dict | bytes) -> Path:
    path = fixture.folder / "batches.meta"
    if isinstance(extra, bytes):
        path.write_bytes(extra)
    else:
        with open(path, "wb") as f:
            pickle.dump({"label_names": CLASSES, **extra}, f, protocol=2)
    return path


@pytest.fixture
def small_cifar(tmp_path) -> CifarFixture:
    """CIFAR-format files that fail the official MD5 (20 test images)."""
    return CifarFixture(tmp_path / "data", n_test=20, n_train=10)


# --- 1. pickles that cost more than their size ---------------------------------------------


def test_shared_reference_bomb_in_the_metadata_is_refused_quickly_naming_the_file(small_cifar):
    path = write_meta(small_cifar, {"x": list_bomb()})
    assert path.stat().st_size < 3000  # ten levels of [previous] * 100: 10^20 items
    err, seconds = timed(datasets.open_source, "cifar10", small_cifar.root,
                         allow_unverified=True)
    assert isinstance(err, ActlensError), err
    assert seconds < 5
    assert str(path) in str(err) and "more structure than" in str(err)
    assert "\n" not in str(err)


def test_a_modest_amount_of_sharing_still_loads(small_cifar):
    write_meta(small_cifar, {"x": list_bomb(levels=2, fanout=10)})  # 100 items from ~60 bytes
    src = datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    assert len(src) == 20 and src.classes == CLASSES


def _pickle_with_key(key_ops: bytes) -> bytes:
    """A protocol-2 pickle of ``{<key>: 1}`` whose key is given as opcodes (never built here)."""
    return b"\x80\x02}" + key_ops + b"K\x01s."


def test_dict_key_made_of_shared_tuples_is_refused_before_it_is_hashed(small_cifar):
    value = 0
    for _ in range(60):  # hashing this key would visit 2^60 tuples
        value = (value, value)
    key_ops = pickle.dumps(value, protocol=2)[2:-1]
    path = write_meta(small_cifar, _pickle_with_key(key_ops))
    err, seconds = timed(datasets.open_source, "cifar10", small_cifar.root,
                         allow_unverified=True)
    assert isinstance(err, ActlensError) and seconds < 5, (err, seconds)
    assert str(path) in str(err) and "dictionary keys must be strings or numbers" in str(err)


def test_codec_chains_cannot_grow_a_small_file():
    # _codecs.encode(x, 'hex') doubles x; 40 nested calls would need a terabyte.
    payload = (b"\x80\x02c_codecs\nencode\nq\x00" + b"h\x00" * 40
               + b"X\x01\x00\x00\x00aX\x06\x00\x00\x00latin1\x86R"
               + b"X\x03\x00\x00\x00hex\x86R" * 40 + b".")
    err, seconds = timed(load_plain, io.BytesIO(payload))
    assert isinstance(err, pickle.UnpicklingError) and seconds < 1, err
    assert "unusual text encoding" in str(err)


@pytest.mark.parametrize(
    "payload, why",
    [
        (b"\x80\x02cnumpy\nndarray\nJ\x00\x00\x00\x40\x85R.", "ndarray called to allocate"),
        (b"\x80\x05\x96" + (2**40).to_bytes(8, "little") + b"abc.", "bytearray of 1 TB declared"),
        (b"\x80\x04\x8d" + (2**40).to_bytes(8, "little") + b"abc.", "text of 1 TB declared"),
        (b"\x80\x04\x8e" + (2**40).to_bytes(8, "little") + b"abc.", "bytes of 1 TB declared"),
        (b"\x80\x02]q\x00h\x00a.", "a list that holds itself"),
        (pickle.dumps({1, 2}, protocol=4), "a set"),
        (pickle.dumps(frozenset({1}), protocol=4), "a frozenset"),
        (b"\x80\x02}q\x00(]\x85K\x01u.", "a dict whose key is a tuple holding a list"),
        (b"\x80\x02Nr\xff\xff\xff\x7f.", "a memo slot 2^31"),
        (b"\x80\x02cnumpy\ndtype\nX\x01\x00\x00\x00O\x89\x88\x87R.", "an object dtype"),
        (pickle.dumps(Exception("x"), protocol=2), "an object"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_pickles_that_would_allocate_or_loop_answer_at_once(payload, why):
    result, seconds = timed(load_plain, io.BytesIO(payload))
    assert seconds < 1, (why, seconds)
    assert isinstance(result, Exception) or result is None, (why, result)


def test_plain_data_in_every_protocol_still_round_trips():
    value = {"data": np.arange(12, dtype=np.uint8).reshape(3, 4), "labels": [np.int64(1), 2],
             "names": ["a", "b"], "t": (1.5, None, True, b"x"), 7: -(2**70)}
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        loaded = load_plain(io.BytesIO(pickle.dumps(value, protocol=protocol)))
        assert loaded["data"].tolist() == value["data"].tolist()
        assert loaded["labels"] == [1, 2] and loaded[7] == -(2**70)
        assert loaded["t"] == value["t"] and loaded["names"] == ["a", "b"]


# A structure as pickle opcodes: nodes built bottom-up, each child a memo reference to an
# earlier node, so fan-out and sharing make expansions up to astronomically large while the
# test itself never builds (or hashes) the value.
_MEMO_BASE = 10_000


def _get(i: int) -> bytes:
    return b"j" + struct.pack("<I", _MEMO_BASE + i)


def _put(i: int) -> bytes:
    return b"r" + struct.pack("<I", _MEMO_BASE + i)


ATOMS = st.one_of(st.integers(-(2**70), 2**70), st.floats(), st.text(max_size=6),
                  st.binary(min_size=1, max_size=6), st.none(), st.booleans())


@st.composite
def structure_ops(draw) -> bytes:
    """Opcodes that push one value built from shared nodes; the last node is the value."""
    out = []
    count = draw(st.integers(1, 24))
    kinds = ["atom", "list", "tuple", "dict"]
    if draw(st.integers(0, 5)) == 0:  # keys that are containers: refused before hashing
        kinds.append("dict_node_keys")
    for i in range(count):
        kind = draw(st.sampled_from(kinds))
        if kind == "atom" or i == 0:
            out.append(pickle.dumps(draw(ATOMS), protocol=2)[2:-1] + _put(i))
            continue
        fanout = draw(st.integers(0, 300))
        refs = draw(st.lists(st.integers(0, i - 1), min_size=1, max_size=4))
        children = b"".join(_get(refs[j % len(refs)]) for j in range(fanout))
        if kind == "list":
            out.append(b"]" + _put(i) + b"(" + children + b"e")
        elif kind == "tuple":
            out.append(b"(" + children + b"t" + _put(i))
        elif kind == "dict":
            items = b"".join(b"X" + struct.pack("<I", len(k)) + k + _get(refs[j % len(refs)])
                             for j, k in enumerate(f"k{j}".encode() for j in range(fanout)))
            out.append(b"}" + _put(i) + b"(" + items + b"u")
        else:  # keys are earlier nodes: atoms are fine, containers must be refused unhashed
            items = b"".join(_get(refs[j % len(refs)]) + _get(refs[(j + 1) % len(refs)])
                             for j in range(min(fanout, 20)))
            out.append(b"}" + _put(i) + b"(" + items + b"u")
    return b"0".join(out) + b"0" + _get(count - 1)  # POP each node: only references remain


def _text(s: str) -> bytes:
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def _names_ops() -> bytes:
    return b"](" + b"".join(_text(c) for c in CLASSES) + b"e"


@settings(deadline=5000, max_examples=150,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=structure_ops(), place=st.sampled_from(["meta", "labels", "names"]))
def test_random_shared_structures_load_or_are_refused_in_bounded_time(ops, place, small_cifar):
    folder = small_cifar.folder
    if place == "meta":  # ignored by the loader, but still walked by the check
        payload = b"\x80\x02}(" + _text("label_names") + _names_ops() + _text("x") + ops + b"u."
        (folder / "batches.meta").write_bytes(payload)
    elif place == "names":
        payload = b"\x80\x02}(" + _text("label_names") + ops + b"u."
        (folder / "batches.meta").write_bytes(payload)
    else:
        data = pickle.dumps(np.zeros((2, 3072), np.uint8), protocol=2)[2:-1]
        payload = b"\x80\x02}(" + _text("data") + data + _text("labels") + ops + b"u."
        (folder / "test_batch").write_bytes(payload)
    assert len(payload) <= 64_000
    try:
        result, seconds = timed(datasets.open_source, "cifar10", small_cifar.root,
                                allow_unverified=True)
        assert isinstance(result, (datasets.ImageSource, ActlensError)), repr(result)[:300]
        assert seconds < 5
        if isinstance(result, ActlensError):
            assert "\n" not in str(result) and len(str(result)) < 600
            event(f"{place}: refused, {str(result).split(': ', 1)[-1][:28]}")
        else:
            event(f"{place}: loaded")
    finally:  # the fixture is shared by every example
        _restore(small_cifar)


def _restore(fixture: CifarFixture) -> None:
    from tests.conftest import write_cifar_batch

    write_cifar_batch(fixture.folder / "test_batch", fixture.test_images, fixture.test_labels)
    write_meta(fixture, {"num_vis": 3072})


def test_cli_export_of_a_pickle_bomb_fails_within_seconds_with_one_line(small_cifar, tmp_path):
    path = write_meta(small_cifar, {"x": list_bomb()})
    logdir = tmp_path / "logs"
    r = actlens("export", "--data-root", str(small_cifar.root), "--allow-unverified",
                "--logdir", str(logdir), timeout=20)
    assert_clean_failure(r, str(path), "more structure than")
    assert not logdir.exists()


# --- 2 and 3. image folders: loops, bounds, counts ---------------------------------------


def _image_folder(root: Path, per_class=5) -> Path:
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        for i in range(per_class):
            Image.new("RGB", (12, 10), (i * 40, 20, 200)).save(root / cls / f"{i}.png")
    return root


def test_folder_with_two_links_to_itself_indexes_exactly_its_real_files(tmp_path):
    root = _image_folder(tmp_path / "imgs")
    os.symlink(".", root / "cat" / "l1")
    os.symlink(".", root / "cat" / "l2")
    src, seconds = timed(datasets.open_source, "folder", root)
    assert not isinstance(src, Exception), src
    assert seconds < 5
    assert len(src) == 10 and src.classes == ["cat", "dog"]
    assert sorted(os.path.basename(p) for p in src.paths) == sorted([f"{i}.png" for i in range(5)] * 2)
    assert "2 folder links that loop back were skipped" in src.notes


def test_links_to_a_parent_folder_or_between_siblings_are_followed_at_most_once(tmp_path):
    root = _image_folder(tmp_path / "imgs")
    (root / "cat" / "sub").mkdir()
    Image.new("RGB", (8, 8)).save(root / "cat" / "sub" / "x.png")
    os.symlink("..", root / "cat" / "sub" / "up")  # back to cat/
    os.symlink("../sub", root / "cat" / "sub" / "again")  # to itself by another name
    src, seconds = timed(datasets.open_source, "folder", root)
    assert seconds < 5 and len(src) == 11


def test_a_class_folder_linked_from_elsewhere_is_indexed_once(tmp_path):
    elsewhere = _image_folder(tmp_path / "other")
    root = tmp_path / "imgs"
    root.mkdir()
    os.symlink(elsewhere / "cat", root / "kitten")
    os.symlink(elsewhere / "dog", root / "puppy")
    src = datasets.open_source("folder", root)
    assert src.classes == ["kitten", "puppy"] and len(src) == 10 and src.notes == ()


def test_listing_a_huge_folder_is_bounded_with_a_clear_error(tmp_path):
    from activation_lens.engine.data.folder import index_folder

    root = _image_folder(tmp_path / "imgs", per_class=30)
    with pytest.raises(ActlensError, match="holds more than 50 files and folders"):
        index_folder(root, max_entries=50)


def test_a_pipe_named_like_an_image_is_never_opened(tmp_path):
    root = _image_folder(tmp_path / "imgs")
    os.mkfifo(root / "cat" / "pipe.png")
    src, seconds = timed(datasets.open_source, "folder", root)
    assert seconds < 5 and len(src) == 10
    assert "1 special file (pipes, devices) ignored" in src.notes
    images, _ = src.read(0, len(src))  # nothing blocks reading every image
    assert images.shape == (10, 32, 32, 3)


def test_an_image_replaced_by_a_pipe_after_indexing_shows_grey_instead_of_blocking(tmp_path):
    root = _image_folder(tmp_path / "imgs")
    src = datasets.open_source("folder", root)
    victim = src.paths[0]
    os.unlink(victim)
    os.mkfifo(victim)
    images, seconds = timed(src.read, 0, 2)
    assert seconds < 5 and (images[0][0] == 128).all()
    assert "1 unreadable image shown grey" in src.notes


def _png_bomb(side=30000) -> bytes:
    import zlib

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def test_cli_export_of_a_looping_folder_finishes_and_its_summary_shows_every_count(tmp_path):
    root = _image_folder(tmp_path / "imgs")
    os.symlink(".", root / "cat" / "l1")
    os.symlink(".", root / "cat" / "l2")
    (root / "cat" / "notes.txt").write_text("hello")
    (root / "dog" / "broken.jpg").write_bytes(b"not a jpeg")
    (root / "dog" / "bomb.png").write_bytes(_png_bomb())
    (root / "zebra").mkdir()
    logdir = tmp_path / "logs"
    r = actlens("export", "--dataset", "folder", "--data-root", str(root), "--logdir",
                str(logdir), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    summary = [line for line in r.stderr.splitlines() if line.startswith("actlens: wrote")]
    assert len(summary) == 1, r.stderr
    for fragment in ("image folder: ", "1 non-image file ignored", "empty class folders: zebra",
                     "2 folder links that loop back were skipped",
                     "1 unreadable image shown grey",
                     "1 image too large to decode safely shown grey"):
        assert fragment in summary[0], summary[0]


# --- 4. arrays that do not agree with themselves ------------------------------------------


def _write_test_batch(fixture: CifarFixture, entry: dict) -> Path:
    path = fixture.folder / "test_batch"
    with open(path, "wb") as f:
        pickle.dump(entry, f, protocol=2)
    return path


def _data(n=20):
    return np.zeros((n, 3072), np.uint8)


@pytest.mark.parametrize(
    "entry, fragment",
    [
        ({"data": _data(), "labels": 5}, "the labels are an int"),
        ({"data": _data(), "labels": None}, "the labels are a NoneType"),
        ({"data": _data(), "labels": "0123456789" * 2}, "the labels are a str"),
        ({"data": _data(), "labels": [2.7] * 20}, "label 0 is 2.7"),
        ({"data": _data(), "labels": [True] * 20}, "label 0 is a bool"),
        ({"data": _data(), "labels": [[1]] * 20}, "label 0 is a list"),
        ({"data": _data(), "labels": [float("nan")] * 20}, "label 0 is nan"),
        ({"data": _data(), "labels": [10**40] * 20}, "label 0 is 1000000"),
        ({"data": _data(), "labels": [-1] * 20}, "label 0 is -1"),
        ({"data": _data(), "labels": [10] * 20}, "not a class number from 0 to 9"),
        ({"data": _data(), "labels": list(range(10))}, "10 labels for 20 images"),
        ({"data": _data(), "labels": np.full(20, 2.5)}, "label 0 is 2.5"),
        ({"data": _data(), "labels": np.zeros((20, 2), np.int64)}, "shape (20, 2)"),
        ({"data": _data(), "labels": np.zeros(20, bool)}, "the labels are a bool array"),
        ({"data": np.zeros((20, 3072), np.float32), "labels": [0] * 20}, "found float32 20x3072"),
        ({"data": np.zeros((20, 100), np.uint8), "labels": [0] * 20}, "found uint8 20x100"),
        ({"data": [[0] * 3072] * 20, "labels": [0] * 20}, "found a list"),
        ({"labels": [0] * 20}, "it has no 'data' (the images); its keys are 'labels'"),
        ({"data": _data()}, "it has no 'labels'"),
    ],
)
def test_labels_and_images_that_disagree_are_one_line_naming_the_file(small_cifar, entry,
                                                                       fragment):
    path = _write_test_batch(small_cifar, entry)
    with pytest.raises(ActlensError) as info:
        datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    message = str(info.value)
    assert str(path) in message and fragment in message, message
    assert "\n" not in message and len(message) < 400


def test_whole_number_labels_written_as_floats_or_numpy_integers_load(small_cifar):
    _write_test_batch(small_cifar, {"data": _data(), "labels": [float(i % 10) for i in range(20)]})
    src = datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    assert src.labels.tolist() == [i % 10 for i in range(20)]
    _write_test_batch(small_cifar, {"data": _data(), "labels": np.arange(20, dtype=np.uint8) % 10})
    src = datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    assert src.labels.dtype == np.int64 and src.labels[13] == 3


@pytest.mark.parametrize(
    "names, fragment",
    [("airplane", "the class names are a str"), ([1, 2, 3], "class name 0 is an int"),
     ([], "holds no class names"), (None, "the class names are a NoneType")],
)
def test_class_names_that_are_not_a_list_of_text_are_refused(small_cifar, names, fragment):
    path = write_meta(small_cifar, {"label_names": names})
    with pytest.raises(ActlensError) as info:
        datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_cli_export_of_labels_that_are_not_numbers_is_one_line(small_cifar, tmp_path):
    path = _write_test_batch(small_cifar, {"data": _data(), "labels": [2.7] * 20})
    r = actlens("export", "--data-root", str(small_cifar.root), "--allow-unverified",
                "--logdir", str(tmp_path / "logs"), timeout=60)
    assert_clean_failure(r, str(path), "label 0 is 2.7")
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize(
    "file, write, fragment",
    [
        ("labels", lambda p: write_idx(p, np.arange(7) % 10), "holds 7 labels but"),
        ("labels", lambda p: write_idx(p, np.full(12, 10)), "label 0 is 10"),
        ("labels", lambda p: write_idx(p, np.zeros((12, 2))), "has 2 dimensions; expected 1"),
        ("images", lambda p: write_idx(p, np.zeros((12, 28))), "has 2 dimensions; expected 3"),
        ("images", lambda p: write_idx(p, np.zeros((12, 28, 28)), shape=(60000, 28, 28)),
         "its header describes 60000 x 28 x 28"),
        ("images", lambda p: write_idx(p, np.zeros((12, 28, 28)), kind=0x0B),
         "element type 0x0b"),
        ("images", lambda p: write_idx(p, np.zeros((12, 28, 28)), kind=0x0A),
         "element type 0x0a"),
        ("images", lambda p: p.write_bytes(b""), "is not an IDX file"),
        ("images", lambda p: p.write_bytes(b"\0\0\x08\x03\0\0"), "ends inside its header"),
        ("images", lambda p: write_idx(p, np.zeros((0, 28, 28))), "holds no images"),
        ("images", lambda p: write_idx(p, np.zeros((12, 0, 28))), "expected uint8"),
    ],
)
def test_mnist_files_that_disagree_are_one_line_naming_the_file(mnist_raw, tmp_path, file,
                                                                write, fragment):
    root, raw = tmp_path, mnist_raw
    path = raw / f"t10k-{file}-idx{3 if file == 'images' else 1}-ubyte"
    write(path)
    err, seconds = timed(datasets.open_source, "mnist", root)
    assert isinstance(err, ActlensError), err
    assert seconds < 5 and fragment in str(err) and str(raw) in str(err), str(err)
    assert "\n" not in str(err)


# --- 5. every parameter the registry accepts builds and runs -------------------------------


def _param_values(p):
    if p.kind is bool:
        return st.booleans()
    if p.kind is str:
        return st.sampled_from(p.choices)
    if p.kind is int:
        return st.integers(int(p.low), int(p.high))
    lo, hi = float(p.low), float(p.high)
    edges = [lo, hi, math.nextafter(lo, hi), math.nextafter(hi, lo), (lo + hi) / 2, 0.0,
             -0.0, 1e-300, 5e-324, -1e-300, p.default]
    return st.one_of(st.sampled_from([v for v in edges if lo <= v <= hi]),
                     st.floats(lo, hi, allow_nan=False))


@st.composite
def accepted_or_refused_specs(draw):
    name = draw(st.sampled_from(sorted(ACTIVATIONS)))
    values = {p.name: draw(_param_values(p)) for p in ACTIVATIONS[name].params}
    return name, values


@settings(deadline=None, max_examples=400)
@given(case=accepted_or_refused_specs(), channels=st.sampled_from([3, 1]))
def test_every_spec_the_registry_accepts_builds_and_runs(case, channels):
    name, values = case
    try:
        spec = make_spec(name, values)
    except ActlensError as exc:
        assert "must" in str(exc) or "expected" in str(exc), str(exc)
        return
    assert parse_spec(str(spec)) == spec  # what it prints reads back
    module = build_module(spec)
    x = torch.randn(2, channels, 4, 4) * 3
    try:
        with torch.inference_mode():
            y = module(x)
    except ActlensError as exc:  # a clear word about this data's channels, not a crash
        assert channels == 1 and "channels" in str(exc)
        return
    assert y.shape == x.shape
    assert torch.isfinite(y).all() or name in ("log_softmax", "logsigmoid"), (str(spec), y)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("prelu(num_parameters=2)", "num_parameters must be 1 (one shared slope) or 3"),
        ("prelu(num_parameters=1e999)", "expected an integer in [1, 3]"),
        ("rrelu(seed=nan)", "expected an integer in"),
        ("rrelu(seed=1.5)", "expected an integer in"),
        ("celu(alpha=1e-300)", "expected a number in [0.001, 10]"),
        ("softplus(beta=5e-324)", "expected a number in [0.001, 100]"),
        ("softplus(threshold=100)", "expected a number in (0, 80]"),
        ("rrelu(lower=0.9, upper=0.1)", "lower must not exceed upper"),
        ("hardtanh(min_val=2, max_val=2)", "min_val must be less than max_val"),
        ("relu," * 40, "at most 12"),
    ],
)
def test_parameters_torch_would_refuse_later_are_refused_at_parse_time(text, fragment):
    with pytest.raises(ActlensError) as info:
        parse_spec_list(text)
    assert fragment in str(info.value), str(info.value)


def test_three_prelu_slopes_on_grey_images_is_a_clear_error(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "t10k-images-idx3-ubyte", np.zeros((4, 28, 28)))
    write_idx(raw / "t10k-labels-idx1-ubyte", np.arange(4))
    req = StepRequest(data_root=str(tmp_path), dataset="mnist", batch_size=4,
                      activations=tuple(parse_spec_list("prelu(num_parameters=3)")))
    with pytest.raises(ActlensError, match="needs images with 3 channels; these have 1"):
        Engine().run(req)


# --- 6. paths -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--dataset", "mnist", "--no-download"], "MNIST not found"),
        (["--activations", "bogus"], "unknown activation 'bogus'"),
        (["--device", "tpu"], "unknown device 'tpu'"),
        (["--batches", "7:99"], "outside 0:1"),
        (["--batch-size", "0"], "--batch-size: must be from 1 to 1024"),
    ],
)
def test_a_failed_export_leaves_no_log_dir_behind(small_cifar, tmp_path, extra, fragment):
    logdir = tmp_path / "new" / "logs"
    r = actlens("export", "--data-root", str(small_cifar.root), "--allow-unverified",
                "--logdir", str(logdir), *extra)
    assert_clean_failure(r, fragment)
    assert not (tmp_path / "new").exists()


def test_a_failure_during_the_first_step_removes_what_the_export_created(small_cifar,
                                                                         tmp_path, monkeypatch):
    def broken(self, request):
        raise ActlensError("the step failed")

    monkeypatch.setattr(Engine, "run", broken)
    kept = tmp_path / "existing"
    kept.mkdir()
    req = StepRequest(data_root=str(small_cifar.root), allow_unverified=True)
    for logdir in (tmp_path / "a" / "b", kept):
        with pytest.raises(ActlensError, match="the step failed"):
            export_session(req, logdir)
    assert not (tmp_path / "a").exists()
    assert kept.is_dir() and list(kept.iterdir()) == []  # a folder we did not make stays


def test_disk_full_while_writing_the_header_leaves_no_file_and_no_folder(small_cifar, tmp_path,
                                                                         monkeypatch):
    def full(self, event):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(EventLog, "write", full)
    logdir = tmp_path / "logs"
    req = StepRequest(data_root=str(small_cifar.root), allow_unverified=True)
    with pytest.raises(ActlensError, match="No space left on device"):
        export_session(req, logdir)
    assert not logdir.exists()
    existing = tmp_path / "existing"
    existing.mkdir()
    with pytest.raises(ActlensError, match="cannot write an event file"):
        export_session(req, existing)
    assert list(existing.iterdir()) == []


@pytest.mark.parametrize("logdir", ["", "   ", "\t"])
def test_an_empty_logdir_is_refused_and_nothing_is_written_here(small_cifar, tmp_path, logdir):
    here = tmp_path / "cwd"
    here.mkdir()
    r = actlens("export", "--data-root", str(small_cifar.root), "--allow-unverified",
                "--logdir", logdir, cwd=here)
    assert_clean_failure(r, "the log dir is empty")
    assert list(here.iterdir()) == []
    with pytest.raises(ActlensError, match="the log dir is empty"):
        export_session(StepRequest(data_root=str(small_cifar.root)), logdir)


@pytest.mark.parametrize("dataset", ["cifar10", "cifar100", "mnist", "fashion-mnist", "folder"])
def test_a_data_root_that_is_a_file_is_one_clear_line(tmp_path, dataset):
    a_file = tmp_path / "some_file.txt"
    a_file.write_text("not a folder")
    with pytest.raises(ActlensError) as info:
        datasets.open_source(dataset, a_file, allow_unverified=True)
    assert f"the data root {a_file} is a file, not a folder" in str(info.value)


def test_cli_data_root_that_is_a_file_is_one_line(tmp_path):
    a_file = tmp_path / "some_file.txt"
    a_file.write_text("not a folder")
    r = actlens("export", "--data-root", str(a_file), "--logdir", str(tmp_path / "l"))
    assert_clean_failure(r, "is a file, not a folder")
    assert not (tmp_path / "l").exists()


def test_a_home_folder_of_an_unknown_user_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(ActlensError, match="unknown user's home folder"):
        datasets.open_source("cifar10", "~no-such-user-actlens/data")
    with pytest.raises(ActlensError, match="unknown user's home folder"):
        export_session(StepRequest(data_root=str(tmp_path)), "~no-such-user-actlens/logs")
    monkeypatch.setenv("ACTLENS_DATA_ROOT", "~no-such-user-actlens")
    with pytest.raises(ActlensError, match=r"\$ACTLENS_DATA_ROOT"):
        datasets.default_data_root()


def test_a_data_file_that_cannot_be_read_is_named(small_cifar, monkeypatch):
    read_bytes = Path.read_bytes

    def denied(path):
        if path.parent == small_cifar.folder:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ActlensError) as info:
        datasets.open_source("cifar10", small_cifar.root, allow_unverified=True)
    assert "cannot read" in str(info.value) and "Permission denied" in str(info.value)
    assert str(small_cifar.folder) in str(info.value)


def test_a_folder_that_cannot_be_listed_is_counted_not_fatal(tmp_path, monkeypatch):
    import activation_lens.engine.data.folder as folder_module
    root = _image_folder(tmp_path / "imgs")
    (root / "dog" / "private").mkdir()
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("private"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_scandir(path)

    monkeypatch.setattr(folder_module.os, "scandir", scandir)
    src = datasets.open_source("folder", root)
    assert len(src) == 10 and "1 folder could not be read" in src.notes


def _image_counts(folder: Path) -> dict[str, Counter]:
    from tensorboard.backend.event_processing import event_accumulator as ea

    acc = ea.EventAccumulator(str(folder), size_guidance={ea.IMAGES: 0})
    acc.Reload()
    return {tag: Counter(e.step for e in acc.Images(tag)) for tag in acc.Tags()["images"]}


def test_two_exports_started_at_once_into_one_logdir_become_two_runs(small_cifar, tmp_path):
    logdir = tmp_path / "logs"
    args = [sys.executable, "-m", "activation_lens", "export", "--data-root", str(small_cifar.root),
            "--allow-unverified", "--batch-size", "8", "--logdir", str(logdir)]
    procs = [subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.strip().splitlines()[-1] == (
            f"tensorboard --logdir {logdir} --samples_per_plugin images=3")
    runs = sorted({f.parent for f in logdir.rglob("events.out.tfevents.*")})
    assert runs == [logdir, logdir / "run-2"]
    for run in runs:
        counts = _image_counts(run)
        assert set(counts) == {"input", "output_relu", "output_sigmoid"}
        for tag, per_step in counts.items():
            assert per_step == Counter({0: 1, 1: 1, 2: 1}), (run, tag, per_step)
    assert sum("is a separate run in" in err for _, err in outs) == 1


def test_a_second_export_into_the_same_logdir_is_a_new_run_and_says_so(small_cifar, tmp_path):
    logdir = tmp_path / "logs"
    req = StepRequest(data_root=str(small_cifar.root), allow_unverified=True, batch_size=10)
    first = export_session(req, logdir)
    second = export_session(req, logdir)
    assert first.logdir == logdir and not first.new_run
    assert second.logdir == logdir / "run-2" and second.new_run
    assert second.event_file.parent == logdir / "run-2"
    assert second.tensorboard_command == f"tensorboard --logdir {logdir} --samples_per_plugin images=2"
    assert all(n == 1 for c in _image_counts(logdir).values() for n in c.values())


# --- 7. whatever the user typed, the error quotes a little of it ---------------------------


def test_quote_user_shortens_long_text_and_keeps_it_on_one_line():
    assert quote_user("relu") == "relu"
    long = quote_user("x" * 100_000)
    assert len(long) < 100 and long.endswith("…(100000 characters)")
    assert "\n" not in quote_user("a\nb" * 50)
    assert quote_user(10**5000) == "a 16610-bit integer"


HUGE = "leaky_relu(negative_slope=" + "9" * 100_000 + ")"


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (["--activations", HUGE], "is not allowed"),
        (["--activations", "bogus" * 20_000], "unknown activation"),
        (["--activations", "relu(" + "x" * 100_000], "unbalanced '('"),
        (["--batches", "x" * 100_000], "cannot read batches"),
        (["--device", "cuda:" + "9" * 100_000], "device"),
    ],
)
def test_a_100_kB_argument_is_quoted_shortened_in_a_one_line_error(small_cifar, tmp_path,
                                                                   extra, fragment):
    r = actlens("export", "--data-root", str(small_cifar.root), "--allow-unverified",
                "--logdir", str(tmp_path / "l"), *extra)
    assert_clean_failure(r, fragment)
    assert len(r.stderr) < 500, len(r.stderr)


def test_a_100_kB_choice_is_quoted_shortened_in_the_usage_error(tmp_path):
    r = actlens("export", "--logdir", str(tmp_path / "l"), "--dataset", "x" * 100_000)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "invalid choice" in r.stderr and len(r.stderr) < 1500


# --- absurd command lines, each as its own process -------------------------------------------


ABSURD = [
    ["--batch-size", "-5"],
    ["--batch-size", str(10**12)],
    ["--batch-size", "9" * 5000],
    ["--image-size", "99999999999"],
    ["--image-size", "-1"],
    ["--batches", "999999999999999999:"],
    ["--batches", "9" * 5000 + ":"],
    ["--batches", ":-3"],
    ["--batches", "💥,🙂"],
    ["--activations", "relu," * 20_000],
    ["--activations", "relu(" * 1000],
    ["--activations", "prelu(num_parameters=1e999)"],
    ["--activations", "rrelu(seed=nan)"],
    ["--activations", "leaky_relu(negative_slope=" + "1" * 4000 + ")"],
    ["--activations", "gelu(approximate='" + "ü" * 3000 + "')"],
    ["--device", "💥"],
    ["--device", "cuda:99999999999999999999"],
    ["--logdir", "x" * 5000],
    ["--logdir", "/dev/null/logs"],
    ["--logdir", "/proc/self/logs"],
    ["--data-root", "d" * 5000],
    ["--dataset", "💥"],
    ["--split", "ü" * 1000],
    ["--preprocess", "\u202e"],
    ["--logdir", "~no-such-user-actlens/logs"],
    ["--data-root", "~no-such-user-actlens/data"],
]


def test_absurd_command_lines_answer_in_one_line_without_a_traceback(small_cifar, tmp_path):
    logdir = tmp_path / "l"
    base = ["export", "--data-root", str(small_cifar.root), "--allow-unverified",
            "--logdir", str(logdir)]

    def run(extra):
        return extra, actlens(*base, *extra, timeout=60)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, ABSURD))
    for extra, r in results:
        shown = [quote_user(a) for a in extra]
        assert r.returncode == 2, (shown, r.returncode, r.stderr[-500:])
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr, (shown, r.stderr)
        assert len(r.stderr) < 1500, (shown, r.stderr[:300])
        assert r.stderr.strip().splitlines()[-1].startswith("actlens"), (shown, r.stderr)
        assert r.seconds < 60
    assert not logdir.exists()


def test_class_names_from_a_data_file_become_one_short_line_each():
    from activation_lens.engine.data.datasets import MAX_CLASS_NAME, checked_classes

    names = checked_classes(["cat", "two\nlines\tand  tabs", "x" * 5_000_000,
                             "<img src='/dev/zero'>", "\u202elive\x00\x07"], "batches.meta")
    assert names[0] == "cat" and names[1] == "two lines and tabs"
    assert len(names[2]) == MAX_CLASS_NAME and names[2].endswith("…")
    assert names[3] == "<img src='/dev/zero'>"  # kept as text; the window shows it as text
    assert names[4] == "live"  # no control characters, nothing that reorders the text


def test_a_step_too_large_for_memory_is_one_line_before_any_image_is_read(tmp_path):
    import subprocess
    import sys

    from activation_lens.engine.registry import ACTIVATIONS

    root = _image_folder(tmp_path / "imgs", per_class=7)
    twelve = ",".join(list(ACTIVATIONS)[:12])  # the most a step shows
    done = subprocess.run(
        [sys.executable, "-m", "activation_lens", "export", "--dataset", "folder",
         "--data-root", str(root), "--image-size", "1024", "--batch-size", "1024",
         "--activations", twelve, "--logdir", str(tmp_path / "logs")],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("actlens: error: 14 images of 1024×1024 and 12 activations make")
    assert "choose a smaller batch or image size, or fewer activations" in line


def test_the_first_look_at_a_step_too_large_for_memory_reads_no_image(tmp_path):
    from activation_lens.engine.pipeline import Engine, StepRequest
    from activation_lens.engine.registry import ACTIVATIONS, parse_spec_list

    root = _image_folder(tmp_path / "imgs", per_class=7)  # 14 images
    request = StepRequest(data_root=str(root), dataset="folder", image_size=1024,
                          batch_size=1024, activations=tuple(parse_spec_list(
                              ",".join(list(ACTIVATIONS)[:12]))))
    with pytest.raises(ActlensError, match="14 images of 1024×1024 and 12 activations make"):
        Engine().first_look(request)


def test_compare_on_images_too_large_for_one_step_is_refused_by_name():
    import activation_lens as lens
    from activation_lens.engine.errors import ActlensError
    from activation_lens.engine.registry import ACTIVATIONS

    images = np.zeros((14, 1024, 1024, 3), dtype=np.uint8)
    twelve = ",".join(list(ACTIVATIONS)[:12])
    with pytest.raises(ActlensError, match="14 images of 1024×1024 and 12 activations make"):
        lens.compare(images, activations=twelve)
