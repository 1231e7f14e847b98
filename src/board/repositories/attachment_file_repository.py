"""Attachment files on disk, under generated names (never the uploaded name)."""

import os
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import BinaryIO

CHUNK = 1024 * 1024


class FileTooLargeError(Exception):
    pass


class AttachmentFileRepository:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, storage_name: str) -> Path:
        if not storage_name.isalnum():  # generated hex only: no path tricks possible
            raise ValueError("invalid storage name")
        return self.root / storage_name[:2] / storage_name

    def store(self, source: BinaryIO, *, max_bytes: int) -> tuple[str, int, bytes]:
        """Copy the upload under a new name; returns (name, size, first bytes for sniffing).
        Nothing is left behind when the file is too large."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        size = 0
        head = b""
        try:
            with os.fdopen(fd, "wb") as target:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLargeError
                    if len(head) < 8192:
                        head += chunk[: 8192 - len(head)]
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
