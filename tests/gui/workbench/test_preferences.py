"""Reading comfort: Preferences (Edit ▸ Preferences…, Ctrl+,) chooses a light or dark look or
the system's (followed when the system switches) and the application font; both are
remembered. The transcript, its coding stripes and the find highlights stay legible."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from qualcode.gui.appearance import FONT_KEY, THEME_KEY, appearance, apply_style
from qualcode.gui.settings import app_settings
from qualcode.gui.style import readable
from qualcode.gui.workbench.main_window import MainWindow
from qualcode.gui.workbench.preferences_dialog import PreferencesDialog
from qualcode.services.codebook import nodes as node_service
from tests.gui.conftest import make_window


@pytest.fixture(autouse=True)
def usual_look(styled_app: QApplication) -> Iterator[None]:
    """Each test starts and ends on the light look with the system font (the application is
    shared by every test)."""
    look = appearance(styled_app)
    scheme = look.system_scheme
    yield
    look.system_scheme = scheme
    app_settings().remove(THEME_KEY)
    app_settings().remove(FONT_KEY)
    look.apply()
    assert look.dark is False


def window_colour() -> QColor:
    return QApplication.palette().color(QPalette.ColorRole.Window)


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio (4.5 is the floor for body text)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def open_preferences(window: MainWindow, qtbot) -> PreferencesDialog:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.panels.nodes.view.setFocus()
    qtbot.keyClick(window.panels.nodes.view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.window_actions.dialog
    assert isinstance(dialog, PreferencesDialog) and dialog.isVisible()
    return dialog


def press_ok(dialog: PreferencesDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def choose_look(dialog: PreferencesDialog, qtbot, label: str) -> None:  # type: ignore[no-untyped-def]
    dialog.theme.setFocus()
    while dialog.theme.currentText() != label:
        qtbot.keyClick(dialog.theme, Qt.Key.Key_Down)
        assert dialog.theme.currentIndex() < dialog.theme.count()


def speaker_label_colour(window: MainWindow) -> QColor:
    """The colour of the first bold speaker label in the open transcript."""
    document = window.panels.viewer.editor.document()
    cursor = QTextCursor(document)
    text = document.toPlainText()
    cursor.setPosition(text.index("R:") + 1)
    return cursor.charFormat().foreground().color()


def test_choosing_dark_in_preferences_darkens_the_app_and_a_new_window_keeps_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert window_colour().lightnessF() > 0.8
    light_label = speaker_label_colour(window)
    dialog = open_preferences(window, qtbot)
    assert dialog.theme.currentText() == "System"
    choose_look(dialog, qtbot, "Dark")
    press_ok(dialog, qtbot)

    assert window_colour().lightnessF() < 0.2
    assert window.palette().color(QPalette.ColorRole.Window) == window_colour()
    assert app_settings().value(THEME_KEY) == "dark"
    editor = window.panels.viewer.editor
    base = editor.palette().color(QPalette.ColorRole.Base)
    assert base.lightnessF() < 0.2 and "#24282e" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    dark_label = speaker_label_colour(window)  # the open transcript was laid out again
    assert dark_label != light_label and contrast(dark_label, base) >= 4.5

    window.close()
    QApplication.setPalette(QPalette())  # as a fresh start would have it, before the look is applied
    apply_style(QApplication.instance())  # type: ignore[arg-type]  # what starting the app does
    again = make_window(qtbot)
    assert again.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.2
    assert appearance().theme == "dark"
    again.close()


def test_the_system_look_follows_the_desktop_switching_between_light_and_dark(window: MainWindow) -> None:
    hints = QApplication.styleHints()
    assert appearance().theme == "system"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what Qt reports when the desktop turns dark
    assert window_colour().lightnessF() < 0.2
    assert window.panels.viewer.editor.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.2
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_colour().lightnessF() > 0.8

    appearance().set_theme("light")  # a look chosen on purpose is kept whatever the desktop does
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window_colour().lightnessF() > 0.8


def test_a_chosen_font_is_used_everywhere_and_remembered_and_system_default_restores_it(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    system = QFont(QApplication.font())
    dialog = open_preferences(window, qtbot)
    assert dialog.system_font.isChecked() and not dialog.family.isEnabled()
    qtbot.mouseClick(dialog.system_font, Qt.MouseButton.LeftButton)
    assert not dialog.system_font.isChecked() and dialog.family.isEnabled()
    dialog.family.setCurrentFont(QFont("DejaVu Serif"))
    dialog.font_size.selectAll()
    qtbot.keyClicks(dialog.font_size, "12.5")
    press_ok(dialog, qtbot)

    font = QApplication.font()
    assert (font.family(), font.pointSizeF()) == ("DejaVu Serif", 12.5)
    assert window.panels.nodes.view.font().family() == "DejaVu Serif"
    remembered = QFont()
    assert remembered.fromString(str(app_settings().value(FONT_KEY)))
    assert (remembered.family(), remembered.pointSizeF()) == ("DejaVu Serif", 12.5)
    assert appearance().chosen_font is not None
    QApplication.setFont(system)  # as a fresh start has it, before the preferences are applied
    apply_style(QApplication.instance())  # type: ignore[arg-type]  # what starting the app does
    assert (QApplication.font().family(), QApplication.font().pointSizeF()) == ("DejaVu Serif", 12.5)

    dialog = open_preferences(window, qtbot)  # shows what was chosen
    assert not dialog.system_font.isChecked()
    assert dialog.family.currentFont().family() == "DejaVu Serif" and dialog.font_size.value() == 12.5
    qtbot.mouseClick(dialog.system_font, Qt.MouseButton.LeftButton)
    press_ok(dialog, qtbot)
    assert QApplication.font().family() == system.family()
    assert QApplication.font().pointSizeF() == system.pointSizeF()
    assert appearance().chosen_font is None and app_settings().value(FONT_KEY) == ""


def test_text_zoom_still_works_with_a_chosen_font_and_on_the_dark_look(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    appearance().choose(theme="dark", font=QFont("DejaVu Sans", 11))
    editor = window.panels.viewer.editor
    before = editor.document().defaultFont().pointSizeF()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert editor.document().defaultFont().pointSizeF() > before
    qtbot.keyClick(editor, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert editor.document().defaultFont().pointSizeF() == before
    assert QApplication.font().family() == "DejaVu Sans"


def test_on_the_dark_look_every_node_colour_reads_in_the_stripes_and_find_matches_stay_dark_on_yellow(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    appearance().set_theme("dark")
    viewer = window.panels.viewer
    margin = QColor("#21252a")  # the coding stripes' background on the dark look
    colours = {n.color for n in window.read(node_service.list_nodes)} | {"#1f3a5f", "#000000", "#4e79a7"}
    for colour in colours:
        assert contrast(readable(colour), margin) >= 4.5, colour
    viewer.editor.setFocus()
    qtbot.keyClick(viewer.editor, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(viewer.find_bar.field, "people")
    selections = viewer.editor.extraSelections()
    assert selections
    for selection in selections:
        fmt = selection.format
        assert contrast(fmt.foreground().color(), fmt.background().color()) >= 4.5
