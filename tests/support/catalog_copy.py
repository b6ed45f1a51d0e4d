"""A scratch copy of the packaged catalog data for a test to break (``data_copy``, a fixture every test can use:
``tests/conftest.py`` imports it), and ``edit`` to change one spot of a copied file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from motcua.adapters.catalog_files import DEFAULT_DATA_DIR


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """The packaged data directory (without the calendar) copied under ``tmp_path``."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("calendar.yaml"))
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return the 1-based line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, start) + 1
