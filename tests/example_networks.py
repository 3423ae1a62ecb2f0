"""A realistic thematic network for tests: a study of social prescribing (link workers, patients).

`build_social_prescribing(session)` fills a project with interview transcripts, cases,
a global/organising/basic/code hierarchy with definitions, and codings (some marked as
exemplars), the way a health-services researcher's project looks at the write-up stage.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from sqlalchemy.orm import Session

from qualcode.domain.levels import Level
from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.codebook import nodes
from qualcode.services.coding import codings
from qualcode.store.project import Project

GLOBAL = "Social prescribing works through relationships"
SECOND_GLOBAL = "What patients gained"

# name: (level, parent, definition, inclusion, exclusion)
THEMES: dict[str, tuple[Level, str | None, str, str, str]] = {
    GLOBAL: (Level.GLOBAL, None, "Social prescribing helps when a link worker builds a relationship that "
             "connects a person to community life; the system around it decides whether that can happen.", "", ""),
    "Building a trusting relationship": (Level.ORGANISING, GLOBAL, "How patients and link workers come to "
                                         "trust each other.", "", ""),
    "Having time to listen": (Level.BASIC, "Building a trusting relationship",
                              "Longer, unhurried conversations than in general practice.",
                              "Mentions of time, pace, not being rushed.", "Waiting times for referral."),
    "Seeing the same link worker each time": (Level.BASIC, "Building a trusting relationship",
                                              "Continuity of the person, not only of the service.", "", ""),
    "Being treated as a whole person": (Level.BASIC, "Building a trusting relationship",
                                        "Conversations about what matters to the person, not their diagnosis.",
                                        "Interests, family, history, hopes.", "Clinical assessments."),
    "Connecting patients to community resources": (Level.ORGANISING, GLOBAL, "What link workers do to get "
                                                   "people to groups and services.", "", ""),
    "Knowing what is available locally": (Level.BASIC, "Connecting patients to community resources",
                                          "Link workers' knowledge of local groups and services.", "", ""),
    "Warm handovers rather than signposting": (Level.BASIC, "Connecting patients to community resources",
                                               "Going with the person, introducing them, following up.",
                                               "Accompanying, introducing, phoning ahead.", "Leaflets alone."),
    "Barriers of cost and transport": (Level.BASIC, "Connecting patients to community resources",
                                       "Practical obstacles to taking part.", "", ""),
    "Bus fares and travel costs": (Level.CODE, "Barriers of cost and transport", "", "", ""),
    "Rural isolation": (Level.CODE, "Barriers of cost and transport", "", "", ""),
    "Restoring confidence and agency": (Level.ORGANISING, GLOBAL, "Patients moving from being helped to "
                                        "doing things for themselves.", "", ""),
    "Setting small, achievable goals": (Level.BASIC, "Restoring confidence and agency",
                                        "Breaking change into steps the person chooses.", "", ""),
    "Going out alone again": (Level.BASIC, "Restoring confidence and agency",
                              "Regaining the confidence to leave the house and join in.", "", ""),
    "From being helped to helping others": (Level.BASIC, "Restoring confidence and agency",
                                            "Volunteering and peer support after referral.", "", ""),
    "Working within a stretched system": (Level.ORGANISING, GLOBAL, "Constraints of primary care, funding "
                                          "and the voluntary sector.", "", ""),
    "GPs unsure what link workers do": (Level.BASIC, "Working within a stretched system",
                                        "Unclear or inappropriate referrals.", "", ""),
    "Short-term funding and job insecurity": (Level.BASIC, "Working within a stretched system",
                                              "Year-to-year contracts and staff turnover.", "", ""),
    "Community groups at capacity": (Level.BASIC, "Working within a stretched system",
                                     "Voluntary groups full, closing or unfunded.", "", ""),
    "Measuring what matters to patients": (Level.BASIC, "Working within a stretched system",
                                           "Outcome forms versus what people value.", "", ""),
    SECOND_GLOBAL: (Level.GLOBAL, None, "Changes patients attributed to social prescribing.", "", ""),
    "Less lonely, more connected": (Level.ORGANISING, SECOND_GLOBAL, "", "", ""),
    "New friendships through groups": (Level.BASIC, "Less lonely, more connected", "", "", ""),
    "Feeling part of the neighbourhood": (Level.BASIC, "Less lonely, more connected", "", "", ""),
    "Practical problems resolved": (Level.ORGANISING, SECOND_GLOBAL, "", "", ""),
    "Help with benefits and debt": (Level.BASIC, "Practical problems resolved", "", "", ""),
    "Housing repairs and moves": (Level.BASIC, "Practical problems resolved", "", "", ""),
    "Digital exclusion": (Level.BASIC, None, "Not being online shuts people out of services.", "", ""),
}

# (case, document kind, theme, quote, exemplar)
QUOTES: list[tuple[str, str, str, str, bool]] = [
    ("P1", "interview", "Having time to listen", "She just let me talk. Forty minutes, and she never once "
     "looked at the clock.", True),
    ("P2", "interview", "Having time to listen", "With the doctor you get ten minutes and you've forgotten "
     "half of what you wanted to say before you sit down.", False),
    ("LW1", "interview", "Having time to listen", "We use an assets and strength based approach, so the first "
     "appointment is an hour and it's mostly me listening to what they're good at and what they used to enjoy.",
     True),
    ("LW2", "interview", "Having time to listen", "Time is the thing we have that nobody else in the practice "
     "has.", False),
    ("P3", "interview", "Seeing the same link worker each time", "It was always Jo. I didn't have to tell my "
     "story again and again like I do at the hospital.", True),
    ("Site2P03", "follow_up", "Seeing the same link worker each time", "When Jo left I nearly stopped going, "
     "to be honest. The new lady was lovely but it's not the same, is it?", False),
    ("P4", "interview", "Being treated as a whole person", "She asked about my garden. Nobody had asked me "
     "about anything but my sugar levels for years.", True),
    ("LW3", "interview", "Being treated as a whole person", "The referral says 'low mood, type 2 diabetes' "
     "but that's not who walks in the door.", False),
    ("P5", "interview", "Being treated as a whole person", "I'm not just a bad chest.", False),
    ("LW1", "interview", "Knowing what is available locally", "I keep a spreadsheet of about two hundred "
     "groups, and half of it is out of date by the time I've finished updating it.", True),
    ("LW4", "interview", "Knowing what is available locally", "You learn the town: which café does the "
     "knit-and-natter, which church hall has the lunch club on a Thursday.", False),
    ("P6", "interview", "Warm handovers rather than signposting", "She came with me the first time and "
     "introduced me to Maureen who runs it. I'd never have walked in on my own.", True),
    ("LW2", "interview", "Warm handovers rather than signposting", "Giving someone a leaflet isn't social "
     "prescribing. If I wouldn't walk into a room of strangers, why would they?", False),
    ("P7", "interview", "Bus fares and travel costs", "It's £4.60 return on the bus, and that's twice a week, "
     "so it adds up when you're on Universal Credit.", True),
    ("LW3", "interview", "Rural isolation", "Out past the reservoir there's one bus a day, and it doesn't "
     "come back until the evening.", False),
    ("P8", "interview", "Rural isolation", "We're eleven miles from the nearest group of any kind.", False),
    ("P1", "interview", "Setting small, achievable goals", "We wrote down three things. Just three. Walk to "
     "the post box, phone my sister, go to the library on Tuesday.", True),
    ("LW4", "interview", "Setting small, achievable goals", "The goals have to be theirs, otherwise it's just "
     "another professional telling them what to do.", False),
    ("P2", "interview", "Going out alone again", "The first time I went on my own I sat in the car park for "
     "twenty minutes. But I went in.", True),
    ("Site2P03", "interview", "Going out alone again", "I hadn't been past the end of the road since Ken "
     "died, not without my daughter.", False),
    ("Site2P03", "follow_up", "Going out alone again", "Now I go to the market on my own every Saturday. "
     "I know it sounds like nothing.", False),
    ("P4", "interview", "From being helped to helping others", "Now I'm the one making the teas and welcoming "
     "the new ones, because I remember what it felt like.", True),
    ("P6", "interview", "From being helped to helping others", "I volunteer at the food bank two mornings.",
     False),
    ("LW1", "interview", "GPs unsure what link workers do", "Some GPs refer everyone who cries in the "
     "consulting room, others have never referred a single patient.", True),
    ("LW2", "interview", "GPs unsure what link workers do", "I got a referral that just said 'lonely?' with "
     "a question mark. That was the whole referral.", False),
    ("LW3", "interview", "Short-term funding and job insecurity", "Every March we don't know if we'll have "
     "jobs in April. Three of us left last year for permanent posts.", True),
    ("LW4", "interview", "Short-term funding and job insecurity", "You build all these relationships with "
     "groups and then the contract ends and it all goes with you.", False),
    ("LW1", "interview", "Community groups at capacity", "The walking group is full, the men's shed has a "
     "waiting list, and the lunch club lost its funding in the autumn.", True),
    ("P5", "interview", "Community groups at capacity", "They said the choir was full until September.",
     False),
    ("LW2", "interview", "Measuring what matters to patients", "The form asks for a wellbeing score out of "
     "seventy. The patient tells me she's started singing in the kitchen again. Which one matters?", True),
    ("LW3", "interview", "Measuring what matters to patients", "Commissioners want numbers, A&E attendances, "
     "GP appointments saved; what changes is harder to count than that, and we spend hours on spreadsheets "
     "that nobody reads because the outcomes we record are not the outcomes people describe to us.", False),
    ("P7", "interview", "New friendships through groups", "I've got friends now. Proper ones, that ring me.",
     True),
    ("P8", "interview", "New friendships through groups", "We go for a coffee after the walk, the four of us.",
     False),
    ("P3", "interview", "Feeling part of the neighbourhood", "People say hello in the Co-op now. I know "
     "their names.", True),
    ("P5", "interview", "Help with benefits and debt", "She sorted my PIP form out. I'd been putting it off "
     "for months because I couldn't face it.", True),
    ("LW4", "interview", "Help with benefits and debt", "Half my caseload is money, really. Debt, benefits, "
     "the electric.", False),
    ("P6", "interview", "Housing repairs and moves", "The damp in the bedroom got fixed after she wrote to "
     "the council for me.", True),
    ("P2", "interview", "Digital exclusion", "Everything's online now. I haven't got a computer and I don't "
     "know how to use the phone for it.", False),
]

PARTICIPANTS = ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "Site2P03", "LW1", "LW2", "LW3", "LW4"]


def build_social_prescribing(session: Session, *, coder: str = "Researcher") -> dict[str, int]:
    """Fill the project; return ids by theme name, plus 'coder' and document names."""
    ids: dict[str, int] = {}
    for name, (level, parent, definition, inclusion, exclusion) in THEMES.items():
        ids[name] = nodes.create_node(session, name=name, level=level, parent_id=ids[parent] if parent else None,
                                      definition=definition, inclusion=inclusion, exclusion=exclusion).result
    coder_id = coders.add_coder(session, name=coder).result
    ids["coder"] = coder_id
    texts: dict[tuple[str, str], list[str]] = {}
    for case, kind, _theme, quote, _ in QUOTES:
        lines = texts.setdefault((case, kind), [])
        lines.append("Interviewer: Can you tell me more about that?")
        lines.append(f"{case}: {quote}")
    for case in PARTICIPANTS:
        case_id = cases.create_case(session, name=case).result
        for kind in ("interview", "follow_up"):
            if (case, kind) not in texts:
                continue
            name = f"{case} {'follow-up' if kind == 'follow_up' else 'interview'}"
            text = "\n".join(texts[(case, kind)]) + "\n"
            doc_id = documents.add_document(session, name=name, text=text, kind=kind).result
            ids[name] = doc_id
            cases.link_documents(session, case_id=case_id, document_ids=[doc_id])
            for qcase, qkind, theme, quote, exemplar in QUOTES:
                if (qcase, qkind) == (case, kind):
                    start = text.index(quote)
                    codings.apply_code(session, document_id=doc_id, start=start, end=start + len(quote),
                                       node_id=ids[theme], coder_id=coder_id, exemplar=exemplar)
    return ids


_TEMPLATE: dict[str, object] = {}


def open_social_prescribing(folder: Path) -> tuple[Project, dict[str, int]]:
    """A fresh copy of the social prescribing project in `folder` (built once per test run)."""
    if "path" not in _TEMPLATE:
        home = Path(tempfile.mkdtemp(prefix="qualcode-example-"))
        atexit.register(shutil.rmtree, home, True)
        with Project.create(home / "example.qualcode") as template, template.session() as session:
            _TEMPLATE["ids"] = build_social_prescribing(session)
        _TEMPLATE["path"] = home / "example.qualcode"
    target = folder / "social-prescribing.qualcode"
    shutil.copyfile(str(_TEMPLATE["path"]), target)
    ids = _TEMPLATE["ids"]
    assert isinstance(ids, dict)
    return Project.open(target, backup=False), dict(ids)
