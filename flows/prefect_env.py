"""Prefect's settings for callradar, set before Prefect is first imported.

Without a ``PREFECT_API_URL`` Prefect starts a temporary local server per process, backed
by ``$PREFECT_HOME/prefect.db``: the embedded default. These defaults keep that server in
callradar's data folder and make it reliable on a small, offline machine.
"""

from __future__ import annotations

import os

from callradar.settings import SettingsError, get_settings

# Seen here: the default 20 s start-up timeout was hit under load, and the telemetry
# lookup fails offline and logs a "database is locked" heartbeat error.
_DEFAULTS = {
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_UI_ENABLED": "false",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure() -> None:
    """Fill in Prefect's environment where the user set nothing."""
    for name, value in _DEFAULTS.items():
        os.environ.setdefault(name, value)
    if "PREFECT_HOME" not in os.environ:
        try:
            data_dir = get_settings().ensure_data_dir()
        except SettingsError:
            # Run at import: the command (or flow) that reads the settings next reports it.
            return
        os.environ["PREFECT_HOME"] = str(data_dir / "prefect")
