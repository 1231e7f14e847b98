"""Files kept on local disk under generated names (never the uploaded name): the one
store behind card attachments and uploaded board exports."""

import logging
import os
import shutil
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
HEAD_BYTES = 8192  # what `store` returns of the file's start, for content sniffing
PARTIAL_PREFIX = ".upload-"
# A file unfinished (or stored and never referenced) this long was abandoned: a request
# writing one now is never that slow.
ABANDONED_AFTER_SECONDS = 3600.0


# Characters that change how a name displays without showing themselves: the
# bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C: with
# U+202E "\u202egnp.exe" shows as "exe.png") and the other format characters (zero-width
# spaces and joiners, the byte order mark, soft hyphens: Unicode category Cf), and the
# line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def strip_invisible(name: str) -> str:
    """An uploaded file's name as it will be shown: without invisible characters that
    could make it look like another name."""
    return "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


class FileTooLargeError(Exception):
    pass


class FileStore:
    """Files under `root`; with `fan_out`, in sub-folders named by the first two
    characters of the name (many files: no folder grows past a few thousand entries)."""

    def __init__(self, root: Path, *, fan_out: bool = False) -> None:
        self.root = root
        self.fan_out = fan_out

    def path_of(self, storage_name: str) -> Path:
        if not storage_name.isalnum():  # generated hex only: no path tricks possible
            raise ValueError("invalid storage name")
        if self.fan_out:
            return self.root / storage_name[:2] / storage_name
        return self.root / storage_name

    def store(self, source: BinaryIO, *, max_bytes: int) -> tuple[str, int, bytes]:
        """Copy the upload under a new name, streaming: (name, size, first bytes).
        Nothing is left behind when the file is too large or the copy fails."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=PARTIAL_PREFIX)
        size = 0
        head = b""
        try:
            with os.fdopen(fd, "wb") as target:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLargeError
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    target.write(chunk)
            storage_name = uuid.uuid4().hex
            final = self.path_of(storage_name)
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(tmp_name, final)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return storage_name, size, head

    def remove(self, storage_name: str) -> None:
        self.path_of(storage_name).unlink(missing_ok=True)

    def remove_all(self, storage_names: list[str]) -> int:
        """Remove each file; one that cannot be removed is logged and the rest go on.
        How many were removed (or already gone)."""
        removed = 0
        for storage_name in storage_names:
            try:
                self.remove(storage_name)
            except OSError as exc:
                logger.warning("could not remove %s: %s", self.path_of(storage_name), exc)
                continue
            removed += 1
        return removed

    def files_older_than(self, seconds: float) -> list[str]:
        """Stored files (their storage names) last written more than `seconds` ago."""
        folders = [self.root]
        if self.fan_out and self.root.is_dir():
            folders = [p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 2]
        return [
            name
            for folder in folders
            for name, _ in _entries_older_than(folder, seconds)
            if name.isalnum()
        ]

    def remove_partial_older_than(self, seconds: float) -> int:
        """Half-written uploads (a process died while copying): removed; how many."""
        removed = 0
        for name, path in _entries_older_than(self.root, seconds):
            if name.startswith(PARTIAL_PREFIX):
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    logger.warning("could not remove %s: %s", path, exc)
                    continue
                removed += 1
        return removed


def _entries_older_than(folder: Path, seconds: float) -> list[tuple[str, Path]]:
    if not folder.is_dir():
        return []
    cutoff = time.time() - seconds
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                    found.append((entry.name, Path(entry.path)))
            except FileNotFoundError:  # removed meanwhile
                continue
    return found
