"""A named daemon thread that runs one loop until stopped: how the embedded runtime runs its outbox worker and its
periodic jobs (on AWS, Lambda and EventBridge take their place)."""

from __future__ import annotations

import threading
from collections.abc import Callable


class BackgroundThread:
    """``start(loop)`` runs ``loop`` in a daemon thread (once: a second start while it runs does nothing); the loop
    paces itself with ``wait``, which returns True once ``stop`` was called; ``stop`` then waits up to 5 s for it."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, loop: Callable[[], None]) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=loop, name=self._name, daemon=True)
        self._thread.start()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True (at once) when the thread is being stopped."""
        return self._stop.wait(seconds)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
