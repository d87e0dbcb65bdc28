"""A cluster (the sample competence map) and calls of each kind, stored in the test database."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocumentObject
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from callradar import competence_map_io, db
from callradar.calls import CallRecord, upsert_call
from callradar.cli import SAMPLE_MEMBERS
from callradar.members import import_members
from callradar.models import CallTag

HE_RIA = "HORIZON-CL4-2027-DIGITAL-EMERGING-01-50"
HE_CSA = "HORIZON-CL4-2027-HUMAN-01-90"
EIC = "HORIZON-EIC-2027-ACCELERATOR-01"
NATIONAL = "FENG.01.01-IP.01-001/27"

CALLS = [
    (
        CallRecord(
            id=HE_RIA,
            title="Photonic integrated circuits & <sensors> for industry",
            description="Expected outcome: PIC-based sensors.\nScope: pilot lines & packaging.",
            url="https://ec.europa.eu/info/funding-tenders/opportunities/portal/topic/x",
            programme="Horizon Europe",
            call_identifier="HORIZON-CL4-2027-DIGITAL-EMERGING-01",
            type_of_action="HORIZON Research and Innovation Actions",
            deadlines=["2027-02-10T17:00:00+01:00", "2027-Q3"],
            budget=12_000_000,
            source="eu-portal",
        ),
        {"integrated-photonics": 0.9, "sensors-mems": 0.7, "advanced-packaging": 0.5},
    ),
    (
        CallRecord(
            id=HE_CSA,
            title="Photonics skills network",
            programme="Horizon Europe",
            type_of_action="HORIZON Coordination and Support Actions",
            deadlines=["2027-03-04"],
            source="eu-portal",
        ),
        {"photonics": 0.8},
    ),
    (
        CallRecord(
            id=EIC,
            title="EIC Accelerator open",
            programme="Horizon Europe – EIC",
            type_of_action="HORIZON EIC Accelerator",
            deadlines=["2027-01"],
            source="eu-portal",
        ),
        {"lasers-optoelectronics": 0.9},
    ),
    (
        CallRecord(
            id=NATIONAL,
            title="Ścieżka SMART: projekty B+R przedsiębiorstw",
            description="Nabór na projekty B+R w obszarze energoelektroniki.",
            programme="FENG",
            deadlines=["2027-Q1"],
            language="pl",
            budget=500_000_000,
            currency="PLN",
            source="fe-portal",
        ),
        {"power-electronics": 0.9, "sensors-mems": 0.4},
    ),
]


def store_call(session: Session, record: CallRecord, areas: dict[str, float]) -> None:
    call = upsert_call(session, record).call
    call.tags = [CallTag(code=c, score=s, evidence=[]) for c, s in areas.items()]
    session.flush()


@pytest.fixture
def cluster(engine: Engine, settings_env: Path) -> Iterator[Engine]:
    """The sample members and one call of each kind, committed; settings point at them."""
    with db.session_scope(engine) as session:
        import_members(session, competence_map_io.load(SAMPLE_MEMBERS))
        for record, areas in CALLS:
            store_call(session, record, areas)
    yield engine


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def open_docx(data: bytes) -> DocumentObject:
    return docx.Document(io.BytesIO(data))


def all_text(document: DocumentObject) -> str:
    """Paragraphs and table cells, one a line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def table_rows(document: DocumentObject, header: str) -> list[list[str]]:
    """The rows (after the header) of the first table whose first row holds ``header``."""
    for table in document.tables:
        first = [c.text for c in table.rows[0].cells]
        if header in first:
            return [[c.text for c in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table with a {header!r} column")
