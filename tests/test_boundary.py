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
    modules = [p.stem for p in (ROOT / "engine").glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module('engine.' + m)\n"
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
