"""What a screen-reader user meets in every panel and dialog: each control announces a name
that says what it is (Qt's accessibility interface, as assistive technology reads it), and
every panel is reached by a listed shortcut and walked with Tab without getting stuck."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible, QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QFileDialog,
    QMenu,
    QTabWidget,
    QWidget,
)

from qualcode.gui.realist.workspace import CmoWorkspace
from qualcode.gui.teamwork.agreement_dialog import AgreementDialog
from qualcode.gui.themes.review_panel import ThemesReviewPanel
from qualcode.gui.workbench.main_window import MainWindow
from tests.gui.helpers import codings_of_open_document

# Menu items that leave the open project (another project, the start page, quitting) or
# move the whole window about, rather than opening a dialog on it.
LEAVES_THE_PROJECT = {"New project", "Open project", "Open team project", "Open project read-only",
                      "Open the demo project", "Close project", "Quit", "Reset layout"}
# Qt's own dialogs: a desktop shows its native file and colour choosers in their place.
QT_OWN_DIALOGS = (QFileDialog, QColorDialog)


def plain(text: str) -> str:
    return text.replace("&&", "\x00").replace("&", "").replace("\x00", "&").rstrip("…").strip()


def where(widget: QWidget) -> str:
    """The control and the named containers it sits in, as a reader of the failure finds it."""
    parts = []
    current: QWidget | None = widget
    while current is not None and not current.isWindow():
        label = current.objectName() or current.accessibleName()
        if label and not label.startswith("qt_"):
            parts.append(label)
        current = current.parentWidget()
    return f"{type(widget).__name__} ({' › '.join(reversed(parts)) or 'no object name'})"


def controls(root: QWidget) -> list[QWidget]:
    """The widgets a keyboard user can land on. A widget with a focus proxy (the editor inside
    a spin box or an editable combo box) hands its focus to that proxy, which is the one named."""
    return [w for w in [root, *root.findChildren(QWidget)]
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isEnabled() and w.focusProxy() is None
            and w.window() is root.window()]  # not a combo box's closed popup list


def naming_problems(root: QWidget) -> list[str]:
    """Controls whose accessible name is missing, is only symbols ("↑", "✕"), or is a combo
    box's current choice with no label beside it (which says what is chosen, not what the
    choice is about)."""
    problems = []
    for widget in controls(root):
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface is not None
        name = interface.text(QAccessible.Text.Name).strip()
        if not name:
            problems.append(f"{where(widget)}: no name")
        elif not re.search(r"\w", name):
            problems.append(f"{where(widget)}: only symbols {name!r}")
        elif isinstance(widget, QComboBox) and not widget.accessibleName() and not widget.isEditable() \
                and not interface.relations(QAccessible.RelationFlag.Label):  # a form row's label
            problems.append(f"{where(widget)}: named only by its current choice {name!r}")
    return problems


def menu_items(window: MainWindow) -> list[tuple[str, QAction]]:
    items: list[tuple[str, QAction]] = []

    def walk(menu: QMenu, path: str) -> None:
        menu.aboutToShow.emit()  # menus that fill themselves when opened
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} › {plain(action.text())}")
            elif not action.isSeparator():
                items.append((f"{path} › {plain(action.text())}", action))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain(top.text()))
    return items


def open_windows(main: QWidget) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if w is not main and w.isVisible() and not isinstance(w, QMenu)]


def dialogs_opened_by(trigger: Callable[[], object], window: MainWindow, qtbot) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Run `trigger` and return the title and naming problems of every window it opened, each
    checked and closed. A modal one that runs its own event loop (a file chooser) is checked and
    closed from inside that loop by a timer."""
    seen: list[QWidget] = []
    found: dict[str, list[str]] = {}

    def check_and_close() -> None:
        for top in open_windows(window):
            if top not in seen:
                seen.append(top)
                found[top.windowTitle()] = [] if isinstance(top, QT_OWN_DIALOGS) else naming_problems(top)
            if isinstance(top, QDialog):
                top.reject()
            else:
                top.close()

    timer = QTimer()
    timer.timeout.connect(check_and_close)
    timer.start(40)
    trigger()
    qtbot.wait(80)
    check_and_close()
    timer.stop()
    return found


def choose_something_in_each_panel(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A configuration and a theme chosen, so the controls that act on one are enabled too."""
    dock = next(d for d in window.dock_list if isinstance(d.widget().widget(), CmoWorkspace))
    workspace = dock.widget().widget()
    dock.show()
    dock.raise_()  # its tab in front: the workspace reads the project
    qtbot.waitUntil(lambda: bool(workspace.configs))
    workspace.select_configuration(workspace.configs[0].id)
    review = next(d.widget().widget() for d in window.dock_list if isinstance(d.widget().widget(), ThemesReviewPanel))
    review.refresh()
    review.tree.setCurrentItem(review.tree.topLevelItem(0))


def test_every_control_of_every_panel_has_a_name_that_says_what_it_is(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.panels.viewer.find_bar.open_bar()
    choose_something_in_each_panel(window, qtbot)
    problems: list[str] = []
    checked = 0
    for dock in window.dock_list:
        dock.show()
        dock.raise_()
        qtbot.wait(5)
        panel = dock.widget()
        tabs = [t for t in panel.findChildren(QTabWidget)]
        for tab in tabs:  # a tab's page is laid out (and its lazy parts made) once shown
            for index in range(tab.count()):
                tab.setCurrentIndex(index)
        checked += len(controls(panel))
        problems += [f"{plain(dock.windowTitle())}: {p}" for p in naming_problems(panel)]
    problems += [f"Transcript: {p}" for p in naming_problems(window.panels.viewer)]
    assert checked > 80
    assert problems == [], "\n".join(problems)


def test_every_dialog_the_menus_open_names_each_of_its_controls(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.panels.nodes.view.select_node(next(iter(window.panels.nodes.model.nodes)))
    problems: list[str] = []
    opened: list[str] = []
    for path, action in menu_items(window):
        if not action.text().endswith("…") or plain(action.text()) in LEAVES_THE_PROJECT \
                or not action.isEnabled():
            continue
        found = dialogs_opened_by(action.trigger, window, qtbot)
        opened += [f"{path} → {title}" for title in found]
        problems += [f"{path} → {title}: {p}" for title, ps in found.items() for p in ps]
    titles = " | ".join(opened)
    for expected in ("Import documents", "Anonymise documents", "Switch coder", "New code", "Theme map",
                     "Programme theory", "Export a coder copy", "Merge coders' projects", "Inter-coder agreement",
                     "Screening agreement", "PRISMA counts kept by hand", "Columns of the study table"):
        assert expected in titles
    assert problems == [], "\n".join(problems)


def tab_stops(panel: QWidget) -> list[QWidget]:
    """The controls of a panel that Tab should land on as it is shown now."""
    return [w for w in controls(panel) if w is not panel and w.isVisible()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus]


def tab_round(window: MainWindow, qtbot, limit: int = 400) -> list[QWidget]:  # type: ignore[no-untyped-def]
    """Press Tab on whatever has the focus until the focus comes back where it started; the
    widgets in the order they had it. A text browser keeps the focus while Tab walks its links;
    a control that keeps it for good is a trap."""
    start = QApplication.focusWidget()
    assert start is not None
    visited = [start]
    held = 0
    for _ in range(limit):
        QTest.keyClick(visited[-1], Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None and now.window() is window, "Tab left the window"
        if now is start:
            return visited
        held = held + 1 if now is visited[-1] else 0
        assert held < 40, f"Tab stays in {where(now)}"
        if now is not visited[-1]:
            visited.append(now)
    raise AssertionError(f"Tab never came back to {where(start)} after {limit} presses")


def test_each_panel_has_a_listed_shortcut_and_tab_reaches_all_its_controls(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    choose_something_in_each_panel(window, qtbot)
    window.window_actions.show_shortcuts()
    listed = window.messenger.history[-1].text
    unreachable: list[str] = []
    for dock in window.dock_list:
        title = plain(dock.windowTitle())
        keys = window.panel_keys.actions[dock].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert f"<b>{keys}</b></td><td>{title} " in listed.replace("&amp;", "&"), f"{title} is not in the help"
        dock.hide()
        QTest.keySequence(QApplication.focusWidget() or window, QKeySequence(keys))  # wherever the focus is
        panel = dock.widget()
        assert dock.isVisible() and panel.isAncestorOf(QApplication.focusWidget()), f"{keys} does not reach {title}"
        pages = [(tabs, i) for tabs in panel.findChildren(QTabWidget) for i in range(tabs.count())] or [(None, 0)]
        for tabs, index in pages:
            if tabs is not None:
                if not tabs.isVisible():
                    continue
                tabs.setCurrentIndex(index)
                tabs.tabBar().setFocus(Qt.FocusReason.TabFocusReason)
            visited = tab_round(window, qtbot)
            mine = [i for i, w in enumerate(visited) if panel.isAncestorOf(w)]
            unreachable += [f"{title}: {where(w)}" for w in tab_stops(panel) if w not in visited]
            # The panel's controls come one after another: Tab does not wander off and back.
            # The round starts inside the panel, so its controls are the round's head and perhaps its tail.
            breaks = sum(1 for a, b in pairwise(mine) if b != a + 1)
            assert mine[0] == 0 and (breaks == 0 or (breaks == 1 and mine[-1] == len(visited) - 1)), \
                f"{title}: Tab leaves the panel and comes back: {[where(visited[i]) for i in mine]}"
    assert unreachable == [], "\n".join(unreachable)


def test_dialogs_opened_from_panels_and_codings_name_each_of_their_controls(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    choose_something_in_each_panel(window, qtbot)
    coding = codings_of_open_document(window)[0]
    review = next(d.widget().widget() for d in window.dock_list if isinstance(d.widget().widget(), ThemesReviewPanel))
    workspace = next(d.widget().widget() for d in window.dock_list if isinstance(d.widget().widget(), CmoWorkspace))
    review.show_codes.setChecked(True)
    code_item = next(item for item in review.items.values() if item.childCount() == 0)

    def assigned_documents() -> None:
        dialog = AgreementDialog(window)
        dialog.coders.set_all(True)
        dialog.show()
        dialog.assign_button.click()

    def select_code_and(button: str) -> Callable[[], object]:
        def trigger() -> None:
            review.tree.setCurrentItem(code_item)
            review.buttons[button].click()
        return trigger

    link = dict(window.coding_actions)["Use as CMO evidence…"]
    problems: list[str] = []
    opened: list[str] = []
    for trigger in (lambda: window.panels.coding.adjust_boundaries(coding.id),
                    lambda: window.panels.coding.edit_memo(coding.id),
                    lambda: (window.panels.viewer.select(coding.start, coding.end), window.panels.coding.quick_code()),
                    lambda: link(coding.id), workspace.detail.themes_button.click, assigned_documents,
                    select_code_and("group"), select_code_and("split")):
        found = dialogs_opened_by(trigger, window, qtbot)
        opened += found
        problems += [f"{title}: {p}" for title, ps in found.items() for p in ps]
    for expected in ("Adjust coding of", "Memo on coding to", "Quick code", "Use coding as CMO evidence", "Themes CMOC",
                     "Assigned documents", "Group into a new theme", "Split"):
        assert any(title.startswith(expected) for title in opened), f"{expected} did not open: {opened}"
    assert problems == [], "\n".join(problems)
