"""The ``actlens`` entry point: headless commands go to the engine without importing Qt;
everything else opens the window."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from ..engine.cli import COMMANDS

    if argv and (argv[0] in COMMANDS):
        from ..engine.cli import main as cli_main

        return cli_main(argv)
    from .app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main())
