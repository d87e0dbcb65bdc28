"""One typed settings object; every setting is an environment variable ``CALLRADAR_*``."""

from __future__ import annotations

import os
import secrets
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def mirror_address(value: str | None) -> str | None:
    """Mirror mode's server as CALLRADAR_MIRROR or --mirror gives it: an http(s) address
    without its trailing slash, or None; ValueError on anything else."""
    if not value:
        return None
    if not value.startswith(("http://", "https://")):
        raise ValueError(f"{value!r} is not an http:// or https:// address")
    return value.rstrip("/")


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
    mirror_timeout: float = Field(
        default=15.0, gt=0, description="Seconds to wait for an answer of the mirror."
    )

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        # Checked here, not when the first query fails deep inside a command.
        if value:
            try:
                make_url(value)
            except ArgumentError:
                # Without the value: a URL may hold a password.
                raise ValueError(
                    "not a database URL (sqlite:///PATH, postgresql+psycopg://…)"
                ) from None
        return value or None

    @field_validator("mirror")
    @classmethod
    def _mirror_url(cls, value: str | None) -> str | None:
        return mirror_address(value)

    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs the web app's session cookies and e-mailed links; "
        "default: a random key generated once into the file secret_key in the data folder.",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send the session cookie over HTTPS only; default: yes when "
        "CALLRADAR_BASE_URL starts with https://.",
    )
    base_url: str | None = Field(
        default=None,
        description="The web app's public address (https://radar.example.org), used in "
        "e-mailed links and calendar feeds; default: the address a request came to.",
    )

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http:// or https:// address")
        return value.rstrip("/")

    # Matching and notifications (matching/).
    match_min_score: float = Field(
        default=0.3,
        ge=0,
        le=1,
        description="Lowest score (0..1) a call must reach against a member to be stored as "
        "a match and told to its contacts.",
    )
    flag_threshold: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description="A call with a match at or above this score is flagged for the "
        "coordinator's review.",
    )
    notify_policy: Literal["after-review", "immediate"] = Field(
        default="after-review",
        description="after-review: members hear of a call once the coordinator confirms it; "
        "immediate: as soon as it matches (a dismissed call is never sent).",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for e-mail notifications; unset: e-mails are written as .eml "
        "files to the outbox folder.",
    )
    smtp_port: int = Field(default=587, description="SMTP port (465 means implicit TLS).")
    smtp_user: str | None = Field(default=None, description="SMTP login, if the server wants one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS (not on port 465)."
    )
    mail_from: str = Field(
        default="callradar <noreply@localhost>",
        description="The From address of notification e-mails.",
    )
    outbox_dir: Path | None = Field(
        default=None,
        description="Folder where e-mails go as .eml files when no SMTP server is set; "
        "default: outbox in the data folder.",
    )
    timezone: str = Field(
        default="Europe/Warsaw",
        description="Time zone of digest times, dates in messages, and the day against which "
        "deadlines pass and calls open.",
    )
    digest_hour: int = Field(
        default=8, ge=0, le=23, description="Local hour at which daily and weekly digests go."
    )
    digest_weekday: int = Field(
        default=0, ge=0, le=6, description="Day of the weekly digest: 0 = Monday … 6 = Sunday."
    )
    notify_lease_seconds: int = Field(
        default=600,
        ge=1,
        description="A message claimed by a sender that died is sent again after this long.",
    )
    notify_max_attempts: int = Field(
        default=8,
        ge=1,
        description="Attempts per message before it is marked failed (retries back off from "
        "1 minute to 12 hours).",
    )
    daily_cron: str = Field(
        default="0 6 * * *",
        description="When the daily flow runs (cron, in CALLRADAR_TIMEZONE) under "
        "`callradar schedule` or a Prefect server.",
    )
    source_health_cron: str = Field(
        default="30 7 * * *",
        description="When the source-health check runs (cron, in CALLRADAR_TIMEZONE).",
    )
    coordinator_email: str | None = Field(
        default=None,
        description="Where source alerts go by e-mail (one or more addresses, comma-"
        "separated); default: every active coordinator user of the web app.",
    )
    alert_webhook: str | None = Field(
        default=None,
        description="Apprise URL of a chat channel that also gets source alerts.",
    )
    alert_repeat_days: int = Field(
        default=7,
        ge=1,
        description="Days before a source problem that lasts is alerted again (its start "
        "and its end are alerted once each).",
    )
    webhook_allowed_hosts: str = Field(
        default="",
        description="Hosts (names or addresses, comma-separated) members' chat webhooks may "
        "reach although private or over plain HTTP, e.g. the cluster's own Mattermost.",
    )

    @field_validator("coordinator_email")
    @classmethod
    def _coordinator_email(cls, value: str | None) -> str | None:
        # Checked here: a list given as it is, or a typo, made every source alert fail (and
        # the chat alert after it was never sent).
        addresses = [a.strip() for a in (value or "").split(",") if a.strip()]
        for address in addresses:
            try:
                validate_email(address, check_deliverability=False)
            except EmailNotValidError as exc:
                raise ValueError(f"{address!r} is not an e-mail address: {exc}") from None
        return ", ".join(addresses) or None

    @property
    def coordinator_emails(self) -> list[str]:
        return self.coordinator_email.split(", ") if self.coordinator_email else []

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone (e.g. Europe/Warsaw)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self, now: datetime | None = None) -> date:
        """The cluster's date, in CALLRADAR_TIMEZONE: the one day against which the crawler,
        the store, the matcher and the web app judge whether a deadline has passed or a call
        has opened (on the UTC date they disagreed for an hour or two after midnight)."""
        return (now or datetime.now(UTC)).astimezone(self.zone).date()

    @property
    def link_base_url(self) -> str:
        """Where links in e-mails point: the public address, or the address
        `callradar serve` listens on by default."""
        return (self.base_url or "http://127.0.0.1:8000").rstrip("/")

    @property
    def allowed_webhook_hosts(self) -> frozenset[str]:
        return frozenset(
            h.strip().strip("[]").rstrip(".").lower()
            for h in self.webhook_allowed_hosts.split(",")
            if h.strip()
        )

    @property
    def resolved_outbox_dir(self) -> Path:
        return self.outbox_dir or self.data_dir / "outbox"

    @property
    def resolved_cookie_secure(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return bool(self.base_url and self.base_url.startswith("https://"))

    def resolved_secret_key(self) -> str:
        """The configured key, or the one kept in the data folder (made on first use)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.ensure_data_dir() / "secret_key"
        if not path.exists():
            tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
                f.write(secrets.token_urlsafe(48))
            try:
                # A hard link never replaces: of two processes starting at once, one key wins.
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text(encoding="ascii").strip()

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'callradar.db'}"

    def ensure_data_dir(self) -> Path:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(
                f"bad setting {_variable('data_dir')}: cannot make the folder {self.data_dir} "
                f"({exc.strerror or exc})"
            ) from None
        return self.data_dir


class SettingsError(Exception):
    """A setting of the environment (or .env) that is not valid: each one named."""

    @classmethod
    def of(cls, error: ValidationError) -> SettingsError:
        return cls(
            "; ".join(
                # The value is left out: it may be a password or a key.
                f"bad setting {_variable('_'.join(map(str, e['loc'])))}: "
                f"{e['msg'].removeprefix('Value error, ')}"
                for e in error.errors()
            )
        )


def _variable(field: str) -> str:
    return f"{Settings.model_config.get('env_prefix', '')}{field.upper()}"


@lru_cache
def get_settings() -> Settings:
    """The settings, read once; SettingsError names every bad one."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError.of(exc) from None
