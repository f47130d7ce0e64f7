"""Refresh the translation catalogue from the sources, then compile it.

    python resources/translations/update.py          # lupdate, then lrelease
    python resources/translations/update.py --check  # exit 1 if a string lacks a translation

``pyside6-lupdate`` collects every ``tr()`` / ``translate()`` / ``QT_TRANSLATE_NOOP`` string of
``gui/``; the engine's :class:`engine.text.Text` templates (the notes and statistics the window
shows) are collected here from ``engine/`` and handed to it in the ``engine`` context.
Translate new entries in ``actlens_zh_CN.ts`` (Qt Linguist: ``pyside6-linguist``, or any
editor), then run this again: ``pyside6-lrelease`` writes ``actlens_zh_CN.qm``, which the
package ships.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LANGUAGES = ["zh_CN"]
MARKERS = {"Text", "plural"}  # engine calls whose string literals are templates


def tool(name: str) -> str:
    """``pyside6-<name>`` beside this Python, or on the PATH."""
    here = Path(sys.executable).parent / f"pyside6-{name}"
    found = str(here) if here.exists() else shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 in this environment")
    return found


def engine_templates() -> list[str]:
    """String literals passed to ``Text(...)`` / ``plural(...)`` anywhere in ``engine/``."""
    found: list[str] = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKERS:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        if arg.value not in found:
                            found.append(arg.value)
    return found


def gui_sources() -> list[str]:
    return [str(p) for p in sorted((ROOT / "gui").rglob("*.py"))]


def run_lupdate(ts_files: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "engine_text.py"
        listing.write_text("".join(f"QT_TRANSLATE_NOOP('engine', {t!r})\n"
                                   for t in engine_templates()), encoding="utf-8")
        for ts in ts_files:
            subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none",
                            "-target-language", ts.stem.removeprefix("actlens_"),
                            *gui_sources(), str(listing), "-ts", str(ts)],
                           check=True, stdout=subprocess.DEVNULL)


def run_lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("lrelease"), str(ts), "-qm", str(qm)], check=True,
                   stdout=subprocess.DEVNULL)


def unfinished(ts: Path) -> list[tuple[str, str]]:
    """(context, source) of every message without a finished translation."""
    out = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if (translation is None or translation.get("type") in ("unfinished", "vanished",
                                                                    "obsolete")
                    or not (translation.text or "").strip()):
                out.append((name, message.findtext("source")))
    return out


def check() -> int:
    """lupdate into copies of the catalogues; report what is new or unfinished."""
    missing = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGUAGES:
            copy = Path(tmp) / f"actlens_{lang}.ts"
            shutil.copy(HERE / copy.name, copy)
            run_lupdate([copy])
            missing += [(lang, *m) for m in unfinished(copy)]
    for lang, context, source in missing:
        print(f"{lang}: {context}: {source!r} has no translation")
    return 1 if missing else 0


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    if "--check" in argv:
        return check()
    for lang in LANGUAGES:
        ts = HERE / f"actlens_{lang}.ts"
        run_lupdate([ts])
        run_lrelease(ts, ts.with_suffix(".qm"))
        left = unfinished(ts)
        print(f"{ts.name}: {len(left)} message(s) to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
