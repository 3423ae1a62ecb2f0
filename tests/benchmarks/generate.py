"""Build the large synthetic benchmark project through QualCode's own services.

200 transcripts of ~12,000 words with speaker turns (100 participants at 7 sites, a first
interview and a follow-up each), ~60 nodes over the four theme levels, 50,000 codings by
3 coders. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

from qualcode.domain.text import normalise_text
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.coding.codings import CodingSpec
from qualcode.services.documents import TurnSpec
from qualcode.store.project import Project

DOCUMENTS = 200
WORDS_PER_DOCUMENT = 12_000
CODINGS = 50_000
CODERS = ("Ana", "Ben", "Chloe")
SITES = 7

_VOCABULARY = (  # noqa: SIM905
    "link worker patient group garden walking support referral practice doctor nurse community "
    "centre volunteer confidence lonely isolation anxiety money debt housing benefits time "
    "listen trust goal plan week month appointment phone call visit family friend neighbour "
    "bus travel course class art music cooking exercise health wellbeing stress sleep pain "
    "medication advice service waiting list follow up change feel felt helped helpful "
    "difficult easy really quite always never sometimes maybe because but and then so when if "
    "that this they we you it was is have had would could should think know mean said told "
    "went came started stopped kept made found asked needed wanted tried used people local "
    "council charity library cafe park "
).split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCABULARY, k=rng.randint(8, 22))
    return " ".join(words).capitalize() + rng.choice(".....?!")


def make_transcript(rng: random.Random, participant: str, words: int) -> tuple[str, list[TurnSpec]]:
    """A transcript of alternating interviewer and participant turns, with turn spans."""
    parts: list[str] = []
    turns: list[TurnSpec] = []
    offset, count, speaker_is_interviewer = 0, 0, True
    while count < words:
        speaker = "Interviewer" if speaker_is_interviewer else participant
        n = rng.randint(1, 2) if speaker_is_interviewer else rng.randint(3, 9)
        body = " ".join(_sentence(rng) for _ in range(n))
        line = f"{speaker}: {body}"
        turns.append(TurnSpec(offset, offset + len(line), speaker))
        parts.append(line)
        offset += len(line) + 2
        count += len(body.split())
        speaker_is_interviewer = not speaker_is_interviewer
    text = "\n\n".join(parts)
    assert normalise_text(text) == text
    return text, turns


def build_large_project(
    path: Path,
    *,
    seed: int = 7,
    documents_count: int = DOCUMENTS,
    words: int = WORDS_PER_DOCUMENT,
    codings_count: int = CODINGS,
) -> dict[str, float]:
    """Create the project at `path` (replacing it); return timings of the phases."""
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    project = Project.create(path, title="Benchmark study")
    try:
        with project.session() as s:
            coder_ids = [coders.ensure_coder(s, name).id for name in CODERS]
            site = cases.create_attribute(s, name="site", type="category").result
            age = cases.create_attribute(s, name="age", type="number").result
            node_ids = _build_network(s, rng)
        phase = time.perf_counter()
        doc_ids: list[int] = []
        lengths: dict[int, int] = {}
        for i in range(documents_count):
            participant = f"P{i // 2 + 1:03d}"
            text, turns = make_transcript(rng, participant, words)
            with project.session() as s:
                doc_id = documents.add_document(
                    s,
                    name=f"{participant} {'follow-up' if i % 2 else 'interview'}",
                    text=text,
                    kind="follow_up" if i % 2 else "interview",
                    turns=turns,
                ).result
                if i % 2 == 0:
                    case_id = cases.create_case(s, name=participant).result
                    cases.set_attribute_value(s, attribute_id=site, case_id=case_id, value=f"Site {i // 2 % SITES + 1}")
                    cases.set_attribute_value(s, attribute_id=age, case_id=case_id, value=rng.randint(19, 88))
                cases.link_documents(s, case_id=case_id, document_ids=[doc_id])
            doc_ids.append(doc_id)
            lengths[doc_id] = len(text)
        timings["documents"] = time.perf_counter() - phase
        phase = time.perf_counter()
        for index, coder_id in enumerate(coder_ids):
            per_coder = codings_count // len(coder_ids) + (index < codings_count % len(coder_ids))
            specs: dict[int, list[CodingSpec]] = {}
            seen: set[tuple[int, int, int, int]] = set()
            while len(seen) < per_coder:
                doc_id = rng.choice(doc_ids)
                start = rng.randrange(0, lengths[doc_id] - 400)
                key = (doc_id, start, start + rng.randint(40, 400), rng.choice(node_ids))
                if key not in seen:
                    seen.add(key)
                    specs.setdefault(doc_id, []).append(CodingSpec(*key))
            with project.session() as s:
                for batch in specs.values():
                    codings.apply_codes(s, specs=batch, coder_id=coder_id)
        timings["codings"] = time.perf_counter() - phase
    finally:
        project.close()
    timings["total"] = time.perf_counter() - started
    return timings


def _build_network(session: Any, rng: random.Random) -> list[int]:
    """4 global themes, each with 2 organising, 4 basic themes and 8 codes: 60 nodes."""
    ids: list[int] = []
    for g in range(1, 5):
        global_id = nodes.create_node(session, name=f"Global theme {g}", level="global").result
        ids.append(global_id)
        for o in range(1, 3):
            org_id = nodes.create_node(
                session, name=f"Organising {g}.{o}", level="organising", parent_id=global_id
            ).result
            ids.append(org_id)
            for b in range(1, 3):
                basic_id = nodes.create_node(session, name=f"Basic {g}.{o}.{b}", level="basic", parent_id=org_id).result
                ids.append(basic_id)
                for c in range(1, 3):
                    ids.append(nodes.create_node(session, name=f"Code {g}.{o}.{b}.{c}", parent_id=basic_id).result)
    return ids


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "large.qualcode")
    print(build_large_project(target))
