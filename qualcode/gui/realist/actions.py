"""Realist actions: tag the viewer's selection as C, M or O in one keystroke (attaching it to
the configuration chosen in the workspace, or starting a new one), use an existing coding as
evidence, list tagged passages in "Coded passages", and export the CMOC table and the
programme-theory diagram."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from qualcode.domain.cmo import stored_template
from qualcode.gui.dialogs import open_dialog
from qualcode.gui.realist.detail import tell
from qualcode.gui.realist.link_dialog import LinkEvidenceDialog
from qualcode.gui.realist.workspace import CmoWorkspace, evidence_source
from qualcode.gui.widgets.export_files import FIGURE_FILTER, TABLE_FILTER, ask_save_path
from qualcode.services.coding import codings
from qualcode.services.commands import Change
from qualcode.services.realist import configurations as cmo
from qualcode.services.realist import evidence as cmo_evidence
from qualcode.services.realist import tagging as cmo_tagging

TAG_ROLES = (("C", "&Context"), ("M", "&Mechanism"), ("O", "&Outcome"))


class CmoActions(QObject):
    def __init__(self, workbench: Any, workspace: CmoWorkspace) -> None:
        super().__init__(workspace)
        self.workbench = workbench
        self.workspace = workspace
        parent = workbench.main_window()
        self.tag_actions: dict[str, QAction] = {}
        for role, text in TAG_ROLES:
            action = QAction(f"Tag selection as {text}", parent)
            action.setShortcut(QKeySequence(f"Ctrl+Alt+{role}"))
            action.setToolTip(f"Tag the selected passage as {role} of the chosen configuration (or a new one)")
            action.triggered.connect(lambda _checked=False, role=role: self.tag(role))
            self.tag_actions[role] = action
        self.other_role_action = QAction("Tag selection as another &role…", parent)
        self.other_role_action.setShortcut(QKeySequence("Ctrl+Alt+R"))
        self.other_role_action.triggered.connect(self.tag_other_role)
        self.new_action = QAction("&New configuration", parent)
        self.new_action.setShortcut(QKeySequence("Ctrl+Alt+N"))
        self.new_action.triggered.connect(workspace.start_new)
        self.list_action = QAction("&List all tagged passages", parent)
        self.list_action.setToolTip("Every passage tagged as evidence, in “Coded passages”")
        self.list_action.triggered.connect(lambda: workbench.show_passages(evidence_source()))
        self.dialog: LinkEvidenceDialog | None = None
        self.table_action = QAction("Export CMOC &table…", parent)
        self.table_action.triggered.connect(self.export_table_dialog)
        self.theory_action = QAction("Export programme-theory &diagram…", parent)
        self.theory_action.triggered.connect(lambda: self.export_theory_dialog())
        self.preview_action = QAction("&Programme theory: stages and preview…", parent)
        self.preview_action.triggered.connect(self.theory_preview)
        self.preview: Any = None

    def install(self, menu: QMenu) -> None:
        for action in self.tag_actions.values():
            menu.addAction(action)
        menu.addAction(self.other_role_action)
        menu.addAction(self.new_action)
        menu.addAction(self.list_action)
        menu.addSeparator()
        menu.addAction(self.table_action)
        menu.addAction(self.preview_action)
        menu.addAction(self.theory_action)
        window = self.workbench.main_window()
        for action in (*self.tag_actions.values(), self.other_role_action, self.new_action):
            window.addAction(action)  # shortcuts work wherever the focus is

    # -- tagging -----------------------------------------------------------------------------
    def tag(self, role: str) -> Change | None:
        """Tag the viewer's selection as `role`: one undoable step."""
        if self.workbench.project is None or self.workbench.coder_id is None:
            return None
        selection = self.workbench.selection()
        if selection is None or selection.end <= selection.start:
            tell(self.workbench, "Select a passage in the transcript first.")
            return None
        config_id = self.workspace.current_configuration()
        component_id = self._component(config_id, role) if config_id is not None else None
        if config_id is not None and component_id == -1:
            return None  # the user cancelled the choice of statement
        concept = self.workspace.concept_for_new()
        coder_id = self.workbench.coder_id
        change = self.workbench.execute(lambda s: cmo_tagging.tag_span(
            s, document_id=selection.document_id, start=selection.start, end=selection.end, role=role,
            coder_id=coder_id, configuration_id=config_id, component_id=component_id or None, concept=concept))
        if change is not None:
            result = change.result
            self.workspace.select_configuration(result.configuration_id)
            label = self.workbench.read(lambda s: cmo.get_configuration(s, result.configuration_id).label)
            tell(self.workbench, f"Tagged as {role} of {label}" + (" (new)" if result.new_configuration else ""))
        return change

    def _component(self, config_id: int, role: str) -> int | None:
        """The statement to attach to when the configuration has several in this role: the one
        chosen in the workspace, else the user's choice (-1 when cancelled)."""
        config = self.workbench.read(lambda s: cmo.get_configuration(s, config_id))
        statements = config.statements(role)
        if len(statements) < 2:
            return None
        chosen = self.workspace.detail.current_component()
        if chosen in {c.id for c in statements}:
            return chosen
        texts = [c.statement for c in statements]
        text, ok = QInputDialog.getItem(self.workbench.main_window(), "Which statement?",
                                        f"{config.label} has {len(texts)} {role} statements. This passage supports:",
                                        texts, 0, False)
        return statements[texts.index(text)].id if ok else -1

    def link_coding(self, coding_id: int) -> LinkEvidenceDialog | None:
        """Open the dialog that links an existing coding as evidence for a statement (the
        configuration chosen in the workspace first); linking is one undoable step."""
        if self.workbench.project is None or self.workbench.coder_id is None:
            return None
        coding, configs = self.workbench.read(lambda s: (codings.get_coding(s, coding_id), cmo.list_configurations(s)))
        if not configs:
            tell(self.workbench, "There is no configuration yet: tag a passage as C, M or O (Ctrl+Alt+C / M / O) "
                                 "to start one, then link codings to it.")
            return None
        dialog = LinkEvidenceDialog(coding, configs, configuration_id=self.workspace.current_configuration(),
                                    component_id=self.workspace.detail.current_component(),
                                    parent=self.workbench.main_window())
        return open_dialog(self, dialog, lambda: self._link(coding_id, dialog))

    def _link(self, coding_id: int, dialog: LinkEvidenceDialog) -> Change | None:
        chosen = dialog.chosen()
        if chosen is None:
            return None
        component_id, stance, memo = chosen
        coder_id = self.workbench.coder_id
        change = self.workbench.execute(lambda s: cmo_evidence.add_evidence(
            s, component_id=component_id, coder_id=coder_id, coding_id=coding_id, stance=stance, memo=memo))
        if change is not None:
            config_id = next(c.id for c in dialog.configurations.values()
                             if any(k.id == component_id for k in c.components))
            self.workspace.select_configuration(config_id)
            tell(self.workbench, f"Linked the coding as evidence for {dialog.configurations[config_id].label}")
        return change

    def tag_other_role(self) -> None:
        """Tag with a role of the chosen configuration's template (e.g. Mres, I, A)."""
        config_id = self.workspace.current_configuration()
        if config_id is None:
            tokens = ["C", "M", "O"]
        else:
            config = self.workbench.read(lambda s: cmo.get_configuration(s, config_id))
            tokens = list(stored_template(config.template, config.roles).tokens)
        role, ok = QInputDialog.getItem(self.workbench.main_window(), "Tag as role", "Role:", tokens, 0, False)
        if ok:
            self.tag(role)

    # -- exports -----------------------------------------------------------------------------
    def export_table(self, path: Path) -> None:
        """Write the CMOC table in the background (format from the suffix)."""
        from qualcode.services.realist.export import CmocTableOptions, export_cmoc_table

        project = self.workbench.project
        sites = "site" if "site" in self.workbench.read(_case_attributes) else None

        def job(progress: Any) -> Path:
            with project.session() as session:
                return export_cmoc_table(session, path=path, options=CmocTableOptions(site_attribute=sites),
                                         progress=progress)

        self.workbench.run_job("Exporting the CMOC table", job, lambda done: tell(self.workbench, f"Wrote {done}"))

    def theory_preview(self) -> Any:
        """The programme theory's stages, in an order the researcher sets, previewed on the page."""
        if self.workbench.project is None:
            return None
        from qualcode.gui.realist.theory_dialog import ProgrammeTheoryDialog

        self.preview = ProgrammeTheoryDialog(self.workbench, self.export_theory_dialog)
        self.preview.show()
        return self.preview

    def export_theory(self, path: Path, width: float = 7.0, height: float = 9.0) -> None:
        """The programme theory as a pathway on a `width` × `height` inch page; when it does not
        fit at 7 pt, one page per concept beside the chosen file."""
        from qualcode.services.realist.export import export_pathway
        from qualcode.viz.pathway import PageTooSmallError

        project = self.workbench.project

        def job(progress: Any) -> str:
            with project.session() as session:
                try:
                    return str(export_pathway(session, path=path, width=width, height=height, progress=progress)[0])
                except PageTooSmallError:
                    pages = export_pathway(session, path=path, width=width, height=height, progress=progress,
                                           per_concept=True)
                    return f"{len(pages)} pages, one per concept, beside {path.name} (all of it did not fit one page)"

        self.workbench.run_job("Drawing the programme theory", job, lambda done: tell(self.workbench, f"Wrote {done}"))

    def export_table_dialog(self) -> None:
        if self.workbench.project is None:
            return
        path = ask_save_path(self.workbench.main_window(), "Export CMOC table",
                             _beside(self.workbench, "CMOC table.docx"), TABLE_FILTER)
        if path is not None:
            self.export_table(path)

    def export_theory_dialog(self, width: float = 7.0, height: float = 9.0) -> None:
        if self.workbench.project is None:
            return
        path = ask_save_path(self.workbench.main_window(), "Export programme theory",
                             _beside(self.workbench, "Programme theory.png"), FIGURE_FILTER)
        if path is not None:
            self.export_theory(path, width, height)


def _case_attributes(session: Any) -> dict[str, list[str]]:
    from qualcode.services.realist import queries as cmo_queries

    return {name.lower(): values for name, values in cmo_queries.case_attribute_values(session).items()}


def _beside(workbench: Any, name: str) -> Path:
    project = workbench.project
    return project.path.with_name(name) if project is not None else Path(name)
