"""The competence map: import from YAML and XLSX, list, export, and refusal of bad files."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from callradar import competence_map_io, db
from callradar.cli import SAMPLE_MEMBERS, TEMPLATE_WORKBOOK
from callradar.competence_map import CompetenceMap
from callradar.members import load_members, to_competence_map
from callradar.models import Contact
from tests.conftest import CliRun

SAMPLE = SAMPLE_MEMBERS.read_text(encoding="utf-8")


def stored_map(engine: Engine) -> CompetenceMap:
    with db.session_scope(engine) as session:
        return to_competence_map(load_members(session))


def test_sample_map_is_rich_enough_for_the_demo() -> None:
    members = competence_map_io.load(SAMPLE_MEMBERS).members
    assert len(members) >= 12
    assert sum(m.mentor for m in members) >= 3
    assert all(m.contacts for m in members)
    assert sum(bool(m.projects) for m in members) >= 6
    assert {"pl", "en"} <= {c.language for m in members for c in m.contacts}


def test_import_and_list(cli: CliRun) -> None:
    result = cli("members", "import", SAMPLE_MEMBERS)
    assert result.exit_code == 0, result.output
    assert "14 new, 0 updated" in result.output
    listed = json.loads(cli("members", "list", "--json").stdout)
    assert len(listed) == 14
    lumen = next(m for m in listed if m["id"] == "lumen-photonics")
    assert lumen["name"] == "Lumen Photonics sp. z o.o."
    assert lumen["kind"] == "sme"
    assert lumen["areas"] == {
        "integrated-photonics": 3,
        "optical-communications": 2,
        "advanced-packaging": 1,
    }


def test_list_prints_brackets_in_names_as_text(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "members.yaml"
    path.write_text("members:\n  - {id: ab, name: '[/] Lab', kind: sme}\n", encoding="utf-8")
    assert cli("members", "import", path).exit_code == 0
    result = cli("members", "list")
    assert result.exit_code == 0, result.output
    assert "[/] Lab" in result.stdout


def test_norway_is_a_country_not_false(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    # YAML 1.1 reads NO (and yes, on, off) as booleans.
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - {id: nordic, name: Nordic Optics AS, kind: sme, country: NO, mentor: yes}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    assert (member.country, member.mentor) == ("NO", True)


@pytest.mark.parametrize(
    ("given", "stored"), [("pl", "PL"), ("De", "DE"), ("UK", "GB"), ("EL", "GR"), ("XK", "XK")]
)
def test_country_codes_in_any_case_and_the_eus_own_abbreviations(
    given: str, stored: str, cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    # The EU writes UK and EL for the United Kingdom and Greece; eligibility lists use ISO codes.
    path = tmp_path / "members.yaml"
    path.write_text(
        f"members:\n  - {{id: abroad, name: Abroad Ltd, kind: sme, country: {given}}}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    assert member.country == stored


def test_choices_in_any_case_and_polish_yes_and_no(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    # "SME" is how people write it, and "tak" is Polish for yes, in YAML as in a workbook.
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n"
        "  - id: ab\n    name: AB\n    kind: SME\n    mentor: Tak\n    roles: [Coordinator]\n"
        "    areas: {Integrated-Photonics: 2}\n"
        "    contacts: [{name: Jan, email: jan@ab.example, language: PL, digest: Weekly}]\n"
        "    projects:\n"
        "      - {programme: FENG, title: T, role: Partner, year: 2024, outcome: Funded,\n"
        "         areas: [Sensors-MEMS]}\n"
        "  - {id: cd, name: CD, kind: Research, mentor: NIE}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    ab, cd = stored_map(engine).members
    assert (ab.kind, ab.mentor, ab.roles, ab.areas) == (
        "sme",
        True,
        ["coordinator"],
        {"integrated-photonics": 2},
    )
    assert (ab.contacts[0].language, ab.contacts[0].digest) == ("pl", "weekly")
    [project] = ab.projects
    assert (project.role, project.outcome, project.areas) == ("partner", "funded", ["sensors-mems"])
    assert (cd.kind, cd.mentor) == ("research", False)


def test_the_email_channel_as_people_write_it(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    # Refused as "webhook 'E-mail': not a notification URL Apprise knows".
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: AB\n    kind: sme\n    contacts:\n"
        "      - {name: Jan, email: jan@ab.example, notify: [E-mail]}\n"
        "      - {name: Ola, email: ola@ab.example, notify: [' EMAIL ']}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    assert [c.notify for c in stored_map(engine).members[0].contacts] == [["email"], ["email"]]


def test_a_yaml_key_left_blank_is_a_field_not_given(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    # A template filled in leaves keys blank, as a workbook leaves cells empty.
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: AB\n    kind: sme\n    city:\n    description:\n"
        "    areas:\n    keywords:\n    roles:\n    mentor:\n    projects:\n"
        "    contacts:\n      - name: Jan\n        email: jan@ab.example\n        language:\n"
        "        notify:\n        digest:\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    assert (member.description, member.areas, member.keywords) == ("", {}, [])
    assert (member.roles, member.mentor, member.projects) == (["partner"], False, [])
    [contact] = member.contacts
    assert (contact.language, contact.notify, contact.digest) == ("pl", ["email"], "daily")
    # A required field left blank is named as missing, at its line.
    path.write_text("members:\n  - id: ab\n    name:\n    kind: sme\n", encoding="utf-8")
    refused = cli("members", "import", path)
    assert refused.exit_code == 2
    assert "line 3, key 'name': required, but not given" in refused.stderr


def test_a_website_without_its_scheme(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    # How people write their address: "www.lumen.pl", refused as "relative URL without a base".
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - {id: ab, name: AB, kind: sme, website: www.ab.example/o-nas}\n"
        "  - {id: cd, name: CD, kind: sme, website: 'http://cd.example'}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    ab, cd = stored_map(engine).members
    assert (str(ab.website), str(cd.website)) == (
        "https://www.ab.example/o-nas",
        "http://cd.example/",
    )


def test_an_area_given_twice_in_two_cases_is_refused(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: AB\n    kind: sme\n"
        "    areas: {sensors-mems: 3, Sensors-MEMS: 1}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "line 5, key 'areas': area 'sensors-mems' is given twice" in result.stderr


def test_yaml_round_trip(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    cli("members", "import", SAMPLE_MEMBERS)
    out = tmp_path / "export.yaml"
    assert cli("members", "export", out).exit_code == 0
    exported = {m.id: m for m in competence_map_io.load(out).members}
    assert exported == {m.id: m for m in competence_map_io.load(SAMPLE_MEMBERS).members}
    assert yaml.safe_load(out.read_text())["members"][0]["id"] == "centrum-kwantowe"


def test_a_webhook_stored_before_the_rule_does_not_stop_the_export(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    cli("members", "import", SAMPLE_MEMBERS)
    internal = "json://10.0.0.5:8065/hooks/radar"  # refused now, unless the operator allows it
    with db.session_scope(engine) as session:
        contact = session.scalars(select(Contact).order_by(Contact.id)).first()
        assert contact is not None
        contact.notify = ["email", internal]
    out = tmp_path / "export.yaml"
    result = cli("members", "export", out)
    assert result.exit_code == 0, result.output
    assert internal in out.read_text(encoding="utf-8")
    # Importing it back is input again: refused, naming the field, until it is allowed.
    refused = cli("members", "import", out)
    assert refused.exit_code == 2 and "key 'notify'" in refused.stderr


def test_xlsx_round_trip(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    cli("members", "import", SAMPLE_MEMBERS)
    before = stored_map(engine)
    workbook = tmp_path / "members.xlsx"
    assert cli("members", "export", workbook).exit_code == 0
    assert load_workbook(workbook).sheetnames == ["members", "areas", "contacts", "projects"]
    assert competence_map_io.load(workbook) == before
    result = cli("members", "import", workbook)
    assert result.exit_code == 0, result.output
    assert "0 new, 14 updated" in result.output
    assert stored_map(engine) == before


def test_a_contact_told_of_nothing_stays_so_through_a_workbook(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """An empty notify cell means e-mail, the default: a contact with no channel came back
    from an XLSX export and import as one to e-mail."""
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: AB\n    kind: sme\n    contacts:\n"
        "      - {name: Anna, email: anna@ab.example, notify: []}\n"
        "      - {name: Jan, email: jan@ab.example, notify: None}\n",
        encoding="utf-8",
    )
    assert cli("members", "import", path).exit_code == 0
    workbook = tmp_path / "members.xlsx"
    assert cli("members", "export", workbook).exit_code == 0
    assert cli("members", "import", workbook).exit_code == 0
    assert [c.notify for c in stored_map(engine).members[0].contacts] == [[], []]


def test_xlsx_export_keeps_text_that_looks_like_a_formula_text(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "members.yaml"
    source.write_text(
        "members:\n  - id: ab\n    name: '=1+1 Labs'\n    kind: sme\n"
        "    contacts: [{name: '=HYPERLINK(\"https://x.example\")', email: a@x.example}]\n",
        encoding="utf-8",
    )
    assert cli("members", "import", source).exit_code == 0
    before = stored_map(engine)
    out = tmp_path / "export.xlsx"
    assert cli("members", "export", out).exit_code == 0
    workbook = load_workbook(out)
    assert workbook["members"]["B2"].data_type == "s"
    assert workbook["contacts"]["B2"].data_type == "s"
    result = cli("members", "import", out)
    assert result.exit_code == 0, result.output
    assert stored_map(engine) == before


def test_empty_template_workbook_imports_nothing(cli: CliRun, tmp_path: Path) -> None:
    target = tmp_path / "template.xlsx"
    assert cli("members", "template", target).exit_code == 0
    assert load_workbook(target).sheetnames == list(competence_map_io.SHEETS)
    assert competence_map_io.load(target).members == []
    assert competence_map_io.load(TEMPLATE_WORKBOOK).members == []


def test_the_template_has_every_column_the_import_reads() -> None:
    workbook = load_workbook(TEMPLATE_WORKBOOK)
    for name, columns in competence_map_io.SHEETS.items():
        assert [cell.value for cell in workbook[name][1]] == columns


def test_the_year_a_member_joined_is_kept_and_checked(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    later = SAMPLE.replace("joined: 2019", "joined: 2999", 1)
    assert later != SAMPLE
    path = tmp_path / "later.yaml"
    path.write_text(later, encoding="utf-8")
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "joined" in result.stderr and "a year still to come" in result.stderr

    assert cli("members", "import", SAMPLE_MEMBERS).exit_code == 0
    with db.session_scope(engine) as session:
        joined = {m.id: m.joined for m in load_members(session)}
    assert joined["lumen-photonics"] == 2019
    [listed] = [
        m
        for m in json.loads(cli("members", "list", "--json").stdout)
        if m["id"] == "lumen-photonics"
    ]
    assert listed["joined"] == 2019


def test_a_workbook_without_the_joined_column_still_imports(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """Workbooks made from the template before the column existed."""
    path = _sample_workbook(cli, tmp_path)
    workbook = load_workbook(path)
    members = workbook["members"]
    members.delete_cols(competence_map_io.SHEETS["members"].index("joined") + 1)
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    with db.session_scope(engine) as session:
        assert {m.joined for m in load_members(session)} == {None}


def test_template_never_overwrites_a_workbook_without_force(cli: CliRun, tmp_path: Path) -> None:
    filled = tmp_path / "members.xlsx"
    filled.write_bytes(b"a member's filled-in workbook")
    refused = cli("members", "template", filled)
    assert refused.exit_code == 2
    assert f"{filled}: already exists" in refused.stderr and "--force" in refused.stderr
    assert filled.read_bytes() == b"a member's filled-in workbook"

    replaced = cli("members", "template", filled, "--force")
    assert replaced.exit_code == 0, replaced.output
    assert load_workbook(filled).sheetnames == list(competence_map_io.SHEETS)


def test_reimport_updates_in_place_and_keeps_contacts(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    cli("members", "import", SAMPLE_MEMBERS)
    with db.session_scope(engine) as session:
        token = session.scalar(
            select(Contact.unsubscribe_token).where(Contact.email == "anna.nowak@lumen.example")
        )
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        SAMPLE.replace(
            "integrated-photonics: 3\n      optical-communications: 2",
            "integrated-photonics: 2\n      optical-communications: 3",
        ),
        encoding="utf-8",
    )
    assert "0 new, 14 updated" in cli("members", "import", changed).output
    lumen = next(m for m in stored_map(engine).members if m.id == "lumen-photonics")
    assert lumen.areas["optical-communications"] == 3
    with db.session_scope(engine) as session:
        assert (
            session.scalar(
                select(Contact.unsubscribe_token).where(Contact.email == "anna.nowak@lumen.example")
            )
            == token
        )


def test_a_contact_whose_address_is_corrected_stays_the_same_contact(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """A typo in an address, corrected in the next file: the same person, whose "stop these
    messages" must hold, not a new contact told everything again."""
    path = tmp_path / "members.yaml"
    person = "      - {{name: {name}, email: {email}}}\n"
    head = "members:\n  - id: lumen\n    name: Lumen\n    kind: sme\n    contacts:\n"

    def import_with(*people: tuple[str, str]) -> None:
        path.write_text(head + "".join(person.format(name=n, email=e) for n, e in people))
        result = cli("members", "import", path)
        assert result.exit_code == 0, result.output

    import_with(("Anna Nowak", "anna.nowak@lumen.exmaple"), ("Jan Kos", "jan@lumen.example"))
    with db.session_scope(engine) as session:
        anna = session.scalars(select(Contact).where(Contact.name == "Anna Nowak")).one()
        anna.unsubscribed = True
        anna_id, token = anna.id, anna.unsubscribe_token

    import_with(("anna  nowak", "Anna.Nowak@lumen.example"), ("Jan Kos", "jan@lumen.example"))

    with db.session_scope(engine) as session:
        contacts = list(session.scalars(select(Contact).order_by(Contact.id)))
        assert [(c.id, c.email, c.unsubscribed, c.removed) for c in contacts][0] == (
            anna_id,
            "Anna.Nowak@lumen.example",
            True,
            False,
        )
        assert len(contacts) == 2 and contacts[0].unsubscribe_token == token
    # Someone else in her place is another person: a contact of their own.
    import_with(("Ewa Lis", "ewa@lumen.example"), ("Jan Kos", "jan@lumen.example"))
    with db.session_scope(engine) as session:
        ewa = session.scalars(select(Contact).where(Contact.name == "Ewa Lis")).one()
        assert ewa.id != anna_id and not ewa.unsubscribed


def test_members_missing_from_the_file_are_kept(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    cli("members", "import", SAMPLE_MEMBERS)
    one = tmp_path / "one.yaml"
    data = yaml.safe_load(SAMPLE)
    data["members"] = data["members"][:1]
    one.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert "0 new, 1 updated" in cli("members", "import", one).output
    assert len(stored_map(engine).members) == 14


# --- bad input: refused whole, with where and what ------------------------------------


def _yaml_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


YAML_CASES = {
    # name: (old, new, field named in the message, text expected in the message)
    "unknown area code": (
        "      integrated-photonics: 3\n",
        "      integrated-fotonics: 3\n",
        "integrated-fotonics",
        "unknown area",
    ),
    "level outside 1..3": (
        "      optical-communications: 2\n",
        "      optical-communications: 4\n",
        "optical-communications",
        "4 is more than the highest allowed, 3",
    ),
    "bad e-mail": (
        "anna.nowak@lumen.example",
        "anna.nowak.lumen.example",
        "email",
        "'anna.nowak.lumen.example' is not an e-mail address",
    ),
    "missing required field": (
        "    kind: sme\n    city: Wrocław\n",
        "    city: Wrocław\n",
        "kind",
        "required, but not given",
    ),
    "bad member id": (
        "  - id: lumen-photonics\n",
        "  - id: Lumen Photonics\n",
        "id",
        # said in words, not as the regular expression
        "'Lumen Photonics': an id is lowercase letters and digits, words joined by '-'",
    ),
    # A workbook cell and the profile form separate keywords by ";" and line breaks: such a
    # keyword came back from an XLSX export and import as two.
    "keyword holding a ';'": (
        "    keywords: [silicon nitride, optical transceivers",
        "    keywords: ['silicon nitride; SiN', optical transceivers",
        "keywords",
        "item 1: ",
    ),
    "keyword holding a line break": (
        "    keywords: [silicon nitride, optical transceivers",
        '    keywords: ["silicon nitride\\nSiN", optical transceivers',
        "keywords",
        "item 1: ",
    ),
    "webhook to the cloud's metadata service": (
        "        notify: [email]\n",
        "        notify: [email, 'json://169.254.169.254/latest/meta-data']\n",
        "notify",
        "must use HTTPS",
    ),
    "webhook to the server itself": (
        "        notify: [email]\n",
        "        notify: ['jsons://127.0.0.1:5432/x']\n",
        "notify",
        "loopback",
    ),
    "webhook that writes to a mail server": (
        "        notify: [email]\n",
        "        notify: ['mailto://user:pw@smtp.internal']\n",
        "notify",
        "not a chat service",
    ),
    "webhook URL wider than its column": (
        "        notify: [email]\n",
        f"        notify: ['slack://T1JJ3T3L2/A1BRTD4JD/{'x' * 480}']\n",
        "notify",
        "item 1: 508 characters long: at most 500 characters",
    ),
    # Eligibility is checked against ISO codes: an unknown one excluded the member from
    # every call restricted to some countries.
    "country that is not a code": (
        "    country: PL\n",
        "    country: Polska\n",
        "country",
        "ISO 3166",
    ),
    "unknown country code": (
        "    country: PL\n",
        "    country: XY\n",
        "country",
        "unknown country code 'XY'",
    ),
    "member id too short": (
        "  - id: lumen-photonics\n",
        "  - id: l\n",
        "id",
        "'l' is too short: at least 2 characters",
    ),
    "name left empty": (
        "    name: Lumen Photonics sp. z o.o.\n",
        "    name: '  '\n",
        "name",
        "required, but empty",
    ),
    "areas as a list": (
        "      integrated-photonics: 3\n      optical-communications: 2\n"
        "      advanced-packaging: 1\n",
        "      - integrated-photonics\n      - optical-communications\n"
        "      - advanced-packaging\n",
        "areas",
        "a list: give each area's code with its level, 1 to 3 (chip-design: 3)",
    ),
    "readiness range as text": (
        "    trl: [4, 7]\n",
        "    trl: 4-7\n",
        "trl",
        "'4-7': the readiness range is two levels, the lowest and the highest, [4, 7]",
    ),
    "unknown field": (
        "    mentor: false\n    joined: 2019\n",
        "    mentor: false\n    mentr: true\n    joined: 2019\n",
        "mentr",
        "unknown key: the keys here are id, name, kind,",
    ),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_bad_yaml_is_refused_naming_line_and_field(
    case: str, cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    old, new, field, message = YAML_CASES[case]
    cli("members", "import", SAMPLE_MEMBERS)
    before = stored_map(engine)
    assert old in SAMPLE
    text = SAMPLE.replace(old, new, 1).replace(
        "name: Lumen Photonics sp. z o.o.", "name: Lumen Photonics renamed"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert str(bad) in result.stderr
    assert f"key {field!r}" in result.stderr
    assert message in result.stderr
    assert "line " in result.stderr
    assert stored_map(engine) == before


def test_bad_line_number_is_the_offending_line(cli: CliRun, tmp_path: Path) -> None:
    text = SAMPLE.replace(
        "      optical-communications: 2\n", "      optical-communications: 9\n", 1
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    expected = _yaml_line(text, "optical-communications: 9")
    assert f"line {expected}," in cli("members", "import", bad).stderr


def test_duplicate_member_id_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    text = SAMPLE.replace("  - id: fotonlab\n", "  - id: lumen-photonics\n")
    bad = tmp_path / "dup.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "duplicate member id 'lumen-photonics'" in result.stderr
    lines = [i for i, line in enumerate(text.splitlines(), 1) if line == "  - id: lumen-photonics"]
    assert len(lines) == 2
    assert f"line {lines[1]}, key 'id': duplicate member id" in result.stderr
    assert f"first given at line {lines[0]}" in result.stderr
    assert stored_map(engine).members == []


def test_a_yaml_file_in_a_windows_encoding(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    text = "members:\n  - id: ab\n    name: Łódzka Elektronika\n    kind: sme\n"
    # Notepad's "Unicode" is UTF-16 with a byte order mark: read as it is.
    path = tmp_path / "utf16.yaml"
    path.write_bytes(text.encode("utf-16"))
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    assert stored_map(engine).members[0].name == "Łódzka Elektronika"
    # Windows-1250 cannot be told from other encodings: refused, naming the line to look at.
    path = tmp_path / "cp1250.yaml"
    path.write_bytes(text.replace("ab", "cd").encode("cp1250"))
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert f"{path}: line 3: not UTF-8 text" in result.stderr
    assert "save the file as UTF-8" in result.stderr
    assert [m.id for m in stored_map(engine).members] == ["ab"]


def test_malformed_yaml_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(SAMPLE.replace("    kind: sme\n", "    kind: [sme\n", 1), encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "malformed YAML" in result.stderr and "line " in result.stderr
    assert stored_map(engine).members == []


def test_a_key_given_twice_is_refused_not_half_read(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    # PyYAML keeps the second "areas:" of a member silently; the first one's would be lost.
    text = SAMPLE.replace(
        "    keywords: [silicon nitride,",
        "    areas: {photonics: 1}\n    keywords: [silicon nitride,",
        1,
    )
    bad = tmp_path / "twice.yaml"
    bad.write_text(text, encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    first, second = _yaml_line(text, "    areas:"), _yaml_line(text, "    areas: {photonics: 1}")
    assert f"line {second}, key 'areas': given twice (first on line {first})" in result.stderr
    assert stored_map(engine).members == []


def test_an_alias_inside_itself_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "loop.yaml"
    bad.write_text("members: &all\n  - *all\n", encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "line 1: an alias (*name) refers to the list or mapping it is in" in (result.stderr)
    assert stored_map(engine).members == []


def test_aliases_of_aliases_are_refused_not_expanded(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """A "billion laughs": a few lines standing for millions of values held the import (and
    the web app's worker) for hours."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level, name in enumerate("bcde"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{chr(97 + level)}'] * 9)}]")
    lines.append("members:\n  - {id: ab, name: AB, kind: sme, keywords: *e}")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "the aliases (*name) repeat their anchors' values too many times over" in result.stderr
    # An anchor used again where it saves typing is fine.
    path.write_text(
        "members:\n  - {id: ab, name: AB, kind: sme, keywords: &k [SiC, GaN]}\n"
        "  - {id: cd, name: CD, kind: sme, keywords: *k}\n",
        encoding="utf-8",
    )
    assert cli("members", "import", path).exit_code == 0
    assert [m.keywords for m in stored_map(engine).members] == [["SiC", "GaN"]] * 2


def test_yaml_nested_too_deeply_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    bad = tmp_path / "deep.yaml"
    bad.write_text("members: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "YAML nested too deeply" in result.stderr
    assert stored_map(engine).members == []


def test_missing_file_and_unknown_format(cli: CliRun, tmp_path: Path) -> None:
    assert "no such file" in cli("members", "import", tmp_path / "none.yaml").stderr
    (tmp_path / "folder.yaml").mkdir()
    assert (
        "folder.yaml: a folder, not a file"
        in cli("members", "import", tmp_path / "folder.yaml").stderr
    )
    other = tmp_path / "members.csv"
    other.write_text("id,name\n")
    refused = " ".join(cli("members", "import", other).stderr.split())
    assert "unknown format: use a .yaml, .yml or .xlsx file" in refused
    # A CSV file is one sheet of a workbook: the way to the other three is said.
    assert "a CSV file holds one sheet of the four: save the workbook as .xlsx" in refused


def _sample_workbook(cli: CliRun, tmp_path: Path) -> Path:
    cli("members", "import", SAMPLE_MEMBERS)
    path = tmp_path / "good.xlsx"
    cli("members", "export", path)
    return path


def test_numbers_in_text_fields_are_text(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    # A grant number as a project's call, a wavelength as a keyword: YAML and Excel make them
    # numbers.
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: 1234\n    kind: sme\n    keywords: [1550, 2.5]\n"
        "    projects:\n      - {programme: FENG, call: 101070046, title: T, role: partner,\n"
        "         year: 2024, outcome: funded}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    assert (member.name, member.keywords, member.projects[0].call) == (
        "1234",
        ["1550", "2.5"],
        "101070046",
    )
    workbook_path = tmp_path / "members.xlsx"
    assert cli("members", "export", workbook_path).exit_code == 0
    workbook = load_workbook(workbook_path)
    workbook["projects"].cell(row=2, column=4, value=7)  # acronym
    workbook.save(workbook_path)
    result = cli("members", "import", workbook_path)
    assert result.exit_code == 0, result.output
    assert stored_map(engine).members[0].projects[0].acronym == "7"


def test_yaml_text_that_yaml_1_1_reads_as_a_number_or_a_date_is_kept_as_written(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """YAML 1.1 reads 0123 as octal 83, 12:30 as 750 (base 60), 1.10 as 1.1 and 2024-01-05 as
    a date: a call number, an acronym or a keyword typed so was changed or refused."""
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: 0123\n    kind: sme\n"
        "    keywords: [1.10, 2024-01-05, 1_000]\n"
        "    areas: {chip-design: 3}\n    trl: [4, 07]\n    joined: 2019\n"
        "    projects:\n      - {programme: FENG, call: 0123, acronym: 12:30, title: 1e3,\n"
        "         role: partner, year: 2024, outcome: funded}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    project = member.projects[0]
    assert member.name == "0123"
    assert member.keywords == ["1.10", "2024-01-05", "1_000"]
    assert (project.call, project.acronym, project.title) == ("0123", "12:30", "1e3")
    assert (member.areas, member.trl, member.joined) == ({"chip-design": 3}, (4, 7), 2019)
    # Numbers stay numbers where one is wanted, and a wrong one is named as written.
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2024", "year: 2024.5"))
    result = cli("members", "import", path)
    assert "key 'year': '2024.5' is not a whole number" in result.stderr


def test_a_list_of_one_may_be_written_without_brackets(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """'roles: partner' and 'notify: email' are how people write a list of one; and a list in
    one line, 'keywords: SiC; GaN', is separated as in a workbook's cell."""
    path = tmp_path / "members.yaml"
    path.write_text(
        "members:\n  - id: ab\n    name: AB\n    kind: sme\n    roles: Partner\n"
        "    keywords: SiC; GaN\n"
        "    contacts:\n      - {name: Anna, email: anna@ab.example, notify: email}\n"
        "    projects:\n      - {programme: FENG, title: T, role: partner, year: 2024,\n"
        "         outcome: funded, areas: chip-design}\n",
        encoding="utf-8",
    )
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    [member] = stored_map(engine).members
    assert (member.roles, member.keywords) == (["partner"], ["SiC", "GaN"])
    assert (member.contacts[0].notify, member.projects[0].areas) == (["email"], ["chip-design"])


def test_xlsx_sheet_and_column_names_in_any_case(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    workbook["members"].title = "tmp"  # openpyxl, like Excel, takes "Members" for the same name
    workbook["tmp"].title = "Members"
    workbook["Members"].cell(row=1, column=1, value="ID")
    workbook["Members"].cell(row=1, column=2, value=" Name ")
    workbook["areas"].cell(row=1, column=1, value="Member_ID")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    assert stored_map(engine) == before


def test_xlsx_list_cell_separated_by_commas_is_refused(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    # Kept as one keyword "MEMS, SiC, GaN" would never be found in any call.
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    workbook["members"].cell(row=2, column=8, value="MEMS, SiC, GaN")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'members', row 2, column 'keywords': item 1: 'MEMS, SiC, GaN'" in result.stderr
    assert "'MEMS, SiC, GaN': ';' and line breaks separate keywords, not ','" in result.stderr
    assert stored_map(engine) == before
    # A comma between digits is a decimal one.
    workbook["members"].cell(row=2, column=8, value="laser 1,55 µm; MEMS")
    workbook.save(path)
    assert cli("members", "import", path).exit_code == 0
    assert stored_map(engine).members[0].keywords == ["laser 1,55 µm", "MEMS"]


def test_xlsx_row_without_its_member_says_so(cli: CliRun, tmp_path: Path) -> None:
    path = _sample_workbook(cli, tmp_path)
    workbook = load_workbook(path)
    workbook["areas"]["A3"] = None
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'areas', row 3" in result.stderr
    assert "no member id given" in result.stderr


def test_xlsx_merged_cells_hold_their_value_in_each_row(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """People merge a member's id over the rows of its areas (or one kind over several
    members): the value is in the first cell only, and every row of the range means it."""
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    areas = workbook["areas"]
    assert areas["A2"].value == areas["A3"].value == areas["A4"].value
    areas.merge_cells("A2:A4")
    # A wide cell over columns of no header is a layout, not data.
    workbook["projects"].merge_cells("J2:L2")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    assert stored_map(engine) == before
    # Merged over two columns, the value would be meant for one of them: which, nobody knows.
    workbook["members"].merge_cells("B3:C3")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'members', cells B3:C3" in result.stderr
    assert "merged across the columns name and kind" in result.stderr
    assert stored_map(engine) == before
    # Merged from the header down, the header is no row's value.
    workbook["members"].unmerge_cells("B3:C3")
    workbook["members"]["B3"] = "Name"
    workbook["contacts"].merge_cells("A1:A3")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'contacts', row 3, column 'member_id': no member id given" in result.stderr
    assert "member 'member_id'" not in result.stderr


def test_xlsx_formulas_are_read_as_their_results(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    workbook["members"]["B2"] = '="Lumen Photonics"&" renamed"'
    workbook.save(path)
    # A workbook saved by a program that does not compute formulas (openpyxl, as here, and
    # many scripts) holds no results: refused, saying what to do, never read as empty.
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'members', row 2" in result.stderr
    assert "formula" in result.stderr and "open it in Excel or LibreOffice and save" in (
        " ".join(result.stderr.split())
    )
    assert stored_map(engine) == before

    # As Excel saves it: the formula with its result, and no call to recompute on opening.
    def as_excel_saves_it(result: bytes, kind: bytes) -> Path:
        # The formula with its result, and no call to recompute it on opening.
        computed = tmp_path / "computed.xlsx"
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(computed, "w") as out:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/workbook.xml":
                    data = data.replace(b' fullCalcOnLoad="1"', b"")
                if item.filename == "xl/worksheets/sheet1.xml":
                    data = re.sub(
                        rb'<c r="B2"([^>]*)><f>', rb'<c r="B2"\1 t="' + kind + b'"><f>', data
                    )
                    data = data.replace(b"<v></v>", b"<v>" + result + b"</v>")
                out.writestr(item, data)
        return computed

    result = cli("members", "import", as_excel_saves_it(b"Lumen Photonics renamed", b"str"))
    assert result.exit_code == 0, result.output
    assert stored_map(engine).members[0].name == "Lumen Photonics renamed"
    result = cli("members", "import", as_excel_saves_it(b"#VALUE!", b"e"))
    assert result.exit_code == 2
    assert "sheet 'members', row 2, column 'name': the formula's result is an error (#VALUE!)" in (
        result.stderr
    )


def test_xlsx_contact_given_twice_names_its_rows(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    contacts = workbook["contacts"]
    member, name, email = (contacts.cell(row=2, column=c).value for c in (1, 2, 3))
    contacts.append([member, name, str(email).upper()])
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    row = contacts.max_row
    assert (
        f"sheet 'contacts', row {row}, column 'email': {str(email).upper()!r} is this member's "
        "contact already (at sheet 'contacts', row 2)"
    ) in " ".join(result.stderr.split())
    assert stored_map(engine) == before


def test_xlsx_unknown_column_names_the_one_meant(cli: CliRun, tmp_path: Path) -> None:
    path = _sample_workbook(cli, tmp_path)
    workbook = load_workbook(path)
    workbook["contacts"]["C1"] = "E-mail"
    workbook["contacts"].cell(row=1, column=7, value="uwagi")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert (
        "sheet 'contacts', row 1: unknown column(s) 'e-mail' (meant 'email'?), 'uwagi'; the "
        "columns of this sheet are member_id, name, email, language, notify, digest"
    ) in " ".join(result.stderr.split())


def test_xlsx_column_given_twice_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    members = workbook["members"]
    members.cell(row=1, column=members.max_column + 1, value="name")
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'members', row 1: column(s) given twice: name" in result.stderr
    assert stored_map(engine) == before


def test_xlsx_bad_cell_names_sheet_row_and_field(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    contacts = workbook["contacts"]
    contacts.cell(row=3, column=3, value="not-an-email")
    areas = workbook["areas"]
    areas.cell(row=2, column=3, value=7)
    workbook["members"].cell(row=2, column=2, value="Renamed")
    workbook["members"].cell(row=2, column=9, value=3)
    workbook["members"]["J2"] = None  # trl_max
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "sheet 'contacts', row 3" in result.stderr
    assert "sheet 'areas', row 2" in result.stderr
    assert (
        "sheet 'contacts', row 3, column 'email': 'not-an-email' is not an e-mail" in result.stderr
    )
    assert "sheet 'areas', row 2, column 'level': 7 is more than the highest allowed, 3" in (
        result.stderr
    )
    assert "sheet 'members', row 2, column 'trl_max': required, but empty" in result.stderr
    assert stored_map(engine) == before


def test_xlsx_wrong_sheet_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    workbook["contacts"].title = "kontakty"
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "unknown sheet 'kontakty'" in result.stderr
    assert stored_map(engine) == before
    # A new workbook's own empty sheet, left in it, holds nothing to lose.
    workbook["kontakty"].title = "contacts"
    workbook.create_sheet("Arkusz1")["B3"] = "  "
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output


def test_xlsx_without_a_sheet_is_refused_not_read_as_emptying_it(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """A workbook reduced to its members sheet (a copy of one sheet, or one saved as CSV and
    back) emptied every member's areas, contacts and projects."""
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    del workbook["contacts"]
    del workbook["projects"]
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "the workbook has no 'contacts' sheet" in result.stderr
    assert "the workbook has no 'projects' sheet" in result.stderr
    assert stored_map(engine) == before
    # Given with its header row alone, a sheet empties what it holds: that is asked for.
    workbook.create_sheet("contacts").append(competence_map_io.SHEETS["contacts"])
    workbook.create_sheet("projects").append(competence_map_io.SHEETS["projects"])
    workbook.save(path)
    assert cli("members", "import", path).exit_code == 0
    assert not any(m.contacts or m.projects for m in stored_map(engine).members)


def test_xlsx_hidden_sheet_of_drop_down_lists_is_left_alone(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    workbook = load_workbook(path)
    lists = workbook.create_sheet("Lists")
    lists.append(["sme", "large", "research", "university", "other"])
    lists.sheet_state = "hidden"
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 0, result.output
    assert stored_map(engine) == before


def test_xlsx_row_for_unknown_member_is_refused(cli: CliRun, tmp_path: Path) -> None:
    path = _sample_workbook(cli, tmp_path)
    workbook = load_workbook(path)
    workbook["projects"].append(
        ["nobody", "Horizon Europe", None, None, "T", "partner", 2024, None, "funded", None]
    )
    workbook.save(path)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "member 'nobody' is not on the 'members' sheet" in result.stderr
    assert "sheet 'projects', row" in result.stderr


def test_a_workbook_too_big_to_hold_is_refused(
    cli: CliRun, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(competence_map_io, "MAX_UNPACKED_XLSX", unpacked - 1)
    result = cli("members", "import", path)
    assert result.exit_code == 2
    assert "too big for a competence map" in result.stderr
    assert stored_map(engine) == before
    monkeypatch.setattr(competence_map_io, "MAX_UNPACKED_XLSX", unpacked)
    assert cli("members", "import", path).exit_code == 0


def test_not_a_workbook_is_refused(cli: CliRun, tmp_path: Path) -> None:
    bad = tmp_path / "fake.xlsx"
    bad.write_text("this is not a zip")
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "not a readable .xlsx workbook" in result.stderr


@pytest.mark.parametrize("damage", ["truncated XML", "corrupt deflate data"])
def test_a_damaged_sheet_is_refused(
    cli: CliRun, engine: Engine, tmp_path: Path, damage: str
) -> None:
    good = _sample_workbook(cli, tmp_path)
    before = stored_map(engine)
    bad = tmp_path / "damaged.xlsx"
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet and damage == "truncated XML":
                data = data[: len(data) // 2]
            out.writestr(item, data)
    if damage == "corrupt deflate data":
        raw = bytearray(bad.read_bytes())
        with zipfile.ZipFile(bad) as archive:
            info = archive.getinfo(sheet)
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 10
        raw[start : start + 20] = bytes(b ^ 0xFF for b in raw[start : start + 20])
        bad.write_bytes(raw)
    result = cli("members", "import", bad)
    assert result.exit_code == 2
    assert "not a readable .xlsx workbook" in result.stderr
    assert stored_map(engine) == before


def test_a_path_that_cannot_be_written_is_a_clear_error(cli: CliRun, tmp_path: Path) -> None:
    folder = tmp_path / "members.yaml"
    folder.mkdir()
    exported = cli("members", "export", folder)
    assert exported.exit_code == 2
    assert f"{folder}: cannot write it" in exported.stderr
    missing = tmp_path / "no-such-folder" / "members.xlsx"
    template = cli("members", "template", missing)
    assert template.exit_code == 2
    assert f"{missing}: cannot write it" in template.stderr


def test_a_keyword_stored_before_the_rule_still_exports(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """Keywords holding ';' were refused only from this session on; one stored before made
    `members export` and the member's profile page fail."""
    cli("members", "import", SAMPLE_MEMBERS)
    with db.session_scope(engine) as session:
        [member] = load_members(session, ["lumen-photonics"])
        member.keywords = ["power electronics; SiC", "GaN, InP"]
    out = tmp_path / "export.yaml"
    result = cli("members", "export", out)
    assert result.exit_code == 0, result.output
    [exported] = [m for m in competence_map_io.load(out).members if m.id == "lumen-photonics"]
    assert exported.keywords == ["power electronics", "SiC", "GaN", "InP"]
    # And listed as they are exported and matched, one by one.
    listed = json.loads(cli("members", "list", "--json").stdout)
    [lumen] = [m for m in listed if m["id"] == "lumen-photonics"]
    assert lumen["keywords"] == ["power electronics", "SiC", "GaN", "InP"]


def test_a_country_stored_before_the_rule_still_exports(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    """Any two capitals were a country until ISO codes were checked; a member stored so must
    not make `members export` or its profile page fail."""
    cli("members", "import", SAMPLE_MEMBERS)
    with db.session_scope(engine) as session:
        [member] = load_members(session, ["lumen-photonics"])
        member.country = "XY"
    out = tmp_path / "export.yaml"
    result = cli("members", "export", out)
    assert result.exit_code == 0, result.output
    assert "country: XY" in out.read_text(encoding="utf-8")
