"""Attachment files on disk, under generated names (never the uploaded name)."""

from pathlib import Path

from ...lib.file_store import FileStore, FileTooLargeError

__all__ = ["AttachmentFileRepository", "FileTooLargeError"]


class AttachmentFileRepository(FileStore):
    def __init__(self, root: Path) -> None:
        super().__init__(root, fan_out=True)
