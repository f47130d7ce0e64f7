"""The window's session lifecycle without a window or a QApplication: what edits imply, what
a failed step brings back, the fallback to the defaults, what the settings remember."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from activation_lens.engine.errors import ActlensError, BatchIndexError, DatasetMissingError, DeviceError
from activation_lens.engine.registry import parse_spec_list
from activation_lens.engine.session import Session, add_session_options
from activation_lens.engine.settings import Settings
from activation_lens.gui.window_model import DEVICE, ERROR, LAST_BATCH, MISSING, WindowModel

ROOT = Path(__file__).resolve().parents[1]


def window_options(*argv: str) -> argparse.Namespace:
    """The window's command line as it parses ``argv`` (an option left out is None)."""
    p = argparse.ArgumentParser()
    add_session_options(p, defaults=False)
    return p.parse_args(list(argv))


def result_of(request, num_batches: int = 20):
    """What the engine answers for ``request``: the fields the model reads of a StepResult."""
    return SimpleNamespace(request=request, num_batches=num_batches,
                           batch=SimpleNamespace(start=request.batch_index * request.batch_size))


def show(model: WindowModel, num_batches: int = 20) -> None:
    """Ask for the current session's step and have its batch shown."""
    model.shown(result_of(model.request(), num_batches))


def test_the_window_model_and_its_port_import_no_qt():
    code = ("import json, sys\nimport activation_lens.gui.window_model, activation_lens.gui.window_port\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "activation_lens.gui.window_model" in loaded
    assert [m for m in loaded if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")] == []


def test_the_starting_session_is_the_remembered_one_with_the_command_line_over_it(tmp_path):
    store = Settings(tmp_path / "s.ini")
    Session(dataset="cifar100", batch_size=16, batch_index=3).to_settings(store)
    assert WindowModel.starting(store).session.batch_size == 16
    started = WindowModel.starting(store, window_options("--batch-size", "8")).session
    assert (started.dataset, started.batch_size, started.batch_index) == ("cifar100", 8, 3)


def test_another_source_of_images_starts_at_batch_zero_with_its_count_unknown():
    for change in ({"dataset": "mnist"}, {"split": "train"}, {"shuffle_seed": 7},
                   {"image_size": 64}, {"coarse_labels": True}):
        model = WindowModel(Session(dataset="cifar100", batch_index=5))
        show(model)
        assert model.num_batches == 20 and model.visited == {5}
        session = model.edit(change)
        assert session.batch_index == 0 and session == model.session, change
        assert model.num_batches == 0 and model.visited == {5}, change  # still on screen
        show(model)
        assert model.visited == {0}, change  # the new images' batches only


def test_another_batch_size_keeps_the_first_image_on_screen_in_view():
    model = WindowModel(Session(batch_index=2, batch_size=64))  # images 128 to 191
    show(model)
    assert model.edit({"batch_size": 16}).batch_index == 8  # images 128 to 143
    assert model.num_batches == 0
    show(model)
    assert model.visited == {8}


def test_edits_that_keep_the_images_keep_the_batch_and_what_is_known_of_the_split():
    model = WindowModel(Session(batch_index=4))
    show(model)
    session = model.edit({"preprocess": "centered", "display": "signed"})
    assert (session.batch_index, session.preprocess, session.display) == (4, "centered", "signed")
    assert model.num_batches == 20 and model.visited == {4}


def test_activations_are_edited_as_pairs_of_spec_and_enabled_flag():
    tanh, relu = parse_spec_list("tanh,relu")
    session = WindowModel(Session()).edit({"specs": [(tanh, False), (relu, True)]})
    assert session.specs == (tanh, relu) and session.enabled == (False, True)
    assert session.active_specs == (relu,)


def test_going_to_a_batch_stays_within_the_split_and_skips_the_one_already_asked_for():
    model = WindowModel(Session())
    show(model, num_batches=10)
    assert model.go_to(25) == 9 and model.session.batch_index == 9
    model.request()
    assert model.go_to(9) is None  # already asked for: no second step
    assert model.go_to(-3) == 0


def test_a_failed_edit_brings_back_the_session_whose_batch_shows():
    model = WindowModel(Session())
    show(model)
    shown = model.session
    model.edit({"weights": "/gone/w.pt", "mode": "network"})
    request = model.request()
    failure = model.step_failed(request, ActlensError("cannot read /gone/w.pt"))
    assert failure.kind == ERROR
    assert failure.revert is not None and failure.revert.session == shown
    assert not failure.revert.step  # its batch is on screen already
    assert model.session == shown
    assert model.revert() is None  # nothing left to undo


def test_a_failing_starting_session_falls_back_to_its_data_then_the_defaults_never_rerunning_it():
    start = Session(mode="network", weights="/gone/w.pt", batch_size=16).with_data_root("/data")
    model = WindowModel(start)
    asked = []
    request = model.request()
    for _ in range(10):  # every step fails: the retries must end
        failure = model.step_failed(request, ActlensError("cannot read /gone/w.pt"))
        if failure.revert is None or not failure.revert.step:
            break
        asked.append(model.session)
        request = model.request()
    defaults = Session(data_roots=start.data_roots)
    plain = Session(batch_size=16).with_data_root("/data")  # its data, in the plain view
    assert asked == [plain, defaults]  # and the failing file never again
    assert model.session == start  # what the window started with, under the message
    assert defaults.data_root == "/data"


def test_the_message_of_a_failed_start_stays_over_the_fallback_batch_only():
    model = WindowModel(Session(weights="/gone/w.pt", mode="network"))
    failure = model.step_failed(model.request(), ActlensError("cannot read /gone/w.pt"))
    assert failure.revert.step and model.session == Session()
    assert model.shown(result_of(model.request())) is True  # says why the defaults show
    assert model.shown(result_of(model.request())) is False


def test_a_data_set_missing_at_the_first_launch_shows_its_stand_in_and_is_asked_for_again():
    model = WindowModel(Session(batch_index=3))
    missing = DatasetMissingError("no CIFAR-10", dataset="cifar10", root="/data")
    failure = model.step_failed(model.request(), missing)
    assert failure.kind == MISSING and failure.stand_in == "sample"
    assert (model.session.dataset, model.session.batch_index) == ("sample", 0)
    show(model)
    model.edit({"batch_size": 8})
    remembered = model.remembered()
    assert (remembered.dataset, remembered.batch_index, remembered.batch_size) == \
        ("cifar10", 0, 8)


def test_a_data_set_missing_once_images_show_only_asks_for_its_folder():
    model = WindowModel(Session())
    show(model)
    model.edit({"dataset": "cifar100"})
    before = model.session
    missing = DatasetMissingError("no CIFAR-100", dataset="cifar100", root="/data")
    failure = model.step_failed(model.request(), missing)
    assert failure.kind == MISSING and failure.stand_in == ""
    assert model.session == before


def test_choosing_a_data_set_forgets_the_one_the_stand_in_replaced():
    model = WindowModel(Session())
    model.step_failed(model.request(), DatasetMissingError("no", dataset="cifar10", root="/d"))
    show(model)
    model.edit({"dataset": "sample"})  # chosen by the user this time
    assert model.remembered().dataset == "sample"


def test_a_batch_beyond_a_smaller_split_goes_to_its_last_batch_once():
    model = WindowModel(Session(batch_index=40))
    request = model.request()
    failure = model.step_failed(request, BatchIndexError("no batch 40", num_batches=3))
    assert (failure.kind, failure.batch, model.num_batches) == (LAST_BATCH, 2, 3)
    assert model.go_to(failure.batch) == 2
    again = model.step_failed(model.request(), BatchIndexError("no batch 2", num_batches=3))
    assert again.kind == ERROR  # the last batch fails too: the error shows, no loop


def test_a_device_failure_offers_the_cpu_and_changes_nothing():
    model = WindowModel(Session(device="cuda:0"))
    show(model)
    failure = model.step_failed(model.request(), DeviceError("out of memory", device="cuda:0"))
    assert failure.kind == DEVICE and failure.revert is None
    assert model.session.device == "cuda:0"


def test_a_device_that_is_not_here_gives_way_to_the_cpu_and_is_named():
    model = WindowModel(Session(device="cuda:1"))
    assert model.use_devices(["cpu", "cuda:0"]) == "cuda:1"
    assert model.session.device == "cpu"
    model = WindowModel(Session(device="auto"))
    assert model.use_devices(["cpu", "cuda:0"]) == "" and model.session.device == "cuda:0"


def test_a_chosen_folder_is_the_missing_data_sets_from_its_first_batch():
    model = WindowModel(Session(dataset="sample", batch_index=5))
    session = model.use_root("/my/cifar", "cifar10")
    assert (session.dataset, session.batch_index, session.data_root) == ("cifar10", 0,
                                                                         "/my/cifar")
    assert model.use_root("/other").dataset == "cifar10"  # None: the current data set


def test_the_settings_remember_the_session_but_no_module_file_or_unverified_data(tmp_path):
    model = WindowModel(Session(batch_size=32, preprocess="centered", model="/me/net.py",
                                mode="module", allow_unverified=True).with_data_root("/d"))
    store = Settings(tmp_path / "s.ini")
    model.save(store)
    assert store.sync()
    again = WindowModel.starting(Settings(tmp_path / "s.ini")).session
    assert (again.batch_size, again.preprocess, again.data_root) == (32, "centered", "/d")
    assert (again.model, again.mode, again.allow_unverified) == ("", "activations", False)


def test_the_data_folder_shown_is_the_typed_text_when_it_names_an_unknown_home():
    model = WindowModel(Session().with_data_root("~no_such_user_here/data"))
    assert model.root_text() == "~no_such_user_here/data"
    assert WindowModel(Session().with_data_root("/srv/data")).root_text() == "/srv/data"


def test_the_windows_helpers_reach_it_only_through_its_port():
    import ast

    helpers = ["preferences", "data_dialog", "drops", "model_files", "docks"]
    reached = []
    for name in helpers:
        path = ROOT / "gui" / f"{name}.py"
        for node in ast.walk(ast.parse(path.read_text())):
            holder = node.value if isinstance(node, ast.Attribute) else None
            if isinstance(holder, ast.Name) and holder.id == "window" or \
                    isinstance(holder, ast.Attribute) and holder.attr == "window":
                reached.append(f"{name}.py:{node.lineno} window.{node.attr}")
    assert reached == []


def test_accepting_an_unverified_copy_at_start_offers_the_remembered_session_not_its_fallback():
    from activation_lens.engine.errors import UnverifiedDataError

    start = Session(mode="network", batch_size=16, batch_index=156).with_data_root("/data")
    model = WindowModel(start)
    request, offered = model.request(), []
    for _ in range(4):  # the start and each fallback fail on the same unverified files
        failure = model.step_failed(request, UnverifiedDataError("test_batch failed the MD5"))
        offered.append(failure.unverified)
        if failure.revert is None or not failure.revert.step:
            break
        request = model.request()
    assert offered and all(s == start.with_(allow_unverified=True) for s in offered)


def test_an_unverified_copy_trusted_at_start_that_then_fails_to_read_is_not_offered_again():
    from activation_lens.engine.errors import UnverifiedDataError

    start = Session(batch_size=16).with_data_root("/data")
    model = WindowModel(start)
    failure = model.step_failed(model.request(), UnverifiedDataError("failed the MD5"))
    model.trust(failure.unverified)
    request = model.request()
    for _ in range(4):  # now the file cannot be read at all: each fallback keeps the trust
        failure = model.step_failed(request, ActlensError("test_batch is not readable"))
        assert failure.unverified is None
        if failure.revert is None or not failure.revert.step:
            break
        assert model.session.allow_unverified
        request = model.request()


def test_batches_passed_over_with_the_slider_held_are_not_visited_the_one_let_go_on_is():
    model = WindowModel(Session())
    show(model)
    for index in (3, 7, 12):  # the slider held: each batch is asked for and shown
        assert model.go_to(index, passing=True) == index
        show(model)
    assert model.visited == {0}
    assert model.go_to(12) is None  # let go on 12, already shown: no second step
    assert model.visited == {0, 12}
    model.go_to(15, passing=True)
    model.request()  # let go on 15 before it shows: it counts when it does
    assert model.go_to(15) is None
    model.shown(result_of(model.session.request()))
    assert model.visited == {0, 12, 15}


def test_another_data_folder_starts_the_visited_batches_again(tmp_path):
    model = WindowModel(Session())
    for index in (0, 1, 2):
        model.go_to(index)
        show(model)
    assert model.visited == {0, 1, 2}
    model.use_root(str(tmp_path))
    assert model.num_batches == 0  # the other folder's count is not known yet
    show(model)
    assert model.visited == {0}


def test_a_failed_change_of_images_keeps_the_batches_visited_of_those_on_screen():
    model = WindowModel(Session(batch_index=4))
    show(model)
    model.go_to(6)
    show(model)
    model.edit({"dataset": "mnist"})
    model.request()
    model.step_failed(model.session.request(), ActlensError("unreadable"))
    assert model.session.dataset == "cifar10" and model.visited == {4, 6}
