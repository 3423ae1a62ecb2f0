"""A small, hand-checkable study: four transcripts of three participants at two sites,
five nodes, thirteen codings by two coders. Expected query results are worked out by hand
from the texts and codings below."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qualcode.services import coders as coder_service
from qualcode.services import documents as doc_service
from qualcode.services.cases import cases as case_service
from qualcode.services.codebook import nodes as node_service
from qualcode.services.coding import codings as coding_service
from qualcode.services.documents import TurnSpec
from qualcode.store.project import Project

TEXTS = {
    "P1 interview": (
        "interview", "P1",
        "Interviewer: How did you find the clinic?\n"
        "P1: I listened to the nurse. I trusted her completely.\n"
        "Interviewer: And the waiting?\n"
        "P1: The wait was long and the bus cost too much.\n",
    ),
    "P2 interview": (
        "interview", "P2",
        "Interviewer: Tell me about your first visit.\n"
        "P2: Nobody was listening. The doctor rushed me.\n"
        "Interviewer: What about costs?\n"
        "P2: The fees were high, so I trusted nobody.\n",
    ),
    "P2 follow-up": (
        "follow_up", "P2",
        "Interviewer: Has anything changed?\n"
        "P2: Now the nurse listens. The café next door is naïve fun 😀.\n",
    ),
    "P3 interview": (
        "interview", "P3",
        "Interviewer: How was access?\n"
        "P3: The bus was late, the wait endless. I trust the nurse though.\n",
    ),
}

CASES = {
    "P1": {"site": "Site 1", "age": 34, "gender": "female"},
    "P2": {"site": "Site 2", "age": 45, "gender": "male"},
    "P3": {"site": "Site 2", "age": 52, "gender": "female"},
}

# label: (document, passage, node, coder)
CODINGS = {
    "c1": ("P1 interview", "I listened to the nurse.", "Communication", "Ann"),
    "c2": ("P1 interview", "I trusted her completely.", "Trust", "Ann"),
    "c3": ("P1 interview", "The wait was long", "Access", "Ann"),
    "c4": ("P1 interview", "the bus cost too much", "Cost", "Ann"),
    "c5": ("P1 interview", "I listened to the nurse. I trusted her completely.", "Trust", "Ben"),
    "c6": ("P2 interview", "Nobody was listening. The doctor rushed me.", "Communication", "Ann"),
    "c7": ("P2 interview", "The fees were high", "Cost", "Ann"),
    "c8": ("P2 interview", "I trusted nobody", "Trust", "Ann"),
    "c9": ("P2 interview", "The doctor rushed me", "Trust", "Ben"),
    "c10": ("P2 follow-up", "Now the nurse listens.", "Communication", "Ann"),
    "c11": ("P3 interview", "The bus was late, the wait endless.", "Access", "Ann"),
    "c12": ("P3 interview", "I trust the nurse though.", "Trust", "Ann"),
    "c13": ("P3 interview", "The bus was late", "Cost", "Ben"),
}


@dataclass
class Study:
    project: Project
    documents: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    nodes: dict[str, int] = field(default_factory=dict)
    coders: dict[str, int] = field(default_factory=dict)
    codings: dict[str, int] = field(default_factory=dict)

    def text(self, document: str) -> str:
        return TEXTS[document][2]

    def span(self, document: str, passage: str) -> tuple[int, int]:
        start = self.text(document).index(passage)
        return (start, start + len(passage))

    def coding_labels(self, ids: object) -> set[str]:
        by_id = {v: k for k, v in self.codings.items()}
        return {by_id[i] for i in ids}  # type: ignore[attr-defined]


def _turns(text: str) -> list[TurnSpec]:
    """Speaker turns as the importer finds them: the words after each "Speaker:" label."""
    turns, position = [], 0
    for line in text.split("\n"):
        if line:
            speaker = line.split(":", 1)[0]
            turns.append(TurnSpec(position + len(speaker) + 2, position + len(line), speaker))
        position += len(line) + 1
    return turns


def build_study(path: Path | Project) -> Study:
    """The study in a new project file at `path`, or in an open (team) project."""
    study = Study(Project.create(path, title="Clinic study") if isinstance(path, Path) else path)
    with study.project.session() as s:
        for name in ("Ann", "Ben"):
            study.coders[name] = coder_service.add_coder(s, name=name).result
        attributes = {
            "site": case_service.create_attribute(s, name="site", type="category").result,
            "age": case_service.create_attribute(s, name="age", type="number").result,
            "gender": case_service.create_attribute(s, name="gender", type="category").result,
        }
        interview_date = case_service.create_attribute(s, name="interview date", type="date", scope="document").result
        for case, values in CASES.items():
            study.cases[case] = case_service.create_case(s, name=case).result
            for attribute, value in values.items():
                case_service.set_attribute_value(s, attribute_id=attributes[attribute], value=value,
                                                 case_id=study.cases[case])
        for number, (name, (kind, case, text)) in enumerate(TEXTS.items(), start=1):
            doc_id = doc_service.add_document(s, name=name, text=text, kind=kind, turns=_turns(text)).result
            study.documents[name] = doc_id
            case_service.link_documents(s, case_id=study.cases[case], document_ids=[doc_id])
            case_service.set_attribute_value(s, attribute_id=interview_date, value=f"2024-0{number}-15",
                                             document_id=doc_id)
        barriers = node_service.create_node(s, name="Barriers", level="basic").result
        study.nodes["Barriers"] = barriers
        for name in ("Access", "Cost"):
            study.nodes[name] = node_service.create_node(s, name=name, parent_id=barriers).result
        for name in ("Trust", "Communication"):
            study.nodes[name] = node_service.create_node(s, name=name).result
        for label, (document, passage, node, coder) in CODINGS.items():
            start, end = study.span(document, passage)
            study.codings[label] = coding_service.apply_code(
                s, document_id=study.documents[document], start=start, end=end,
                node_id=study.nodes[node], coder_id=study.coders[coder]).result
    return study
