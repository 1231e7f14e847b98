"""Errors of the importer context."""

from typing import Any

from ..lib.errors import AppError, ConflictError, NotFoundError, UnprocessableError


class InvalidExportError(UnprocessableError):
    """The uploaded file is not what the import expects; the detail says what is wrong."""

    code = "invalid_export"
    title = "Invalid export file"

    def __init__(self, detail: str, *, field: str = "file") -> None:
        super().__init__(detail, field=field)


class ImportTooLargeError(AppError):
    status_code = 413
    code = "payload_too_large"
    title = "Payload too large"


class InvalidImportOptionError(UnprocessableError):
    code = "invalid_import_option"
    title = "Invalid import option"

    def __init__(self, detail: str, *, field: str) -> None:
        super().__init__(detail, field=field)


class DuplicateImportError(ConflictError):
    code = "already_imported"
    title = "Board already imported"

    def __init__(self, board_id: int) -> None:
        self.board_id = board_id
        extra: dict[str, Any] = {"board_id": board_id}
        super().__init__(
            "This export was imported into the project before; "
            "send allow_copy=true to import it again as a copy.",
            extra=extra,
        )


class ImportJobNotFoundError(NotFoundError):
    code = "import_not_found"
    title = "Import not found"

    def __init__(self) -> None:
        super().__init__("Import not found.")


class ImportNotRetryableError(ConflictError):
    code = "import_not_retryable"
    title = "Import cannot be retried"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
