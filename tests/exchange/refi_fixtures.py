"""Shared data for REFI-QDA exchange tests: a rich project, a builder for foreign .qdpx files."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from qualcode.services import coders, documents, memos
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.services.documents import TurnSpec
from qualcode.store import models as m
from qualcode.store.project import Project

TEXTS = {
    "Interview Zoë 🌍": (
        "Interviewer: How did the programme start for you?\n"
        "Zoë: Honestly 😅 I was sceptical. The nurse — Ms Ōkubo — called me twice.\n"
        "Interviewer: And then?\n"
        "Zoë: Then I joined; the group felt like family 👨‍👩‍👧. Cost was a worry: 50 € a month.\n"
    ),
    "Entretien Hélène": (
        "Hélène : Au début, j'avais peur du coût 💶 et du trajet.\n"
        "Hélène : Mais l'infirmière m'a rassurée ; c'était « simple ».\n"
        "𝕴𝖓𝖙𝖊𝖗𝖛𝖎𝖊𝖜𝖊𝖗 : Et maintenant ?\n"
        "Hélène : Je viens chaque semaine 🙂.\n"
    ),
    "Field notes 东京": "Site visit, 东京. Staff were welcoming 🙏. Waiting room crowded; posters in 3 languages.\n",
}


def span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def build_rich_project(project: Project) -> dict[str, Any]:
    """A project with every kind of thing the exchange carries, in non-ASCII text and emoji."""
    ids: dict[str, Any] = {}
    with project.session() as s:
        alice = coders.add_coder(s, name="Alice", color="#123abc").result
        bob = coders.add_coder(s, name="Bøb Ørsted").result
        chen = coders.add_coder(s, name="陳美玲").result
        ids["coders"] = (alice, bob, chen)
        docs = {}
        for index, (name, text) in enumerate(TEXTS.items()):
            turns = [TurnSpec(a, a + len(line), line.split(":")[0], float(n))
                     for n, (a, line) in enumerate(_lines(text)) if ":" in line]
            docs[name] = documents.add_document(
                s, name=name, text=text, kind=("interview", "follow_up", "field_note")[index],
                source_filename=f"{name}.docx", turns=turns, memo=f"Memo of {name} ✍️").result
        ids["docs"] = docs
        g = nodes.create_node(s, name="Belonging 🏠", level="global", definition="Global theme\nwith two lines").result
        o = nodes.create_node(s, name="Trust & safety", level="organising", parent_id=g, origin="deductive",
                              definition="Definition:\nA line equal to a marker", inclusion="Include when:\n\\x",
                              exclusion="trailing newline\n", color="#abc").result
        b = nodes.create_node(s, name="Being reassured", level="basic", parent_id=o, inclusion="staff reassure").result
        c1 = nodes.create_node(s, name="Nurse calls", parent_id=b, color="#00ff7f").result
        c2 = nodes.create_node(s, name="Family feeling 👨‍👩‍👧", parent_id=b).result
        o2 = nodes.create_node(s, name="Barriers", level="organising").result
        c3 = nodes.create_node(s, name="Cost €", parent_id=o2, definition="Money worries").result
        c4 = nodes.create_node(s, name="Travel", parent_id=o2).result
        loose = nodes.create_node(s, name="Uncategorised ✳︎").result
        nodes.update_node(s, node_id=c3, memo="Check against survey 📊")
        ids["nodes"] = {"g": g, "o": o, "b": b, "c1": c1, "c2": c2, "o2": o2, "c3": c3, "c4": c4, "loose": loose}
        zoe = TEXTS["Interview Zoë 🌍"]
        helene = TEXTS["Entretien Hélène"]
        notes = TEXTS["Field notes 东京"]
        applied = [
            (docs["Interview Zoë 🌍"], zoe, "called me twice", c1, alice),
            (docs["Interview Zoë 🌍"], zoe, "called me twice", c1, bob),
            (docs["Interview Zoë 🌍"], zoe, "called me twice", c2, chen),
            (docs["Interview Zoë 🌍"], zoe, "the group felt like family 👨‍👩‍👧", c2, alice),
            (docs["Interview Zoë 🌍"], zoe, "Cost was a worry: 50 € a month.", c3, bob),
            (docs["Interview Zoë 🌍"], zoe, "Honestly 😅 I was sceptical.", o, chen),
            (docs["Entretien Hélène"], helene, "peur du coût 💶", c3, alice),
            (docs["Entretien Hélène"], helene, "du trajet", c4, alice),
            (docs["Entretien Hélène"], helene, "l'infirmière m'a rassurée", b, bob),
            (docs["Entretien Hélène"], helene, "Je viens chaque semaine 🙂", loose, chen),
            (docs["Field notes 东京"], notes, "Staff were welcoming 🙏", b, alice),
        ]
        coding_ids = []
        for doc_id, text, fragment, node_id, coder_id in applied:
            start, end = span(text, fragment)
            coding_ids.append(codings.apply_code(s, document_id=doc_id, start=start, end=end, node_id=node_id,
                                                 coder_id=coder_id).result)
        codings.update_coding(s, coding_id=coding_ids[0], memo="First call 📞\nsecond line", exemplar=True)
        codings.update_coding(s, coding_id=coding_ids[3], exemplar=True)
        codings.update_coding(s, coding_id=coding_ids[6], memo="Money ⇒ barrier")
        ids["codings"] = coding_ids
        p1 = cases.create_case(s, name="P1 Zoë", memo="Recruited at site 2 🏥").result
        p2 = cases.create_case(s, name="P2 Hélène").result
        site = cases.create_case(s, name="Site 東京").result
        cases.link_documents(s, case_id=p1, document_ids=[docs["Interview Zoë 🌍"]])
        cases.link_documents(s, case_id=p2, document_ids=[docs["Entretien Hélène"]])
        cases.link_documents(s, case_id=site, document_ids=[docs["Field notes 东京"], docs["Entretien Hélène"]])
        age = cases.create_attribute(s, name="age", type="number").result
        joined = cases.create_attribute(s, name="joined", type="date").result
        gender = cases.create_attribute(s, name="gender", type="category").result
        note = cases.create_attribute(s, name="note", type="text").result
        language = cases.create_attribute(s, name="language", type="category", scope="document").result
        weight = cases.create_attribute(s, name="weight", type="number", scope="document").result
        cases.set_attribute_value(s, attribute_id=age, case_id=p1, value=34)
        cases.set_attribute_value(s, attribute_id=age, case_id=p2, value="61.5")
        cases.set_attribute_value(s, attribute_id=joined, case_id=p1, value="2023-04-01")
        cases.set_attribute_value(s, attribute_id=gender, case_id=p2, value="woman")
        cases.set_attribute_value(s, attribute_id=note, case_id=p1, value="  spaces kept ✓ \nand lines")
        cases.set_attribute_value(s, attribute_id=language, document_id=docs["Entretien Hélène"], value="français")
        cases.set_attribute_value(s, attribute_id=weight, document_id=docs["Field notes 东京"], value="0.00001")
        ids["cases"] = (p1, p2, site)
        memos.add_memo(s, target_type="project", title="Analytic plan 🗺️", text="Braun & Clarke, six phases",
                       coder_id=alice)
        memos.add_memo(s, target_type="document", target_uid=_uid(s, m.Document, docs["Entretien Hélène"]),
                       title="On translation", text="Translated by Hélène herself.", coder_id=bob)
        memos.add_memo(s, target_type="case", target_uid=_uid(s, m.Case, p1), title="", text="Case memo 👤")
        memos.add_memo(s, target_type="node", target_uid=_uid(s, m.Node, o), title="Trust?",
                       text="Maybe merge with reassurance", coder_id=chen)
        memos.add_memo(s, target_type="coding", target_uid=_uid(s, m.Coding, coding_ids[4]), title="Cost quote",
                       text="Strong quote €€€", coder_id=bob)
        memos.add_journal_entry(s, coder_id=alice, title="Day 1", text="Felt drawn to the family theme 🤔")
        memos.add_journal_entry(s, coder_id=chen, text="第二天：反思")
        from qualcode.services import project as project_service

        project_service.update_project_info(s, methodology="Reflexive thematic analysis\n— with realist CMOs")
        ids["configurations"] = _add_configurations(s, ids, coding_ids)
    return ids


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.split("\n"):
        if line:
            yield offset, line
        offset += len(line) + 1


def _uid(session: Any, model: Any, id_: int) -> str:
    return str(session.get(model, id_).uid)


def _add_configurations(s: Any, ids: dict[str, Any], coding_ids: list[int]) -> list[int]:
    """CMO configurations with components, evidence (spans and codings), linked nodes, a refinement."""
    alice, bob, _ = ids["coders"]
    doc = ids["docs"]["Interview Zoë 🌍"]
    text = TEXTS["Interview Zoë 🌍"]
    first = m.CmoConfiguration(label="Enrolment 1 🚪", concept="Enrolment", status="confirmed", origin="prior_theory",
                               memo="From the programme theory")
    second = m.CmoConfiguration(label="Enrolment 1b", concept="Enrolment", template="ICAMO", roles="I,C,A,M,O",
                                status="refined", origin="data")
    third = m.CmoConfiguration(label="", concept="", status="new")
    s.add_all([first, second, third])
    s.flush()
    second.refined_from_id = first.id
    context = m.CmoComponent(configuration_id=first.id, role="C", statement="Nurse phones new patients 📞", position=0)
    mechanism = m.CmoComponent(configuration_id=first.id, role="M", statement="Feels expected\n(trust)", position=1)
    outcome = m.CmoComponent(configuration_id=first.id, role="O", statement="Joins the group", position=2)
    outcome2 = m.CmoComponent(configuration_id=first.id, role="O", statement="Stays a year", position=3)
    other = m.CmoComponent(configuration_id=second.id, role="I", statement="Outreach call", position=0)
    s.add_all([context, mechanism, outcome, outcome2, other])
    s.flush()
    start, end = span(text, "The nurse — Ms Ōkubo — called me twice.")
    s.add_all([
        m.CmoEvidence(component_id=context.id, document_id=doc, start=start, end=end, coder_id=alice,
                      stance="supports", memo="Clear 👍"),
        m.CmoEvidence(component_id=outcome.id, coding_id=coding_ids[3], coder_id=bob, stance="supports"),
        m.CmoEvidence(component_id=other.id, document_id=doc, start=0, end=11, coder_id=bob, stance="refutes"),
    ])
    s.execute(m.cmo_configuration_node.insert(), [
        {"configuration_id": first.id, "node_id": ids["nodes"]["c1"]},
        {"configuration_id": first.id, "node_id": ids["nodes"]["b"]},
    ])
    s.flush()
    s.add(m.Memo(target_type="configuration", target_uid=first.uid, title="CMO memo", text="Needs a site check"))
    return [first.id, second.id, third.id]


def comparable(data: Any) -> dict[str, Any]:
    """Project data as plain values, times to the second, lists in a stable order."""

    def clean(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.replace(microsecond=0)
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            items = [clean(v) for v in value]
            if items and isinstance(items[0], dict):
                return sorted(items, key=lambda d: repr(sorted(d.items())))
            return sorted(items, key=repr) if items and isinstance(items[0], str) else items
        return value

    return clean(dataclasses.asdict(data))


class QdpxBuilder:
    """Writes a .qdpx the way another tool might: any XML text, any files, any names."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, name: str, xml: str | bytes, files: dict[str, bytes] | None = None,
              qde_name: str = "project.qde") -> Path:
        path = self.folder / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(qde_name, xml if isinstance(xml, bytes) else xml.encode("utf-8"))
            for entry, content in (files or {}).items():
                archive.writestr(entry, content)
        return path
