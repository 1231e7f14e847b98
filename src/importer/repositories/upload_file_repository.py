"""Uploaded export files, kept under DATA_DIR/imports until their import succeeds
(or, failed, until the retention for retries runs out)."""

import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class UploadTooLargeError(Exception):
    pass


class UploadFileRepository:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, storage_name: str) -> Path:
        if not storage_name.isalnum():  # generated hex only: no path tricks possible
            raise ValueError("invalid storage name")
        return self.root / storage_name

    def store(self, source: BinaryIO, *, max_bytes: int) -> tuple[str, int]:
        """Copy the upload under a new name, streaming; nothing is left when too large."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        size = 0
        try:
            with os.fdopen(fd, "wb") as target:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadTooLargeError
                    target.write(chunk)
            storage_name = uuid.uuid4().hex
            shutil.move(tmp_name, self.path_of(storage_name))
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return storage_name, size

    def remove(self, storage_name: str) -> None:
        self.path_of(storage_name).unlink(missing_ok=True)

    def files_older_than(self, seconds: float) -> list[str]:
        """Stored files (their storage names) last written more than `seconds` ago."""
        return [name for name, _ in self._entries_older_than(seconds) if name.isalnum()]

    def remove_partial_older_than(self, seconds: float) -> int:
        """Half-written uploads (a process died while copying): removed; how many."""
        removed = 0
        for name, path in self._entries_older_than(seconds):
            if name.startswith(".upload-"):
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def _entries_older_than(self, seconds: float) -> list[tuple[str, Path]]:
        if not self.root.is_dir():
            return []
        cutoff = time.time() - seconds
        found = []
        with os.scandir(self.root) as entries:
            for entry in entries:
                try:
                    if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                        found.append((entry.name, Path(entry.path)))
                except FileNotFoundError:  # removed meanwhile
                    continue
        return found
