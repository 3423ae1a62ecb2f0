"""`qualcode anonymise`: list proposed pseudonyms, then apply the accepted ones."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from qualcode.cli.common import project_location
from qualcode.domain.errors import NotFoundError, ValidationError
from qualcode.nlp.anonymise import CATEGORIES


def register(subparsers: Any) -> None:
    anon = subparsers.add_parser(
        "anonymise", aliases=["anonymize"],
        help="find names, places and contact details and replace them by pseudonyms",
        description="Without --apply, lists the numbered proposals for review. With --apply, replaces every "
                    "proposal except those given to --reject. The key (real name -> pseudonym) is written only "
                    "to --key-out, or into the project with --store-key.")
    anon.add_argument("path", type=project_location, help="the project file or team project URL")
    anon.add_argument("--document", action="append", metavar="NAME", help="only this document (repeatable)")
    anon.add_argument("--terms", type=Path, help="a .csv/.xlsx of names and places: term, category, replacement")
    anon.add_argument("--categories", help=f"comma-separated subset of {', '.join(CATEGORIES)}")
    anon.add_argument("--key-in", type=Path, help="a key exported earlier: its pseudonyms are reused")
    anon.add_argument("--key-out", type=Path, help="write the key to this .csv file")
    anon.add_argument("--apply", action="store_true", help="apply the proposals (default: only list them)")
    anon.add_argument("--reject", metavar="IDS", default="", help="proposal numbers to leave, e.g. 3,7,12")
    anon.add_argument("--store-key", action="store_true", help="also keep the key inside the project (a memo)")
    anon.set_defaults(handler=_anonymise)


def _ids(value: str) -> set[int]:
    try:
        return {int(part) for part in value.replace(" ", "").split(",") if part}
    except ValueError:
        raise ValidationError(f"--reject takes proposal numbers separated by commas, not '{value}'.") from None


def _anonymise(args: argparse.Namespace) -> int:
    from qualcode.cli.common import coder_id_for
    from qualcode.services import documents as document_service
    from qualcode.services.importing import anonymisation as service
    from qualcode.store.server import open_project

    terms = service.load_terms(args.terms) if args.terms else []
    key = service.load_key(args.key_in) if args.key_in else None
    categories = [c.strip() for c in args.categories.split(",")] if args.categories else None
    unknown = [c for c in categories or [] if c not in CATEGORIES]
    if unknown:
        raise ValidationError(f"Unknown categories {', '.join(unknown)}: use {', '.join(CATEGORIES)}.")
    rejected = _ids(args.reject)
    with open_project(args.path) as project:
        coder = coder_id_for(project, args)
        with project.session() as session:
            document_ids = None
            if args.document:
                by_name = {d.name.lower(): d.id for d in document_service.list_documents(session)}
                missing = [n for n in args.document if n.lower() not in by_name]
                if missing:
                    raise NotFoundError(f"No document named {', '.join(repr(m) for m in missing)} in this project.")
                document_ids = [by_name[n.lower()] for n in args.document]
            plan = service.propose_anonymisation(session, document_ids=document_ids, terms=terms, key=key,
                                                 categories=categories)
            plan = plan.decide(rejected=rejected)
            if not args.apply:
                for p in plan.proposals:
                    mark = " " if p.accepted else "x"
                    print(f"{p.id:>5} {mark} {p.document_name:<24} {p.category:<12} {p.original!r} -> {p.pseudonym}   "
                          f"…{p.context}…")
                print(f"{len(plan.proposals)} proposals. Review them, then run again with --apply "
                      "(and --reject N,M for any to leave).")
            else:
                _backup, note = service.keep_original(project)
                print(note)
                changes = service.apply_anonymisation(session, proposals=plan.proposals, coder_id=coder)
                print(f"Replaced {len(plan.accepted)} passages in "
                      f"{len({p.document_id for p in plan.accepted})} documents ({len(changes)} edits).")
                if args.store_key:
                    service.store_key_in_project(session, key=plan.key, coder_id=coder)
                    print("The key is stored in the project as the memo 'Anonymisation key'.")
    if args.key_out:
        service.export_key(plan.key, args.key_out)
        print(f"Key written to {args.key_out}")
    return 0
