"""One typed settings object; every setting is an environment variable ``CALLRADAR_*``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="CALLRADAR_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite database, the outbox and generated packs.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: a SQLite file callradar.db in the data folder.",
    )
    mirror: str | None = Field(
        default=None,
        description="Send every source request to this recorded-site server instead "
        "(https://HOST/PATH becomes MIRROR/HOST/PATH).",
    )
    notify_policy: Literal["after-review", "immediate"] = Field(
        default="after-review",
        description="Tell members once the coordinator confirms a call, or as soon as it matches.",
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server; unset: e-mails are written to the outbox folder."
    )
    smtp_port: int = Field(default=587, description="SMTP port.")
    smtp_user: str | None = Field(default=None, description="SMTP user name.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Use STARTTLS with the SMTP server.")
    mail_from: str = Field(
        default="callradar@localhost", description="Sender address of the messages."
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of the web app, used in links in messages.",
    )
    timezone: str = Field(default="Europe/Warsaw", description="Time zone of schedules and dates.")

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'callradar.db'}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


@lru_cache
def get_settings() -> Settings:
    return Settings()
