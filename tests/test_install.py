"""The wheel a user installs: built from this checkout, installed into a fresh virtual
environment outside it, and run as a user would (`--version`, `demo --no-open`, `info`, the
window offscreen on the demo). Resources, migrations and schemas must all come from the
installed copy. The environment reuses the already-installed dependencies
(--system-site-packages), so the test needs no network and no long install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from qualcode import __version__

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("qualcode", "resources", "pyproject.toml", "setup.py", "MANIFEST.in", "README.md")

pytestmark = pytest.mark.slow


def _copy_sources(target: Path) -> None:
    """The files a build reads, so the build leaves nothing behind in the checkout."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return {**env, "QT_QPA_PLATFORM": "offscreen", **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the freshly built wheel installed."""
    base = tmp_path_factory.mktemp("install")
    (base / "src").mkdir()
    _copy_sources(base / "src")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(base / "src")],
                   check=True, capture_output=True, text=True, env=_environment(), timeout=600)
    wheels = list((base / "dist").glob("qualcode-*.whl"))
    assert len(wheels) == 1
    venv.create(base / "venv", system_site_packages=True, with_pip=True)
    bin_dir = base / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--force-reinstall", str(wheels[0])], check=True, capture_output=True, text=True,
                   env=_environment(), timeout=300)
    return bin_dir


def _run(installed: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(installed / "qualcode"), *args], cwd=cwd, capture_output=True, text=True,
                          env=_environment(**env), timeout=300)


def test_the_installed_copy_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    code = ("import qualcode, qualcode.resources as r, qualcode.store.project as p;"
            "print(qualcode.__file__); print(r.resources_root()); print(p.__file__)")
    result = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                            env=_environment(), check=True)
    package, resources, store = (Path(line) for line in result.stdout.splitlines())
    environment = installed.parent
    assert package.is_relative_to(environment) and store.is_relative_to(environment)
    assert resources == package.parent / "_resources"
    assert (resources / "style.qss").is_file()
    assert (resources / "samples" / "LW01_interview_wave1.txt").is_file()
    assert list((package.parent / "store" / "migrations" / "versions").glob("*.py"))
    assert list((package.parent / "io" / "refi" / "schemas").glob("*.xsd"))


@pytest.fixture(scope="module")
def demo(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built by the installed copy from the sample transcripts it carries."""
    folder = tmp_path_factory.mktemp("demo")
    built = _run(installed, "demo", "--no-open", "--folder", str(folder), cwd=folder)
    assert built.returncode == 0, built.stderr
    project = folder / "QualCode demo.qualcode"
    assert built.stdout.splitlines() == [f"Building the demo project in {folder} …", str(project)]
    return project


def test_installed_version_demo_and_info(installed: Path, demo: Path, tmp_path: Path) -> None:
    version = _run(installed, "--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, f"QualCode {__version__}\n")

    info = _run(installed, "info", str(demo), cwd=tmp_path)
    assert info.returncode == 0, info.stderr
    facts = dict(line.split(":", 1) for line in info.stdout.splitlines())
    assert int(facts["Documents"].strip()) >= 5
    assert int(facts["Codings"].strip().replace(",", "")) > 0


def test_installed_window_opens_the_demo_and_closes_cleanly(installed: Path, demo: Path) -> None:
    window = _run(installed, "gui", str(demo), cwd=demo.parent, QUALCODE_QUIT_AFTER="1")
    assert window.returncode == 0, window.stderr
    assert "closing after 1 s: Linkways social prescribing evaluation (demo) — QualCode" in window.stderr
    assert "Traceback" not in window.stderr
    assert sorted(p.name for p in demo.parent.iterdir()) == ["QualCode demo-backups", "QualCode demo.qualcode"]
