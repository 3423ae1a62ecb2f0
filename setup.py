"""Build hook for setuptools (the project is described in pyproject.toml).

The repository keeps resources/ (icons, the style sheet, the sample transcripts) at its top
level; a built wheel carries it inside the package as qualcode/_resources/, where
qualcode.resources finds it in an installed copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):
    """build_py, plus resources/ copied to qualcode/_resources/ in the build folder."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads resources/ in the checkout itself
        shutil.copytree(RESOURCES, Path(self.build_lib) / "qualcode" / "_resources", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildWithResources})
