"""What several command modules share: the acting coder and a progress bar on the terminal."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from qualcode.services import coders as coder_service
from qualcode.store.project import Project


def default_coder_name(args: argparse.Namespace) -> str:
    """The coder a command acts as: `--coder NAME`, else the login name."""
    return str(args.coder or getpass.getuser() or "coder")


def coder_id_for(project: Project, args: argparse.Namespace) -> int:
    """The id of the acting coder in `project`, added to the project if new."""
    with project.session() as session:
        return coder_service.ensure_coder(session, default_coder_name(args)).id


class BarProgress:
    """Progress on a terminal bar (tqdm on stderr, quiet when stderr is not a terminal)."""

    def __init__(self, description: str, *, unit: str = "it") -> None:
        self._description = description
        self._unit = unit
        self._bar: Any = None

    def update(self, done: int, total: int, message: str = "") -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=max(total, 1), desc=self._description, unit=self._unit, file=sys.stderr,
                             disable=not sys.stderr.isatty(), leave=False)
        self._bar.total = max(total, 1)
        self._bar.n = done
        self._bar.set_postfix_str(message[:40], refresh=True)

    def cancelled(self) -> bool:
        return False

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
