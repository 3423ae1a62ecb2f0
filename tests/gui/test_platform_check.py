"""When Qt cannot open a window, QualCode says why in one line instead of Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.gui.platform_check import APT_LINE, qt_plugins_folder, window_system_problem

ROOT = Path(__file__).resolve().parent.parent.parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 plugin is Linux's")


@linux_only
def test_no_display_is_one_clear_line_not_an_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "qualcode", "gui"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "qualcode: error: No display to open the window on (DISPLAY is not set): start QualCode in a desktop "
        "session, or set QT_QPA_PLATFORM=offscreen to run it without one."]


@linux_only
def test_a_missing_library_of_the_x11_plugin_is_named(tmp_path: Path) -> None:
    """Qt's own X11 plugin, copied away from the Qt libraries it needs: the check names the first
    library the system loader cannot find (in a fresh process, so nothing is loaded already)."""
    (tmp_path / "platforms").mkdir()
    shutil.copy2(qt_plugins_folder() / "platforms" / "libqxcb.so", tmp_path / "platforms" / "libqxcb.so")
    code = ("import sys; from pathlib import Path; from qualcode.gui.platform_check import window_system_problem;"
            "print(window_system_problem({'DISPLAY': ':0'}, Path(sys.argv[1])))")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=True)
    message = result.stdout.strip()
    assert message.startswith("Qt cannot open a window: the library libQt6XcbQpa.so.6 is missing; reinstall QualCode.")
    assert message.endswith(f"Every package the window needs: {APT_LINE}")
    assert "\n" not in message


def test_other_platforms_are_left_to_qt(tmp_path: Path) -> None:
    assert window_system_problem({"QT_QPA_PLATFORM": "offscreen"}, tmp_path) is None
    assert window_system_problem({"WAYLAND_DISPLAY": "wayland-0"}, tmp_path) is None
    assert window_system_problem({"DISPLAY": ":0"}, tmp_path) is None  # no X11 plugin there: Qt reports it


def test_the_readme_gives_the_same_install_line() -> None:
    assert APT_LINE in (ROOT / "README.md").read_text(encoding="utf-8")
