"""The schedules, in one place: which flow runs when, and serving them.

``callradar schedule`` serves these deployments from one long-running process; with no
Prefect server configured it starts one on loopback first (cron schedules do not fire on
Prefect's temporary per-process server).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast
from uuid import UUID

from prefect import deploy, serve
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import ObjectNotFound
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL, temporary_settings

from callradar.settings import Settings, get_settings
from flows.daily import daily
from flows.digest import digest
from flows.source_health import source_health

# A run that would overlap a running one is cancelled, not queued: tomorrow's run catches up.
ONE_AT_A_TIME = ConcurrencyLimitConfig(
    limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
)


def deployments(
    settings: Settings | None = None, entrypoint_type: EntrypointType = EntrypointType.FILE_PATH
) -> list[RunnerDeployment]:
    settings = settings or get_settings()
    zone = settings.timezone
    # Prefect types these calls as maybe coroutines; called from sync code they are not.
    return cast(list[RunnerDeployment], [
        daily.to_deployment(
            name="daily",
            schedule=Cron(settings.daily_cron, timezone=zone),
            parameters={"mirror": settings.mirror},
            concurrency_limit=ONE_AT_A_TIME,
            entrypoint_type=entrypoint_type,
        ),
        digest.to_deployment(
            name="digest",
            schedule=Cron(f"0 {settings.digest_hour} * * *", timezone=zone),
            concurrency_limit=ONE_AT_A_TIME,
            entrypoint_type=entrypoint_type,
        ),
        source_health.to_deployment(
            name="source-health",
            schedule=Cron(settings.source_health_cron, timezone=zone),
            concurrency_limit=ONE_AT_A_TIME,
            entrypoint_type=entrypoint_type,
        ),
    ])


class MissingWorkPool(LookupError):
    """The work pool named for the deployments does not exist on the server."""


def deploy_to_pool(work_pool: str, settings: Settings | None = None) -> list[UUID]:
    """Register every deployment, with its schedule and limit, on the configured Prefect
    server, to be run by the workers of ``work_pool`` (a process pool).

    The flows are named by module (``flows.daily:daily``), not by a file path, so each worker
    runs them from the checkout it was started in, wherever that is on its machine.
    Raises MissingWorkPool when the server has no such pool.
    """
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(work_pool)
        except ObjectNotFound:
            raise MissingWorkPool(
                f"the Prefect server has no work pool {work_pool!r}; create it with "
                f"`prefect work-pool create {work_pool} --type process`"
            ) from None
    ids = deploy(
        *deployments(settings, EntrypointType.MODULE_PATH),
        work_pool_name=work_pool,
        print_next_steps_message=False,
    )
    return cast(list[UUID], ids)


def serve_schedules(port: int = 4200) -> None:
    """Serve every deployment on its schedule until interrupted; with no Prefect server
    configured, one is started on 127.0.0.1:``port``."""
    try:
        with prefect_server(port):
            serve(*deployments())
    except KeyboardInterrupt:
        # Ctrl-C before serving had begun (Prefect's serve takes it only once it runs): the
        # server is stopped all the same, and stopping is no error.
        pass


@contextmanager
def prefect_server(port: int = 4200) -> Iterator[str]:
    """The configured Prefect API, or a server started on loopback for as long as needed."""
    configured = PREFECT_API_URL.value()  # the environment or the user's Prefect profile
    if configured:
        yield str(configured)
        return
    url = f"http://127.0.0.1:{port}/api"
    log = Path(os.environ["PREFECT_HOME"]) / "server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "prefect",
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own process group: the server runs uvicorn in a child, stopped with it.
            start_new_session=True,
        )
    try:
        wait_for(url, server)
        # Prefect read its settings when first imported, so the variable alone would leave
        # this process's clients on a temporary server (where schedules never fire); the
        # variable is for the flow-run processes that serving starts.
        os.environ["PREFECT_API_URL"] = url
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(server)


# How long the server is given to finish its requests and close its database once told to
# stop, before it is killed: an orphaned server would keep its port and its CPU.
_STOP_SECONDS = 30


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server and its uvicorn child (its process group), killing them if slow."""
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_for(url: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the Prefect server at {url} did not answer within {timeout:.0f} s")
