"""CMO configurations of imported exchange data, written with their components, evidence and codes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from qualcode.domain.enums import CmoOrigin, CmoStatus, Stance
from qualcode.services.commands import Recorder
from qualcode.services.exchange._rows import existing_uids
from qualcode.store import models as m


def write_configurations(writer: Any, rec: Recorder) -> None:
    """Configurations not yet in the project, their parts, evidence and linked codes (`writer` holds the id maps)."""
    taken = existing_uids(writer.session, m.CmoConfiguration, [c.uid for c in writer.data.configurations])
    inserted: dict[str, int] = {}
    for configuration in writer.data.configurations:
        where = f"CMO configuration '{configuration.label}'"
        if configuration.uid in taken:
            writer.configuration_uid[configuration.uid] = configuration.uid
            continue
        status = configuration.status if configuration.status in {s.value for s in CmoStatus} else "proposed"
        origin = configuration.origin if configuration.origin in {o.value for o in CmoOrigin} else "data"
        values: dict[str, Any] = {
            "uid": configuration.uid, "label": configuration.label[:300], "concept": configuration.concept[:300],
            "template": configuration.template[:100], "roles": configuration.roles[:300], "status": status,
            "origin": origin, "memo": configuration.memo}
        if configuration.created_at is not None:
            values["created_at"] = configuration.created_at
        id_ = int(rec.insert(m.CmoConfiguration, **values))
        inserted[configuration.uid] = id_
        writer.configuration_uid[configuration.uid] = configuration.uid
        for node_uid in dict.fromkeys(configuration.node_uids):
            node_id = writer.nodes.get(node_uid)
            if node_id is None:
                writer.note("cmo-code", "names a linked code that is not in the file; link left out", where)
                continue
            rec.insert(m.cmo_configuration_node, configuration_id=id_, node_id=node_id)
        components: dict[str, int] = {}
        for component in configuration.components:
            components[component.uid] = int(rec.insert(
                m.CmoComponent, uid=component.uid, configuration_id=id_, role=component.role[:20],
                statement=component.statement, position=component.position))
        for evidence in configuration.evidence:
            _evidence(writer, rec, evidence, components, where)
        writer.count("cmo_configurations")
    for configuration in writer.data.configurations:
        if configuration.uid in inserted and configuration.refined_from_uid:
            source = inserted.get(configuration.refined_from_uid) or writer.session.scalar(
                select(m.CmoConfiguration.id).where(m.CmoConfiguration.uid == configuration.refined_from_uid))
            if source is not None:
                rec.update(m.CmoConfiguration, inserted[configuration.uid], refined_from_id=source)

def _evidence(writer: Any, rec: Recorder, evidence: Any, components: dict[str, int], where: str) -> None:
    component_id = components.get(evidence.component_uid)
    document_id = writer.documents.get(evidence.document_uid) if evidence.document_uid else None
    coding_id = writer.codings.get(evidence.coding_uid) if evidence.coding_uid else None
    span_ok = (document_id is not None and evidence.start is not None and evidence.end is not None
               and 0 <= evidence.start < evidence.end <= writer.lengths[document_id])
    if component_id is None or not (span_ok or coding_id is not None):
        writer.note("cmo-evidence", "has evidence whose passage or component is not in the file; left out", where)
        return
    stance = evidence.stance if evidence.stance in {s.value for s in Stance} else Stance.SUPPORTS.value
    values: dict[str, Any] = {
        "uid": evidence.uid, "component_id": component_id, "document_id": document_id if span_ok else None,
        "start": evidence.start if span_ok else None, "end": evidence.end if span_ok else None,
        "coding_id": coding_id, "coder_id": writer.coder_for(rec, evidence.coder_uid), "stance": stance,
        "memo": evidence.memo}
    if evidence.created_at is not None:
        values["created_at"] = evidence.created_at
    rec.insert(m.CmoEvidence, **values)
