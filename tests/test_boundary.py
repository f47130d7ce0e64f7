"""The architecture: engine/ computes and never imports Qt; the CLI export never loads Qt."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "PyQt5", "PyQt6", "qtpy", "superqt", "pyqtgraph", "gui")


def _imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_engine_source_never_imports_qt_or_gui():
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in sorted((ROOT / "engine").rglob("*.py"))
        for name in _imports(p)
        if name.split(".")[0] in QT
    ]
    assert offenders == []


def test_importing_every_engine_module_loads_no_qt():
    modules = [".".join(p.relative_to(ROOT).with_suffix("").parts)
               for p in (ROOT / "engine").rglob("*.py")]
    assert "engine.data.cifar" in modules and "engine.session" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(k for k in sys.modules if k.split('.')[0] in "
        f"{QT!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_gui_modules_contain_no_torch_computation_calls():
    # gui/ shows; it may import torch only to list devices, never to compute on tensors.
    banned = ("torch.nn", "torch.nn.functional", "torchvision")
    offenders = [
        f"{p.relative_to(ROOT)}: {name}"
        for p in sorted((ROOT / "gui").rglob("*.py"))
        for name in _imports(p)
        if name in banned or name.startswith("torchvision")
    ]
    assert offenders == []


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
    from gui.app import resource

    assert b"QMainWindow" in (resource("style.qss") or b"") or len(resource("style.qss")) > 1000
    assert (resource("actlens.svg") or b"").lstrip().startswith(b"<")
    assert resource("no-such-file.png") is None


def test_actlens_version_prints_the_installed_version():
    exe = Path(sys.executable).with_name("actlens")
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("actlens 0.")
