"""Lambda entry points for the non-HTTP events of the AWS runtime (see README.md in this folder).

Each module exposes ``handler(event, context)`` and is referenced as ``functions/<module>.handler``. When the
``motcua`` package is not installed (a zip that holds the repository layout), ``backend/`` is put on the path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if importlib.util.find_spec("motcua") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend"))
