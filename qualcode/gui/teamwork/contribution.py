"""Plugs teamwork into the main window: a Teamwork menu and the disagreement review dock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qualcode.gui.contributions import Workbench
from qualcode.gui.dialogs import open_dialog


def contribute(workbench: Workbench) -> None:
    # The dialogs are imported when first asked for: agreement brings numpy, the merge wizard
    # the merge machinery, and neither is needed to show the start page.
    from qualcode.gui.teamwork.disagreement_panel import DisagreementPanel

    menu = workbench.menu("&Teamwork")
    panel = DisagreementPanel(workbench)
    dock = workbench.add_dock(panel, "Disagreements", Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.hide()  # shown from the Teamwork menu

    def needs_project() -> bool:
        if workbench.project is None:
            workbench.status_message("Open a project first.")
            return False
        return True

    # The dialogs open window-modal without an event loop of their own (the window keeps
    # hearing of others' changes meanwhile); the panel holds the one open.
    def coder_copy() -> None:
        from qualcode.gui.teamwork.coder_copy_dialog import CoderCopyDialog

        if needs_project():
            dialog = CoderCopyDialog(workbench)

            def wrote() -> None:
                if (copy := dialog.result_copy) is not None:
                    workbench.show_info(f"Wrote {copy.path.name} for {copy.coder}.", "Coder copy")
            open_dialog(panel, dialog, wrote)

    def merge() -> None:
        from qualcode.gui.teamwork.merge_wizard import MergeWizard

        if needs_project():
            wizard = MergeWizard(workbench)

            def merged() -> None:
                if wizard.result_report is None:
                    return
                backup = f"\n\nA backup of the project before the merge: {wizard.backup}" if wizard.backup else ""
                taken = (f"\n\nTook the incoming text of {', '.join(wizard.texts_taken)} (codings moved with "
                         "their words)." if wizard.texts_taken else "")
                workbench.show_info(wizard.result_report.summary() + taken + backup, "Merge")
            open_dialog(panel, wizard, merged)

    def agreement() -> None:
        from qualcode.gui.teamwork.agreement_dialog import AgreementDialog

        if needs_project():
            open_dialog(panel, AgreementDialog(workbench), lambda: None)

    def review() -> None:
        if needs_project():
            dock.show()
            dock.raise_()
            panel.load_coders()

    menu.addAction("Export a coder copy…").triggered.connect(coder_copy)
    menu.addAction("Merge coders' projects…").triggered.connect(merge)
    menu.addSeparator()
    menu.addAction("Inter-coder agreement…").triggered.connect(agreement)
    menu.addAction("Review disagreements").triggered.connect(review)
