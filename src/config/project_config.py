"""Project settings, read from the environment and `.env` (pydantic-settings)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from .database.db_config import DatabaseSettings


class ProjectSettings(BaseSettings):
    """Every setting of the application; README lists them all."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_nested_delimiter="__",
    )

    app_name: str = "InternHub"
    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    data_dir: Path = Field(
        default=Path(".data"),
        description="Folder for local state: the embedded PostgreSQL, uploaded files.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr("change-me-in-production-please-32+chars"),
        description="Key that signs access tokens; set a long random value in production.",
    )
    max_request_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest accepted request body for ordinary (JSON) endpoints.",
    )
    cors_origins: list[str] = Field(default_factory=list)

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)


@lru_cache
def get_settings() -> ProjectSettings:
    """The process-wide settings, read once."""
    return ProjectSettings()
