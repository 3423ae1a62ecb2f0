"""Migration 0004: a project made before statement and exemplar orders keeps the sentences it
printed (statements numbered in template order) and gains the new columns."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from qualcode.services.realist import configurations as cmo
from qualcode.store import project as project_module
from qualcode.store.project import APPLICATION_ID, Project


def test_statements_of_an_older_project_are_ordered_as_its_template(tmp_path: Path) -> None:
    path = tmp_path / "old.qualcode"
    engine = project_module._make_engine(path, read_only=False, foreign_keys=False)
    with engine.begin() as connection:
        config = project_module._alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
        connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        connection.exec_driver_sql("PRAGMA user_version=3")
        connection.exec_driver_sql(
            "INSERT INTO cmo_configuration (id, uid, label, concept, template, roles, status, origin, memo, "
            "created_at) VALUES (1, 'u1', 'CMOC 1', 'Enrolment', 'CMO', 'C,M,O', 'proposed', 'data', '', "
            "'2024-01-01 00:00:00')")
        # Entered outcome first, then context, then mechanism, two outcomes.
        for i, (role, position, statement) in enumerate(
                [("O", 0, "patients stay away"), ("C", 0, "When nobody explains the service"),
                 ("M", 0, "they do not know what to expect"), ("O", 1, "and miss the first meeting")]):
            connection.exec_driver_sql(
                "INSERT INTO cmo_component (uid, configuration_id, role, statement, position) "
                f"VALUES ('c{i}', 1, '{role}', '{statement}', {position})")
    engine.dispose()
    with Project.open(path) as project, project.session() as session:
        config = cmo.find_configuration(session, "CMOC 1")
        assert config.sentence == ("When nobody explains the service (C) they do not know what to expect (M) "
                                   "patients stay away (O) and miss the first meeting (O).")
        assert session.execute(text("SELECT sum(exemplar_position) FROM coding")).scalar() is None
        assert session.execute(text("SELECT sentence FROM cmo_configuration")).scalar() == ""
