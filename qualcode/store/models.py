"""SQLAlchemy 2.0 ORM for every entity of a QualCode project (DESIGN.md section 3).

Enumerations are stored as their string values (see qualcode.domain.enums); levels as ints.
Offsets are code-point indices into Document.text, half-open.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from qualcode.domain.ids import new_uid

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC timestamp (SQLite keeps no zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_datetime(value: str | datetime) -> datetime:
    """A timestamp read below the ORM: SQLite's driver gives ISO text, PostgreSQL's a datetime."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _uid() -> Mapped[str]:
    return mapped_column(String(36), unique=True, default=new_uid)


class ProjectInfo(Base):
    __tablename__ = "project_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    title: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    methodology: Mapped[str] = mapped_column(Text, default="")


class Coder(Base):
    __tablename__ = "coder"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    color: Mapped[str] = mapped_column(String(9), default="#1f77b4")


case_document = Table(
    "case_document",
    Base.metadata,
    Column("case_id", ForeignKey("case.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_case_document_document_id", "document_id"),
)


class Document(Base):
    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="interview")
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_filename: Mapped[str] = mapped_column(String(500), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    memo: Mapped[str] = mapped_column(Text, default="")

    turns: Mapped[list[Turn]] = relationship(back_populates="document", order_by="Turn.start")
    cases: Mapped[list[Case]] = relationship(secondary=case_document, back_populates="documents")


class Turn(Base):
    """A speaker turn found at import: `text[start:end]` spoken by `speaker`."""

    __tablename__ = "turn"
    __table_args__ = (CheckConstraint('start >= 0 AND "end" > start', name="span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(200), default="")
    timestamp: Mapped[float | None] = mapped_column(Float, nullable=True)

    document: Mapped[Document] = relationship(back_populates="turns")


class DocumentPage(Base):
    """A page of a document imported from a PDF: `text[start:end]` printed as page `label`."""

    __tablename__ = "document_page"
    __table_args__ = (CheckConstraint('start >= 0 AND "end" >= start', name="span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1-based position in the file
    label: Mapped[str] = mapped_column(String(20), default="")  # the printed page number ("715")
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class Case(Base):
    """A participant ('P3'), a site ('Site 2') or a study; linked to many documents."""

    __tablename__ = "case"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(300), unique=True)
    memo: Mapped[str] = mapped_column(Text, default="")

    documents: Mapped[list[Document]] = relationship(secondary=case_document, back_populates="cases")


class Attribute(Base):
    __tablename__ = "attribute"
    __table_args__ = (UniqueConstraint("name", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20), default="text")
    scope: Mapped[str] = mapped_column(String(20), default="case")


class AttributeValue(Base):
    """A value of an attribute for one case or one document, stored in canonical text form."""

    __tablename__ = "attribute_value"
    __table_args__ = (
        UniqueConstraint("attribute_id", "case_id", "document_id"),
        CheckConstraint("(case_id IS NULL) != (document_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attribute_id: Mapped[int] = mapped_column(ForeignKey("attribute.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case.id", ondelete="CASCADE"), index=True, nullable=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True, nullable=True
    )
    value: Mapped[str] = mapped_column(Text)


class Node(Base):
    """A code or theme. `level` is a qualcode.domain.levels.Level value."""

    __tablename__ = "node"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 4", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[int] = mapped_column(Integer, default=1)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("node.id", ondelete="RESTRICT"), index=True, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    definition: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    color: Mapped[str] = mapped_column(String(9), default="#4e79a7")
    origin: Mapped[str] = mapped_column(String(20), default="inductive")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    memo: Mapped[str] = mapped_column(Text, default="")


class NodeLink(Base):
    """A link the researcher draws between two themes, usually of different networks (with an
    optional label), shown on the whole-project concept map."""

    __tablename__ = "node_link"
    __table_args__ = (UniqueConstraint("source_id", "target_id"),
                      CheckConstraint("source_id <> target_id", name="distinct_ends"))

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    source_id: Mapped[int] = mapped_column(ForeignKey("node.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("node.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300), default="")


class Coding(Base):
    __tablename__ = "coding"
    __table_args__ = (
        UniqueConstraint("document_id", "start", "end", "node_id", "coder_id"),
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        Index("ix_coding_document_start", "document_id", "start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[int] = mapped_column(ForeignKey("node.id", ondelete="RESTRICT"), index=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    memo: Mapped[str] = mapped_column(Text, default="")
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False)
    # The place of an exemplar among its theme's exemplars (the order quotes are printed in).
    exemplar_position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CmoConfiguration(Base):
    """A context-mechanism-outcome configuration (realist evaluation)."""

    __tablename__ = "cmo_configuration"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    label: Mapped[str] = mapped_column(String(300), default="")
    concept: Mapped[str] = mapped_column(String(300), default="")
    template: Mapped[str] = mapped_column(String(100), default="CMO")
    roles: Mapped[str] = mapped_column(String(300), default="C,M,O")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    origin: Mapped[str] = mapped_column(String(20), default="data")
    refined_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("cmo_configuration.id", ondelete="SET NULL"), nullable=True
    )
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The sentence as the authors wrote it, markers in place; empty: built from the statements.
    sentence: Mapped[str] = mapped_column(Text, default="", server_default="")


cmo_configuration_node = Table(
    "cmo_configuration_node",
    Base.metadata,
    Column(
        "configuration_id",
        ForeignKey("cmo_configuration.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("node_id", ForeignKey("node.id", ondelete="CASCADE"), primary_key=True),
)


class CmoStage(Base):
    """A concept's place among the stages of the programme-theory pathway (the order the
    researcher sets: enrolment, engagement, readiness ...)."""

    __tablename__ = "cmo_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    concept: Mapped[str] = mapped_column(String(300), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CmoComponent(Base):
    """One statement of a configuration in a role (C, M, O or the template's roles)."""

    __tablename__ = "cmo_component"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    configuration_id: Mapped[int] = mapped_column(ForeignKey("cmo_configuration.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    statement: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)  # among the statements of its role
    # The statement's place in the configuration's sentence, across roles.
    sentence_position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CmoEvidence(Base):
    """A document span (or an existing coding) that supports or refutes a component."""

    __tablename__ = "cmo_evidence"
    __table_args__ = (
        CheckConstraint(
            '(start IS NULL AND "end" IS NULL) OR (start >= 0 AND "end" > start)',
            name="span",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    component_id: Mapped[int] = mapped_column(ForeignKey("cmo_component.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True, nullable=True
    )
    start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    coding_id: Mapped[int | None] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), index=True, nullable=True
    )
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    stance: Mapped[str] = mapped_column(String(20), default="supports")
    memo: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Memo(Base):
    """A memo on any entity, addressed by target type and target uid (travels in merges)."""

    __tablename__ = "memo"
    __table_args__ = (Index("ix_memo_target", "target_type", "target_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    target_type: Mapped[str] = mapped_column(String(30))
    target_uid: Mapped[str] = mapped_column(String(36), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class JournalEntry(Base):
    """A dated entry of a coder's reflexive journal."""

    __tablename__ = "journal_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text, default="")


class AuditEvent(Base):
    """Who did what, when: one row per user action (details as JSON)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(100))
    details: Mapped[str] = mapped_column(Text, default="{}")


class Reference(Base):
    """A bibliographic record of a literature review. A record kept as a study has its case;
    a duplicate points at the record it duplicates and has none."""

    __tablename__ = "reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case.id", ondelete="SET NULL"), unique=True, nullable=True
    )
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("reference.id", ondelete="SET NULL"), index=True, nullable=True
    )
    duplicate_reason: Mapped[str] = mapped_column(String(20), default="")  # "doi" or "title+year"
    database: Mapped[str] = mapped_column(String(200), default="")  # where it was found, for PRISMA
    source_file: Mapped[str] = mapped_column(String(500), default="")
    type: Mapped[str] = mapped_column(String(40), default="article")
    authors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of "Family, Given"
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    volume: Mapped[str] = mapped_column(String(50), default="")
    issue: Mapped[str] = mapped_column(String(50), default="")
    pages: Mapped[str] = mapped_column(String(50), default="")
    doi: Mapped[str] = mapped_column(String(300), default="", index=True)
    url: Mapped[str] = mapped_column(Text, default="")
    abstract: Mapped[str] = mapped_column(Text, default="")
    citation_key: Mapped[str] = mapped_column(String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ScreeningReason(Base):
    """An exclusion reason the team allows at a screening stage ("wrong population")."""

    __tablename__ = "screening_reason"
    __table_args__ = (UniqueConstraint("stage", "text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    stage: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ScreeningDecision(Base):
    """One screener's include/exclude of a record at a stage; `final` marks the decision
    that settles the stage (agreed, or resolved after a disagreement)."""

    __tablename__ = "screening_decision"
    __table_args__ = (UniqueConstraint("reference_id", "stage", "coder_id", "final"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = _uid()
    reference_id: Mapped[int] = mapped_column(ForeignKey("reference.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300), default="")
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"), index=True)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PrismaCount(Base):
    """A PRISMA flow count recorded by hand for what happened outside QualCode
    (records from registers, removed by automation tools, reports not retrieved ...)."""

    __tablename__ = "prisma_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
