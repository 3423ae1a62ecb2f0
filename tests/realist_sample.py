"""A realistic realist-evaluation project for tests: a social prescribing programme where
link workers support patients referred by their GP. 25 CMO configurations in 5 concept
groups (prior theory and data, all statuses, refinement chains, several outcomes, a
user-defined template, statements shared between configurations) with evidence from
interview transcripts of 10 patients at 5 sites."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from qualcode.services import coders, documents
from qualcode.services.cases import cases
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence

RES_REAS = ("Resource and reasoning", "C,Mres,Mreas,O")

ATTEND_FIRST = "so they attend the first appointment"
UNHURRIED = "When link workers give patients unhurried time in the first meeting"
KEEP_ATTENDING = "so they continue to attend sessions"
DISCLOSE = "so they disclose needs beyond the reason for referral"
LOW_CONFIDENCE = "When patients have low confidence after long-term illness"
ATTEND_ACTIVITY = "so they attend the activity they were linked to"
ENDS_ABRUPTLY = "When link worker support ends abruptly after the set number of sessions"
WITHOUT_FRIENDS = "patients without friendships in their group feel abandoned"
STOP_ACTIVITIES = "so they stop attending community activities"


@dataclass(frozen=True)
class Config:
    label: str
    concept: str
    statements: tuple[tuple[str, str], ...]
    status: str = "proposed"
    origin: str = "data"
    refines: str | None = None
    template: tuple[str, str | None] = ("CMO", None)


def _cmo(label: str, concept: str, c: str | list[str], m: str, o: str | list[str], **kw: object) -> Config:
    cs = [c] if isinstance(c, str) else c
    os = [o] if isinstance(o, str) else o
    return Config(label, concept, tuple([("C", x) for x in cs] + [("M", m)] + [("O", x) for x in os]), **kw)  # type: ignore[arg-type]


E, G, R, L, S = ("Enrolment", "Engagement — interpersonal skills", "Readiness", "Linking to community resources",
                 "Sustaining change")

CONFIGURATIONS: tuple[Config, ...] = (
    _cmo("CMOC 1", E, "When GPs explain why they are referring patients to a link worker",
         "patients understand what social prescribing can offer them and feel the referral is legitimate",
         ATTEND_FIRST, status="confirmed", origin="prior_theory"),
    _cmo("CMOC 2", E, "When patients are referred by letter without a conversation with their GP",
         "patients assume the service is meant for people worse off than themselves",
         "so they do not take up the referral", status="confirmed", origin="prior_theory"),
    _cmo("CMOC 3", E, "When patients already know the link worker from a community group",
         "patients trust the link worker from the outset",
         ["so they accept the referral quickly", "bring a friend or relative to the first meeting"], status="new"),
    _cmo("CMOC 4", E, "When patients are contacted by telephone within a week of referral",
         "patients feel the service is responsive", ATTEND_FIRST, status="refuted", origin="prior_theory"),
    _cmo("CMOC 5", E, "When the link worker they will meet telephones patients within a week of referral",
         "patients feel personally expected", ATTEND_FIRST, status="refined", refines="CMOC 4"),
    _cmo("CMOC 6", G, UNHURRIED, "patients feel listened to rather than processed", DISCLOSE,
         status="confirmed", origin="prior_theory"),
    _cmo("CMOC 7", G, "When link workers share something of their own experience",
         "patients see the link worker as someone like them", KEEP_ATTENDING, status="new"),
    _cmo("CMOC 8", G, [UNHURRIED, "patients have experienced repeated dismissal by services"],
         "patients begin to trust that this service is different", [KEEP_ATTENDING, "report feeling less alone"],
         status="confirmed"),
    _cmo("CMOC 9", G, "When the link worker changes part-way through support",
         "patients feel they must retell their story and lose confidence in the service",
         "so they stop attending", status="new"),
    _cmo("CMOC 10", G, "When link workers meet patients at home or in a familiar place",
         "patients feel at ease and in control of the conversation", DISCLOSE, origin="prior_theory"),
    _cmo("CMOC 11", R, "When patients are in acute crisis, such as facing eviction or debt enforcement",
         "patients cannot think beyond immediate survival",
         "so they do not engage with activity-based referrals", status="confirmed", origin="prior_theory"),
    _cmo("CMOC 12", R, "When link workers first help patients resolve an urgent practical problem",
         "patients gain headroom and feel the link worker is on their side",
         "so they become willing to try community activities", status="confirmed"),
    _cmo("CMOC 13", R, LOW_CONFIDENCE, "patients fear being judged in group settings",
         ["so they decline group activities", "ask for one-to-one support instead"], origin="prior_theory"),
    _cmo("CMOC 14", R, "When patients set their own goals with the link worker",
         "patients feel ownership of the plan", "so they follow through with agreed actions",
         status="confirmed", origin="prior_theory"),
    Config("CMOC 15", R, (("C", LOW_CONFIDENCE),
                          ("Mres", "link workers offer to accompany patients to a first session"),
                          ("Mreas", "patients feel safe enough to try"), ("O", "so they attend a group activity")),
           status="new", template=RES_REAS),
    _cmo("CMOC 16", L, "When link workers hold up-to-date knowledge of local groups",
         "patients trust that suggested activities will suit them", ATTEND_ACTIVITY, status="confirmed",
         origin="prior_theory"),
    _cmo("CMOC 17", L, "When community groups have closed because of funding cuts",
         "patients feel let down after building up to attend", "so they withdraw from social prescribing",
         status="new"),
    _cmo("CMOC 18", L, "When link workers make a warm introduction to a named group leader",
         "patients feel expected and welcome", [ATTEND_ACTIVITY, "return for a second session"],
         status="confirmed"),
    _cmo("CMOC 19", L, "When activities involve travel costs patients cannot meet",
         "patients feel the offer is not meant for people like them", "so they do not attend the activity",
         status="refuted", origin="prior_theory"),
    _cmo("CMOC 20", L, "When link workers arrange a volunteer buddy for the first visit",
         "patients feel less anxious about walking in alone", ATTEND_ACTIVITY),
    _cmo("CMOC 21", S, "When patients form friendships within community groups", "patients feel they belong",
         ["so they keep attending after support from the link worker ends", "report less loneliness"],
         status="confirmed"),
    _cmo("CMOC 22", S, ENDS_ABRUPTLY, "patients feel abandoned", STOP_ACTIVITIES, status="refuted",
         origin="prior_theory"),
    _cmo("CMOC 23", S, ENDS_ABRUPTLY, WITHOUT_FRIENDS, STOP_ACTIVITIES, status="refined", refines="CMOC 22"),
    _cmo("CMOC 24", S, "When support ends without a planned handover to a group member or volunteer",
         WITHOUT_FRIENDS, STOP_ACTIVITIES, status="refined", refines="CMOC 23"),
    _cmo("CMOC 25", S, "When patients are offered an open door to return to the link worker",
         "patients feel a safety net is in place",
         ["so they try new activities with confidence", "return for brief help when problems recur"], status="new"),
)

# (participant, site, deprivation)
PARTICIPANTS = (
    ("P01", "Site A", "high"), ("P02", "Site A", "high"), ("P03", "Site B", "low"), ("P04", "Site B", "low"),
    ("P05", "Site C", "high"), ("P06", "Site C", "high"), ("P07", "Site D", "low"), ("P08", "Site D", "low"),
    ("P09", "Site E", "high"), ("P10", "Site E", "high"),
)

# (participant, configuration, role, statement index within the role, passage, stance)
QUOTES: tuple[tuple[str, str, str, int, str, str], ...] = (
    ("P01", "CMOC 1", "C", 0, "Dr Shah sat me down and said it wasn't about pills, it was about getting me out of "
     "the house again.", "supports"),
    ("P01", "CMOC 1", "O", 0, "So I went. I wouldn't have gone if she hadn't explained it like that.", "supports"),
    ("P02", "CMOC 2", "C", 0, "I just got a letter through the door saying someone would ring me.", "supports"),
    ("P02", "CMOC 2", "M", 0, "I thought, that's for people who are really struggling, not for me.", "supports"),
    ("P03", "CMOC 3", "C", 0, "I knew Karen already from the knit and natter group at the library.", "supports"),
    ("P03", "CMOC 3", "O", 1, "I brought my sister along the first time, just so I wasn't on my own.", "supports"),
    ("P04", "CMOC 4", "C", 0, "They rang me within a few days, somebody from the surgery.", "supports"),
    ("P04", "CMOC 4", "O", 0, "I said yes on the phone and then I just didn't turn up, to be honest.", "refutes"),
    ("P05", "CMOC 5", "M", 0, "It was Jo herself who phoned, and she said she was looking forward to meeting me.",
     "supports"),
    ("P05", "CMOC 6", "C", 0, "She never once looked at the clock. We had the whole hour.", "supports"),
    ("P05", "CMOC 6", "O", 0, "By the end I'd told her about the debts, which I hadn't told anyone.", "supports"),
    ("P06", "CMOC 7", "M", 0, "She said she'd been on her own after her divorce too, so she knew.", "supports"),
    ("P06", "CMOC 8", "C", 1, "Every time I went to the council they just passed me on to someone else.",
     "supports"),
    ("P06", "CMOC 8", "O", 1, "It's the first time in years I haven't felt completely on my own.", "supports"),
    ("P07", "CMOC 9", "C", 0, "Then Sam left and I got a new one, and I had to go through it all again.",
     "supports"),
    ("P07", "CMOC 9", "O", 0, "After that I stopped going, I couldn't face starting over.", "supports"),
    ("P07", "CMOC 10", "C", 0, "She came round to mine, which made a difference because I was on my own turf.",
     "supports"),
    ("P08", "CMOC 11", "C", 0, "The bailiffs had been round that week. I couldn't think about a walking group.",
     "supports"),
    ("P08", "CMOC 12", "C", 0, "First thing she did was help me sort out the council tax arrears.", "supports"),
    ("P08", "CMOC 12", "O", 0, "Once that was off my back I was ready to try the gardening club.", "supports"),
    ("P09", "CMOC 13", "M", 0, "I was frightened people would look at me and think, what's wrong with her.",
     "supports"),
    ("P09", "CMOC 15", "Mres", 0, "She offered to come with me the first time and sit with me.", "supports"),
    ("P09", "CMOC 15", "O", 0, "I went to the craft group with her, and I've been every week since.", "supports"),
    ("P09", "CMOC 14", "C", 0, "She asked me what I wanted to change, not what the doctor wanted.", "supports"),
    ("P10", "CMOC 16", "C", 0, "He knew every group going, even the ones that only started last month.",
     "supports"),
    ("P10", "CMOC 17", "C", 0, "The men's shed shut down because they lost their funding.", "supports"),
    ("P10", "CMOC 17", "M", 0, "I'd built myself up to go and then there was nothing. I felt let down.",
     "supports"),
    ("P01", "CMOC 18", "C", 0, "He introduced me to Mary who runs the choir, by name, before I went.", "supports"),
    ("P01", "CMOC 18", "O", 1, "I went back the week after, and the week after that.", "supports"),
    ("P02", "CMOC 19", "C", 0, "The bus there is four pound return, I can't do that every week.", "supports"),
    ("P02", "CMOC 19", "O", 0, "In the end I found a way to get there, my neighbour gives me a lift.", "refutes"),
    ("P03", "CMOC 21", "C", 0, "We meet up outside the group now, for coffee on a Thursday.", "supports"),
    ("P03", "CMOC 21", "O", 1, "I'm not lonely like I was, I've got people now.", "supports"),
    ("P04", "CMOC 22", "C", 0, "After six sessions that was it, finished, no more appointments.", "supports"),
    ("P04", "CMOC 23", "M", 0, "I hadn't made any friends there, so when she stopped I felt dropped.", "supports"),
    ("P06", "CMOC 22", "O", 0, "I still go to the group even though she's finished with me, I've got friends there.",
     "refutes"),
    ("P05", "CMOC 25", "C", 0, "She said the door's always open if things go wrong again.", "supports"),
    ("P05", "CMOC 25", "O", 1, "When my benefits got stopped I went straight back to her.", "supports"),
    ("P10", "CMOC 20", "C", 0, "They sent a volunteer, Pete, to walk in with me the first time.", "supports"),
    ("P08", "CMOC 24", "C", 0, "There was no one to hand me over to, it just stopped.", "supports"),
)

QUESTIONS = (
    "Can you tell me how you came to see the link worker?",
    "What happened next?",
    "How did that feel at the time?",
    "What difference, if any, did that make?",
)


@dataclass
class SampleProject:
    coder_id: int
    second_coder_id: int
    documents: dict[str, int] = field(default_factory=dict)  # participant -> document id
    configurations: dict[str, int] = field(default_factory=dict)  # label -> id
    passages: dict[tuple[str, str, int], tuple[int, int, int]] = field(default_factory=dict)


def transcript(participant: str) -> tuple[str, list[str]]:
    """The participant's interview text and the passages quoted from it, in order."""
    passages = [q[4] for q in QUOTES if q[0] == participant]
    lines = []
    for i, passage in enumerate(passages):
        lines.append(f"Interviewer: {QUESTIONS[i % len(QUESTIONS)]}")
        lines.append(f"{participant}: Well. {passage} That's how it was, really.")
    return "\n".join(lines) + "\n", passages


def build_sample(session: Session) -> SampleProject:
    """Fill an empty project with the sample (coders, cases, transcripts, CMOCs, evidence)."""
    sample = SampleProject(coders.add_coder(session, name="Amira Hassan").result,
                           coders.add_coder(session, name="Ben Carter").result)
    site = cases.create_attribute(session, name="site", type="category").result
    deprivation = cases.create_attribute(session, name="deprivation", type="category").result
    for participant, site_name, level in PARTICIPANTS:
        text, _ = transcript(participant)
        doc = documents.add_document(session, name=f"{participant} interview", text=text).result
        case = cases.create_case(session, name=participant).result
        cases.link_documents(session, case_id=case, document_ids=[doc])
        cases.set_attribute_value(session, attribute_id=site, case_id=case, value=site_name)
        cases.set_attribute_value(session, attribute_id=deprivation, case_id=case, value=level)
        sample.documents[participant] = doc
    for config in CONFIGURATIONS:
        template, roles = config.template
        sample.configurations[config.label] = cmo.create_configuration(
            session, label=config.label, concept=config.concept, template=template, roles=roles,
            statements=list(config.statements), status=config.status, origin=config.origin,
            refined_from_id=sample.configurations[config.refines] if config.refines else None,
        ).result
    for n, (participant, label, role, index, passage, stance) in enumerate(QUOTES):
        doc = sample.documents[participant]
        text = documents.document_text(session, doc)
        start = text.index(passage)
        component = cmo.get_configuration(session, sample.configurations[label]).statements(role)[index].id
        coder = sample.coder_id if n % 3 else sample.second_coder_id
        evidence = cmo_evidence.add_evidence(session, component_id=component, coder_id=coder, document_id=doc,
                                             start=start, end=start + len(passage), stance=stance).result
        sample.passages[(label, role, index)] = (doc, start, evidence)
    return sample
