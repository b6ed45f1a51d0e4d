"""Editing a copied data file in a test."""

from __future__ import annotations

from pathlib import Path


def edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return the 1-based line where ``new`` starts."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    start = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, start) + 1
