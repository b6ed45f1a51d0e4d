"""Adapters built on first use, so a cold start does not import what the request in hand does not need.

PDF signing and signature validation pull in pyHanko, fontTools and aiohttp (about 0.3 s of imports); on Lambda
every cold start would pay for them although few requests sign or verify. ``Lazy(factory)`` stands in for the
adapter: the first attribute access calls ``factory()`` (which does the imports) once, under a lock, and every
access after that goes straight to the built adapter. Behaviour is otherwise the adapter's own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Lazy:
    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._target: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._target is None:
            with self._lock:
                if self._target is None:
                    self._target = self._factory()
        return self._target

    def __getattr__(self, name: str) -> Any:  # only called for names not found on the proxy itself
        return getattr(self._get(), name)
