"""Tags in the database: stored calls tagged once per version, corrections kept and exported."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, select

from callradar import db
from callradar.calls import CallRecord, upsert_call
from callradar.models import Call, CallTag
from tagging.store import COORDINATOR, correct_tags, export_corrections, tag_stored_calls
from tagging.tagger import Tagger
from tests.conftest import CliRun

PIC = CallRecord(
    id="HORIZON-CL4-2027-DIGITAL-EMERGING-01-42",
    source="eu-portal",
    title="Photonic integrated circuits for datacom transceivers",
    description="Expected Outcome: photonic integrated circuits on silicon photonics and indium "
    "phosphide platforms for optical transceivers in data centres. Scope: design, "
    "fabrication and packaging of PICs, pilot-line access.",
    language="en",
)
HEALTH = CallRecord(
    id="HORIZON-HLTH-2027-DISEASE-03-01",
    source="eu-portal",
    title="Vaccines against emerging infectious diseases",
    description="Clinical trials of vaccine candidates; patient cohorts and health systems.",
)


def tags_of(engine: Engine, external_id: str) -> dict[str, CallTag]:
    with db.session_scope(engine) as session:
        call = session.scalar(select(Call).where(Call.external_id == external_id))
        assert call is not None
        return {t.code: t for t in call.tags}


def test_tags_untagged_calls_once(engine: Engine, tagger: Tagger) -> None:
    with db.session_scope(engine) as session:
        upsert_call(session, PIC)
        upsert_call(session, HEALTH)
    with db.session_scope(engine) as session:
        assert tag_stored_calls(session, tagger).tagged == 2
    pic = tags_of(engine, PIC.id)
    assert "integrated-photonics" in pic
    assert 0 < pic["integrated-photonics"].score <= 1
    assert any("«" in line for line in pic["integrated-photonics"].evidence)
    assert tags_of(engine, HEALTH.id) == {}
    with db.session_scope(engine) as session:
        assert tag_stored_calls(session, tagger).tagged == 0


def test_changed_call_is_tagged_again(engine: Engine, tagger: Tagger) -> None:
    with db.session_scope(engine) as session:
        upsert_call(session, HEALTH)
        tag_stored_calls(session, tagger)
    changed = HEALTH.model_copy(update={
        "title": "Lidar and hyperspectral imaging for hospitals",
        "description": "Optical imaging systems: lidar, hyperspectral cameras and optical "
        "metrology for monitoring hospital rooms.",
    })
    with db.session_scope(engine) as session:
        upsert_call(session, changed)
        assert tag_stored_calls(session, tagger).tagged == 1
    assert "optical-imaging-sensing" in tags_of(engine, HEALTH.id)


def test_corrections_outlive_retagging_and_export(engine: Engine, tagger: Tagger,
                                                  tmp_path: Path) -> None:
    with db.session_scope(engine) as session:
        upsert_call(session, PIC)
        tag_stored_calls(session, tagger)
    with db.session_scope(engine) as session:
        call = session.scalar(select(Call).where(Call.external_id == PIC.id))
        assert call is not None
        correct_tags(session, call, ["integrated-photonics", "advanced-packaging"])
    moved = PIC.model_copy(update={"description": PIC.description + " Budget doubled."})
    with db.session_scope(engine) as session:
        upsert_call(session, moved)
        tag_stored_calls(session, tagger)
    tags = tags_of(engine, PIC.id)
    assert set(tags) == {"integrated-photonics", "advanced-packaging"}
    assert {t.origin for t in tags.values()} == {COORDINATOR}
    assert tags["integrated-photonics"].evidence  # the tagger's evidence is kept
    with db.session_scope(engine) as session:
        assert export_corrections(session, tmp_path / "corrections.jsonl") == 1
    line = json.loads((tmp_path / "corrections.jsonl").read_text())
    assert line["codes"] == ["advanced-packaging", "integrated-photonics"]
    assert "Photonic integrated circuits" in line["description"]


def test_tag_command_on_stored_calls(cli: CliRun, tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    # Entered by hand: a crawled source's name ("eu-portal") is refused in a calls file.
    entered = {**PIC.model_dump(mode="json"), "source": "manual"}
    calls.write_text(json.dumps(entered) + "\n", encoding="utf-8")
    assert cli("calls", "import", calls).exit_code == 0
    result = cli("tag")
    assert result.exit_code == 0, result.output
    assert "tagged 1 stored calls" in result.output
    assert "tagged 0 stored calls" in cli("tag").output
