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
import platform
import random
import secrets
import socket
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
)
from callradar.settings import Settings  # noqa: E402
from matching.conditions import Applicant, conditions_of  # noqa: E402
from matching.evaluate import evaluate  # noqa: E402
from matching.scoring import CallFacts, Matcher, MemberFacts, Tag  # noqa: E402
from matching.sender import send_due  # noqa: E402
from matching.store import match_calls  # noqa: E402

AREAS = [a.code for a in taxonomy.AREAS]
DOMAINS = [d.code for d in taxonomy.DOMAINS]
# Technical terms (from the taxonomy's descriptions) and filler words for call texts.
TERMS = sorted(
    {
        term.strip(" .").lower()
        for area in taxonomy.AREAS
        for term in area.description.replace(" and ", ", ").split(",")
        if term.strip(" .")
    }
)
FILLER = [
    "the",
    "of",
    "and",
    "for",
    "with",
    "in",
    "to",
    "develop",
    "demonstrate",
    "proposals",
    "should",
    "expected",
    "outcome",
    "scope",
    "consortium",
    "innovation",
    "research",
    "market",
    "pilot",
    "validation",
    "European",
    "industry",
    "value",
    "chain",
]
KINDS = ["sme"] * 6 + ["large"] * 2 + ["research", "university"]
CITIES = ["Wrocław", "Warszawa", "Kraków", "Gdańsk", "Rzeszów", "Lublin", "Poznań", None]
TODAY = datetime.now(UTC).date()


def synthetic_members(n: int, rng: random.Random) -> list[dict[str, Any]]:
    members = []
    for i in range(n):
        areas = {code: rng.randint(1, 3) for code in rng.sample(AREAS, rng.randint(1, 4))}
        if rng.random() < 0.1:
            areas[rng.choice(DOMAINS)] = 2
        members.append(
            {
                "id": f"member-{i:03d}",
                "kind": rng.choice(KINDS),
                "city": rng.choice(CITIES),
                "areas": areas,
                "keywords": rng.sample(TERMS, rng.randint(2, 5)),
            }
        )
    return members


def synthetic_calls(n: int, rng: random.Random) -> list[dict[str, Any]]:
    calls = []
    eligibility = [
        "",
        "Single for-profit SMEs established in an EU Member State or Associated Country may apply.",
        "Only research organisations and universities are eligible.",
        "Legal entities established in EU Member States and Associated Countries are eligible.",
        "Kto może skorzystać: mikro, małe i średnie przedsiębiorstwa.",
    ]
    for i in range(n):
        tags: dict[str, float] = {}
        for code in rng.sample(AREAS, rng.choice([0, 1, 1, 2, 2, 3])):
            tags[code] = round(rng.uniform(0.3, 0.98), 3)
        if rng.random() < 0.1:
            tags[rng.choice(DOMAINS)] = round(rng.uniform(0.4, 0.8), 3)
        words = rng.choices(FILLER, k=rng.randint(60, 110)) + rng.sample(TERMS, rng.randint(1, 4))
        rng.shuffle(words)
        text = " ".join(words)
        calls.append(
            {
                "id": f"BENCH-{i:05d}",
                "title": f"Synthetic call {i}",
                "description": f"{text}. {rng.choice(eligibility)}",
                "tags": tags,
            }
        )
    return calls


def bench_scoring(members: list[dict[str, Any]], calls: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    facts = [
        MemberFacts(
            m["id"], Applicant.of(m["kind"], "PL", m["city"]), m["areas"], tuple(m["keywords"])
        )
        for m in members
    ]
    matcher = Matcher(facts, min_score=0.3)
    call_facts = [
        CallFacts(
            i,
            tuple(Tag(code, score, (f"«{code}»",)) for code, score in c["tags"].items()),
            f"{c['title']}\n{c['description']}",
            conditions_of(title=c["title"], description=c["description"]),
        )
        for i, c in enumerate(calls)
    ]
    prepared = time.perf_counter()
    matches = sum(len(found) for found in matcher.match_many(call_facts))
    done = time.perf_counter()
    return {
        "calls": len(calls),
        "members": len(members),
        "matches": matches,
        "prepare_s": round(prepared - started, 3),
        "score_s": round(done - prepared, 3),
        "total_s": round(done - started, 3),
    }


def fill_database(engine: Any, members: list[dict[str, Any]], calls: list[dict[str, Any]]) -> None:
    now = datetime.now(UTC)
    with db.session_scope(engine) as s:
        s.execute(
            insert(Member),
            [
                {"id": m["id"], "name": m["id"], "kind": m["kind"], "city": m["city"],
                 "country": "PL", "description": "", "keywords": m["keywords"], "roles": [],
                 "mentor": False, "created_at": now, "updated_at": now}
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
        deadline = (TODAY + timedelta(days=120)).isoformat()
        s.execute(
            insert(Call),
            [
                {"id": i + 1, "source": "manual", "external_id": c["id"], "ref": c["id"],
                 "title": c["title"], "description": c["description"], "status": "open",
                 "extra": {}, "fingerprint": f"{i:064d}", "version": 1, "first_seen_at": now,
                 "last_seen_at": now, "flagged": False, "review_status": "confirmed"}
                for i, c in enumerate(calls)
            ],
        )  # fmt: skip
        s.execute(
            insert(CallDeadline),
            [{"call_id": i + 1, "value": deadline, "precision": "date",
              "latest": TODAY + timedelta(days=120)} for i in range(len(calls))],
        )  # fmt: skip
        s.execute(
            insert(CallVersion),
            [{"call_id": i + 1, "version": 1, "fingerprint": f"{i:064d}", "snapshot": {},
              "changed_fields": [], "created_at": now} for i in range(len(calls))],
        )  # fmt: skip
        s.execute(
            insert(CallTag),
            [{"call_id": i + 1, "code": code, "score": score, "evidence": [], "origin": "tagger",
              "created_at": now} for i, c in enumerate(calls) for code, score in c["tags"].items()],
        )  # fmt: skip


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
    engine.dispose()
    return {
        "match_calls_first_s": round(first, 2),
        "matches_stored": summary.created,
        "match_calls_unchanged_s": round(second, 2),
        "skipped": again.skipped,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(2026)
    members = synthetic_members(args.members, rng)
    calls = synthetic_calls(args.calls, rng)
    results: dict[str, Any] = {
        "machine": f"{platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}",
        "scoring": bench_scoring(members, calls),
    }
    print(json.dumps({"scoring": results["scoring"]}), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        results["database"] = bench_database(members, calls, Path(tmp))
        print(json.dumps({"database": results["database"]}), flush=True)
        results["notify"] = bench_notify(args.messages, Path(tmp))
        print(json.dumps({"notify": results["notify"]}), flush=True)
    ranking = evaluate()
    results["ranking"] = {
        "calls": ranking.calls,
        "precision_at_5": round(ranking.precision_at_5, 3),
        "recall": round(ranking.recall, 3),
        "member_precision_at_5": round(ranking.member_precision_at_5, 3),
        "false_alarms": ranking.false_alarms,
    }
    print(json.dumps({"ranking": results["ranking"]}), flush=True)
    out = Path(__file__).with_name("matching_results.json")
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
