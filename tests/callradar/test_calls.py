"""Calls entered by hand: import, listing, versions, and refusal of bad files."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from callradar import db
from callradar.calls import CallRecord, Outcome, refresh_statuses, upsert_call
from callradar.cli import SAMPLE_CALLS
from callradar.deadlines import describe, parse_deadline
from callradar.models import Call, CallVersion
from callradar.settings import get_settings
from callradar.text import clean_text
from matching.messages import format_deadline
from tests.conftest import CliRun
from web.calendar_feed import feed

WARSAW = ZoneInfo("Europe/Warsaw")

CALL = {
    "id": "HORIZON-CL4-2027-DIGITAL-EMERGING-01-33",
    "title": "Photonic integrated circuits for datacom",
    "description": "Expected Outcome: PIC-based transceivers.\nScope: silicon photonics.",
    "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/HORIZON-CL4-2027-DIGITAL-EMERGING-01-33",
    "programme": "Horizon Europe",
    "deadlines": ["2027-09-14T17:00:00+02:00", "2027-04-08T17:00:00+02:00"],
    "status": "forthcoming",
    "language": "en",
    "source": "newsletter",
}


def write_jsonl(path: Path, rows: list[dict[str, Any] | str]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows)
        + "\n",
        encoding="utf-8",
    )
    return path


def count_calls(engine: Engine) -> int:
    with db.session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Call)) or 0


def test_import_and_list_json(cli: CliRun, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "calls.jsonl", [CALL, {"id": "X-1", "title": "A call"}])
    result = cli("calls", "import", path)
    assert result.exit_code == 0, result.output
    assert "2 new, 0 changed, 0 unchanged" in result.output
    listed = {c["id"]: c for c in json.loads(cli("calls", "list", "--json").stdout)}
    call = listed[CALL["id"]]
    assert call["source"] == "newsletter"
    assert call["title"] == CALL["title"]
    assert call["url"] == CALL["url"]
    assert call["status"] == "forthcoming"
    assert call["programme"] == "Horizon Europe"
    assert call["deadlines"] == ["2027-04-08T17:00:00+02:00", "2027-09-14T17:00:00+02:00"]
    assert listed["X-1"]["source"] == "manual"
    assert listed["X-1"]["deadlines"] == []
    assert listed["X-1"]["status"] == "open"


def test_sample_calls_import(cli: CliRun) -> None:
    assert cli("calls", "import", SAMPLE_CALLS).exit_code == 0
    listed = json.loads(cli("calls", "list", "--json", "--source", "manual").stdout)
    quarter = next(c for c in listed if c["deadlines"] == ["2027-Q1"])
    assert quarter["status"] == "forthcoming"


def test_reimport_is_unchanged_and_a_moved_deadline_is_a_new_version(
    cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    path = write_jsonl(tmp_path / "calls.jsonl", [CALL])
    cli("calls", "import", path)
    assert "0 new, 0 changed, 1 unchanged" in cli("calls", "import", path).output
    moved = dict(CALL, deadlines=["2027-04-15T17:00:00+02:00", "2027-09-14T17:00:00+02:00"])
    assert (
        "0 new, 1 changed, 0 unchanged"
        in cli("calls", "import", write_jsonl(tmp_path / "moved.jsonl", [moved])).output
    )
    with db.session_scope(engine) as session:
        call = session.scalar(select(Call))
        assert call is not None
        assert call.version == 2
        versions = session.scalars(select(CallVersion).order_by(CallVersion.version)).all()
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].changed_fields == ["deadlines"]
        assert versions[0].snapshot["deadlines"][0] == "2027-04-08T17:00:00+02:00"


@pytest.mark.parametrize(
    "stored",
    ["2027-04-08T00:00:00+00:00", "2027-04-07T22:00:00+00:00"],
    ids=["UTC midnight", "Brussels midnight in UTC"],
)
def test_a_day_once_stored_as_its_midnight_is_no_changed_deadline(
    stored: str, engine: Engine, settings_env: Path
) -> None:
    """The EU portal's days were stored as their midnight; stored right, every EU call
    would have been told to every matched member as having a changed deadline."""
    record = CallRecord.model_validate(dict(CALL, deadlines=[stored, "2027-09-14"]))
    with db.session_scope(engine) as session:
        first_ids = [d.id for d in upsert_call(session, record).call.deadlines]
        rewritten = upsert_call(
            session, record.model_copy(update={"deadlines": ["2027-04-08", "2027-09-14"]})
        )
        # Stored as the day now, but no new version: a pack's calendar would import every
        # EU deadline again with a higher SEQUENCE, and the feed's event would be replaced.
        assert rewritten.outcome == Outcome.UNCHANGED
        assert rewritten.call.version == 1
        assert [d.value for d in rewritten.call.deadlines] == ["2027-04-08", "2027-09-14"]
        assert [d.id for d in rewritten.call.deadlines] == first_ids
        assert session.scalar(select(func.count()).select_from(CallVersion)) == 1
        assert (
            upsert_call(
                session, record.model_copy(update={"deadlines": ["2027-04-08", "2027-09-14"]})
            ).outcome
            == Outcome.UNCHANGED
        )
        # A real move of the same day still is one.
        moved = upsert_call(
            session, record.model_copy(update={"deadlines": ["2027-04-09", "2027-09-14"]})
        )
        assert moved.changed_fields == ("deadlines",)


BAD_LINES: dict[str, tuple[list[dict[str, Any] | str], str, str]] = {
    # name: (rows, text of the place, text of the message)
    "malformed JSON": ([CALL, '{"id": "A", "title": '], "line 2", "malformed JSON"),
    "missing title": ([CALL, {"id": "A"}], "line 2, field 'title'", "required"),
    "bad deadline": (
        [{"id": "A", "title": "T", "deadlines": ["31.02.2027"]}],
        "line 1, field 'deadlines'",
        "not a valid date",
    ),
    "bad status": (
        [{"id": "A", "title": "T", "status": "maybe"}],
        "line 1, field 'status'",
        "forthcoming",
    ),
    "unknown field": (
        [{"id": "A", "title": "T", "deadline": "2027-01-01"}],
        "line 1, field 'deadline'",
        "unknown field",
    ),
    "duplicate id": ([CALL, CALL], "line 2, field 'id'", "duplicate call id"),
    "not an object": (["[1, 2]"], "line 1", "expected a JSON object"),
    # A crawled source's call entered by hand was stored among its crawled calls: the next
    # crawl overwrote it (or it overwrote a crawled call of the same id, a false "change").
    "a crawled source": (
        [{"id": "HORIZON-CL4-2026-X", "title": "T", "source": "eu-portal"}],
        "line 1, field 'source'",
        "'eu-portal' is a crawled source",
    ),
}


@pytest.mark.parametrize("case", list(BAD_LINES))
def test_bad_calls_file_is_refused_whole(
    case: str, cli: CliRun, engine: Engine, tmp_path: Path
) -> None:
    rows, place, message = BAD_LINES[case]
    cli("calls", "import", SAMPLE_CALLS)
    before = count_calls(engine)
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "NEW-1", "title": "Fine"}, *rows])
    result = cli("calls", "import", path)
    assert result.exit_code == 2
    # The fine first line shifts every reported line by one.
    line = int(place.split(",")[0].split()[1]) + 1
    expected_place = place.replace(place.split(",")[0], f"line {line}")
    assert f"{path}: {expected_place}" in result.stderr
    assert message in result.stderr
    assert count_calls(engine) == before


def test_status_is_checked_against_the_dates(engine: Engine) -> None:
    record = CallRecord(id="OLD", title="Old", status="open", deadlines=["2024-01-31"])
    now = datetime(2026, 11, 26, tzinfo=UTC)
    with db.session_scope(engine) as session:
        assert upsert_call(session, record, now).call.status == "closed"
        future = CallRecord(
            id="SOON", title="Soon", opening_date=date(2027, 2, 1), deadlines=["2027-05-01"]
        )
        assert upsert_call(session, future, now).call.status == "forthcoming"


def test_status_is_judged_on_the_date_in_callradar_timezone(engine: Engine) -> None:
    """At 00:30 in Warsaw it is still the day before in UTC. The crawler read the Warsaw
    date, the store the UTC one: a call opening that day went open, then forthcoming, then
    open again, each a new version (the demo test failed at midnight)."""
    late = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert get_settings().timezone == "Europe/Warsaw"
    assert get_settings().today(late) == date(2026, 11, 28)
    opening = CallRecord(id="NEW", title="New", opening_date=date(2026, 11, 28))
    closing = CallRecord(id="END", title="End", deadlines=["2026-11-27"])
    with db.session_scope(engine) as session:
        assert upsert_call(session, opening, late).call.status == "open"
        assert upsert_call(session, closing, late).call.status == "closed"


JAN_15 = datetime(2027, 1, 15, 9, tzinfo=UTC)
FEB_2 = datetime(2027, 2, 2, 9, tzinfo=UTC)
FORTHCOMING = CallRecord(
    id="SOON",
    title="Soon",
    status="forthcoming",
    opening_date=date(2027, 2, 1),
    deadlines=["2027-05-01"],
)


def test_a_forthcoming_call_opens_on_its_opening_date_without_a_version(engine: Engine) -> None:
    """The portal says "Forthcoming" for a while after a topic opens: the stored call stayed
    forthcoming for good. Its opening, made by the calendar alone, is no news to tell."""
    with db.session_scope(engine) as session:
        assert upsert_call(session, FORTHCOMING, JAN_15).call.status == "forthcoming"
        again = upsert_call(session, FORTHCOMING, FEB_2)
        assert again.call.status == "open"
        assert again.outcome == Outcome.UNCHANGED and again.call.version == 1
        assert upsert_call(session, FORTHCOMING, FEB_2).outcome == Outcome.UNCHANGED


def test_a_status_moved_by_the_calendar_is_no_changed_field_of_another_change(
    engine: Engine,
) -> None:
    with db.session_scope(engine) as session:
        upsert_call(session, FORTHCOMING, JAN_15)
        edited = FORTHCOMING.model_copy(update={"description": "Now with a scope."})
        changed = upsert_call(session, edited, FEB_2)
        assert changed.call.status == "open" and changed.call.version == 2
        assert changed.changed_fields == ("description",)
        # The source closing the call early is news, and so is its reopening.
        closed = upsert_call(session, edited.model_copy(update={"status": "closed"}), FEB_2)
        assert closed.changed_fields == ("status",) and closed.call.status == "closed"
        reopened = upsert_call(session, edited.model_copy(update={"status": "open"}), FEB_2)
        assert reopened.changed_fields == ("status",)


def test_stored_statuses_follow_the_calendar_without_a_new_crawl(engine: Engine) -> None:
    """A call no source lists any more (the portal drops closed topics), or one entered by
    hand, is never stored again: it stayed "forthcoming" or "open" for good."""
    ended = CallRecord(id="END", title="Ends", status="open", deadlines=["2027-01-31"])
    rolling = CallRecord(id="ROLL", title="Rolling", status="open")
    with db.session_scope(engine) as session:
        for record in (FORTHCOMING, ended, rolling):
            upsert_call(session, record, JAN_15)
        assert refresh_statuses(session, date(2027, 1, 31)) == 0
        assert refresh_statuses(session, date(2027, 2, 1)) == 2
        statuses = {c.external_id: c.status for c in session.scalars(select(Call))}
        assert statuses == {"SOON": "open", "END": "closed", "ROLL": "open"}
        assert {c.version for c in session.scalars(select(Call))} == {1}
        assert refresh_statuses(session, date(2027, 5, 2)) == 1
        assert session.scalar(select(Call.status).where(Call.external_id == "SOON")) == "closed"


def test_any_store_moves_other_calls_statuses_on(engine: Engine) -> None:
    with db.session_scope(engine) as session:
        upsert_call(session, FORTHCOMING, JAN_15)
        upsert_call(session, CallRecord(id="OTHER", title="Other"), FEB_2)
        assert session.scalar(select(Call.status).where(Call.external_id == "SOON")) == "open"


def test_a_call_opening_in_a_month_is_open_once_that_month_is_over(engine: Engine) -> None:
    """A schedule saying only "opens in January 2027" (PARP's "01.2027") left the call
    forthcoming until its deadline, though January was long over."""
    record = CallRecord(
        id="MONTH",
        title="Opens in January",
        status="forthcoming",
        deadlines=["2027-06-30"],
        extra={"opening": "2027-01"},
    )
    with db.session_scope(engine) as session:
        assert upsert_call(session, record, JAN_15).call.status == "forthcoming"
        assert record.checked_status(date(2027, 1, 31)) == "forthcoming"
        assert record.checked_status(date(2027, 2, 1)) == "open"
        assert refresh_statuses(session, date(2027, 1, 31)) == 0
        assert refresh_statuses(session, date(2027, 2, 1)) == 1
        assert session.scalar(select(Call.status)) == "open"
        again = upsert_call(session, record, FEB_2)
        assert (again.outcome, again.call.version, again.changed_fields) == (
            Outcome.UNCHANGED,
            1,
            (),
        )


def test_a_moved_deadline_keeps_its_row(engine: Engine) -> None:
    """The members' calendar feed names each event by its deadline's row: every change of a
    call made new rows, so calendars deleted and re-added each of its deadlines."""
    record = CallRecord(id="CUTS", title="Cut-offs", deadlines=["2027-04-08", "2027-09-14"])
    with db.session_scope(engine) as session:
        first = {d.value: d.id for d in upsert_call(session, record, JAN_15).call.deadlines}
        moved = upsert_call(
            session,
            record.model_copy(update={"deadlines": ["2027-04-08", "2027-10-01"]}),
            JAN_15,
        ).call
        assert {d.value: d.id for d in moved.deadlines} == {
            "2027-04-08": first["2027-04-08"],
            "2027-10-01": first["2027-09-14"],
        }


def test_same_call_from_two_sources_is_linked(engine: Engine) -> None:
    ncbr = CallRecord(
        id="/web/ncbr/feng010101-ip01-00326",
        source="ncbr",
        title="SMART",
        link_key="FENG.01.01-IP.01-003/26",
    )
    fe = CallRecord(id="FENG.01.01-IP.01-003/26", source="fe-portal", title="Ścieżka SMART")
    with db.session_scope(engine) as session:
        first = upsert_call(session, ncbr).call
        second = upsert_call(session, fe)
        assert second.outcome is Outcome.NEW
        assert second.call.same_as_id == first.id


@pytest.mark.parametrize(
    ("value", "precision", "latest"),
    [
        ("2027-04-08T00:00:00.000+0000", "datetime", date(2027, 4, 8)),
        ("2026-06-16", "date", date(2026, 6, 16)),
        ("2026-11", "month", date(2026, 11, 30)),
        ("2027-Q1", "quarter", date(2027, 3, 31)),
        ("2028-q1", "quarter", date(2028, 3, 31)),
    ],
)
def test_deadline_precision(value: str, precision: str, latest: date) -> None:
    deadline = parse_deadline(value)
    assert (deadline.precision, deadline.latest) == (precision, latest)


@pytest.mark.parametrize("value", ["2026-13", "yesterday", "2026-02-30", "2027-Q5"])
def test_bad_deadlines_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=value):
        parse_deadline(value)


def test_clean_text_removes_what_breaks_documents() -> None:
    assert clean_text("A\x00B\x0bC\x07\ufffe  D\r\n\r\n\r\nE") == "ABC D\n\nE"
    # A right-to-left override in a name reversed the rest of a terminal line or calendar
    # entry; the marks and right-to-left letters themselves stay.
    assert clean_text("Lumen\u202eanihC\u202c sp. z o.o.\u2067x\u2069") == "LumenanihC sp. z o.o.x"
    assert clean_text("\u200fשלום\u200e") == "\u200fשלום\u200e"


def test_list_prints_brackets_in_titles_as_text(cli: CliRun, tmp_path: Path) -> None:
    # Scraped and hand-entered titles hold brackets; Rich must not read them as style tags
    # (a stray "[/]" crashed the listing, "[x]" vanished from it).
    path = write_jsonl(tmp_path / "calls.jsonl", [{"id": "B-1", "title": "[/] [x]"}])
    assert cli("calls", "import", path).exit_code == 0
    result = cli("calls", "list")
    assert result.exit_code == 0, result.output
    assert "[/] [x]" in result.stdout


def test_a_deadline_of_an_early_year_is_stored_not_a_traceback(cli: CliRun, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "calls.jsonl", [{"id": "E-1", "title": "T", "deadlines": ["0999-05"]}]
    )
    result = cli("calls", "import", path)
    assert result.exit_code == 0, result.output
    assert json.loads(cli("calls", "list", "--json").stdout)[0]["deadlines"] == ["0999-05"]


def test_a_file_saved_by_windows_notepad_is_read(cli: CliRun, tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    rows = [json.dumps({"id": f"W-{n}", "title": "Zażółć"}, ensure_ascii=False) for n in (1, 2)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n")
    result = cli("calls", "import", path)
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stdout


def test_lone_surrogates_from_json_escapes_are_dropped(cli: CliRun, tmp_path: Path) -> None:
    # json.loads turns "\ud800" into a str no UTF-8 encodes: storing it raised in the driver.
    path = tmp_path / "calls.jsonl"
    path.write_text('{"id": "S-1\\ud800", "title": "T\\udc00", "description": "d\\ud800"}\n')
    result = cli("calls", "import", path)
    assert result.exit_code == 0, result.output
    [call] = json.loads(cli("calls", "list", "--json").stdout)
    assert (call["id"], call["title"]) == ("S-1", "T")


def test_an_infinite_budget_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "calls.jsonl"
    path.write_text('{"id": "I-1", "title": "T", "budget": 1e400}\n')
    result = cli("calls", "import", path)
    assert result.exit_code == 2
    assert "line 1, field 'budget'" in result.stderr
    assert count_calls(engine) == 0


def test_a_folder_is_not_a_missing_file(cli: CliRun, tmp_path: Path) -> None:
    (tmp_path / "calls.jsonl").mkdir()
    result = cli("calls", "import", tmp_path / "calls.jsonl")
    assert result.exit_code == 2
    assert "calls.jsonl: a folder, not a file" in result.stderr


def test_a_no_end_date_placeholder_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "calls.jsonl", [{"id": "P-1", "title": "T", "deadlines": ["9999-12-31"]}]
    )
    result = cli("calls", "import", path)
    assert result.exit_code == 2
    assert "line 1, field 'deadlines': '9999-12-31' is a placeholder" in result.stderr
    assert count_calls(engine) == 0


def test_a_line_separator_inside_a_string_does_not_end_the_line(
    cli: CliRun, tmp_path: Path
) -> None:
    # JSON strings hold U+2028 and U+0085 unescaped; json.dumps(ensure_ascii=False) writes them.
    call = {"id": "LS-1", "title": "T", "description": "one\u2028two\x85three"}
    path = write_jsonl(tmp_path / "calls.jsonl", [call, {"id": "LS-2", "title": "U"}])
    result = cli("calls", "import", path)
    assert result.exit_code == 0, result.output
    assert "2 new" in result.stdout


def test_json_nested_too_deeply_is_refused(cli: CliRun, engine: Engine, tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    path = write_jsonl(
        tmp_path / "calls.jsonl", [f'{{"id": "D-1", "title": "T", "extra": {deep}}}']
    )
    result = cli("calls", "import", path)
    assert result.exit_code == 2
    assert "line 1: JSON nested too deeply" in result.stderr
    assert count_calls(engine) == 0


@pytest.fixture
def machine_in_new_york() -> Iterator[None]:
    """The process's own time zone unlike CALLRADAR_TIMEZONE's, as on a server kept in UTC."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "America/New_York")
        time.tzset()
        yield
    time.tzset()


def test_a_deadline_without_a_zone_is_in_callradar_timezone_everywhere(
    cli: CliRun, engine: Engine, tmp_path: Path, machine_in_new_york: None
) -> None:
    # Before: the CLI printed it without a zone, the web page and the e-mail read it in the
    # machine's zone (23:00 in Warsaw here), the calendar feed as UTC (19:00 in Warsaw).
    path = write_jsonl(
        tmp_path / "calls.jsonl", [{"id": "A", "title": "T", "deadlines": ["2027-04-08T17:00"]}]
    )
    assert cli("calls", "import", path).exit_code == 0
    [listed] = json.loads(cli("calls", "list", "--json").stdout)
    assert listed["deadlines"] == ["2027-04-08T17:00:00+02:00"]
    with db.session_scope(engine) as session:
        call = session.scalar(select(Call))
        assert call is not None
        [deadline] = call.deadlines
        shown = "2027-04-08 17:00 (Europe/Warsaw)"
        assert describe(deadline.value, deadline.precision, WARSAW) == shown
        assert format_deadline(call.deadlines, date(2027, 1, 1), WARSAW, "en") == shown
        assert "DTSTART:20270408T150000Z" in feed([call], "callradar", "http://x.example", WARSAW)
