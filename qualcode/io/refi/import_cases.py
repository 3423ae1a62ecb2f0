"""Users, Variables and Cases of a .qdpx as QualCode coders, attributes, values and cases.

A Variable becomes a case or a document attribute depending on QualCode's description
convention, or else on where its values appear; one used for both gets an attribute of
each scope. Name-less cases with a single source (how some tools carry file variables)
give their values to that source. Codes and selections linked to a case, which QualCode
does not model, are kept as a memo on the case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from qualcode.io.refi import conventions as cv
from qualcode.io.refi.import_sources import RawValue, read_value
from qualcode.io.refi.model import AttributeData, CaseData, CoderData, MemoData, ValueData
from qualcode.io.refi.reading import Guids, Report, grandkids, kids, text_of

_TYPES = {"Text": "text", "Boolean": "category", "Integer": "number", "Float": "number", "Date": "date",
          "DateTime": "text"}


def read_users(project: Element, guids: Guids, report: Report) -> dict[str, CoderData]:
    users: dict[str, CoderData] = {}
    for number, user in enumerate(grandkids(project, "Users", "User"), start=1):
        name = " ".join((user.get("name") or user.get("id") or "").split())
        where = f"user '{name}'" if name else f"user {user.get('guid') or number}"
        uid = guids.define("user", user.get("guid"), where)
        if not name:
            name = f"User {number}"
            report.add("user-without-name", f"has no name; called '{name}'", where)
        users[uid] = CoderData(uid, name)
    return users


@dataclass
class _Variable:
    uid: str
    name: str
    type: str
    scope: str | None
    description: str


@dataclass
class Attributes:
    attributes: list[AttributeData] = field(default_factory=list)
    values: list[ValueData] = field(default_factory=list)
    memos: list[MemoData] = field(default_factory=list)
    _by_key: dict[tuple[str, str], AttributeData] = field(default_factory=dict)


class VariableReader:
    def __init__(self, project: Element, guids: Guids, report: Report) -> None:
        self.guids = guids
        self.report = report
        self.variables: dict[str, _Variable] = {}
        self.out = Attributes()
        for variable in grandkids(project, "Variables", "Variable"):
            name = " ".join((variable.get("name") or "").split()) or "Unnamed attribute"
            uid = guids.define("variable", variable.get("guid"), f"variable '{name}'")
            scope, category, rest = cv.parse_variable_description(text_of(variable, "Description") or "")
            kind = "category" if category else _TYPES.get(variable.get("typeOfVariable") or "Text", "text")
            self.variables[uid] = _Variable(uid, name, kind, scope, rest)
            if rest:
                self.out.memos.append(MemoData(cv.derived_guid("variable-description", uid), "project", "",
                                               f"Attribute '{name}'", rest))

    def attribute(self, variable_uid: str, scope: str) -> AttributeData | None:
        variable = self.variables.get(variable_uid)
        if variable is None:
            return None
        key = (variable_uid, scope)
        if key not in self.out._by_key:
            if variable.scope is None:
                variable.scope = scope
            uid = variable_uid
            if scope != variable.scope:
                uid = cv.derived_guid("variable-scope", variable_uid, scope)
                self.report.add("variable-scope", f"has values for {scope}s as well as {variable.scope}s; QualCode "
                                                  f"keeps a separate {scope} attribute of the same name",
                                f"variable '{variable.name}'")
            attribute = AttributeData(uid, variable.name, variable.type, scope)
            self.out._by_key[key] = attribute
            self.out.attributes.append(attribute)
        return self.out._by_key[key]

    def add_values(self, owner_uid: str, scope: str, values: list[RawValue], where: str) -> None:
        for value in values:
            if value.variable is None or value.variable not in self.variables:
                self.report.add("unknown-variable", "holds a value of a variable that is not defined; left out", where)
                continue
            if value.value is None or not value.value.strip():
                continue
            text = value.value.strip()
            if value.tag == "BooleanValue":
                text = "true" if text.lower() in ("true", "1") else "false"
            attribute = self.attribute(value.variable, scope)
            if attribute is not None:
                self.out.values.append(ValueData(attribute.uid, owner_uid, text if attribute.type != "text"
                                                 else value.value))

    def finish(self) -> Attributes:
        for uid, variable in self.variables.items():
            if not any(key[0] == uid for key in self.out._by_key):
                self.attribute(uid, variable.scope or "case")
        self.out.attributes = [attribute for uid in self.variables
                               for key, attribute in self.out._by_key.items() if key[0] == uid]
        return self.out


def read_cases(project: Element, guids: Guids, report: Report, variables: VariableReader,
               source_names: dict[str, str], code_names: dict[str, str]) -> tuple[list[CaseData], list[MemoData]]:
    cases: list[CaseData] = []
    memos: list[MemoData] = []
    names: set[str] = set()
    for number, element in enumerate(grandkids(project, "Cases", "Case"), start=1):
        name = " ".join((element.get("name") or "").split())
        where = f"case '{name}'" if name else f"case {element.get('guid') or number}"
        uid = guids.define("case", element.get("guid"), where)
        sources = []
        for ref in kids(element, "SourceRef"):
            target = guids.canonical(ref.get("targetGUID"))
            if target in source_names:
                sources.append(target)
            else:
                report.add("unknown-source", f"refers to a source that was not imported ({ref.get('targetGUID')})",
                           where)
        values = [read_value(v, guids) for v in kids(element, "VariableValue")]
        if not name and len(sources) == 1 and values:
            report.add("nameless-case", f"has no name and one source; its variables were kept as attributes of "
                                        f"'{source_names[sources[0]]}'", where)
            variables.add_values(sources[0], "document", values, where)
            continue
        if not name:
            name = f"Case {number}"
            report.add("case-without-name", f"has no name; called '{name}'", where)
        base, suffix = name, 2
        while name.lower() in names:
            name = f"{base} ({suffix})"
            suffix += 1
        if name != base:
            report.add("duplicate-case-name", f"shares its name with another case; renamed '{name}'", where)
        names.add(name.lower())
        cases.append(CaseData(uid, name, text_of(element, "Description") or "", list(dict.fromkeys(sources))))
        variables.add_values(uid, "case", values, where)
        extra = _case_links(element, guids, code_names)
        if extra:
            report.add("case-links", "links codes or selections to the case, which QualCode does not model; kept as "
                                     "a memo on the case", where)
            memos.append(MemoData(cv.derived_guid("case-links", uid), "case", uid, "Linked in the imported file",
                                  extra))
    return cases, memos


def _case_links(element: Element, guids: Guids, code_names: dict[str, str]) -> str:
    lines = []
    for ref in kids(element, "CodeRef"):
        target = guids.canonical(ref.get("targetGUID")) or ""
        lines.append(f"Code: {code_names.get(target, ref.get('targetGUID') or '?')}")
    for ref in kids(element, "SelectionRef"):
        lines.append(f"Selection: {ref.get('targetGUID')}")
    return "\n".join(lines)
