"""`qualcode demo`: build the demo project in the user's data folder and open it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    demo = subparsers.add_parser(
        "demo", help="build the demo project (sample interviews, starter thematic network) and open it",
        description="Build the demo project in your QualCode data folder, the first time or with --fresh, "
                    "and open it in the window.")
    demo.add_argument("--fresh", action="store_true", help="rebuild the demo, discarding changes made to it")
    demo.add_argument("--no-open", action="store_true", help="only build it and print where it is")
    demo.add_argument("--folder", type=Path, help="build it in this folder instead of the data folder")
    demo.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from qualcode.services import demo

    path = demo.demo_path(args.folder)
    if args.fresh or not path.exists():
        print(f"Building the demo project in {path.parent} …")
    path = demo.ensure_demo(args.folder, fresh=args.fresh)
    if args.no_open:
        print(path)
        return 0
    from qualcode.gui.app import run

    return run(path, coder=args.coder)
