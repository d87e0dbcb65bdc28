"""The pack end to end through the real command: every document opened and read."""

from __future__ import annotations

import errno
import json
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlalchemy import Engine

from callradar import db
from callradar.calls import CallRecord, upsert_call
from callradar.models import Member
from proposals import cli as proposals_cli
from proposals import pack as pack_module
from proposals.calendar import deadline_numbers
from proposals.errors import ProposalError
from proposals.pack import build_pack, list_packs, packs_for_member
from tests.conftest import CliRun
from tests.proposals.conftest import (
    CALLS,
    EIC,
    HE_RIA,
    NATIONAL,
    all_text,
    open_docx,
    read_zip,
    store_call,
    table_rows,
)

TEAM = [
    "--lead",
    "instytut-mikrosystemow",
    "--partner",
    "lumen-photonics",
    "--partner",
    "chiplet-works",
    "--partner",
    "senso-mems",
]


def make_pack(cli: CliRun, out: Path, *args: str) -> Path:
    result = cli("pack", *args, "--out", out)
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.parent == out and path.suffix == ".zip"
    return path


def test_pack_holds_every_document_filled(cli: CliRun, cluster: Engine, tmp_path: Path) -> None:
    path = make_pack(cli, tmp_path, HE_RIA, *TEAM)
    files = read_zip(path)
    assert set(files) == {
        "proposal-draft-horizon-ria-ia.docx",
        "checklist.docx",
        "mentor-notes.docx",
        "profiles/01-instytut-mikrosystemow.docx",
        "profiles/02-lumen-photonics.docx",
        "profiles/03-chiplet-works.docx",
        "profiles/04-senso-mems.docx",
        "call-text.txt",
        "deadlines.ics",
    }

    draft = open_docx(files["proposal-draft-horizon-ria-ia.docx"])
    headings = [p.text for p in draft.paragraphs if p.style.name.startswith("Heading")]
    for heading in (
        "1. Excellence",
        "2. Impact",
        "3. Quality and efficiency of the implementation",
        "3.2 Capacity of participants and consortium as a whole",
    ):
        assert heading in headings
    participants = table_rows(draft, "Participant organisation name")
    assert [row[2] for row in participants] == [
        "instytut-mikrosystemow",
        "lumen-photonics",
        "chiplet-works",
        "senso-mems",
    ]
    assert participants[0][0] == "1" and participants[0][5] == "Coordinator"
    assert participants[1][1] == "Lumen Photonics sp. z o.o." and participants[1][3] == "SME"
    assert "1. Instytut Mikrosystemów i Fotoniki (instytut-mikrosystemow, PL)" in headings
    text = all_text(draft)
    # XML-special characters of the source arrive as themselves, not as entities or a cut.
    assert "Photonic integrated circuits & <sensors> for industry" in text
    assert "GaNPILOT: Pilot line for GaN-on-Si power and RF devices" in text
    assert "Two partners from other countries" in text
    assert "Scope: pilot lines & packaging." in text

    profile = open_docx(files["profiles/02-lumen-photonics.docx"])
    profile_text = all_text(profile)
    assert "Partner profile: Lumen Photonics sp. z o.o." in profile_text
    assert "silicon nitride" in profile_text and "TRL 4–7" in profile_text
    competences = table_rows(profile, "Area")
    assert competences[0] == ["Integrated photonics", "integrated-photonics", "3 (core business)"]
    projects = table_rows(profile, "Project")
    assert projects[0][0] == "PICSEL" and projects[0][5] == "funded"
    assert "No past projects recorded" in all_text(
        open_docx(files["profiles/03-chiplet-works.docx"])
    )

    mentor = all_text(open_docx(files["mentor-notes.docx"]))
    # No mentor named: the best fit outside the team is chosen (the lead, with a funded HE
    # coordination, would fit better, but it is going for the call itself).
    assert "Wydział Elektroniki, Politechnika Nadwiślańska" in mentor
    assert "SUB6HW: Reconfigurable antenna hardware for 6G" in mentor
    assert "The SNS JU reviewers value open testbeds; describe access to the chamber." in mentor
    assert "Instytut Mikrosystemów i Fotoniki" not in mentor

    checklist = open_docx(files["checklist.docx"])
    deadlines = table_rows(checklist, "Deadline")
    assert deadlines[0] == [
        "10 February 2027, 17:00 (UTC+01:00); 17:00 Warsaw time (CET)",
        "2027-02-10T17:00:00+01:00",
    ]
    assert deadlines[1][0] == "Q3 2027 (July–September; date not known yet)"
    rules = table_rows(checklist, "Rule")
    assert [r[1] for r in rules] == ["met", "NOT MET", "met"]
    checklist_text = all_text(checklist)
    assert "HORIZON Research and Innovation Actions (RIA)" in checklist_text
    assert "EUR 12,000,000" in checklist_text
    assert "A PIC number and a validated LEAR for every participant" in checklist_text

    assert "Scope: pilot lines & packaging." in files["call-text.txt"].decode()
    calendar = Calendar.from_ical(files["deadlines.ics"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    assert events[0].decoded("dtstart").isoformat() == "2027-02-10T16:00:00+00:00"
    assert events[1].decoded("dtstart").isoformat() == "2027-07-01"
    assert events[1].decoded("dtend").isoformat() == "2027-10-01"


def test_an_extended_deadline_moves_in_the_calendar_instead_of_doubling(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    def events(path: Path) -> list[tuple[str, str, int]]:
        calendar = Calendar.from_ical(read_zip(path)["deadlines.ics"])
        return [
            (str(e["uid"]), e.decoded("dtstart").isoformat(), int(e["sequence"]))
            for e in calendar.walk("VEVENT")
        ]

    record = CALLS[0][0]
    before = events(make_pack(cli, tmp_path / "1", HE_RIA, "--lead", "lumen-photonics"))
    extended = ["2027-02-24T17:00:00+01:00", "2027-Q3"]
    with db.session_scope(cluster) as session:
        upsert_call(session, record.model_copy(update={"deadlines": extended}))
    after = events(make_pack(cli, tmp_path / "2", HE_RIA, "--lead", "lumen-photonics"))
    # The same events, the first moved, each with a higher sequence: an update, not a new one.
    assert [uid for uid, _, _ in after] == [uid for uid, _, _ in before]
    assert (before[0][1], after[0][1]) == ("2027-02-10T16:00:00+00:00", "2027-02-24T16:00:00+00:00")
    assert all(a[2] > b[2] for a, b in zip(after, before, strict=True))


def test_a_dropped_cut_off_moves_no_other_deadline_in_the_calendar(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    """The UIDs were the deadlines' positions: when a source stopped listing a cut-off that
    had passed, the next one took its UID, and a calendar that imported both packs showed
    the next one twice."""
    def uids(path: Path) -> dict[str, str]:
        calendar = Calendar.from_ical(read_zip(path)["deadlines.ics"])
        return {e.decoded("dtstart").isoformat(): str(e["uid"]) for e in calendar.walk("VEVENT")}

    record = CALLS[0][0]
    before = uids(make_pack(cli, tmp_path / "1", HE_RIA, "--lead", "lumen-photonics"))
    with db.session_scope(cluster) as session:
        upsert_call(session, record.model_copy(update={"deadlines": ["2027-Q3"]}))
    dropped = uids(make_pack(cli, tmp_path / "2", HE_RIA, "--lead", "lumen-photonics"))
    assert dropped == {"2027-07-01": before["2027-07-01"]}
    # Then an earlier cut-off is added again: the Q3 one still keeps its UID, the new one has
    # its own.
    with db.session_scope(cluster) as session:
        upsert_call(session, record.model_copy(
            update={"deadlines": ["2027-03-03T17:00:00+01:00", "2027-Q3"]}))
    added = uids(make_pack(cli, tmp_path / "3", HE_RIA, "--lead", "lumen-photonics"))
    assert added["2027-07-01"] == before["2027-07-01"]
    assert added["2027-03-03T16:00:00+00:00"] not in before.values()


def test_deadline_numbers_follow_each_deadline_through_versions() -> None:
    assert deadline_numbers([["a", "b"]]) == [1, 2]
    assert deadline_numbers([["a", "b"], ["b"]]) == [2]  # a dropped
    assert deadline_numbers([["a", "b"], ["a", "c"]]) == [1, 2]  # b moved to c
    assert deadline_numbers([["a", "b"], ["b"], ["x", "b"]]) == [3, 2]  # x is new, not a
    assert deadline_numbers([["a"], ["a", "b"], ["a", "b", "c"]]) == [1, 2, 3]
    assert deadline_numbers([]) == []


def test_packs_are_versioned_and_listed_per_member(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    first = make_pack(
        cli,
        tmp_path,
        HE_RIA,
        "--lead",
        "instytut-mikrosystemow",
        "--partner",
        "lumen-photonics",
        "--mentor",
        "politechnika-elektroniki",
    )
    second = make_pack(
        cli, tmp_path, HE_RIA, "--lead", "instytut-mikrosystemow", "--partner", "senso-mems"
    )
    assert first.name.endswith("-v1.zip") and second.name.endswith("-v2.zip")

    listed = json.loads(cli("packs", "list", "--json").stdout)
    assert [(p["version"], p["partners"]) for p in listed] == [
        (2, ["senso-mems"]),
        (1, ["lumen-photonics"]),
    ]
    assert Path(listed[0]["path"]).read_bytes() == second.read_bytes()
    assert listed[0]["consortium"] == listed[1]["consortium"]

    def versions(member: str) -> list[int]:
        out = cli("packs", "list", "--member", member, "--json").stdout
        return [p["version"] for p in json.loads(out)]

    assert versions("instytut-mikrosystemow") == [2, 1]
    assert versions("lumen-photonics") == [1]  # left the consortium before version 2
    assert versions("senso-mems") == [2]  # joined for version 2 only
    # Mentor of version 1 by hand, and of version 2 as the best fit outside the team.
    assert versions("politechnika-elektroniki") == [2, 1]
    assert versions("voltis-power") == []
    # A mistyped id is an error, not a member without packs.
    mistyped = cli("packs", "list", "--member", "voltis-pwer")
    assert mistyped.exit_code == 2 and "unknown member(s) 'voltis-pwer'" in mistyped.stderr
    assert "Proposal packs (2)" in cli("packs", "list").stdout


def test_template_follows_the_call_and_can_be_overridden(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    national = read_zip(
        make_pack(cli, tmp_path, NATIONAL, "--lead", "silicon-vistula", "--partner", "voltis-power")
    )
    draft = open_docx(national["proposal-draft-national-pl.docx"])
    text = all_text(draft)
    assert "Opis projektu" in text and "I kwartał 2027 (data jeszcze nieznana)" in text
    assert "500\u00a0000\u00a0000 PLN" in text
    assert table_rows(draft, "Nazwa")[0][4] == "Lider"

    csa = read_zip(
        make_pack(
            cli, tmp_path / "o", NATIONAL, "--lead", "silicon-vistula", "--template", "horizon-csa"
        )
    )
    assert "proposal-draft-horizon-csa.docx" in csa

    wrong = cli(
        "pack", NATIONAL, "--lead", "silicon-vistula", "--template", "nope", "--out", tmp_path
    )
    assert wrong.exit_code == 2 and "no proposal template 'nope'" in wrong.stderr


def test_the_polish_draft_says_its_to_dos_and_past_projects_in_polish(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    # A research institute leads, which national calls usually do not allow: a to-do.
    pack = read_zip(make_pack(cli, tmp_path, NATIONAL, "--lead", "instytut-mikrosystemow"))
    text = all_text(open_docx(pack["proposal-draft-national-pl.docx"]))
    assert "Do zrobienia: Takie nabory prowadzi zwykle przedsiębiorstwo" in text
    assert "(Horizon Europe, 2022, koordynator, dofinansowany)" in text
    assert "coordinator" not in text and "funded" not in text


def test_a_call_with_no_deadline_gets_no_empty_calendar(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    with db.session_scope(cluster) as session:
        store_call(session, CallRecord(id="NO-DATE", title="Call"), {})
    files = read_zip(make_pack(cli, tmp_path, "NO-DATE", "--lead", "lumen-photonics"))
    assert "deadlines.ics" not in files
    checklist = all_text(open_docx(files["checklist.docx"]))
    assert "No deadline is known yet" in checklist and "deadlines.ics" not in checklist


def test_the_polish_draft_says_what_is_not_known_in_polish(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    with db.session_scope(cluster) as session:
        store_call(session, CallRecord(id="PL-1", title="Nabór", language="pl"), {})
        session.add(Member(id="bare", name="Bare sp. z o.o.", kind="sme"))
    pack = read_zip(make_pack(cli, tmp_path, "PL-1", "--lead", "bare"))
    text = all_text(open_docx(pack["proposal-draft-national-pl.docx"]))
    assert "(brak opisu)" in text and "(źródło nie podało opisu naboru)" in text
    assert "technologicznej: nie podano. Słowa kluczowe: brak." in text
    assert "not given" not in text and "none" not in text and "description" not in text


def test_pack_refuses_unknown_members_calls_and_ambiguous_ids(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    result = cli(
        "pack", HE_RIA, "--lead", "lumen-photonics", "--partner", "nobody", "--out", tmp_path
    )
    assert result.exit_code == 2
    assert "unknown member(s) 'nobody'" in result.stderr
    assert (
        "no call 'NOPE'"
        in cli("pack", "NOPE", "--lead", "lumen-photonics", "--out", tmp_path).stderr
    )
    with db.session_scope(cluster) as session:
        store_call(session, CallRecord(id=HE_RIA, title="Same id, other source"), {})
    twice = cli("pack", HE_RIA, "--lead", "lumen-photonics", "--out", tmp_path)
    assert twice.exit_code == 2 and "--source" in twice.stderr
    ok = cli("pack", HE_RIA, "--source", "manual", "--lead", "lumen-photonics", "--out", tmp_path)
    assert ok.exit_code == 0, ok.output
    assert list_packs_count(cluster) == 1


def test_an_out_path_that_is_a_file_stores_no_pack(cluster: Engine, tmp_path: Path) -> None:
    taken = tmp_path / "packs"
    taken.write_text("not a folder")
    with (
        pytest.raises(ProposalError, match=f"cannot write the pack to {taken}/"),
        db.session_scope(cluster) as session,
    ):
        build_pack(session, HE_RIA, "lumen-photonics", out_dir=taken)
    assert list((tmp_path / "data").rglob("*.zip")) == []
    assert list_packs_count(cluster) == 0


@pytest.mark.parametrize("full", ["data", "out"])
def test_a_full_disk_is_an_error_and_leaves_no_half_written_file(
    cli: CliRun, cluster: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full: str
) -> None:
    out = tmp_path / "out"
    real_write = Path.write_bytes

    def fills_up(path: Path, data: bytes) -> int:
        # The disk of ``full`` fills half way through the pack.
        if path.is_relative_to(tmp_path / full):
            real_write(path, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fills_up)
    result = cli("pack", HE_RIA, "--lead", "lumen-photonics", "--out", out)
    assert result.exit_code == 2
    assert "cannot write the pack to " in result.stderr
    assert "No space left on device; nothing was stored" in result.stderr
    assert [p for p in tmp_path.rglob("*") if ".zip" in p.name] == []
    assert list_packs_count(cluster) == 0


def test_pack_out_that_is_a_file_is_a_usage_error(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    taken = tmp_path / "packs"
    taken.write_text("not a folder")
    result = cli("pack", HE_RIA, "--lead", "lumen-photonics", "--out", taken)
    assert result.exit_code == 2 and "--out" in result.output
    assert list((tmp_path / "data").rglob("*.zip")) == []


def list_packs_count(engine: Engine) -> int:
    with db.session_scope(engine) as session:
        return len(list_packs(session))


def test_build_pack_is_a_plain_function(cluster: Engine, tmp_path: Path) -> None:
    with db.session_scope(cluster) as session:
        result = build_pack(session, EIC, "fotonlab", ["lumen-photonics"])
    assert result.file == result.pack.path and result.file.exists()
    # No mentor has been in the EIC; one with a project in the same domain is the closest.
    assert result.pack.mentor_id == "centrum-kwantowe"
    assert result.mentor_reason.startswith("suggested: took part in PLQCI")
    checklist = open_docx(read_zip(result.file)["checklist.docx"])
    rules = {r[0]: r[1] for r in table_rows(checklist, "Rule")}
    assert rules == {
        "the applicant is an SME": "met",
        "a single applicant, no consortium": "NOT MET",
    }
    assert "PLQCI" in all_text(open_docx(read_zip(result.file)["mentor-notes.docx"]))
    with db.session_scope(cluster) as session:
        assert [p.id for p in packs_for_member(session, "lumen-photonics")] == [result.pack.id]


def test_file_names_fold_polish_letters_and_keep_out_of_other_folders(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    with db.session_scope(cluster) as session:
        store_call(session, CallRecord(id="Ścieżka-łódź/../../x", title="Nabór"), {})
    path = make_pack(cli, tmp_path, "Ścieżka-łódź/../../x", "--lead", "lumen-photonics")
    assert path.name.startswith("Sciezka-lodz-..-..-x-lumen-photonics-")
    [stored] = (tmp_path / "data").rglob("*.zip")
    folders = stored.relative_to(tmp_path / "data").parts
    assert folders[:3] == ("packs", "manual", "Sciezka-lodz-..-..-x") and len(folders) == 5


def test_the_day_and_time_a_pack_was_made_are_local(
    cli: CliRun, cluster: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 00:30 on 1 February in Warsaw (CET) is still 31 January in UTC.
    monkeypatch.setattr(pack_module, "utcnow", lambda: datetime(2027, 1, 31, 23, 30, tzinfo=UTC))
    path = make_pack(cli, tmp_path, HE_RIA, "--lead", "lumen-photonics")
    checklist = open_docx(read_zip(path)["checklist.docx"])
    assert "version 1, made 2027-02-01" in all_text(checklist)
    with zipfile.ZipFile(path) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2027, 2, 1, 0, 30, 0)}
    monkeypatch.setattr(proposals_cli.console, "width", 200)  # the table unfolded
    assert "2027-02-01 00:30" in cli("packs", "list").stdout
