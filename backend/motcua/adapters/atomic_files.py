"""Writing a file so that a reader never sees half of it and a crash never leaves one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write to a temporary file beside ``path``, fsync, then rename over it.

    mkstemp creates the file with O_EXCL and mode 0600, so a key is never readable by others, not even for a
    moment; ``mode`` (when given) is set explicitly because the umask could only have narrowed it further.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
