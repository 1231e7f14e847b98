"""Uploaded export files, kept under DATA_DIR/imports until their import succeeds
(or, failed, until the retention for retries runs out)."""

from ...lib.file_store import FileStore, FileTooLargeError

__all__ = ["FileTooLargeError", "UploadFileRepository"]


class UploadFileRepository(FileStore):
    """A few files at a time (imports in progress or failed): one flat folder."""
