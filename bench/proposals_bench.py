"""Time to build a proposal pack of a 6-member consortium (goal: under 2 seconds).

Runs on a fresh SQLite database in a temporary folder with the sample competence map and one
Horizon Europe call; prints the figures and, with --write, appends them to bench/RESULTS.md.

    .venv/bin/python bench/proposals_bench.py [--runs 10] [--write]
"""

from __future__ import annotations

import argparse
import atexit
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path

TEAM = ["lumen-photonics", "senso-mems", "chiplet-works", "optisense", "elmontaz"]
LEAD = "instytut-mikrosystemow"
CALL_ID = "HORIZON-CL4-2027-DIGITAL-EMERGING-01-50"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="proposals-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["CALLRADAR_DATA_DIR"] = str(folder)
    os.environ.pop("CALLRADAR_DATABASE_URL", None)

    from callradar import competence_map_io, db
    from callradar.calls import CallRecord, upsert_call
    from callradar.cli import SAMPLE_MEMBERS
    from callradar.members import import_members
    from callradar.models import CallTag
    from proposals.pack import build_pack

    db.upgrade()
    with db.session_scope() as session:
        import_members(session, competence_map_io.load(SAMPLE_MEMBERS))
        call = upsert_call(
            session,
            CallRecord(
                id=CALL_ID,
                title="Photonic integrated circuits for sensing",
                description="Expected outcomes and scope. " * 400,
                programme="Horizon Europe",
                type_of_action="HORIZON Research and Innovation Actions",
                deadlines=["2027-02-10T17:00:00+01:00", "2027-Q3"],
                budget=12_000_000,
            ),
        ).call
        call.tags = [
            CallTag(code=c, score=s, evidence=[])
            for c, s in {"integrated-photonics": 0.9, "sensors-mems": 0.7}.items()
        ]

    timings = []
    size = 0
    for _ in range(args.runs):
        start = time.perf_counter()
        with db.session_scope() as session:
            result = build_pack(session, CALL_ID, LEAD, TEAM)
        timings.append(time.perf_counter() - start)
        size = result.file.stat().st_size
    first, rest = timings[0], timings[1:] or timings
    lines = [
        "## Proposal packs",
        "",
        f"`bench/proposals_bench.py`: build, store and record the pack of a 6-member consortium "
        f"(lead + 5 partners): 9 Word documents (draft, checklist, mentor's notes, 6 profiles), "
        f"the call's text and the .ics, on SQLite, {args.runs} runs in one process (imports "
        f"and migrations not timed). Machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| first pack | {first:.2f} s |",
        f"| later packs, median | {statistics.median(rest):.2f} s |",
        f"| later packs, slowest | {max(rest):.2f} s |",
        f"| pack size | {size / 1024:.0f} KiB |",
        "| goal | under 2 s |",
        "",
    ]
    print("\n".join(lines))
    if args.write:
        results = Path(__file__).parent / "RESULTS.md"
        existing = results.read_text() if results.exists() else "# Benchmarks\n\n"
        results.write_text(existing.rstrip("\n") + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
