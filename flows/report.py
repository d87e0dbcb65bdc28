"""What one run of the daily flow did, as data and as the markdown of its Prefect artifact."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawlers.run import SourceSummary


@dataclass(slots=True)
class DailyReport:
    sources: list[SourceSummary] = field(default_factory=list)
    # A source whose crawl task itself failed (not the source: the task), with why.
    crashed: dict[str, str] = field(default_factory=dict)
    # A step after crawling (tag, match, enqueue, send) that failed after its retries, with
    # why; the steps after it ran.
    failed_steps: dict[str, str] = field(default_factory=dict)
    tagged: int = 0
    matched: int = 0
    flagged: int = 0
    queued: int = 0
    sent: int = 0
    retry: int = 0
    failed: int = 0
    # Set when the run did nothing because another run of the flow was going on.
    skipped: str | None = None

    @property
    def failed_sources(self) -> list[str]:
        return [s.source for s in self.sources if not s.ok] + list(self.crashed)

    def markdown(self) -> str:
        if self.skipped:
            return f"# Daily run skipped\n\n{self.skipped}\n"
        lines = [
            "# Daily run",
            "",
            "| source | status | seen | new | changed | unchanged | errors |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in self.sources:
            status = "ok" if s.ok else "**failed**"
            lines.append(
                f"| {s.source} | {status} | {s.seen} | {s.new} | {s.changed} | {s.unchanged} "
                f"| {s.errors} |"
            )
        for source, why in self.crashed.items():
            lines.append(f"| {source} | **crashed** | | | | | {_cell(why)} |")
        if self.failed_steps:
            lines += ["", "## Failed steps", ""]
            lines += [f"- **{step}**: {_cell(why)}" for step, why in self.failed_steps.items()]
        problems = [s for s in self.sources if s.message and not s.ok]
        if problems:
            lines += ["", "## Source problems", ""]
            lines += [f"- **{s.source}**: {_cell(s.message or '')}" for s in problems]
        lines += [
            "",
            "| step | count |",
            "| --- | ---: |",
            f"| calls tagged | {self.tagged} |",
            f"| calls matched | {self.matched} |",
            f"| calls flagged for review | {self.flagged} |",
            f"| messages queued | {self.queued} |",
            f"| messages sent | {self.sent} |",
            f"| messages to retry | {self.retry} |",
            f"| messages failed | {self.failed} |",
            "",
        ]
        return "\n".join(lines)


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell or list item."""
    return " ".join(text.replace("|", "\\|").split())
