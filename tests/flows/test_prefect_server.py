"""The daily deployment through a real Prefect server and process worker on loopback;
`callradar schedule`'s serving on a server of its own; the schedules as declared."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import func, select

from callradar import db
from callradar.models import Call
from callradar.settings import get_settings
from crawlers.mirror_server import MirrorServer
from flows import deploy
from flows.deploy import ONE_AT_A_TIME, deployments, wait_for
from tests.loopback import free_port

ROOT = Path(__file__).parents[2]
SERVE = "import sys; from flows.deploy import serve_schedules; serve_schedules(int(sys.argv[1]))"
DEAF_TO_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ready', flush=True); time.sleep(600)"
)


def test_deployments_are_scheduled_in_warsaw_one_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CALLRADAR_DAILY_CRON", "15 5 * * 1-5")
    monkeypatch.setenv("CALLRADAR_SOURCE_HEALTH_CRON", "45 6 * * *")
    monkeypatch.setenv("CALLRADAR_DIGEST_HOUR", "9")
    monkeypatch.setenv("CALLRADAR_MIRROR", "http://127.0.0.1:8765")
    get_settings.cache_clear()
    found = {d.name: d for d in deployments()}
    crons = {name: cron_of(d) for name, d in found.items()}
    assert {name: c.cron for name, c in crons.items()} == {
        "daily": "15 5 * * 1-5", "digest": "0 9 * * *", "source-health": "45 6 * * *",
    }
    assert {c.timezone for c in crons.values()} == {"Europe/Warsaw"}
    for deployment in found.values():
        assert deployment.concurrency_limit == ONE_AT_A_TIME.limit
        assert deployment.concurrency_options is not None
        assert deployment.concurrency_options.collision_strategy == ONE_AT_A_TIME.collision_strategy
    assert found["daily"].parameters == {"mirror": "http://127.0.0.1:8765"}


def cron_of(deployment: RunnerDeployment) -> CronSchedule:
    assert deployment.schedules is not None
    [entry] = deployment.schedules
    assert isinstance(entry.schedule, CronSchedule)
    return entry.schedule


@pytest.mark.slow
@pytest.mark.prefect_server
def test_daily_deployment_runs_on_a_server_and_worker_one_at_a_time(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    # A database nobody has migrated: the flow run is the first to touch it.
    db_url = f"sqlite:///{tmp_path / 'worker.db'}"
    run_env = {"CALLRADAR_DATABASE_URL": db_url, "CALLRADAR_DATA_DIR": str(tmp_path / "data")}
    env = {
        **{k: v for k, v in os.environ.items() if k not in run_env},
        "PREFECT_HOME": str(tmp_path / "prefect-server"),
        "PREFECT_API_URL": api,
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker: subprocess.Popen[bytes] | None = None
    try:
        wait_for(api, server)
        prefect = [sys.executable, "-m", "prefect"]
        subprocess.run([*prefect, "work-pool", "create", "callradar-test", "--type", "process"],
                       env=env, check=True, capture_output=True)
        # The schedules of flows/deploy.py registered against the pool, the daily run's
        # mirror taken from the settings as on any machine.
        deployed = subprocess.run(
            [str(Path(sys.executable).parent / "callradar"), "deploy", "--pool", "callradar-test"],
            env={**env, "CALLRADAR_MIRROR": mirror.url}, check=True, capture_output=True,
            text=True, cwd=ROOT)
        assert "Registered 3 deployment(s)" in deployed.stdout
        for name in ("daily/daily", "digest/digest", "source-health/source-health"):
            with urllib.request.urlopen(f"{api}/deployments/name/{name}", timeout=5) as answer:
                registered = json.load(answer)
            assert registered["work_pool_name"] == "callradar-test"
            [schedule] = registered["schedules"]
            assert schedule["active"] and schedule["schedule"]["timezone"] == "Europe/Warsaw"
        # Two runs asked for at once (a schedule and a click, say): the deployment's limit
        # of one cancels whichever comes second instead of running two copies. Each run
        # gets its database and data folder as job variables, and one source only.
        run_ids = []
        for _ in range(2):
            started = subprocess.run(
                [*prefect, "deployment", "run", "daily/daily", "--param", 'sources=["ncn"]',
                 "--job-variable", f"env={json.dumps(run_env)}"],
                env=env, check=True, capture_output=True, text=True,
            )
            run_ids.append(next(line.split()[-1] for line in started.stdout.splitlines()
                                if "UUID" in line))
        worker = subprocess.Popen(
            [*prefect, "worker", "start", "--pool", "callradar-test"], env=env, cwd=ROOT,
            stdout=log, stderr=subprocess.STDOUT,
        )
        states = sorted(_wait_for_end(api, run_id, timeout=300) for run_id in run_ids)
        assert states == ["CANCELLED", "COMPLETED"], (
            (tmp_path / "server.log").read_text()[-3000:]
        )
    finally:
        # Stopping is not what this test checks: on a loaded machine the worker has taken
        # over 30 s to wind down after its runs ended, so it gets a minute, then is killed.
        if worker is not None:
            worker.terminate()
            _wait_or_kill(worker)
        os.killpg(server.pid, signal.SIGTERM)  # the server and its uvicorn child
        _wait_or_kill(server, group=True)
        log.close()
    engine = db.make_engine(db_url)
    with db.session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Call).where(
            Call.source == "ncn")), "the flow run stored no call"
    engine.dispose()


@pytest.mark.slow
@pytest.mark.prefect_server
def test_schedule_serves_on_a_prefect_server_of_its_own(tmp_path: Path) -> None:
    """With no Prefect server configured, serving starts one and registers the deployments
    there, so that their cron schedules fire (never on a temporary per-process server)."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "CALLRADAR_DATA_DIR": str(tmp_path / "data"),
        "CALLRADAR_DATABASE_URL": f"sqlite:///{tmp_path / 'callradar.db'}",
        # The server's scheduler looks for schedules to fill every second, not every minute.
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "1",
    }
    with (tmp_path / "serve.log").open("wb") as log:
        serving = subprocess.Popen([sys.executable, "-c", SERVE, str(port)], env=env, cwd=ROOT,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    servers: dict[int, str] = {}
    try:
        runs = _scheduled_runs(api, "daily", timeout=240)
        assert runs, (tmp_path / "serve.log").read_text()[-3000:]
        # Served through the server it started, not a temporary one of its own beside it
        # (two servers writing one SQLite file).
        servers = {pid: c for pid, c in _descendants(serving.pid).items()
                   if "server start" in c or "prefect.server.api.server:create_app" in c}
        assert servers and all(f"--port {port}" in c for c in servers.values()), servers
    finally:
        # Ctrl-C, as a person stops `callradar schedule`: the server it started goes too.
        # (Its shutdown, then the server's, can take a minute on a loaded machine.)
        serving.send_signal(signal.SIGINT)
        _wait_or_kill(serving, group=True, timeout=150)
        # The server runs in a process group of its own, which killing serving's misses.
        outlived = {pid: c for pid, c in servers.items() if _running(pid)}
        for pid in outlived:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    # Stopped by itself (at whatever point of starting or serving the Ctrl-C came), not
    # killed, and its server with it.
    assert serving.returncode == 0, (tmp_path / "serve.log").read_text()[-3000:]
    assert not outlived, f"left running after `callradar schedule` stopped: {outlived}"
    warsaw = ZoneInfo("Europe/Warsaw")
    starts = [datetime.fromisoformat(r["expected_start_time"]).astimezone(warsaw) for r in runs]
    assert {(t.hour, t.minute) for t in starts} == {(6, 0)}, starts  # 0 6 * * *, local time


def test_ctrl_c_while_serving_starts_stops_the_server_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stopped: list[bool] = []

    @contextlib.contextmanager
    def server(port: int) -> Iterator[str]:
        try:
            yield f"http://127.0.0.1:{port}/api"
        finally:
            stopped.append(True)

    def interrupted(*_deployments: object) -> None:
        raise KeyboardInterrupt  # as while Prefect's serve still registers the deployments

    monkeypatch.setattr(deploy, "prefect_server", server)
    monkeypatch.setattr(deploy, "serve", interrupted)
    monkeypatch.setattr(deploy, "deployments", list)
    deploy.serve_schedules(4200)
    assert stopped == [True]


def test_a_server_that_does_not_stop_when_told_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deploy, "_STOP_SECONDS", 1)
    deaf = subprocess.Popen(
        [sys.executable, "-c", DEAF_TO_SIGTERM], stdout=subprocess.PIPE, start_new_session=True
    )
    assert deaf.stdout is not None and deaf.stdout.readline() == b"ready\n"
    deploy._stop(deaf)
    assert deaf.returncode == -signal.SIGKILL


def _descendants(pid: int) -> dict[int, str]:
    """The command line of every process below ``pid``, by process id (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        children.setdefault(parent, []).append(int(stat.parent.name))
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            try:
                found[child] = (Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
                                .decode())
            except OSError:
                continue
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    """Whether a process is still running (a zombie, ended but not yet reaped, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _wait_or_kill(
    process: subprocess.Popen[bytes], *, group: bool = False, timeout: float = 60
) -> None:
    """Wait for a process told to stop, then kill it (and its group)."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait()


def _scheduled_runs(api: str, flow: str, timeout: float) -> list[dict[str, Any]]:
    """The scheduled runs of ``flow`` on the server at ``api``, once there are some."""
    query = json.dumps({
        "flows": {"name": {"any_": [flow]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
    }).encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = urllib.request.Request(f"{api}/flow_runs/filter", data=query,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                runs: list[dict[str, Any]] = json.load(answer)
        except OSError:
            runs = []  # the server is not up yet
        if runs:
            return runs
        time.sleep(1)
    return []


def _wait_for_end(api: str, run_id: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    state = "UNKNOWN"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{api}/flow_runs/{run_id}", timeout=5) as answer:
            state = json.load(answer)["state"]["type"]
        if state in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}:
            return state
        time.sleep(1)
    return state


def test_deploy_needs_a_prefect_server_and_its_pool(cli: Any) -> None:
    # The run's test server is up, with no work pool of that name.
    missing = cli("deploy", "--pool", "no-such-pool")
    assert missing.exit_code == 2
    assert "no work pool 'no-such-pool'" in missing.output
    assert "prefect work-pool create no-such-pool --type process" in missing.output
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        unset = cli("deploy", "--pool", "callradar")
    assert unset.exit_code == 2
    assert "PREFECT_API_URL is not set" in unset.output
