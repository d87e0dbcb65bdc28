"""Flows benchmark: the demo's wall time, and what Prefect adds to the daily steps.

    .venv/bin/python bench/flows_bench.py

1. The demo (`callradar demo`) in a fresh data folder, as a user runs it after set-up:
   a new process, Prefect's first start included.
2. The daily steps on the recorded sources, twice in fresh databases: once as the Prefect
   flow (`flows.daily.daily`), once as the same plain functions called in a row. The
   difference is Prefect's overhead (goal: under 10 s).
3. The flow again in a process where Prefect's temporary server is already up: the overhead
   each run pays when the server runs anyway (`callradar schedule`, a Prefect server).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="callradar-bench-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)
os.environ["CALLRADAR_NOTIFY_POLICY"] = "immediate"

PLAIN = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from callradar import competence_map_io, db
from callradar.demo import SAMPLE_MEMBERS
from callradar.members import import_members
from crawlers.mirror_server import MirrorServer
from crawlers.run import crawl, source_names
from matching.outbox import enqueue_notifications
from matching.sender import send_due
from matching.store import flag_calls, match_calls
from tagging.store import tag_stored_calls

db.upgrade()
with db.session_scope() as s:
    import_members(s, competence_map_io.load(SAMPLE_MEMBERS))
server = MirrorServer(Path(sys.argv[1])).start()
started = time.perf_counter()
# Two sources at a time, as the flow's task runner does: only Prefect differs.
with ThreadPoolExecutor(max_workers=2) as pool:
    list(pool.map(lambda name: crawl([name], server.url), source_names()))
with db.session_scope() as s:
    tag_stored_calls(s)
with db.session_scope() as s:
    match_calls(s); flag_calls(s)
with db.session_scope() as s:
    enqueue_notifications(s)
send_due()
print(time.perf_counter() - started)
server.stop()
"""

FLOW = PLAIN.replace(
    """# Two sources at a time, as the flow's task runner does: only Prefect differs.
with ThreadPoolExecutor(max_workers=2) as pool:
    list(pool.map(lambda name: crawl([name], server.url), source_names()))
with db.session_scope() as s:
    tag_stored_calls(s)
with db.session_scope() as s:
    match_calls(s); flag_calls(s)
with db.session_scope() as s:
    enqueue_notifications(s)
send_due()""",
    """from flows.daily import run_daily
run_daily(mirror=server.url)""",
)

# The same flow once Prefect's server is up (a trivial flow run started it): what each run
# pays under `callradar schedule` or a worker, where the server is already running.
FLOW_WARM = FLOW.replace(
    "started = time.perf_counter()",
    """from prefect import flow

@flow(name="warm-up")
def warm_up() -> None:
    pass

warm_up()
started = time.perf_counter()""",
)


def timed_process(code: str, data_dir: str) -> float:
    env = {**os.environ, "CALLRADAR_DATA_DIR": data_dir}
    env.pop("CALLRADAR_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code, str(ROOT / "tests" / "fixtures")],
                         env=env, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "CALLRADAR_DATA_DIR": f"{tmp}/demo"}
        env.pop("CALLRADAR_DATABASE_URL", None)
        started = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "callradar"), "demo"], env=env,
                       check=True, capture_output=True, cwd=ROOT)
        demo = time.perf_counter() - started
        # A warm Prefect home for both runs: its first start belongs to the demo's figure.
        flow = timed_process(FLOW, f"{tmp}/flow")
        plain = timed_process(PLAIN, f"{tmp}/plain")
        warm = timed_process(FLOW_WARM, f"{tmp}/warm")
    print(f"demo, fresh data folder and Prefect home: {demo:.1f} s (goal < 120 s)")
    print(f"daily steps as the Prefect flow: {flow:.1f} s")
    print(f"the same steps as plain function calls: {plain:.1f} s")
    print(f"Prefect's overhead: {flow - plain:.1f} s (goal < 10 s)")
    print(f"daily steps as the Prefect flow, Prefect's server already up: {warm:.1f} s")
    print(f"Prefect's overhead per run, server already up: {warm - plain:.1f} s")


if __name__ == "__main__":
    main()
