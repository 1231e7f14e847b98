"""Database settings and the switch between an external server and the embedded one."""

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseSettings):
    """Where PostgreSQL is and how the pool behaves.

    `DATABASE_URL` unset means: start an embedded PostgreSQL (pgserver) in
    `EMBEDDED_DB_DIR` and use it.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "database_url"),
        description="postgresql:// URL of an external server; empty = embedded PostgreSQL.",
    )
    embedded_dir: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("EMBEDDED_DB_DIR", "embedded_db_dir"),
        description="Data folder of the embedded PostgreSQL; default DATA_DIR/postgres.",
    )
    embedded_name: str = Field(
        default="internhub",
        validation_alias=AliasChoices("EMBEDDED_DB_NAME", "embedded_db_name"),
    )
    pool_size: int = Field(default=10, ge=1, validation_alias=AliasChoices("DB_POOL_SIZE"))
    max_overflow: int = Field(default=10, ge=0, validation_alias=AliasChoices("DB_MAX_OVERFLOW"))
    pool_timeout: float = Field(
        default=10.0, gt=0, validation_alias=AliasChoices("DB_POOL_TIMEOUT")
    )
    pool_recycle_seconds: int = Field(
        default=300,
        ge=0,
        validation_alias=AliasChoices("DB_POOL_RECYCLE_SECONDS"),
        description="A pooled connection older than this is closed and replaced at its next "
        "checkout (0 = never), so no connection outlives a server's shutdown for long.",
    )
    pool_idle_seconds: int = Field(
        default=60,
        ge=0,
        validation_alias=AliasChoices("DB_POOL_IDLE_SECONDS"),
        description="The server closes a connection idle this long outside a transaction "
        "(PostgreSQL's idle_session_timeout, 14 and newer; 0 = never), so an idle pool "
        "keeps no server from shutting down.",
    )
    statement_timeout_ms: int = Field(
        default=30_000, ge=0, validation_alias=AliasChoices("DB_STATEMENT_TIMEOUT_MS")
    )
    echo: bool = Field(default=False, validation_alias=AliasChoices("DB_ECHO"))
    migrate_on_start: bool = Field(default=True, validation_alias=AliasChoices("MIGRATE_ON_START"))


def to_async_url(url: str) -> str:
    """Normalise any PostgreSQL URL to the SQLAlchemy asyncpg dialect."""
    for prefix in (
        "postgresql+asyncpg://",
        "postgresql+psycopg://",
        "postgresql://",
        "postgres://",
    ):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")
