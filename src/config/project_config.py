"""Project settings, read from the environment and `.env` (pydantic-settings)."""

import os
import secrets
import time
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..lib.rate_limit import RateLimit
from .database.db_config import DatabaseSettings

_ENV = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")


class AuthSettings(BaseSettings):
    """Tokens, invitations and login throttling."""

    model_config = _ENV

    access_token_ttl_minutes: int = Field(default=15, ge=1, le=24 * 60)
    refresh_token_ttl_days: int = Field(default=30, ge=1, le=365)
    invitation_ttl_days: int = Field(default=7, ge=1, le=90)
    password_reset_ttl_hours: int = Field(default=24, ge=1, le=24 * 14)
    login_window_minutes: int = Field(default=15, ge=1)
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_ip: int = Field(default=20, ge=1)


class SmtpSettings(BaseSettings):
    """Outgoing e-mail; with no SMTP_HOST nothing is sent and links are only returned."""

    model_config = SettingsConfigDict(
        env_prefix="SMTP_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str | None = None
    port: int = Field(default=25, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    sender: str = Field(default="InternHub <noreply@localhost>")
    starttls: bool = False
    ssl: bool = False
    timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def enabled(self) -> bool:
        return bool(self.host)


class AnalyticsSettings(BaseSettings):
    """The in-process cache of whole-internship dashboards (see the analytics service)."""

    model_config = SettingsConfigDict(
        env_prefix="ANALYTICS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    cache_max_age_seconds: float = Field(
        default=60.0,
        ge=0,
        description="Oldest cached internship dashboard served, even when no write has "
        "touched the internship since (flags measured against «now» move with time); "
        "0 turns the cache off.",
    )


class RateLimitSettings(BaseSettings):
    """Per-user limits on writes (429 with Retry-After past them); 0 turns one off."""

    model_config = SettingsConfigDict(
        env_prefix="RATE_LIMIT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    comments_per_minute: int = Field(default=30, ge=0)
    attachments_per_minute: int = Field(
        default=20, ge=0, description="Files uploaded and links added to cards."
    )
    invitations_per_hour: int = Field(default=100, ge=0)
    password_resets_per_hour: int = Field(default=30, ge=0)
    imports_per_hour: int = Field(default=20, ge=0)

    @property
    def comments(self) -> RateLimit:
        return RateLimit.per_minute("comments", self.comments_per_minute)

    @property
    def attachments(self) -> RateLimit:
        return RateLimit.per_minute("attachments", self.attachments_per_minute)

    @property
    def invitations(self) -> RateLimit:
        return RateLimit.per_hour("invitations", self.invitations_per_hour)

    @property
    def password_resets(self) -> RateLimit:
        return RateLimit.per_hour("password reset links", self.password_resets_per_hour)

    @property
    def imports(self) -> RateLimit:
        return RateLimit.per_hour("imports", self.imports_per_hour)


class ProjectSettings(BaseSettings):
    """Every setting of the application; README lists them all."""

    model_config = _ENV

    app_name: str = "InternHub"
    environment: Literal["development", "test", "production"] = "development"
    log_level: str = "INFO"
    data_dir: Path = Field(
        default=Path(".data"),
        description="Folder for local state: the generated secret key, uploaded files.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs access tokens. Unset: a random key is generated once "
        "and kept in DATA_DIR/secret_key.",
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Address users open; used in links sent by e-mail.",
    )
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    attachment_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest file attached to a card."
    )
    import_max_bytes: int = Field(
        default=100 * 1024 * 1024,
        ge=1024,
        description="Largest board export (Trello or InternHub JSON) accepted for import.",
    )
    project_storage_quota_bytes: int = Field(
        default=1024**3,
        ge=0,
        description="Total size of the attached files (not removed) of one project; "
        "0 means no quota.",
    )
    import_failed_retention_days: int = Field(
        default=14,
        ge=1,
        description="Days a failed import keeps its uploaded file for a retry; then the "
        "file is removed (at start-up and by `internhub prune-imports`).",
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    analytics: AnalyticsSettings = Field(default_factory=AnalyticsSettings)
    rate_limits: RateLimitSettings = Field(default_factory=RateLimitSettings)

    @model_validator(mode="after")
    def _derived_paths(self) -> "ProjectSettings":
        if self.database.embedded_dir is None:
            self.database.embedded_dir = self.data_dir / "postgres"
        return self

    @model_validator(mode="after")
    def _strong_secret(self) -> "ProjectSettings":
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters long")
        return self

    def signing_key(self) -> str:
        """SECRET_KEY, or the key generated once for this installation."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        return _installation_key(self.data_dir)


@lru_cache
def _installation_key(data_dir: Path) -> str:
    """Read the key, or create it exactly once (several workers may start together)."""
    path = data_dir / "secret_key"
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if len(key) >= 32:
                return key
            time.sleep(0.05)
        raise RuntimeError(f"{path} holds no usable key; delete it or set SECRET_KEY") from None
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@lru_cache
def get_settings() -> ProjectSettings:
    """The process-wide settings, read once."""
    return ProjectSettings()
