"""The demo project: the six sample interviews of a (fictional) social prescribing
evaluation, the participant sheet, a starter Attride-Stirling thematic network with
codebook definitions, a few dozen codings by two coders (some exemplar quotes, some
memos) and two CMO configurations — enough to try every part of QualCode at once.

Built into a temporary file beside the target and moved into place when complete, so a
cancelled or failed build never leaves a half-made demo behind.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.errors import ProjectError
from qualcode.domain.levels import Level
from qualcode.domain.progress import NullProgress, Progress, check_cancelled
from qualcode.domain.spans import Span
from qualcode.resources import resource_path
from qualcode.services import coders as coder_service
from qualcode.services import documents as document_service
from qualcode.services import project as project_service
from qualcode.services.cases import case_sheets
from qualcode.services.codebook import nodes as node_service
from qualcode.services.codebook.node_colors import suggest_code_color
from qualcode.services.coding import coding_units, speakers
from qualcode.services.coding import codings as coding_service
from qualcode.services.importing import importing
from qualcode.services.realist import configurations as cmo_service
from qualcode.services.realist import evidence as evidence_service
from qualcode.store.lock import lock_path_for
from qualcode.store.project import PROJECT_SUFFIX, Project

DEMO_NAME = "QualCode demo"
TITLE = "Linkways social prescribing evaluation (demo)"
CODERS = ("Hannah Fielding", "Sam Okafor")
SAMPLE_FILES = ("LW01_interview_wave1.txt", "LW02_interview_wave1.docx", "P01_interview_wave1.docx",
                "P02_interview_wave1.vtt", "P03_followup_wave2.txt", "P04_interview_wave1.vtt")
# Speakers the readers cannot recognise as the interviewer by their label.
INTERVIEWERS = {"P02_interview_wave1.vtt": "Hannah Fielding", "P03_followup_wave2.txt": "Speaker 1"}
METHODOLOGY = ("Reflexive thematic analysis (Braun & Clarke) of wave 1 and wave 2 interviews with link workers "
               "and patients, with themes organised as an Attride-Stirling thematic network; realist "
               "configurations test the programme theory of the Linkways service.")


@dataclass(frozen=True)
class NodeSpec:
    name: str
    level: Level
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    children: tuple[NodeSpec, ...] = ()


def _code(name: str, definition: str, inclusion: str = "", exclusion: str = "") -> NodeSpec:
    return NodeSpec(name, Level.CODE, definition, inclusion, exclusion)


NETWORK = NodeSpec(
    "Linking people to what matters", Level.GLOBAL,
    "Social prescribing works when a link worker has the time to find out what matters to a person and the "
    "practical means to connect them to it.",
    children=(
        NodeSpec("Practical barriers come first", Level.ORGANISING,
                 "Before people can take part in anything, practical problems have to be dealt with.", children=(
                     NodeSpec("Getting there", Level.BASIC, "Distance, transport and mobility as barriers.", children=(
                         _code("Unreliable transport", "Buses, driving and distance stopping people taking part.",
                               "Mentions of transport failing or being unavailable.",
                               "Solutions to transport (code under 'Volunteer driving schemes')."),
                         _code("Volunteer driving schemes", "Community car schemes and lifts that get people there."),
                     )),
                     NodeSpec("Money worries", Level.BASIC, "Income, debt and bills that crowd out everything else.",
                              children=(
                                  _code("Benefits and debt advice", "Help with benefits, grants, debt or bills.",
                                        "Referral to or results of welfare advice."),
                                  _code("Financial strain", "Worry about money, low income or unpaid bills.",
                                        "The experience of money worries.", "The advice received (see above)."),
                              )),
                 )),
        NodeSpec("Relationships that make it work", Level.ORGANISING,
                 "The link worker relationship is the mechanism: being heard, then being helped through the door.",
                 children=(
                     NodeSpec("Being listened to", Level.BASIC, "Feeling heard as a person rather than a diagnosis.",
                              children=(
                                  _code("What matters to you", "Conversations that start from the person's own goals.",
                                        "Questions like 'what would a good week look like'."),
                                  _code("Feeling heard", "Participants describing being listened to properly."),
                              )),
                     NodeSpec("Accompanied first steps", Level.BASIC,
                              "Going along the first time so that knowing becomes doing.", children=(
                                  _code("Going along the first time", "The link worker or a volunteer goes with the "
                                        "person to a first session or appointment."),
                              )),
                 )),
        NodeSpec("Connection and purpose", Level.ORGANISING,
                 "What people gain: company, a role, a reason to get going.", children=(
                     NodeSpec("Isolation and loss", Level.BASIC, "Loneliness, bereavement and withdrawal.", children=(
                         _code("Loneliness", "Being alone or cut off from others.",
                               "Explicit mentions of loneliness or isolation."),
                         _code("Bereavement and life changes", "Loss of a partner, moving, illness changing a life."),
                     )),
                     NodeSpec("Belonging to a group", Level.BASIC, "Groups and activities that give people a place.",
                              children=(
                                  _code("Activity groups", "Walking, cooking, football, crafts and other groups."),
                                  _code("Giving back", "Volunteering or helping others in the group."),
                              )),
                 )),
        NodeSpec("Pressures on the service", Level.ORGANISING,
                 "Link workers' accounts of what limits the service.", children=(
                     NodeSpec("Capacity", Level.BASIC, "Caseloads, waiting lists and funding.", children=(
                         _code("High caseloads", "Link workers holding more cases than guidance suggests."),
                         _code("Waiting lists", "Waits for therapies, groups or services people are referred to."),
                     )),
                     NodeSpec("Referral pathways", Level.BASIC, "How people arrive at the service.", children=(
                         _code("How referrals arrive", "Who refers and what the referral says.",
                               "Descriptions of the referral route or content."),
                     )),
                 )),
    ),
)


@dataclass(frozen=True)
class DemoCoding:
    file_id: str
    phrase: str
    node: str
    coders: str  # "A", "B" or "AB": which of the two coders coded it
    unit: str = "sentence"  # or "turn"
    exemplar: bool = False
    memo: str = ""


CODINGS: tuple[DemoCoding, ...] = (
    DemoCoding("LW01", "I ask them what a good week would look like", "What matters to you", "AB", exemplar=True,
               memo="The 'good week' question recurs across link workers: a deliberate technique."),
    DemoCoding("LW01", "I'd like to have a reason to put my shoes on", "What matters to you", "A", exemplar=True),
    DemoCoding("LW01", "his wife had passed", "Bereavement and life changes", "AB"),
    DemoCoding("LW01", "He was isolated, and there were practical reasons", "Loneliness", "AB"),
    DemoCoding("LW01", "the bus from his estate goes every hour and a half", "Unreliable transport", "AB",
               exemplar=True),
    DemoCoding("LW01", "the Rotary do a community car scheme", "Volunteer driving schemes", "A"),
    DemoCoding("LW01", "I went with him the first time", "Going along the first time", "AB", exemplar=True,
               memo="Accompanying is costly for the link worker (a whole morning) but decisive for older men."),
    DemoCoding("LW01", "I've got a caseload of about forty-five", "High caseloads", "AB", exemplar=True),
    DemoCoding("LW01", "I get referrals mostly from the GPs", "How referrals arrive", "A"),
    DemoCoding("LW01", "nobody has ever listened to me like this", "Feeling heard", "B"),
    DemoCoding("LW01", "Benefits that have stopped, a sanction, energy bills", "Financial strain", "A"),
    DemoCoding("LW01", "Men's Shed in Kirkby Road are gold dust", "Activity groups", "A"),
    DemoCoding("LW02", "find out what matters to them", "What matters to you", "A"),
    DemoCoding("LW02", "Got her benefits sorted with Citizens Advice", "Benefits and debt advice", "AB"),
    DemoCoding("LW02", "really isolated, gaming all night", "Loneliness", "B"),
    DemoCoding("LW02", "I'm just a bloke with time to listen", "Feeling heard", "AB"),
    DemoCoding("LW02", "lost its grant and now it's got a waiting list", "Waiting lists", "A"),
    DemoCoding("LW02", "She refers about a third of my caseload", "How referrals arrive", "B"),
    DemoCoding("P01_", "the bus is hopeless", "Unreliable transport", "AB", exemplar=True),
    DemoCoding("P01_", "She found this car scheme, volunteers", "Volunteer driving schemes", "AB"),
    DemoCoding("P01_", "She came with me the first time", "Going along the first time", "A"),
    DemoCoding("P01_", "She said there was a walking group", "Activity groups", "AB"),
    DemoCoding("P01_", "old Frank came over and shook my hand", "Activity groups", "A", exemplar=True,
               memo="Being missed and welcomed back: belonging, not just activity."),
    DemoCoding("P01_", "someone who'll listen to you properly", "Feeling heard", "AB", exemplar=True),
    DemoCoding("P02_", "the waiting list was like five months", "Waiting lists", "AB", exemplar=True),
    DemoCoding("P02_", "I was on statutory sick pay", "Financial strain", "AB", exemplar=True),
    DemoCoding("P02_", "He booked me in with the benefits adviser", "Benefits and debt advice", "A", unit="turn"),
    DemoCoding("P02_", "a peer support group for anxiety", "Activity groups", "B"),
    DemoCoding("P03_", "I've got my own place", "Bereavement and life changes", "B"),
    DemoCoding("P03_", "a mental health football group", "Activity groups", "AB"),
    DemoCoding("P03_", "he rang me on the Wednesday and said, you coming tomorrow", "Going along the first time", "A",
               memo="A phone call rather than accompanying: a lighter-touch version of the same mechanism."),
    DemoCoding("P03_", "Everything's aimed at older people", "Activity groups", "A"),
    DemoCoding("P04_", "Before, I was lonely", "Loneliness", "AB", exemplar=True),
    DemoCoding("P04_", "Aisha came with me the first time", "Going along the first time", "AB"),
    DemoCoding("P04_", "She listened first", "Feeling heard", "A"),
    DemoCoding("P04_", "a cooking group at the community centre", "Activity groups", "AB"),
    DemoCoding("P04_", "a volunteer, to help other women come to the group", "Giving back", "AB", exemplar=True),
    DemoCoding("P04_", "The cooking group has a waiting list now", "Waiting lists", "B"),
)

CONFIGURATIONS = (
    ("Engagement", (("C", "Older men isolated after a loss, with practical barriers to getting out"),
                    ("M", "Being accompanied the first time turns knowing about a group into going"),
                    ("O", "Sustained attendance and renewed social contact")),
     ("Going along the first time", "Loneliness"), "I went with him the first time"),
    ("Readiness", (("C", "People overwhelmed by money worries"),
                   ("M", "Dealing with the most pressing practical problem first frees attention"),
                   ("O", "Capacity to take up social activities")),
     ("Benefits and debt advice", "Financial strain"), "I was on statutory sick pay"),
)


def demo_path(data_dir: Path | None = None) -> Path:
    """Where the demo project lives: the user's QualCode data folder (platformdirs)."""
    if data_dir is None:
        from platformdirs import user_data_dir

        data_dir = Path(user_data_dir("QualCode", appauthor=False))
    return data_dir / f"{DEMO_NAME}{PROJECT_SUFFIX}"


def _create_network(session: Session, spec: NodeSpec, parent_id: int | None, coder_id: int,
                    ids: dict[str, int]) -> None:
    color = suggest_code_color(session) if spec.level is Level.CODE else None
    change = node_service.create_node(session, name=spec.name, level=spec.level, parent_id=parent_id,
                                      definition=spec.definition, inclusion=spec.inclusion,
                                      exclusion=spec.exclusion, origin="inductive", color=color,
                                      coder_id=coder_id)
    ids[spec.name] = int(change.result)
    for child in spec.children:
        _create_network(session, child, ids[spec.name], coder_id, ids)


def _find(text: str, phrase: str, where: str) -> int:
    at = text.find(phrase)
    if at < 0:
        raise ProjectError(f"The demo sample '{where}' lacks the passage “{phrase}”.")
    return at


def _add_codings(session: Session, documents: dict[str, int], nodes: dict[str, int], coders: Sequence[int]) -> None:
    texts = {key: document_service.document_text(session, doc_id) for key, doc_id in documents.items()}
    for item in CODINGS:
        document_id = documents[item.file_id]
        offset = _find(texts[item.file_id], item.phrase, item.file_id)
        unit = coding_units.turn_at if item.unit == "turn" else coding_units.sentence_at
        span = unit(session, document_id=document_id, offset=offset)
        wide = _wider(session, document_id, texts[item.file_id], span)
        for letter, coder_id in zip("AB", coders, strict=True):
            if letter not in item.coders:
                continue
            # The second coder sometimes takes the next sentence too: realistic disagreement at the edges.
            end = wide.end if letter == "B" and item.coders == "AB" and len(item.phrase) % 3 == 0 else span.end
            coding_service.apply_code(session, document_id=document_id, start=span.start, end=end,
                                      node_id=nodes[item.node], coder_id=coder_id,
                                      memo=item.memo if letter == "A" else "",
                                      exemplar=item.exemplar and letter == "A")


def _wider(session: Session, document_id: int, text: str, span: Span) -> Span:
    """The span extended by the sentence after it, when that sentence is in the same paragraph."""
    following = span.end
    while following < len(text) and text[following] == " ":
        following += 1
    if following >= len(text) or text[following] == "\n":
        return span
    return Span(span.start, coding_units.sentence_at(session, document_id=document_id, offset=following).end)


def _add_configurations(session: Session, documents: dict[str, int], nodes: dict[str, int], coder_id: int) -> None:
    texts = {key: document_service.document_text(session, doc_id) for key, doc_id in documents.items()}
    for concept, statements, node_names, evidence_phrase in CONFIGURATIONS:
        change = cmo_service.create_configuration(
            session, concept=concept, statements=statements, status="confirmed", origin="data",
            node_ids=[nodes[name] for name in node_names], coder_id=coder_id)
        configuration = cmo_service.get_configuration(session, int(change.result))
        mechanism = next(c for c in configuration.components if c.role == "M")
        for key, text in texts.items():
            at = text.find(evidence_phrase)
            if at >= 0:
                span = coding_units.sentence_at(session, document_id=documents[key], offset=at)
                evidence_service.add_evidence(session, component_id=mechanism.id, coder_id=coder_id,
                                              document_id=documents[key], start=span.start, end=span.end)


def build_demo(path: Path, *, progress: Progress | None = None) -> Path:
    """Build the demo project at `path` (replacing an older demo there). Returns the path."""
    progress = progress or NullProgress()
    path = Path(path).absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectError(f"Cannot create the folder {path.parent}: {exc.strerror or exc}.") from None
    if lock_path_for(path).exists():
        raise ProjectError(f"The demo project is open in QualCode ({path}): close it before rebuilding it.")
    building = path.with_name(f".{path.stem}-building-{os.getpid()}{PROJECT_SUFFIX}")
    _remove(building)
    steps = 6
    try:
        progress.update(0, steps, "Creating the project")
        project = Project.create(building, title=TITLE)
        try:
            with project.session() as session:
                coders = [coder_service.ensure_coder(session, name).id for name in CODERS]
                project_service.update_project_info(session, methodology=METHODOLOGY, coder_id=coders[0])
            check_cancelled(progress)
            progress.update(1, steps, "Importing the sample interviews")
            samples = resource_path("samples")
            paths = [samples / name for name in SAMPLE_FILES]
            mapping = {}
            for sample in paths:
                preview = importing.preview_file(sample)
                interviewer = INTERVIEWERS.get(sample.name)
                mapping[sample] = {s.speaker: "{id}" for s in preview.speakers
                                   if not s.interviewer and s.speaker != interviewer}
            report = importing.import_files(project, paths=paths, speaker_cases_by_path=mapping,
                                            options=importing.ImportOptions(coder_id=coders[0], sentences=False,
                                                                                 exclude_interviewer=True))
            if report.failed or len(report.imported) != len(paths):
                raise ProjectError(f"The demo samples could not be imported: {report.summary()}")
            documents = {outcome.path.name[:4]: int(outcome.document_id or 0) for outcome in report.imported}
            check_cancelled(progress)
            progress.update(2, steps, "Adding participants")
            with project.session() as session:
                for outcome in report.imported:
                    if "followup" in outcome.path.name and outcome.document_id is not None:
                        document_service.update_document(session, document_id=outcome.document_id,
                                                         kind="follow_up", coder_id=coders[0])
                    interviewer = INTERVIEWERS.get(outcome.path.name)
                    if interviewer and outcome.document_id is not None:
                        speakers.set_interviewer_speakers(session, document_id=outcome.document_id,
                                                          speakers=[interviewer], coder_id=coders[0])
                case_sheets.import_case_sheet(session, path=samples / "participants.csv",
                                              options=case_sheets.CaseSheetOptions(coder_id=coders[0]))
            check_cancelled(progress)
            progress.update(3, steps, "Building the thematic network")
            nodes: dict[str, int] = {}
            with project.session() as session:
                _create_network(session, NETWORK, None, coders[0], nodes)
            check_cancelled(progress)
            progress.update(4, steps, "Coding passages")
            with project.session() as session:
                _add_codings(session, documents, nodes, coders)
            progress.update(5, steps, "Adding realist configurations")
            with project.session() as session:
                _add_configurations(session, documents, nodes, coders[0])
            check_cancelled(progress)
        finally:
            project.close()
        _remove(path)
        os.replace(building, path)
        progress.update(steps, steps, "Demo ready")
    except BaseException:
        _remove(building)
        raise
    return path


def _remove(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm"))):
        try:
            leftover.unlink(missing_ok=True)
        except OSError as exc:
            raise ProjectError(f"Cannot replace '{leftover.name}': {exc.strerror or exc}. Close it first.") from None


def ensure_demo(data_dir: Path | None = None, *, fresh: bool = False, progress: Progress | None = None) -> Path:
    """The demo project's path, building it when it does not exist yet (or when `fresh`)."""
    path = demo_path(data_dir)
    if fresh or not path.exists():
        build_demo(path, progress=progress)
    return path
