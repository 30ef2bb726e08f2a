"""Where attached files live. Services see only the `Storage` interface; the local filesystem is the one
implementation today (an object store can take its place without touching a service).

A file is stored under a random key, never under the name a person gave it: the name is only data
in the database. Keys are random rather than the content's hash so that removing the files of a
failed transaction can never remove a file an earlier attachment shares."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024
_KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, stream: BinaryIO) -> Stored:
        """Copies the stream (from where it stands) into the store; complete or not at all."""

    def open(self, key: str) -> BinaryIO:
        """Raises FileNotFoundError for a key the store does not hold."""

    def delete(self, key: str) -> None:
        """Removes the file if it is there."""


class LocalStorage:
    """Files under `root/<first two hex digits>/<32 hex digits>`, written to a temporary file in the same
    directory, flushed to disk, then renamed into place: a reader never sees half a file, and a crash
    leaves at most a `.part` file, never a short file under a real key."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise FileNotFoundError(key)  # a key from elsewhere never names a path outside the store
        return self.root / key[:2] / key

    def save(self, stream: BinaryIO) -> Stored:
        key = secrets.token_hex(16)
        final = self._path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{key}.part")
        digest, size = hashlib.sha256(), 0
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o640)
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return Stored(key=key, size=size, sha256=digest.hexdigest())

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        if _KEY.fullmatch(key):  # anything else is not a key of this store: nothing of ours to remove
            self._path(key).unlink(missing_ok=True)
