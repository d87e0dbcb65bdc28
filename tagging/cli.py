"""`callradar tag`: tag stored calls or a file, evaluate on the development set, retrain."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

# spaCy and the database are imported inside the commands that use them: importing spaCy
# takes seconds, which every other `callradar` command would pay too.
from callradar.errors import InputFileError
from tagging.paths import DATA_DIR, DEV_PATH, MODELS_DIR

if TYPE_CHECKING:
    from tagging.evaluate import Metrics

app = typer.Typer(help="Tag calls with the cluster's technology areas.", no_args_is_help=False)
console = Console(soft_wrap=True)
errors = Console(stderr=True, soft_wrap=True)


@app.callback(invoke_without_command=True)
def tag(
    ctx: typer.Context,
    input: Annotated[
        Path | None, typer.Option("--input", help="JSON lines of calls: id, title, description.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Where to write the tags.", dir_okay=False)
    ] = None,
) -> None:
    """Tag every stored call that is untagged or changed, or a file with --input/--output."""
    if ctx.invoked_subcommand is not None:
        return
    if (input is None) != (output is None):
        raise typer.BadParameter("give both --input and --output, or neither")
    if input is not None and output is not None:
        _tag_file(input, output)
    else:
        _tag_stored()


def _tag_file(input: Path, output: Path) -> None:
    from tagging.files import tag_file

    try:
        summary = tag_file(input, output)
    except InputFileError as exc:
        errors.print(f"{exc.path}: refused, nothing was written", style="bold red", markup=False)
        for problem in exc.problems:
            errors.print(f"  {exc.path}: {problem}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    console.print(f"tagged {summary.tagged} calls into {output}", markup=False)
    for reason in summary.skipped:
        errors.print(f"skipped {reason}", markup=False, highlight=False)


def _tag_stored() -> None:
    from callradar.db import session_scope, upgrade
    from tagging.store import tag_stored_calls

    upgrade()
    with session_scope() as session:
        summary = tag_stored_calls(session)
    console.print(f"tagged {summary.tagged} stored calls")
    for call_id, reason in summary.skipped.items():
        errors.print(f"skipped call {call_id}: {reason}", markup=False, highlight=False)


def print_metrics(metrics: Metrics) -> None:
    table = Table("area", "precision", "recall", "F1", "support")
    for code, counts in metrics.per_area.items():
        table.add_row(
            code,
            f"{counts.precision:.3f}",
            f"{counts.recall:.3f}",
            f"{counts.f1:.3f}",
            str(counts.tp + counts.fn),
        )
    for name, counts in (("micro (areas)", metrics.areas), ("micro (domains)", metrics.domains)):
        table.add_row(
            name,
            f"{counts.precision:.3f}",
            f"{counts.recall:.3f}",
            f"{counts.f1:.3f}",
            str(counts.tp + counts.fn),
            style="bold",
        )
    console.print(table)


@app.command("evaluate")
def evaluate_command(
    dev: Annotated[Path, typer.Option(help="Labelled calls to score against.")] = DEV_PATH,
    models: Annotated[Path, typer.Option(help="Trained pipelines to load.")] = MODELS_DIR,
    output: Annotated[Path | None, typer.Option(help="Also write the metrics as JSON.")] = None,
    show_errors: Annotated[bool, typer.Option("--errors", help="List every wrong call.")] = False,
) -> None:
    """Print precision, recall and F1 per area and micro-averaged on the development set."""
    from tagging.dataset import read_labelled
    from tagging.evaluate import evaluate
    from tagging.tagger import Tagger

    metrics = evaluate(Tagger.load(models), read_labelled(dev, require_url=True))
    print_metrics(metrics)
    if show_errors:
        for line in metrics.errors:
            console.print(line, markup=False)
    if output is not None:
        output.write_text(json.dumps(metrics.as_dict(), indent=2) + "\n", encoding="utf-8")


@app.command("train")
def train_command(
    output: Annotated[Path, typer.Option(help="Where the trained pipelines go.")] = MODELS_DIR,
    data: Annotated[Path, typer.Option(help="train.jsonl and corrections*.jsonl.")] = DATA_DIR,
    max_steps: Annotated[int | None, typer.Option(help="Stop after this many steps.")] = None,
) -> None:
    """Retrain both pipelines from train.jsonl plus any exported corrections."""
    from tagging.train import train

    for lang, path in train(output, data_dir=data, max_steps=max_steps).items():
        console.print(f"{lang}: {path}", markup=False)


@app.command("export-corrections")
def export_corrections_command(
    output: Annotated[
        Path | None,
        typer.Option(help="Where to write; default tagging/data/corrections-<date>.jsonl."),
    ] = None,
) -> None:
    """Write the coordinator's corrected tags as training examples for `callradar tag train`."""
    from datetime import date

    from callradar.db import session_scope, upgrade
    from tagging.store import export_corrections

    target = output or DATA_DIR / f"corrections-{date.today().isoformat()}.jsonl"
    upgrade()
    with session_scope() as session:
        count = export_corrections(session, target)
    console.print(f"wrote {count} corrected call(s) to {target}", markup=False)
