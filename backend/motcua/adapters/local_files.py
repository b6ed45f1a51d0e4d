"""File port on a local folder (embedded default). Keys are opaque slash-separated names chosen by services."""

from __future__ import annotations

import re
from pathlib import Path

from motcua.adapters.atomic_files import write_atomically

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*(/[A-Za-z0-9][A-Za-z0-9._\-]*)*$")


def validate_prefix(prefix: str) -> str:
    """``prefix`` if it names a folder of keys ("samples/1.000894/"), else ValueError."""
    if not isinstance(prefix, str) or not prefix.endswith("/"):
        raise ValueError(f"invalid storage prefix: {prefix!r}")
    validate_key(prefix[:-1])
    return prefix


def validate_key(key: str) -> str:
    """``key`` if it is a well-formed storage key (every file store accepts the same keys), else ValueError."""
    # Keys never come from users, but a path trick must be impossible even if one ever does.
    if not isinstance(key, str) or len(key) > 512 or not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"invalid storage key: {key!r}")
    return key


class LocalFileStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        validate_key(key)
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str) -> list[str]:
        folder = self._path(validate_prefix(prefix)[:-1])
        if not folder.is_dir():
            return []
        return sorted(
            path.relative_to(self.root).as_posix() for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith(".tmp-")  # a write in progress is not a key yet
        )
