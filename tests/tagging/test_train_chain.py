"""The whole train -> load -> evaluate chain, one training step, into a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tagging.cli import app
from tagging.dataset import export_corrections
from tagging.paths import TRAIN_PATH


@pytest.mark.slow
def test_train_then_evaluate(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    train_lines = TRAIN_PATH.read_text(encoding="utf-8").splitlines()[::5]
    (data / "train.jsonl").write_text("\n".join(train_lines) + "\n", encoding="utf-8")
    (data / "corrections-1.jsonl").write_text(
        export_corrections([("Chiplets and hybrid bonding.", ["advanced-packaging"])])[0] + "\n")
    models = tmp_path / "models"
    runner = CliRunner()
    result = runner.invoke(app, ["train", "--output", str(models), "--data", str(data),
                                 "--max-steps", "1"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in models.iterdir()} == {"en", "pl"}

    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"id": "d1", "title": "Quantum sensing", "description":
                               "Quantum sensors and qubits.", "codes": ["quantum-technologies"],
                               "url": "https://example.org/call"}) + "\n")
    metrics = tmp_path / "metrics.json"
    result = runner.invoke(app, ["evaluate", "--dev", str(dev), "--models", str(models),
                                 "--output", str(metrics)])
    assert result.exit_code == 0, result.output
    assert json.loads(metrics.read_text())["areas_micro"]["support"] == 1
