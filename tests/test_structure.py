"""The code's shape: a panel's structure is read from its fields, never parsed from its tag
or title; the window asks a mode or a data set what it is instead of comparing names; a new
mode is one engine module, one form and its name in the registry."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from activation_lens.engine import modes
from activation_lens.engine.data.datasets import dataset_names
from activation_lens.engine.panels import Panel, Role, label

ROOT = Path(__file__).resolve().parents[1]
STRING_METHODS = {"endswith", "startswith", "removesuffix", "removeprefix", "rpartition",
                  "partition", "split", "rsplit"}


def _sources(*folders):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path, ast.parse(path.read_text(), str(path))


def tag_or_title_parsing(tree) -> list[int]:
    """Lines that compare, slice or take apart a ``.tag`` or ``.title`` attribute."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in STRING_METHODS \
                and isinstance(node.func.value, ast.Attribute) \
                and node.func.value.attr in ("tag", "title"):
            found.append(node.lineno)
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            attrs = [s for s in sides if isinstance(s, ast.Attribute) and s.attr in ("tag", "title")]
            consts = [s for s in sides if isinstance(s, (ast.Constant, ast.JoinedStr))]
            if attrs and consts:
                found.append(node.lineno)
    return found


def name_comparisons(tree, names) -> list[int]:
    """Lines that compare something with one of ``names`` as a string literal (``==``,
    ``!=``, ``in``), or test membership of such a literal."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                elts = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
                if any(isinstance(e, ast.Constant) and e.value in names for e in elts):
                    found.append(node.lineno)
    return found


def test_the_checkers_see_the_forms_they_look_for():
    assert tag_or_title_parsing(ast.parse("p.tag.endswith('_act')")) == [1]
    assert tag_or_title_parsing(ast.parse("x = p.title == f'{s} · conv1'")) == [1]
    assert tag_or_title_parsing(ast.parse("p.tag.rpartition('/')[0]")) == [1]
    assert tag_or_title_parsing(ast.parse("p.tag == q.source")) == []
    assert name_comparisons(ast.parse("m != 'network'"), {"network"}) == [1]
    assert name_comparisons(ast.parse("d in ('folder', 'x')"), {"folder"}) == [1]
    assert name_comparisons(ast.parse("f('network')"), {"network"}) == []


def test_no_module_parses_a_panel_tag_or_title():
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _sources("engine", "gui")
                 if path.name != "panels.py" or path.parent.name != "engine"
                 for line in tag_or_title_parsing(tree)]
    assert offenders == []


def test_the_window_compares_no_mode_or_data_set_name():
    names = set(modes.names()) | set(dataset_names(every=True))
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _sources("gui")
                 for line in name_comparisons(tree, names)]
    assert offenders == []


def test_outside_the_data_package_no_data_set_name_is_compared():
    names = set(dataset_names(every=True))
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path, tree in _sources("engine", "gui")
                 if "data" not in path.relative_to(ROOT).parts[1:-1]
                 for line in name_comparisons(tree, names)]
    assert offenders == []


@pytest.mark.parametrize(("role", "name", "layer", "number", "tag", "title"), [
    (Role.INPUT, "", "", 1, "input", "input"),
    (Role.AFTER, "relu", "", 1, "output_relu", "relu"),
    (Role.AFTER, "relu", "", 2, "output_relu_2", "relu"),
    (Role.BEFORE, "leaky_relu(negative_slope=0.2)", "conv1", 1,
     "leaky_relu(negative_slope=0.2)/conv1", "leaky_relu(negative_slope=0.2) · conv1"),
    (Role.AFTER, "tanh", "conv2", 2, "tanh_2/conv2_act", "tanh · conv2_act"),
    (Role.OUTPUT, "output_0", "relu1", 1, "output_0", "output_0 · relu1"),
    (Role.OUTPUT, "input", "", 2, "input_2", "input"),
])
def test_a_panels_tag_and_title_follow_from_its_fields(role, name, layer, number, tag, title):
    assert label(role, name, layer, number) == (tag, title)


def test_panels_of_one_activations_layers_share_a_row_and_others_flow():
    import numpy as np

    def panel(role, name="", layer="", number=1):
        return Panel(role, np.zeros((1, 2, 2, 3), np.uint8), None, "clip", name=name,
                     layer=layer, number=number)

    assert panel(Role.BEFORE, "relu", "conv1").row == panel(Role.AFTER, "relu", "conv2").row
    assert panel(Role.AFTER, "relu", "conv1", 2).row != panel(Role.AFTER, "relu", "conv1").row
    assert panel(Role.AFTER, "relu").row == panel(Role.INPUT).row == ""
    assert panel(Role.OUTPUT, "output_0", "relu1").row == ""


def test_every_registered_mode_has_an_engine_module_and_a_form():
    from activation_lens.gui.mode_forms import ModeForm, form_class

    for name in modes.names():
        mode = modes.get(name)
        assert mode.name == name
        assert issubclass(form_class(name), ModeForm)
        assert importlib.import_module(f"activation_lens.gui.mode_forms.{name}").FORM.TITLE


def test_an_unknown_mode_is_one_clear_error():
    from activation_lens.engine.errors import ActlensError

    with pytest.raises(ActlensError, match="unknown mode 'nope'; one of activations"):
        modes.get("nope")


def test_mode_options_read_as_fields_and_equal_sessions_compare_equal():
    from activation_lens.engine.session import Session

    a = Session().with_(mode="network", network_seed=4)
    assert a.network_seed == 4 and a.image == 0
    assert a == Session(mode="network", network_seed=4)
    assert a.with_(network_seed=0) == Session(mode="network")  # a default is not stored
    assert a.request().network_seed == 4
    with pytest.raises(AttributeError):
        _ = a.no_such_option


def installed_name(folder: Path) -> str:
    """engine/, gui/ and resources/ install as sub-packages of activation_lens/."""
    parts = folder.relative_to(ROOT).parts
    return ".".join(parts if parts[0] == "activation_lens" else ("activation_lens", *parts))


def test_the_wheel_lists_every_package_of_the_source_tree():
    import tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {installed_name(init.parent) for folder in ("activation_lens", "engine", "gui",
                                                        "resources")
             for init in (ROOT / folder).rglob("__init__.py")}
    assert found - listed == set(), "packages the installed app would lack"
