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
