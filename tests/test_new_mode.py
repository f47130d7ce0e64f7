"""A new view of the batch is an engine module, a form module and its name in
``activation_lens.engine.modes.REGISTERED``: the command lines, the settings, the export and the window's
list take it from there. Shown with a small mode that mirrors the images before each
activation."""

from __future__ import annotations

import sys
import textwrap
import types

import numpy as np
import pytest

from activation_lens.engine import modes
from tests.helpers import read_images

ENGINE_MODULE = textwrap.dedent('''
    from activation_lens.engine.modes.base import Mode, Option
    from activation_lens.engine.panels import INPUT_TAG, Role, numbered

    class MirrorMode(Mode):
        name = "mirror"
        flag = "--mirror"
        flag_help = "each activation of the mirrored images"
        options = (Option("mirror_axis", 3, 2, 3, setting="session/mirror_axis",
                          flag="--mirror-axis", help="3: left-right, 2: upside down"),)

        def panels(self, engine, x, request, device):
            flipped = x.flip(request.mirror_axis)
            names = [str(s) for s in request.activations]
            return [engine.panel(engine.module(s, device)(flipped), request, Role.AFTER,
                                 name=f"mirrored_{name}", number=n, source=INPUT_TAG,
                                 reference=flipped, spec=s)
                    for s, name, n in zip(request.activations, names, numbered(names))]

        def export_rows(self, request):
            return [("view", f"mirrored on axis {request.mirror_axis}")]

    MODE = MirrorMode()
''')
FORM_MODULE = textwrap.dedent('''
    from activation_lens.gui.mode_forms import ModeForm

    class MirrorForm(ModeForm):
        TITLE = "Mirrored"
        TIP = "The images mirrored before each activation"
        HELP = "Each activation of the mirrored images."

    FORM = MirrorForm
''')


@pytest.fixture
def mirror_mode(monkeypatch):
    for name, source in (("activation_lens.engine.modes.mirror", ENGINE_MODULE),
                         ("activation_lens.gui.mode_forms.mirror", FORM_MODULE)):
        module = types.ModuleType(name)
        exec(compile(source, name, "exec"), module.__dict__)
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(modes, "REGISTERED", (*modes.REGISTERED, "mirror"))
    modes.refresh()
    yield
    monkeypatch.undo()
    modes.refresh()


def test_a_registered_mode_is_exported_from_the_command_line_with_its_option(
        mirror_mode, cifar, tmp_path):
    from activation_lens.engine.cli import main

    assert main(["export", "--data-root", str(cifar.root), "--batches", "0", "--mirror",
                 "--mirror-axis", "3", "--activations", "relu", "--logdir",
                 str(tmp_path / "run")]) == 0
    images = read_images(tmp_path / "run")
    assert sorted(images) == ["input", "output_mirrored_relu"]
    # ToTensor then ReLU is the identity on pixels: the panel is each image mirrored
    from activation_lens.engine.imaging import make_grid

    mirrored = np.ascontiguousarray(cifar.test_images[:64, :, ::-1])
    assert np.array_equal(images["output_mirrored_relu"][0], make_grid(mirrored))
    assert np.array_equal(images["input"][0], make_grid(cifar.test_images[:64]))


def test_a_registered_modes_option_is_remembered_and_its_contradictions_refused(
        mirror_mode, isolated_settings):
    from activation_lens.engine.errors import ActlensError
    from activation_lens.engine.session import Session
    from activation_lens.engine.settings import open_settings

    store = open_settings()
    Session().with_(mode="mirror", mirror_axis=2).to_settings(store)
    store.sync()
    back = Session.from_settings(open_settings())
    assert (back.mode, back.mirror_axis) == ("mirror", 2)
    import argparse

    from activation_lens.engine.session import add_session_options

    p = argparse.ArgumentParser()
    add_session_options(p, defaults=False)
    with pytest.raises(ActlensError, match="--network and --mirror show two different views"):
        Session().with_args(p.parse_args(["--network", "--mirror"]))


def test_the_window_offers_a_registered_mode_and_shows_its_panels(mirror_mode, cifar,
                                                                  make_window, qtbot):
    w = make_window(data_root=str(cifar.root))
    combo = w.form.mode_combo
    assert combo.findData("mirror") == combo.count() - 1
    combo.setCurrentIndex(combo.findData("mirror"))
    qtbot.waitUntil(lambda: w.last_view is not None and w.last_view.result.request.mode
                    == "mirror", timeout=30000)
    tags = [p.tag for p in w.last_view.result.panels]
    assert tags == ["input", "output_mirrored_relu", "output_mirrored_sigmoid"]
    assert w.form.mode_form("mirror").isVisible()
    assert not w.form.mode_form("network").isVisible()
