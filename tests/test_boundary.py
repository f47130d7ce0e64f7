"""The architecture: engine/ computes and never imports Qt; gui/ never imports torch.nn or
torchvision; the CLI export never loads Qt."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "activation_lens"  # engine/ and gui/ are installed as activation_lens.engine, .gui
# Qt bindings and add-ons, and a top-level "gui" (gone since gui/ became activation_lens.gui)
QT = ("PySide2", "PySide6", "shiboken2", "shiboken6", "qtpy", "superqt", "pyqtgraph", "gui")
COMPUTED = "<module name computed at run time>"  # an import_module(...) no scan can follow
IMPORTERS = ("import_module", "__import__")
# Modules that import their own package's modules under computed names, and why.
SELF_DISCOVERY = {
    "engine/data/datasets.py": "imports each module of engine/data, which registers a data set",
}


def module_name(path: Path) -> tuple[str, str]:
    """The installed (module, package) names of a file under engine/ or gui/."""
    parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def is_qt(name: str) -> bool:
    """A Qt binding, a Qt add-on or the window's own package (engine/ may import none)."""
    top = name.split(".")[0]
    ours = f"{PACKAGE}.gui"
    return (name == COMPUTED or top in QT or top.startswith("PyQt") or name == ours
            or name.startswith(ours + "."))


def is_torch_compute(name: str) -> bool:
    """torch.nn (functional included) or torchvision (gui/ may import neither); ``a.*`` (a
    computed name under ``a``) counts when it may be one of them."""
    if name.endswith(".*") and "torch.nn.".startswith(name[:-1]):
        return True
    return (name == COMPUTED or name == "torch.nn" or name.startswith("torch.nn.")
            or name.split(".")[0] == "torchvision")


def _absolute(module: str | None, level: int, package: str) -> str:
    """The absolute name of ``from <level dots><module> import ...`` inside ``package``."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    base = parts[:max(len(parts) - (level - 1), 0)]
    return ".".join(base + ([module] if module else []))


def _literal_name(node: ast.AST | None, here: dict[str, str]) -> str:
    """A module name written in the code: the literal itself; ``pkg.*`` for a literal
    ``"pkg."`` (or the module's own ``__name__``/``__package__`` and a dot, ``here``)
    followed by a computed part (an f-string or a ``+``); otherwise COMPUTED."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name) and node.id in here:
        return here[node.id]
    values = node.values if isinstance(node, ast.JoinedStr) else []
    if (len(values) > 1 and isinstance(values[0], ast.FormattedValue)
            and isinstance(values[0].value, ast.Name) and values[0].value.id in here
            and isinstance(values[1], ast.Constant) and str(values[1].value).startswith(".")):
        return here[values[0].value.id] + ".*"
    first = values[0] if values else \
        node.left if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str) and "." in first.value:
        return first.value.rsplit(".", 1)[0] + ".*"
    return COMPUTED


def _dynamic_import(node: ast.Call, here: dict[str, str]) -> str | None:
    """The module a call of ``importlib.import_module`` or ``__import__`` loads, if any."""
    func = node.func
    called = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None
    if called not in IMPORTERS:
        return None
    args = list(node.args) + [k.value for k in node.keywords if k.arg in ("name", "package")]
    name = _literal_name(args[0] if args else None, here)
    if called == "import_module" and name.startswith("."):
        anchor = _literal_name(args[1] if len(args) > 1 else None, here)
        if anchor == COMPUTED or anchor.endswith(".*"):
            return COMPUTED
        stripped = name.lstrip(".")
        return _absolute(stripped or None, len(name) - len(stripped), anchor)
    return name


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything but a chain of names."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return inner + [node.attr] if inner is not None else None
    return None


def imported_names(source: str, package: str = "", module: str = "") -> list[str]:
    """Every module (or module attribute) ``source`` imports or reaches through an imported
    name, fully qualified: ``import a.b as x``, ``from a import b`` (a and a.b), relative
    imports resolved in ``package``, ``importlib.import_module``/``__import__`` (COMPUTED when
    the name is not a literal), and attribute chains on imported names (``x.c`` is a.b.c).
    ``module`` is the source's own name (its ``__name__``)."""
    tree = ast.parse(source)
    here = {"__name__": module or package, "__package__": package}
    names: list[str] = []
    bound: dict[str, str] = {}  # a local name -> the module or attribute it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names.append(a.name)
                if a.asname:
                    bound[a.asname] = a.name
                else:
                    top = a.name.split(".")[0]
                    bound[top] = top
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            names.append(base)
            for a in node.names:
                if a.name != "*":
                    full = f"{base}.{a.name}" if base else a.name
                    names.append(full)
                    bound[a.asname or a.name] = full
        elif isinstance(node, ast.Call):
            loaded = _dynamic_import(node, here)
            if loaded is not None:
                names.append(loaded)
    for node in ast.walk(tree):
        chain = _dotted(node) if isinstance(node, ast.Attribute) else None
        if chain and chain[0] in bound:
            names.append(".".join([bound[chain[0]], *chain[1:]]))
    return names


def offenders(package_dir: Path, banned) -> list[str]:
    """``path: name`` for every name a module under ``package_dir`` imports that is banned
    (a computed name only outside SELF_DISCOVERY)."""
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        where = str(path.relative_to(ROOT))
        module, package = module_name(path)
        found += [f"{where}: {name}" for name in imported_names(path.read_text(), package, module)
                  if banned(name) and not (name == COMPUTED and where in SELF_DISCOVERY)]
    return found


QT_FORMS = [
    "import PySide6",
    "import PySide6.QtCore",
    "import PySide6.QtWidgets as widgets",
    "from PySide6 import QtCore",
    "from PySide6.QtCore import Qt",
    "from PySide6.QtGui import *",
    "import shiboken6",
    "from shiboken6 import isValid",
    "import PyQt5.QtCore",
    "from PyQt6.QtWidgets import QApplication",
    "import qtpy",
    "from pyqtgraph import PlotWidget",
    "import activation_lens.gui.panels",
    "from activation_lens.gui import panels",
    "from ..gui.panels import Grid",
    "from gui import panels",
    "from .. import gui",
    "def later():\n    from PySide6 import QtGui",
    "try:\n    import PyQt5\nexcept ImportError:\n    PyQt5 = None",
    "if False:\n    from PySide6.QtGui import QImage",
    "import importlib\nimportlib.import_module('PySide6.QtGui')",
    "from importlib import import_module\nimport_module('shiboken6')",
    "import importlib as il\nil.import_module('.QtCore', 'PySide6')",
    "__import__('PyQt6.QtCore')",
    "import importlib\nname = 'PySide' + '6'\nimportlib.import_module(name)",
    "import importlib\nimportlib.import_module('PySide' + version)",
    "import importlib\nimportlib.import_module(f'gui.{name}')",
]
TORCH_FORMS = [
    "import torch.nn",
    "import torch.nn as nn",
    "import torch.nn.functional as F",
    "from torch import nn",
    "from torch import nn as layers",
    "from torch.nn import functional",
    "from torch.nn.functional import relu",
    "from torch.nn import *",
    "import torchvision",
    "from torchvision import transforms",
    "import torchvision.transforms.functional as TF",
    "def later():\n    from torch import nn",
    "import torch\ntorch.nn.functional.relu(x)",
    "import torch as t\nlayer = t.nn.ReLU()",
    "import importlib\nimportlib.import_module('torch.nn')",
    "from importlib import import_module\nimport_module('torchvision.transforms')",
    "import importlib\nimportlib.import_module('.nn', package='torch')",
    "__import__('torch.nn.functional')",
    "import importlib\nimportlib.import_module(name)",
    "import importlib\nimportlib.import_module(f'torch.{part}')",
    "import importlib\nimportlib.import_module('torch.' + part)",
]
ALLOWED_IN_ENGINE = [
    "import torch", "from torch import nn", "import numpy as np",
    "from activation_lens.engine.text import Text", "from .text import Text",
    "from . import registry", "from .data import datasets", "import importlib.util",
    "from importlib import resources", "def f():\n    import torchvision",
    "import importlib\nimportlib.import_module(f'activation_lens.engine.modes.{name}')",
    "import importlib\nimportlib.import_module(f'{__name__}.{name}')",
]
ALLOWED_IN_GUI = [
    "import torch", "from torch import cuda", "import torch\ntorch.cuda.is_available()",
    "from PySide6.QtCore import Qt", "from activation_lens.engine.registry import ACTIVATIONS",
    "from . import messages", "from importlib import resources", "import numpy as np",
    "import importlib\nimportlib.import_module(f'activation_lens.engine.data.{name}')",
    "from ..engine.registry import ACTIVATIONS",
]


ENGINE, GUI = f"{PACKAGE}.engine", f"{PACKAGE}.gui"  # the package a scanned snippet is in


@pytest.mark.parametrize("code", QT_FORMS)
def test_the_engine_scan_sees_qt_in_every_import_form(code):
    assert any(is_qt(n) for n in imported_names(code, ENGINE)), imported_names(code, ENGINE)


@pytest.mark.parametrize("code", TORCH_FORMS)
def test_the_gui_scan_sees_torch_nn_and_torchvision_in_every_import_form(code):
    assert any(is_torch_compute(n) for n in imported_names(code, GUI)), \
        imported_names(code, GUI)


@pytest.mark.parametrize("code", ALLOWED_IN_ENGINE)
def test_the_engine_scan_lets_torch_and_engine_imports_through(code):
    assert not any(is_qt(n) for n in imported_names(code, ENGINE))


@pytest.mark.parametrize("code", ALLOWED_IN_GUI)
def test_the_gui_scan_lets_qt_engine_and_plain_torch_imports_through(code):
    assert not any(is_torch_compute(n) for n in imported_names(code, GUI))


def test_engine_source_never_imports_qt_or_gui():
    assert offenders(ROOT / "engine", is_qt) == []


def test_importing_every_engine_module_loads_no_qt():
    modules = [module_name(p)[0] for p in (ROOT / "engine").rglob("*.py")]
    assert "activation_lens.engine.data.cifar" in modules and "activation_lens.engine.session" in modules
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert "activation_lens.engine.session" in loaded
    assert [m for m in loaded if is_qt(m)] == []


def test_gui_source_never_imports_torch_nn_or_torchvision():
    # gui/ shows; it may import torch only to list devices, never to compute on tensors.
    assert offenders(ROOT / "gui", is_torch_compute) == []


def _functions(root: Path):
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}", \
                    node.end_lineno - node.lineno + 1


def test_no_function_in_engine_or_gui_is_longer_than_a_screen():
    long = [f"{where} ({n} lines)" for package in ("engine", "gui")
            for where, n in _functions(ROOT / package) if n > 60]
    assert long == []


def test_the_main_window_stays_a_view_under_400_lines():
    assert len((ROOT / "gui" / "main_window.py").read_text().splitlines()) < 400


def test_the_default_activations_are_written_once_in_the_code():
    holders = [str(p.relative_to(ROOT)) for package in ("engine", "gui")
               for p in (ROOT / package).rglob("*.py") if '"relu,sigmoid"' in p.read_text()]
    assert holders == ["engine/pipeline.py"]


def test_the_style_sheet_and_icon_load_from_the_installed_package():
    from activation_lens.gui.app import resource

    assert b"QMainWindow" in (resource("style.qss") or b"") or len(resource("style.qss")) > 1000
    assert (resource("actlens.svg") or b"").lstrip().startswith(b"<")
    assert resource("no-such-file.png") is None


def test_actlens_version_prints_the_installed_version():
    exe = Path(sys.executable).with_name("actlens")
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("actlens 0.")
