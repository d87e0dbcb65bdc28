"""A generated draft converts to PDF with LibreOffice: Word-compatible output."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from proposals.catalogue import TEMPLATES
from proposals.render import render_docx
from proposals.sample import sample_context

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_draft_converts_to_pdf(tmp_path: Path) -> None:
    assert SOFFICE is not None
    context = sample_context()
    context["pack"]["generated_on"] = date(2027, 1, 1).isoformat()
    draft = tmp_path / "draft.docx"
    draft.write_bytes(render_docx(TEMPLATES["horizon-ria-ia"].path(), context))
    # A profile folder of its own: a user's running LibreOffice would otherwise take the job.
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(draft),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = (tmp_path / "draft.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "draft.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "3.2 Capacity of participants" in text and "Sample Photonics" in text
