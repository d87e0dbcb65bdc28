"""Matching and notification benchmark.

1. Scoring: 10,000 synthetic calls (tags, texts, conditions) against 200 members, in memory
   (goal: under 2 seconds), then the same through ``match_calls`` on a SQLite database.
2. Notify throughput: outbox rows sent by ``send_due`` to an aiosmtpd server on loopback.
3. Ranking quality on the labelled set (matching/data/ranking_set.yaml): P@5 and recall.

Run: .venv/bin/python bench/matching_bench.py [--calls 10000] [--members 200] [--messages 300]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from callradar import db, taxonomy  # noqa: E402
from callradar.models import (  # noqa: E402
    Call,
    CallDeadline,
    CallTag,
    CallVersion,
    Competence,
    Contact,
    Member,
    Notification,
    Source,
)
from callradar.settings import Settings  # noqa: E402
from matching.conditions import Applicant  # noqa: E402
from matching.evaluate import evaluate  # noqa: E402
from matching.features import (  # noqa: E402
    TextFeatures,
    conditions_from_json,
    conditions_to_json,
    features_of,
)
from matching.scoring import CallFacts, Matcher, MemberFacts, Tag  # noqa: E402
from matching.sender import send_due  # noqa: E402
from matching.store import is_open, match_calls  # noqa: E402

AREAS = [a.code for a in taxonomy.AREAS]
DOMAINS = [d.code for d in taxonomy.DOMAINS]
ROOT = Path(__file__).resolve().parents[1]
TODAY = datetime.now(UTC).date()
# Real call descriptions, joined into call texts: the tagging data as of a fixed commit (the
# files change as tagging is worked on), or as they are when git cannot give them.
CORPUS_COMMIT = "d68006b918cbd599025e6f4d3562d6300af26f61"
REAL: dict[str, list[dict[str, Any]]] = {"en": [], "pl": []}
CORPUS = f"tagging/data at {CORPUS_COMMIT[:7]}"


def _corpus(name: str) -> str:
    global CORPUS
    try:
        return subprocess.run(
            ["git", "show", f"{CORPUS_COMMIT}:tagging/data/{name}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        CORPUS = "tagging/data as in the working tree"
        return (ROOT / "tagging" / "data" / name).read_text(encoding="utf-8")


for _name in ("dev.jsonl", "train.jsonl"):
    for _line in _corpus(_name).splitlines():
        _row = json.loads(_line)
        REAL[_row["language"]].append(_row)
# Members' keywords: technical terms from the taxonomy's descriptions, the sample members'
# keywords, and Polish terms.
TERMS = sorted(
    {
        term.strip(" .").lower()
        for area in taxonomy.AREAS
        for term in area.description.replace(" and ", ", ").split(",")
        if term.strip(" .")
    }
)
KEYWORDS = TERMS + [
    "silicon nitride", "optical transceivers", "photonic integrated circuits", "fibre coupling",
    "clean room", "gallium nitride", "MEMS foundry", "silicon carbide", "pilot line", "antennas",
    "mmWave", "radar", "RISC-V", "ASIC", "mixed-signal", "SiC inverters", "GaN converters",
    "motor drives", "gas sensor", "MEMS pressure sensor", "printed electronics", "roll-to-roll",
    "PCB", "reliability testing", "fibre lasers", "ultrafast lasers", "optical coatings",
    "hyperspectral imaging", "lidar", "machine vision", "quantum key distribution",
    "single-photon sources", "free-space optics", "chiplets", "interposer", "3D integration",
    "neuromorphic", "FPGA", "low-power AI", "czujnik gazu", "układy scalone", "węglik krzemu",
    "azotek galu", "linia pilotażowa", "fotonika zintegrowana", "lasery światłowodowe",
    "obudowywanie", "elektronika drukowana", "komunikacja kwantowa",
]  # fmt: skip
ELIGIBILITY = {
    "en": [
        "",
        "",
        "Single for-profit SMEs established in an EU Member State or Associated Country may apply.",
        "Only research organisations and universities are eligible.",
        "Legal entities established in EU Member States and Associated Countries are eligible "
        "to participate.",
        "The call is open to research organisations and industry.",
        "Applicants must be established in the EU Member States only.",
        "Eligible applicants: consortia of at least three independent legal entities.",
    ],
    "pl": [
        "",
        "Kto może skorzystać: mikro, małe i średnie przedsiębiorstwa.",
        "O dofinansowanie mogą ubiegać się przedsiębiorstwa z siedzibą w województwie "
        "podkarpackim.",
        "Wnioskodawcami mogą być jednostki naukowe i uczelnie.",
        "Wsparcie jest przeznaczone wyłącznie dla MŚP prowadzących działalność na terytorium RP.",
        "Nabór jest otwarty dla konsorcjów przedsiębiorstw i organizacji badawczych.",
    ],
}
KINDS = ["sme"] * 11 + ["large"] * 3 + ["research"] * 4 + ["university"] * 2
CITIES = ["Wrocław", "Warszawa", "Kraków", "Gdańsk", "Rzeszów", "Lublin", "Poznań", "Łódź", None]
ABROAD = [("DE", "Dresden"), ("CZ", "Brno"), ("NO", "Oslo"), ("UA", "Lviv")]
SECTIONS = {"en": ("Expected Outcome:", "Scope:"), "pl": ("Cel naboru:", "Zakres:")}
TOPICS = {"en": "Topics include {}.", "pl": "Tematyka obejmuje: {}."}


def synthetic_members(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Members: 1-4 areas with levels (a tenth also a whole domain), 2-6 keywords, a kind
    (SME, large, research organisation, university), a country and a city."""
    members = []
    for i in range(n):
        areas = {code: rng.randint(1, 3) for code in rng.sample(AREAS, rng.randint(1, 4))}
        if rng.random() < 0.1:
            areas[rng.choice(DOMAINS)] = 2
        country, city = ("PL", rng.choice(CITIES)) if rng.random() < 0.9 else rng.choice(ABROAD)
        members.append(
            {
                "id": f"member-{i:03d}",
                "kind": rng.choice(KINDS),
                "country": country,
                "city": city,
                "areas": areas,
                "keywords": rng.sample(KEYWORDS, rng.randint(2, 6)),
            }
        )
    return members


def _evidence(sentence: str, rng: random.Random) -> str:
    """A tagger's evidence sentence: one of its longer words marked «like this»."""
    words = sentence.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()] or [0]
    i = rng.choice(long)
    words[i] = f"«{words[i]}»"
    return " ".join(words)


def synthetic_calls(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """Calls in English (two thirds) and Polish: a real title, 3-7 real descriptions as the
    text (about 1,000-2,000 characters) with 0-3 members' keywords, often a sentence on who
    may apply; the areas of the descriptions used, scored, with evidence sentences; 1-2
    deadlines (about a tenth all past) and a status (a twentieth closed)."""
    calls = []
    for i in range(n):
        language = "en" if rng.random() < 2 / 3 else "pl"
        rows = rng.sample(REAL[language], rng.randint(3, 7))
        outcome, scope = SECTIONS[language]
        paragraphs = [row["description"] for row in rows]
        keywords = rng.sample(KEYWORDS, rng.choice([0, 1, 1, 2, 3]))
        if keywords:
            paragraphs.insert(rng.randint(0, len(paragraphs)), TOPICS[language].format(
                ", ".join(keywords)))  # fmt: skip
        eligibility = rng.choice(ELIGIBILITY[language])
        description = "\n".join(
            [outcome, paragraphs[0], scope, *paragraphs[1:]]
            + ([eligibility] if eligibility else [])
        )
        codes = list(dict.fromkeys(code for row in rows[:3] for code in row["codes"]))
        codes = rng.sample(codes, min(len(codes), rng.choice([0, 1, 2, 2, 3])))
        tags = {
            code: (
                round(rng.uniform(0.3, 0.98), 3),
                [_evidence(rng.choice(paragraphs).split(". ")[0], rng)
                 for _ in range(rng.randint(1, 2))],
            )
            for code in codes
        }  # fmt: skip
        if rng.random() < 0.15:
            tags[rng.choice(DOMAINS)] = (round(rng.uniform(0.4, 0.8), 3), [])
        if language == "en":
            source, programme = "eu-portal", "Horizon Europe"
            identifier = f"HORIZON-CL4-2027-{rng.randint(1, 4):02d}-{i:05d}"
        else:
            source = rng.choice(["parp", "ncbr", "fe-portal"])
            programme = rng.choice(["FENG", "FENG", "FEPW", "FEDS 2021-2027", "FEMA 2021-2027"])
            identifier = f"{programme.split()[0]}.01.01-IP.01-{i:05d}/27"
        past = rng.random() < 0.1
        deadlines = sorted(
            TODAY + timedelta(days=rng.randint(-200, -1) if past else rng.randint(1, 300))
            for _ in range(rng.randint(1, 2))
        )
        calls.append(
            {
                "id": f"BENCH-{i:05d}",
                "title": rows[0]["title"],
                "description": description,
                "tags": tags,
                "source": source,
                "programme": programme,
                "call_identifier": identifier,
                "status": rng.choices(["open", "forthcoming", "closed"], [85, 10, 5])[0],
                "deadlines": deadlines,
            }
        )
    return calls


def bench_scoring(
    members: list[dict[str, Any]], calls: list[dict[str, Any]], mode: str = "kept"
) -> dict[str, Any]:
    """Matching in memory, from the members' and calls' data to every match with its score
    and reasons: the member facts and matcher, which calls are open, each call's conditions
    and stems, and the scoring. Modes:

    - ``kept``: each call's conditions and stems as kept in ``call_match_features`` (JSON, as
      the database gives them back), made before the clock starts, as they are once per call
      version; decoding them is timed. This is every matching after the first of a call
      version: re-matching all calls when a member joins or changes its profile.
    - ``read``: every call's text read for conditions and stems within the timed part, as the
      first matching of a new or changed call does.
    - ``objects``: ``kept``, with results as ``Scored`` objects (``match_many``) instead of the
      columns ``match_calls`` stores from.

    Wall-clock and CPU time (the machine is shared: CPU time is what other jobs change least).
    """
    open_calls = _open(calls)
    kept: list[tuple[list[Any], bytes]] = []
    features_s = 0.0
    if mode != "read":
        features_started = time.process_time()
        for c in open_calls:
            features = _features(c)
            kept.append((conditions_to_json(features.conditions), features.stem_hashes))
        features_s = time.process_time() - features_started
        # As read back from the database: a fresh JSON value per row.
        kept = [(json.loads(json.dumps(conditions)), stems) for conditions, stems in kept]
    started, started_cpu = time.perf_counter(), time.process_time()
    facts = [
        MemberFacts(
            m["id"],
            Applicant.of(m["kind"], m["country"], m["city"]),
            m["areas"],
            tuple(m["keywords"]),
        )
        for m in members
    ]
    matcher = Matcher(facts, min_score=0.3)
    members_done, members_cpu = time.perf_counter(), time.process_time()
    opened = _open(calls)
    if mode == "read":
        features = [_features(c) for c in opened]
    else:
        features = [
            TextFeatures(conditions_from_json(conditions), stems) for conditions, stems in kept
        ]
    call_facts = [
        CallFacts(
            i,
            tuple(Tag(code, score, tuple(ev)) for code, (score, ev) in c["tags"].items()),
            f"{c['title']}\n{c['description']}",
            f.conditions,
            f.stem_hashes,
        )
        for i, (c, f) in enumerate(zip(opened, features, strict=True))
    ]
    prepared, prepared_cpu = time.perf_counter(), time.process_time()
    if mode == "objects":
        matches = sum(len(found) for found in matcher.match_many(call_facts))
    else:
        matches = sum(len(rows) for rows in matcher.match_rows(call_facts))
    done, done_cpu = time.perf_counter(), time.process_time()
    return {
        "calls": len(calls),
        "open_calls": len(open_calls),
        "members": len(members),
        "matches": matches,
        "mode": mode,
        "features_once_cpu_s": round(features_s, 3),
        "members_s": round(members_done - started, 3),
        "conditions_s": round(prepared - members_done, 3),
        "score_s": round(done - prepared, 3),
        "total_s": round(done - started, 3),
        "members_cpu_s": round(members_cpu - started_cpu, 3),
        "conditions_cpu_s": round(prepared_cpu - members_cpu, 3),
        "score_cpu_s": round(done_cpu - prepared_cpu, 3),
        "total_cpu_s": round(done_cpu - started_cpu, 3),
    }


def _open(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        c
        for c in calls
        if is_open(
            SimpleNamespace(  # type: ignore[arg-type]
                status=c["status"], deadlines=[SimpleNamespace(latest=d) for d in c["deadlines"]]
            ),
            TODAY,
        )
    ]


def _features(call: dict[str, Any]) -> TextFeatures:
    return features_of(
        title=call["title"],
        description=call["description"],
        programme=call["programme"],
        call_identifier=call["call_identifier"],
        source=call["source"],
    )


def fill_database(engine: Any, members: list[dict[str, Any]], calls: list[dict[str, Any]]) -> None:
    now = datetime.now(UTC)
    with db.session_scope(engine) as s:
        sources = sorted({c["source"] for c in calls} - {"manual"})
        if sources:
            s.execute(insert(Source), [{"name": name, "title": name} for name in sources])
        s.execute(
            insert(Member),
            [
                {"id": m["id"], "name": m["id"], "kind": m["kind"], "city": m["city"],
                 "country": m.get("country", "PL"), "description": "",
                 "keywords": m["keywords"], "roles": [], "mentor": False, "created_at": now,
                 "updated_at": now}
                for m in members
            ],
        )  # fmt: skip
        s.execute(
            insert(Competence),
            [{"member_id": m["id"], "code": c, "level": lv}
             for m in members for c, lv in m["areas"].items()],
        )  # fmt: skip
        s.execute(
            insert(Contact),
            [
                {"member_id": m["id"], "position": 0, "name": "Contact",
                 "email": f"{m['id']}@bench.example",
                 "language": "pl" if i % 2 else "en", "notify": ["email"], "digest": "immediate",
                 "unsubscribe_token": secrets.token_urlsafe(16), "unsubscribed": False}
                for i, m in enumerate(members)
            ],
        )  # fmt: skip
        s.execute(
            insert(Call),
            [
                {"id": i + 1, "source": c["source"], "external_id": c["id"], "ref": c["id"],
                 "title": c["title"], "description": c["description"],
                 "programme": c.get("programme"), "call_identifier": c.get("call_identifier"),
                 "status": c.get("status", "open"), "extra": {}, "fingerprint": f"{i:064d}",
                 "version": 1, "first_seen_at": now, "last_seen_at": now, "flagged": False,
                 "review_status": "confirmed"}
                for i, c in enumerate(calls)
            ],
        )  # fmt: skip
        s.execute(
            insert(CallDeadline),
            [{"call_id": i + 1, "value": d.isoformat(), "precision": "date", "latest": d}
             for i, c in enumerate(calls)
             for d in c.get("deadlines", [TODAY + timedelta(days=120)])],
        )  # fmt: skip
        s.execute(
            insert(CallVersion),
            [{"call_id": i + 1, "version": 1, "fingerprint": f"{i:064d}", "snapshot": {},
              "changed_fields": [], "created_at": now} for i in range(len(calls))],
        )  # fmt: skip
        tags = [
            {"call_id": i + 1, "code": code, "score": score, "evidence": evidence,
             "origin": "tagger", "created_at": now}
            for i, c in enumerate(calls) for code, (score, evidence) in c["tags"].items()
        ]  # fmt: skip
        if tags:  # an empty list would insert one row of defaults
            s.execute(insert(CallTag), tags)


def bench_database(
    members: list[dict[str, Any]], calls: list[dict[str, Any]], folder: Path
) -> dict[str, Any]:
    engine = db.make_engine(f"sqlite:///{folder / 'bench.db'}")
    db.upgrade(engine)
    fill_database(engine, members, calls)
    settings = Settings(data_dir=folder)
    started = time.perf_counter()
    with db.session_scope(engine) as s:
        summary = match_calls(s, settings=settings)
    first = time.perf_counter() - started
    started = time.perf_counter()
    with db.session_scope(engine) as s:
        again = match_calls(s, settings=settings)
    second = time.perf_counter() - started
    # A member joins: every open call is matched again, from the features kept per call.
    with db.session_scope(engine) as s:
        joined = dict(members[0], id="newcomer")
        s.add(
            Member(
                id="newcomer",
                name="Newcomer",
                kind=joined["kind"],
                country=joined["country"],
                city=joined["city"],
                keywords=joined["keywords"],
                roles=[],
                competences=[Competence(code=c, level=v) for c, v in joined["areas"].items()],
            )
        )
    started = time.perf_counter()
    with db.session_scope(engine) as s:
        rematched = match_calls(s, settings=settings)
    third = time.perf_counter() - started
    engine.dispose()
    return {
        "match_calls_first_s": round(first, 2),
        "matches_stored": summary.created,
        "match_calls_unchanged_s": round(second, 2),
        "skipped": again.skipped,
        "match_calls_member_joined_s": round(third, 2),
        "rematched_calls": rematched.calls,
        "matches_created_then": rematched.created,
        "matches_updated_then": rematched.updated,
    }


class Counting:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def bench_notify(messages: int, folder: Path) -> dict[str, Any]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    engine = db.make_engine(f"sqlite:///{folder / 'notify.db'}")
    db.upgrade(engine)
    rng = random.Random(7)
    members = synthetic_members(messages, rng)
    calls = synthetic_calls(1, rng)
    calls[0]["description"] = "Chip design for every kind of applicant."
    calls[0].update(source="manual", tags={}, status="open", programme=None, call_identifier=None)
    calls[0]["deadlines"] = [TODAY + timedelta(days=120)]
    for m in members:
        m["areas"] = {"chip-design": 3}
    fill_database(engine, members, calls)
    now = datetime.now(UTC)
    with db.session_scope(engine) as s:
        s.execute(
            insert(CallTag),
            [{"call_id": 1, "code": "chip-design", "score": 0.9, "evidence": [],
              "origin": "tagger", "created_at": now}],
        )  # fmt: skip
        match_calls(s, settings=Settings(data_dir=folder))
        s.execute(
            insert(Notification),
            [{"call_id": 1, "member_id": m["id"], "contact_id": i + 1, "call_version": 1,
              "channel": "email", "status": "pending", "attempts": 0, "next_attempt_at": now,
              "created_at": now} for i, m in enumerate(members)],
        )  # fmt: skip
    settings = Settings(data_dir=folder, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False)
    started = time.perf_counter()
    summary = send_due(engine, settings=settings)
    elapsed = time.perf_counter() - started
    controller.stop()
    engine.dispose()
    return {
        "messages": summary.sent,
        "received": handler.count,
        "seconds": round(elapsed, 2),
        "per_second": round(summary.sent / elapsed, 1),
    }


def machine() -> dict[str, Any]:
    return {
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpu": platform.machine(),
        "cores": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def scoring_runs(args: argparse.Namespace) -> dict[str, Any]:
    """Each run in a fresh process (nothing cached from an earlier run), the modes of
    ``bench_scoring`` interleaved."""
    modes = ("kept", "read", "objects")
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    for _ in range(args.runs):
        for mode in modes:
            command = [sys.executable, __file__, "--child", mode, "--calls", str(args.calls)]
            command += ["--members", str(args.members)]
            load = os.getloadavg()[0]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            result = json.loads(out)
            result["load_1min"] = round(load, 2)
            runs[mode].append(result)
            print(json.dumps(result), flush=True)
    summary: dict[str, Any] = {}
    for mode, results in runs.items():
        summary[mode] = {
            key: round(statistics.median(r[key] for r in results), 3)
            for key in ("features_once_cpu_s", "members_s", "conditions_s", "score_s", "total_s")
            + ("members_cpu_s", "conditions_cpu_s", "score_cpu_s", "total_cpu_s")
        } | {
            "runs": len(results),
            "total_s_all": [r["total_s"] for r in results],
            "total_cpu_s_all": [r["total_cpu_s"] for r in results],
            "matches": results[0]["matches"],
            "open_calls": results[0]["open_calls"],
            "load_1min": [r["load_1min"] for r in results],
        }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per scoring path")
    parser.add_argument(
        "--only", choices=["scoring", "database", "notify", "ranking"], action="append"
    )
    parser.add_argument("--child", choices=["kept", "read", "objects"], help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="don't write the results file")
    args = parser.parse_args()
    rng = random.Random(2026)
    members = synthetic_members(args.members, rng)
    calls = synthetic_calls(args.calls, rng)
    if args.child:
        print(json.dumps(bench_scoring(members, calls, args.child)))
        return
    parts = args.only or ["scoring", "database", "notify", "ranking"]
    results: dict[str, Any] = {"machine": machine(), "corpus": CORPUS}
    if "scoring" in parts:
        results["scoring"] = scoring_runs(args)
        print(json.dumps({"scoring": results["scoring"]}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        if "database" in parts:
            results["database"] = bench_database(members, calls, Path(tmp))
            print(json.dumps({"database": results["database"]}), flush=True)
        if "notify" in parts:
            results["notify"] = bench_notify(args.messages, Path(tmp))
            print(json.dumps({"notify": results["notify"]}), flush=True)
    if "ranking" in parts:
        ranking = evaluate()
        results["ranking"] = {
            "calls": ranking.calls,
            "precision_at_5": round(ranking.precision_at_5, 3),
            "recall": round(ranking.recall, 3),
            "member_precision_at_5": round(ranking.member_precision_at_5, 3),
            "false_alarms": ranking.false_alarms,
        }
        print(json.dumps({"ranking": results["ranking"]}), flush=True)
    results["machine_after"] = machine()
    if not args.no_write:
        out = Path(__file__).with_name("matching_results.json")
        out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
