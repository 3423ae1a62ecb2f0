"""Full-text search on a PostgreSQL team project finds exactly what FTS5 finds in the file."""

from __future__ import annotations

import pytest

from qualcode.services import documents as doc_service
from qualcode.services.queries.search import search_text
from qualcode.store.server import TeamProject
from tests.analysis.study import Study, build_study

# Words the two indexes could split or fold differently: hyphens, apostrophes, numbers,
# addresses, diacritics, other scripts, emoji, underscores and upper case.
EXTRA = {
    "Tricky words": "Well-being matters; don't rush. Dose 3.5 mg at 10:30, e-mail ana@example.org or "
                    "visit www.clinic-site.org/info. ÉCOLE, Crème brûlée, naïveté; Ærø; straße; "
                    "東京 病院 and Москва больница 😀😀 snake_case words and CamelCase. Nurse-led care-home visits.",
    # Plain ASCII text takes the server search's fast path: the same hits are expected.
    "ASCII notes": "Well-being matters; don't rush. Dose 3.5 mg at 10:30, e-mail ana@example.org or visit "
                   "www.clinic-site.org/info. snake_case and CamelCase. Nurse-led care-home visits; the nurse "
                   "NURSE nurses. Waiting, waiting list, waitinglist; waiting  list; the bus was late, the bus "
                   "was LATE. listen listening listened listens care home care home home care.",
}

QUERIES = [
    "nurse", "NURSE", "listen*", '"the nurse"', '"the bus" OR doctor', "nurse AND bus", "nurse NOT bus",
    "(trust* OR listen*) NOT doctor", "cafe", "naive", "café", '"waiting"', "trust", '"bus was late"',
    "well-being", "well", "being", "don't", "don", "3.5", "5", "ana@example.org", "example", "org",
    "ecole", "creme brulee", "naivete", "snake_case", "snake", "camelcase", "москва", "病院", '"nurse led"',
    "care-home", '"care home" visits', "visit*", "e-mail", "mail", "10:30", "30", "n*", "t* AND nurse",
    '"waiting list"', "waiting*", '"care home"', 'care "care home"', "straße", "strasse", "ærø", "aero", "Ærø", "crème", "東京", "больница", '"care home" home', "wait OR waiting*", '"home care"', '"care home care"', "nurse NOT doctor",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, pg_cluster, pg_template: str):  # type: ignore[no-untyped-def]
    from tests.conftest import _admin_execute

    _admin_execute(pg_cluster, f"CREATE DATABASE search_study TEMPLATE {pg_template}")
    local = build_study(tmp_path_factory.mktemp("search") / "clinic.qualcode")
    server = build_study(TeamProject.open(pg_cluster.url("search_study")))
    for study in (local, server):
        with study.project.session() as s:
            for name, body in EXTRA.items():
                doc_service.add_document(s, name=name, text=body)
    yield local, server
    local.project.close()
    server.project.close()
    _admin_execute(pg_cluster, "DROP DATABASE search_study WITH (FORCE)")


def _found(study: Study, query: str) -> list[tuple[str, int, int, str, str, str]]:
    with study.project.session() as s:
        result = search_text(s, query=query)
    return [(h.document_name, h.start, h.end, h.matched, h.left, h.right) for h in result.hits]


def test_server_search_gives_the_same_hits_as_fts5(both: tuple[Study, Study]) -> None:
    local, server = both
    differences = {query: (_found(local, query), _found(server, query)) for query in QUERIES
                   if _found(local, query) != _found(server, query)}
    assert differences == {}
    assert len(_found(server, "nurse")) == 7


def test_word_forms_on_the_server_come_from_the_server_vocabulary(both: tuple[Study, Study]) -> None:
    found = []
    for study in both:
        with study.project.session() as s:
            found.append(sorted(h.matched for h in search_text(s, query="listen", lemmas=True).hits))
    assert found[0] == found[1]
    assert set(found[0]) == {"listen", "listened", "listening", "listens"}


_FILLER = ("I went to the clinic and the nurse was kind but the waiting room was full so I sat with my coat on "
           "and read the notices on the wall again")


def _long_transcript(words: int = 25_000) -> str:
    """An interview of `words` words in speaker turns; "the" comes far more than 256 times,
    and the searched phrases come only after word 20,000."""
    filler = _FILLER.split()
    late = {20_450: "we joined the walking group on Tuesdays", 21_200: "the pharmacist phones me every month",
            24_100: "the walking group kept me going"}
    out: list[str] = []
    while len(out) < words:
        at = len(out)
        if at in late:
            out.extend(late[at].split())
            continue
        if at % 60 == 0:
            out.append("\nP3:" if at % 120 == 0 else "\nInterviewer:")
        out.append(filler[at % len(filler)])
    return " ".join(out[:words]).replace(" \n", "\n")


LONG_QUERIES = ['"walking group"', '"the walking group"', '"walking gr"*', '"pharmacist phones"',
                'nurse AND "walking group"', 'nurse NOT "walking group"', '"walking group" OR "bus was late"',
                '"phones me every month"', "walking", '"the nurse"', '"kept me going" NOT pharmacist',
                '"kept me" AND NOT "never here"', 'clinic NOT "the walking"']


def test_phrases_late_in_a_long_transcript_are_found_on_the_server_as_in_the_file(
        tmp_path, team_url: str) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from qualcode.store.project import Project

    long_text = _long_transcript()
    assert len(long_text.split()) >= 25_000
    assert long_text.index("walking group") > len(" ".join(long_text.split()[:20_000]))
    local, server = Project.create(tmp_path / "long.qualcode", title="Long"), TeamProject.open(team_url)
    try:
        for project in (local, server):
            with project.session() as s:
                doc_service.add_document(s, name="P3 long interview", text=long_text)
                doc_service.add_document(s, name="P4 short", text="The bus was late. The walking group met.")
        with server.session() as s:  # the index alone finds the phrase only in the short document
            assert s.execute(text("SELECT count(*) FROM document WHERE fts @@ "
                                  "to_tsquery('simple', $$'walking' <-> 'group'$$)")).scalar() == 1
        found = {}
        for label, project in (("file", local), ("server", server)):
            with project.session() as s:
                found[label] = {q: [(h.document_name, h.start, h.end, h.matched)
                                    for h in search_text(s, query=q, limit=10_000).hits] for q in LONG_QUERIES}
        assert {q: hits for q, hits in found["server"].items() if hits != found["file"][q]} == {}
        late = [hit for hit in found["server"]['"walking group"'] if hit[0] == "P3 long interview"]
        assert [hit[3] for hit in late] == ["walking group", "walking group"]
        assert found["server"]['"the nurse"'][-1][0] == "P3 long interview" and len(found["server"]['"the nurse"']) > 300
        assert found["server"]['nurse NOT "walking group"'] == []
    finally:
        local.close()
        server.close()
