"""`callradar pack` run again for a call changes the call's consortium as the web app does:
the next version of its pack, even with a new lead, the earlier versions kept for the members
who were part of them."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from callradar import db
from callradar.models import Consortium, User
from proposals import pack as pack_module
from proposals.pack import build_pack, list_packs
from tests.conftest import CliRun
from tests.proposals.conftest import EIC, HE_RIA
from tests.proposals.test_pack import make_pack
from web.packs import visible_pack


def _consortia(engine: Engine) -> list[tuple[int, str, list[str], list[int]]]:
    """(id, lead, partners, pack versions) of each consortium, oldest first."""
    with db.session_scope(engine) as session:
        return [
            (c.id, c.lead_id, sorted(p.member_id for p in c.partners), [p.version for p in c.packs])
            for c in session.scalars(select(Consortium).order_by(Consortium.id))
        ]


def _versions(cli: CliRun, member: str) -> list[int]:
    return [
        p["version"] for p in json.loads(cli("packs", "list", "--member", member, "--json").stdout)
    ]


def test_a_rebuild_with_a_new_lead_is_the_next_version_of_the_same_consortium(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    mentor = ("--mentor", "politechnika-elektroniki")
    first = make_pack(
        cli,
        tmp_path / "1",
        HE_RIA,
        "--lead",
        "instytut-mikrosystemow",
        "--partner",
        "lumen-photonics",
        *mentor,
    )
    second = make_pack(
        cli, tmp_path / "2", HE_RIA, "--lead", "lumen-photonics", "--partner", "senso-mems", *mentor
    )
    assert first.name.endswith("-v1.zip") and second.name.endswith("-v2.zip")
    [(consortium, *rest)] = _consortia(cluster)
    assert rest == ["lumen-photonics", ["senso-mems"], [1, 2]]

    listed = {p["version"]: p for p in json.loads(cli("packs", "list", "--json").stdout)}
    assert {p["consortium"] for p in listed.values()} == {consortium}
    assert (listed[1]["lead"], listed[1]["partners"]) == (
        "instytut-mikrosystemow",
        ["lumen-photonics"],
    )
    assert (listed[2]["lead"], listed[2]["partners"]) == ("lumen-photonics", ["senso-mems"])
    # Version 1 is still stored as it was made.
    assert Path(listed[1]["path"]).read_bytes() == first.read_bytes()

    assert _versions(cli, "instytut-mikrosystemow") == [1]  # the lead of version 1 only
    assert _versions(cli, "lumen-photonics") == [2, 1]
    assert _versions(cli, "senso-mems") == [2]  # joined for version 2
    assert _versions(cli, "politechnika-elektroniki") == [2, 1]

    # The web app serves the old lead its version and nothing else.
    old_lead = User(email="x@instytut.example", role="member", member_id="instytut-mikrosystemow")
    with db.session_scope(cluster) as session:
        assert visible_pack(session, old_lead, listed[1]["id"]) is not None
        assert visible_pack(session, old_lead, listed[2]["id"]) is None


def test_the_consortium_to_change_can_be_named_or_a_new_one_started(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    def pack(*args: str) -> Path:
        return make_pack(cli, tmp_path, HE_RIA, "--mentor", "politechnika-elektroniki", *args)

    pack("--lead", "instytut-mikrosystemow")
    pack("--lead", "silicon-vistula", "--new-consortium")
    [(first, *_), (second, *_)] = _consortia(cluster)
    # Without a name the newest consortium still forming is changed.
    pack("--lead", "fotonlab")
    pack("--consortium", str(first), "--lead", "chiplet-works")
    assert [(c[1], c[3]) for c in _consortia(cluster)] == [
        ("chiplet-works", [1, 2]),
        ("fotonlab", [1, 2]),
    ]

    taken = cli("pack", HE_RIA, "--consortium", str(first), "--lead", "fotonlab", "--out", tmp_path)
    assert taken.exit_code == 2
    assert f"consortium {second} of this call is already led by 'fotonlab'" in taken.stderr
    elsewhere = cli(
        "pack", EIC, "--consortium", str(first), "--lead", "fotonlab", "--out", tmp_path
    )
    assert elsewhere.exit_code == 2
    assert f"call '{EIC}' has no consortium {first}" in elsewhere.stderr
    both = cli(
        "pack",
        HE_RIA,
        "--consortium",
        str(first),
        "--new-consortium",
        "--lead",
        "fotonlab",
        "--out",
        tmp_path,
    )
    assert both.exit_code == 2 and "not both" in both.output
    # A number no row can have is a usage error, not the database driver's overflow.
    huge = cli("pack", HE_RIA, "--consortium", "9" * 20, "--lead", "fotonlab", "--out", tmp_path)
    assert huge.exit_code == 2 and "--consortium" in huge.output
    with db.session_scope(cluster) as session:
        assert len(list_packs(session)) == 4

    # A submitted consortium keeps the pack it went out with: the rebuild changes the other.
    with db.session_scope(cluster) as session:
        submitted = session.get(Consortium, second)
        assert submitted is not None
        submitted.status = "submitted"
    pack("--lead", "senso-mems")
    assert [(c[1], c[3]) for c in _consortia(cluster)] == [
        ("senso-mems", [1, 2, 3]),
        ("fotonlab", [1, 2]),
    ]


def test_packs_of_two_consortia_are_never_written_over_each_other(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    def pack(*args: str) -> Path:
        return make_pack(cli, tmp_path, HE_RIA, "--mentor", "politechnika-elektroniki", *args)

    first = pack("--lead", "instytut-mikrosystemow")
    pack("--lead", "lumen-photonics")  # version 2 of the same consortium, another lead
    # The first lead's own consortium now: its version 1 too, from the same call and lead.
    other = pack("--lead", "instytut-mikrosystemow", "--new-consortium")
    assert other != first
    listed = json.loads(cli("packs", "list", "--json").stdout)
    assert len({Path(p["path"]).name for p in listed}) == 3
    newest = listed[0]["consortium"]
    [earlier] = [p for p in listed if p["version"] == 1 and p["consortium"] != newest]
    # The first consortium's version 1 in the --out folder is still that pack.
    assert hashlib.sha256(first.read_bytes()).hexdigest() == earlier["sha256"]


def test_two_builds_at_once_make_one_consortium_and_two_versions(
    cluster: Engine, settings_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A double-click on "build" or "new pack version": both requests arrive together.
    both_in = threading.Barrier(2)
    find_call = pack_module.find_call

    def find_call_together(*args: Any, **kwargs: Any) -> Any:
        found = find_call(*args, **kwargs)
        both_in.wait(timeout=60)
        return found

    monkeypatch.setattr(pack_module, "find_call", find_call_together)
    failures: list[BaseException] = []

    def build(**options: Any) -> None:
        try:
            with db.session_scope(cluster) as session:
                build_pack(session, HE_RIA, "lumen-photonics", ["senso-mems"], **options)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)

    for options in ({"new_consortium": True}, {"consortium": 1}):
        builds = [threading.Thread(target=build, kwargs=options) for _ in range(2)]
        for thread in builds:
            thread.start()
        for thread in builds:
            thread.join()
    assert failures == []
    assert [(c[1], c[3]) for c in _consortia(cluster)] == [("lumen-photonics", [1, 2, 3, 4])]
    with db.session_scope(cluster) as session:
        packs = list_packs(session)
    assert all(hashlib.sha256(p.path.read_bytes()).hexdigest() == p.sha256 for p in packs)


def test_a_new_consortium_leaves_the_leads_submitted_one_as_it_went_out(
    cli: CliRun, cluster: Engine, tmp_path: Path
) -> None:
    # The first cut-off's proposal was rejected; the same lead tries again with another team.
    make_pack(cli, tmp_path, HE_RIA, "--lead", "instytut-mikrosystemow", "--partner", "fotonlab")
    with db.session_scope(cluster) as session:
        [rejected] = session.scalars(select(Consortium))
        rejected.status = "rejected"
    again = ("--lead", "instytut-mikrosystemow", "--partner", "senso-mems", "--new-consortium")
    make_pack(cli, tmp_path, HE_RIA, *again)
    assert [c[1:] for c in _consortia(cluster)] == [
        ("instytut-mikrosystemow", ["fotonlab"], [1]),
        ("instytut-mikrosystemow", ["senso-mems"], [1]),
    ]
    # Without --new-consortium the one still forming is changed, not the rejected one.
    make_pack(cli, tmp_path, HE_RIA, "--lead", "instytut-mikrosystemow")
    assert [c[3] for c in _consortia(cluster)] == [[1], [1, 2]]
