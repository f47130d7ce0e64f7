"""Hostile and absurd input to the window: crafted settings files, absurd command lines, data
that hangs a load. The window always starts, never runs code from a settings file, goes idle,
and closes on Ctrl+Q and on Ctrl-C within 5 s."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.helpers import xvfb_display
from tests.test_e2e_window import actlens_executable, needs_x, wait_for, xdo

CLOSE_WITHIN_S = 5.0


class RunsCode:
    """Pickles to a call of ``os.system``: what a crafted ``@Variant`` entry carries."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def pickled_variant(marker) -> str:
    """The text QSettings writes for a pickled Python object that creates ``marker``."""
    from PySide6.QtCore import QSettings

    path = marker.parent / "variant-source.ini"
    s = QSettings(str(path), QSettings.Format.IniFormat)
    s.setValue("x/y", RunsCode(f"touch {marker}"))
    s.sync()
    line = next(ln for ln in path.read_text().splitlines() if ln.startswith("y="))
    path.unlink()
    return line[2:]


def write_settings(path, entries: dict[str, str]) -> None:
    groups: dict[str, list[str]] = {}
    for key, value in entries.items():
        group, _, name = key.partition("/")
        groups.setdefault(group, []).append(f"{name}={value}")
    path.write_text("".join(f"[{g}]\n" + "\n".join(lines) + "\n\n" for g, lines in groups.items()))


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def becomes_idle(pid: int, timeout: float = 60.0) -> bool:
    """True once the process uses under 10% of a core over a one-second window."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.1:
            return True
    return False


@pytest.fixture(scope="module")
def display():
    import shutil

    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("needs Xvfb and xdotool")
    with xvfb_display() as name:
        yield name


def launch(display, settings_path, *args):
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, ACTLENS_SETTINGS=str(settings_path))
    return subprocess.Popen([actlens_executable(), *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def check_window_survives(display, tmp_path, entries, *args, close="ctrl+q"):
    """Start the real window on a crafted settings file; it must show, go idle, close."""
    marker = tmp_path / "marker"
    settings_path = tmp_path / "settings.ini"
    write_settings(settings_path, entries)
    app = launch(display, settings_path, *args)
    try:
        found = wait_for(lambda: app.poll() is not None
                         or xdo(display, "search", "--name", "^Activation Lens$").stdout)
        assert app.poll() is None, "the window exited at start-up"
        assert found, "the window did not appear"
        assert becomes_idle(app.pid), "the window keeps a core busy"
        if close == "ctrl+q":
            xdo(display, "windowfocus", "--sync", found.split()[0])
            xdo(display, "key", "ctrl+q")
        else:
            app.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = app.wait(timeout=30)
        assert time.monotonic() - started < CLOSE_WITHIN_S, "closing took too long"
        assert code == 0
    finally:
        if app.poll() is None:
            app.kill()
        output = app.communicate()[0]
    assert "Traceback" not in output and "internal error" not in output, output
    assert not marker.exists(), "a settings value ran code"
    return output


HOSTILE_SETTINGS = {
    "pickled object as batch index": lambda m: {"data/batch_index": pickled_variant(m)},
    "pickled object as geometry and device": lambda m: {
        "window/geometry": pickled_variant(m), "session/device": pickled_variant(m)},
    "text as geometry": lambda m: {"window/geometry": "hello world",
                                   "window/state": "12345", "window/inspector": "true"},
    "number as geometry": lambda m: {"window/geometry": "12345"},
    "huge batch and image size": lambda m: {"data/batch_size": str(10**12),
                                            "data/image_size": str(10**12)},
    "negative batch index": lambda m: {"data/batch_index": "-5"},
    "absurd session text": lambda m: {"session/activations": "relu(" * 5000,
                                      "session/enabled": "1" * 100000,
                                      "data/dataset": "\x00evil", "data/split": "@ByteArray(x)"},
}


@needs_x
@pytest.mark.e2e
@pytest.mark.parametrize("close", ["ctrl+q", "sigint"])
@pytest.mark.parametrize("case", list(HOSTILE_SETTINGS))
def test_window_starts_idles_and_closes_on_a_hostile_settings_file(
        case, close, display, cifar_files, tmp_path):
    entries = HOSTILE_SETTINGS[case](tmp_path / "marker")
    check_window_survives(display, tmp_path, entries, "--data-root", str(cifar_files.root),
                          "--allow-unverified", close=close)


@pytest.mark.parametrize("args", [
    ["--batch-size", "1000000000000"],
    ["--image-size", "99999999999"],
    ["--batch-size", "-3"],
    ["--batch-size", "lots"],
])
def test_window_command_line_refuses_absurd_sizes_with_one_line(args, tmp_path):
    env = {**os.environ, "ACTLENS_SETTINGS": str(tmp_path / "s.ini")}
    proc = subprocess.run([actlens_executable(), *args], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "must be from" in proc.stderr \
        or "whole number" in proc.stderr


def test_negative_batch_index_in_the_settings_shows_the_first_batch(
        cifar, make_window, isolated_settings, qtbot):
    write_settings(isolated_settings, {"data/batch_index": "-5"})
    w = make_window(data_root=str(cifar.root))
    assert w.last_view.result.batch.index == 0
    assert not w.error_banner.isVisible()


def test_a_failing_batch_is_not_retried_forever(cifar, make_window, qtbot, monkeypatch):
    from activation_lens.engine.errors import BatchIndexError
    from activation_lens.engine.pipeline import Engine

    w = make_window(data_root=str(cifar.root))
    calls = []

    def always_out_of_range(self, request):
        calls.append(request.batch_index)
        raise BatchIndexError("batch does not exist", num_batches=3)

    monkeypatch.setattr(Engine, "run", always_out_of_range)
    w.go_to(1)  # 1 is within range here, and still fails: no retry at all
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=10000)
    qtbot.wait(300)
    assert calls == [1]
    w.error_banner.hide()
    w.go_to(5)  # clamped to the last batch, which fails too: shown once, not retried
    qtbot.waitUntil(lambda: w.error_banner.isVisible(), timeout=10000)
    qtbot.wait(300)
    assert calls == [1, 2]
    assert w.error_banner.isVisible()


def test_closing_abandons_a_load_that_never_returns(cifar, make_window, qtbot, monkeypatch):
    from activation_lens.engine.pipeline import Engine

    release = threading.Event()
    entered = threading.Event()
    real_source = Engine.source

    def stuck(self, request):
        if request.batch_size == 7:
            entered.set()
            release.wait(60)
        return real_source(self, request)

    w = make_window(data_root=str(cifar.root))
    monkeypatch.setattr(Engine, "source", stuck)
    w.form.batch_size_spin.setValue(7)
    assert entered.wait(10)
    started = time.monotonic()
    w.close()
    assert time.monotonic() - started < CLOSE_WITHIN_S
    assert not w.controller.worker.isRunning()
    release.set()  # let the abandoned thread end before the next test


def test_settings_never_unpickle_a_stored_object(tmp_path):
    from activation_lens.engine.settings import Settings

    marker = tmp_path / "marker"
    path = tmp_path / "s.ini"
    write_settings(path, {"data/batch_index": pickled_variant(marker)})
    s = Settings(path)
    assert s.integer("data/batch_index", 7, 0, 100) == 7
    assert s.text("data/batch_index", "d").startswith("@Variant")
    assert not marker.exists()


def test_settings_round_trip_strings_numbers_flags_and_bytes(tmp_path):
    from activation_lens.engine.settings import Settings

    s = Settings(tmp_path / "s.ini")
    s.set("data/root", '/tmp/a "quoted", folder\nwith a newline [x]')
    s.set("data/batch_size", 16)
    s.set("window/inspector", True)
    s.set("window/geometry", bytes(range(256)))
    assert s.sync()
    again = Settings(tmp_path / "s.ini")
    assert again.text("data/root", "") == '/tmp/a "quoted", folder\nwith a newline [x]'
    assert again.integer("data/batch_size", 64, 1, 1024) == 16
    assert again.flag("window/inspector", False) is True
    assert again.blob("window/geometry") == bytes(range(256))


def test_an_unwritable_settings_folder_is_reported_not_raised(tmp_path):
    from activation_lens.engine.settings import Settings

    blocker = tmp_path / "file"
    blocker.write_text("x")
    s = Settings(blocker / "settings.ini")
    s.set("data/batch_size", 3)
    assert s.sync() is False and "cannot save settings" in s.problem


VALUE = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.floats(allow_nan=True).map(str),
    st.sampled_from(["true", "false", "@Invalid()", "@ByteArray(\\0\\x1)", "@Rect(1 2 3 4)",
                     "@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x18PySide::PyObjectWrapper\\0\\0\\0\\0)",
                     '"relu,sigmoid"', "relu(", "a,b,c", "-1", "nan", "\\x"]),
    st.binary(max_size=40).map(lambda b: "@ByteArray(" + b.decode("latin1") + ")"),
)
KEY = st.sampled_from([
    "window/geometry", "window/state", "window/inspector", "data/root", "data/root_folder",
    "data/dataset", "data/split", "data/batch_size", "data/batch_index", "data/image_size",
    "session/preprocess", "session/display", "session/device", "session/activations",
    "session/enabled", "export/logdir",
]) | st.text(alphabet="abcxyz/_[]=% ", min_size=1, max_size=12)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(entries=st.dictionaries(KEY, VALUE, max_size=12), with_payload=st.booleans())
@example(entries={"data/batch_size": "5000", "data/image_size": "5000"}, with_payload=False)
@example(entries={"data/batch_size": str(10**12), "data/image_size": str(10**12),
                  "data/batch_index": "-5"}, with_payload=False)
@example(entries={"data/batch_size": "0", "data/image_size": "-3"}, with_payload=False)
def test_any_settings_file_opens_the_window_and_never_runs_code(
        entries, with_payload, cifar, tmp_path, qtbot, monkeypatch, no_dangling_qthreads):
    from activation_lens.gui.app import launch_options
    from activation_lens.gui.main_window import MainWindow

    marker = tmp_path / "marker"
    settings_path = tmp_path / "fuzz.ini"
    if with_payload:
        entries = {**entries, "data/batch_index": pickled_variant(marker),
                   "window/state": pickled_variant(marker)}
    write_settings(settings_path, entries)
    monkeypatch.setenv("ACTLENS_SETTINGS", str(settings_path))
    w = MainWindow(launch_options(data_root=str(cifar.root)))
    qtbot.addWidget(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: w.last_view is not None or w.error_banner.isVisible()
                    or w.data_prompt.dialog is not None, timeout=30000)
    w.save_settings()
    w.close()
    assert not marker.exists()
    assert_within_limits(w)


def assert_within_limits(w) -> None:
    """What the window asks the engine for is inside the engine's limits, and the form
    shows that same value (a spin box clamps what it shows, not what the session holds)."""
    from activation_lens.engine.pipeline import MAX_BATCH_SIZE, MAX_IMAGE_SIZE

    request = w.session.request()
    assert 1 <= request.batch_size <= MAX_BATCH_SIZE and request.batch_index >= 0
    assert 4 <= request.image_size <= MAX_IMAGE_SIZE
    assert w.form.batch_size_spin.value() == request.batch_size
    if w.last_view is not None:
        assert len(w.last_view.result.batch.labels) <= MAX_BATCH_SIZE


def test_typing_a_batch_size_past_the_limit_asks_the_engine_for_no_more_than_the_limit(
        cifar, make_window, qtbot):
    from PySide6.QtCore import Qt

    w = make_window(data_root=str(cifar.root))
    spin = w.form.batch_size_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "999999")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.session.batch_size != 64
                    and w.last_view.result.request.batch_size == w.session.batch_size,
                    timeout=20000)
    assert_within_limits(w)
    assert len(w.last_view.result.batch.labels) == min(len(cifar.test_labels),
                                                       w.session.batch_size)


def test_the_folders_skipped_files_are_shown_in_the_data_box_and_status_bar(
        make_window, tmp_path, qtbot):
    import numpy as np
    from PIL import Image

    root = tmp_path / "images"
    for cls in ("cats", "dogs"):
        (root / cls).mkdir(parents=True)
        for i in range(3):
            Image.fromarray(np.full((8, 8, 3), 40 * i, np.uint8)).save(root / cls / f"{i}.png")
    (root / "cats" / "readme.txt").write_text("not an image")
    (root / "dogs" / "broken.png").write_bytes(b"not a png at all")
    w = make_window(data_root=str(root), dataset="folder")
    assert "1 non-image file ignored" in w.form.notes_label.text()
    assert "1 unreadable image shown grey" in w.form.notes_label.text()
    assert w.form.notes_label.isVisible()
    assert "1 unreadable image shown grey" in w.status_label.text()


def test_a_linked_settings_file_stays_a_link_when_saved(tmp_path):
    from activation_lens.engine.settings import Settings

    target = tmp_path / "dotfiles" / "settings.ini"
    target.parent.mkdir()
    target.write_text("[data]\nbatch_size=8\n")
    link = tmp_path / "settings.ini"
    link.symlink_to(target)
    s = Settings(link)
    s.set("data/batch_size", 16)
    assert s.sync()
    assert link.is_symlink() and Settings(target).integer("data/batch_size", 0, 1, 99) == 16


@needs_x
@pytest.mark.e2e
@pytest.mark.parametrize("close", ["ctrl+q", "sigint"])
def test_window_on_a_pickle_bomb_or_a_self_linked_folder_says_so_idles_and_closes(
        close, display, cifar_files, tmp_path):
    from tests.test_hostile_engine import list_bomb, write_meta

    write_meta(cifar_files, {"x": list_bomb()})
    output = check_window_survives(display, tmp_path, {}, "--data-root", str(cifar_files.root),
                                   "--allow-unverified", close=close)
    assert "Traceback" not in output
    folder = tmp_path / "images" / "cat"
    folder.mkdir(parents=True)
    import numpy as np
    from PIL import Image

    for i in range(3):
        Image.fromarray(np.full((8, 8, 3), 60 * i, np.uint8)).save(folder / f"{i}.png")
    (folder / "l1").symlink_to(".")
    (folder / "l2").symlink_to(".")
    check_window_survives(display, tmp_path, {}, "--dataset", "folder", "--data-root",
                          str(tmp_path / "images"), close=close)
