"""CMO configurations as REFI-QDA notes: readable text for any tool, exact JSON for QualCode."""

from __future__ import annotations

from typing import Any

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.model import ComponentData, ConfigurationData, EvidenceData, ProjectData

CMO_FORMAT = "qualcode-cmo"


def configuration_text(configuration: ConfigurationData, data: ProjectData) -> str:
    """The configuration as a researcher reads it in any tool's note viewer."""
    labels = {c.uid.lower(): c.label for c in data.configurations}
    lines = []
    if configuration.concept:
        lines.append(f"Concept: {configuration.concept}")
    lines += [f"Template: {configuration.template}", f"Status: {configuration.status}",
              f"Origin: {configuration.origin.replace('_', ' ')}"]
    if configuration.refined_from_uid:
        lines.append(f"Refined from: {labels.get(configuration.refined_from_uid.lower(), '(another configuration)')}")
    parts = ["\n".join(lines)]
    components = sorted(configuration.components, key=lambda c: (c.position, c.uid))
    if components:
        parts.append("\n".join(f"{c.role}: {c.statement}" for c in components))
    if configuration.evidence:
        supports = sum(e.stance == "supports" for e in configuration.evidence)
        refutes = len(configuration.evidence) - supports
        parts.append(f"Evidence: {supports} passage(s) support it, {refutes} refute it.")
    if configuration.memo:
        parts.append(f"Memo:\n{configuration.memo}")
    return "\n\n".join(parts)


def evidence_anchor_name(configuration: ConfigurationData, role: str, stance: str) -> str:
    label = configuration.label or configuration.concept or "CMO configuration"
    return f"{role} {stance}: {label}".strip()


def configuration_json(configuration: ConfigurationData) -> str:
    return cv.dump_json(CMO_FORMAT, {
        "uid": configuration.uid, "label": configuration.label, "concept": configuration.concept,
        "template": configuration.template, "roles": configuration.roles, "status": configuration.status,
        "origin": configuration.origin, "refined_from": configuration.refined_from_uid, "memo": configuration.memo,
        "created_at": cv.time_json(configuration.created_at), "nodes": configuration.node_uids,
        "components": [{"uid": c.uid, "role": c.role, "statement": c.statement, "position": c.position}
                       for c in configuration.components],
        "evidence": [{"uid": e.uid, "component": e.component_uid, "coder": e.coder_uid, "document": e.document_uid,
                      "start": e.start, "end": e.end, "coding": e.coding_uid, "stance": e.stance, "memo": e.memo,
                      "created_at": cv.time_json(e.created_at)} for e in configuration.evidence],
    })


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def configuration_from_json(payload: dict[str, Any]) -> ConfigurationData | None:
    """A configuration from its JSON description, or None when the JSON is not usable."""
    uid = _opt_str(payload.get("uid"))
    if uid is None:
        return None
    components = [
        ComponentData(_str(c.get("uid")), _str(c.get("role")), _str(c.get("statement")),
                      _opt_int(c.get("position")) or 0)
        for c in payload.get("components") or [] if isinstance(c, dict) and _opt_str(c.get("uid"))
    ]
    evidence = [
        EvidenceData(_str(e.get("uid")), _str(e.get("component")), _opt_str(e.get("coder")),
                     _opt_str(e.get("document")), _opt_int(e.get("start")), _opt_int(e.get("end")),
                     _opt_str(e.get("coding")), _str(e.get("stance"), "supports"), _str(e.get("memo")),
                     cv.time_from_json(e.get("created_at")))
        for e in payload.get("evidence") or [] if isinstance(e, dict) and _opt_str(e.get("uid"))
    ]
    return ConfigurationData(
        uid=uid, label=_str(payload.get("label")), concept=_str(payload.get("concept")),
        template=_str(payload.get("template"), "CMO"), roles=_str(payload.get("roles"), "C,M,O"),
        status=_str(payload.get("status"), "proposed"), origin=_str(payload.get("origin"), "data"),
        refined_from_uid=_opt_str(payload.get("refined_from")), memo=_str(payload.get("memo")),
        created_at=cv.time_from_json(payload.get("created_at")),
        node_uids=[n for n in payload.get("nodes") or [] if isinstance(n, str)],
        components=components, evidence=evidence,
    )
