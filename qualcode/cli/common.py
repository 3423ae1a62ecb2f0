"""What several command modules share: the acting coder and a progress bar on the terminal.

Command modules are imported to build the parser, so they (and this module) import the
services and the store inside the handlers: `qualcode --version` and `--help` stay fast."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.domain.location import is_team_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from qualcode.store.project import Project

T = TypeVar("T")


def project_location(value: str) -> Path | str:
    """A project argument: a `*.qualcode` file, or a team project URL (postgresql://...)."""
    return value if is_team_url(value) else Path(value)


def default_coder_name(args: argparse.Namespace) -> str:
    """The coder a command acts as: `--coder NAME`, else on a team project the member the URL
    connects as, else the login name."""
    if args.coder:
        return str(args.coder)
    location = getattr(args, "path", None) or getattr(args, "project", None) or getattr(args, "base", None)
    if isinstance(location, str) and is_team_url(location):
        from qualcode.store.server import parse_url

        if (member := parse_url(location).username):
            return str(member)
    return str(getpass.getuser() or "coder")


def coder_id_for(project: Project, args: argparse.Namespace) -> int:
    """The id of the acting coder in `project`, added to the project if new."""
    from qualcode.services import coders as coder_service

    with project.session() as session:
        return coder_service.ensure_coder(session, default_coder_name(args)).id


def as_coder(args: argparse.Namespace, action: Callable[[Session, int], T]) -> T:
    """Open the project `args.path` names and run `action(session, coder_id)` as the acting coder,
    in one session (one step); return what it returns."""
    from qualcode.store.server import open_project

    with open_project(args.path) as project:
        coder_id = coder_id_for(project, args)
        with project.session() as session:
            return action(session, coder_id)


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


# Closing punctuation right after a quoted passage belongs to it.
_CLOSING = re.compile(r"[.!?…]*[\"”’')\]]*")


def find_document(session: Any, name: str) -> int:
    """The id of the document with this name (spacing and case aside)."""
    from qualcode.services import documents

    wanted = " ".join(name.split()).lower()
    matches = [d for d in documents.list_documents(session) if d.name.lower() == wanted]
    if not matches:
        raise NotFoundError(f"There is no document named '{name}' in this project.")
    if len(matches) > 1:
        raise ValidationError(f"Several documents are named '{name}': rename one first.")
    return matches[0].id


def find_span(text: str, *, quote: str | None, span: str | None, document: str) -> tuple[int, int]:
    """The passage's offsets: START:END as given, or where the quoted words stand (spacing may
    differ), with closing punctuation right after the words kept in the passage."""
    if span:
        start, sep, end = span.partition(":")
        if not sep or not start.strip().isdigit() or not end.strip().isdigit():
            raise ValidationError(f"Write --span as START:END offsets, e.g. 120:245; got '{span}'.")
        return int(start), int(end)
    words = (quote or "").split()
    found = re.search(r"\s+".join(re.escape(w) for w in words), text) if words else None
    if found is None:
        raise NotFoundError(f"The passage '{(quote or '')[:60]}' is not in '{document}'.")
    closing = _CLOSING.match(text, found.end())
    return found.start(), closing.end() if closing else found.end()
