"""Before Qt starts: can it open a window here? On Linux, Qt aborts with a cryptic message
("could not load the Qt platform plugin xcb") when a system library of its X11 plugin is
missing or there is no display. This check finds that first and names the missing piece and
the fix in one line."""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

# The Debian/Ubuntu packages the window needs (README, "On a fresh machine"), by the library
# each provides; checked against Qt's X11 plugin's dependencies on Debian 12.
LINUX_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
}
APT_LINE = "sudo apt-get install " + " ".join(LINUX_PACKAGES.values())
_MISSING = re.compile(r"(\S+?\.so[.\d]*): cannot open shared object file")


def qt_plugins_folder() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def window_system_problem(environ: Mapping[str, str] | None = None, plugins: Path | None = None) -> str | None:
    """Why Qt could not open a window here, as one line naming the fix; None when it can (or
    when Qt is asked for another platform, such as offscreen or Wayland, which it reports itself)."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    requested = environ.get("QT_QPA_PLATFORM", "")
    if (requested and not requested.startswith("xcb")) or (not requested and environ.get("WAYLAND_DISPLAY")):
        return None
    if not environ.get("DISPLAY"):
        return ("No display to open the window on (DISPLAY is not set): start QualCode in a desktop session, "
                "or set QT_QPA_PLATFORM=offscreen to run it without one.")
    plugin = (plugins or qt_plugins_folder()) / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        found = _MISSING.search(str(exc))
        library = found.group(1) if found else str(exc)
        package = LINUX_PACKAGES.get(library)
        fix = f"install it with 'sudo apt-get install {package}'" if package else "reinstall QualCode"
        return (f"Qt cannot open a window: the library {library} is missing; {fix}. "
                f"Every package the window needs: {APT_LINE}")
    return None
