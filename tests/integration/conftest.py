"""Fixtures shared by the integration tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from motcua.adapters.catalog_files import DEFAULT_DATA_DIR


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A scratch copy of the packaged catalog data (without the calendar) for a test to break."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("calendar.yaml"))
    return target
