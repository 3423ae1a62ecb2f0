from __future__ import annotations

import ast
from pathlib import Path

from qualcode.resources import resource_path, resources_root

ROOT = Path(__file__).resolve().parent.parent


def test_resources_are_found_beside_the_package() -> None:
    assert resources_root() == ROOT / "resources"
    assert resource_path("samples").is_dir()


def test_pyinstaller_spec_names_the_entry_point_and_bundles_resources() -> None:
    spec = (ROOT / "qualcode.spec").read_text(encoding="utf-8")
    ast.parse(spec)  # valid Python
    assert '["qualcode/__main__.py"]' in spec
    assert '("resources", "resources")' in spec
    assert '"store/migrations/**/*.py"' in spec  # Alembic reads the migrations as files
    assert 'collect_submodules("qualcode"' in spec  # the window's features are loaded by name
    for test_only in ("pytest", "hypothesis", "mypy"):
        assert f'"{test_only}"' in spec
    assert (ROOT / "qualcode" / "__main__.py").is_file()
