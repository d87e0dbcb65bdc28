"""The shipped templates, and which one a call gets.

Proposal templates are chosen from the call's programme and type of action (and can be
overridden by name); the pack's other documents always use their own template.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from proposals.errors import ProposalError
from proposals.facts import CallFacts
from proposals.rules import Action, Family, classify
from proposals.wording import say

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    file: str
    title: str
    language: str  # en | pl
    proposal: bool  # a proposal draft (chosen per call) or a fixed pack document

    def path(self, directory: Path = TEMPLATES_DIR) -> Path:
        return directory / self.file


TEMPLATES: dict[str, TemplateInfo] = {
    t.name: t
    for t in (
        TemplateInfo(
            "horizon-ria-ia",
            "horizon-europe-part-b-ria-ia.docx",
            "Horizon Europe Part B, research and innovation action / innovation action",
            "en",
            True,
        ),
        TemplateInfo(
            "horizon-csa",
            "horizon-europe-part-b-csa.docx",
            "Horizon Europe Part B, coordination and support action",
            "en",
            True,
        ),
        TemplateInfo(
            "national-pl",
            "opis-projektu-ncbr-parp.docx",
            "Opis projektu, nabory krajowe (NCBR, PARP, FENG)",
            "pl",
            True,
        ),
        TemplateInfo("partner-profile", "partner-profile.docx", "Partner profile", "en", False),
        TemplateInfo("mentor-notes", "mentor-notes.docx", "Mentor's notes", "en", False),
        TemplateInfo("checklist", "checklist.docx", "Checklist", "en", False),
    )
}
PROPOSAL_TEMPLATES = [t.name for t in TEMPLATES.values() if t.proposal]
# Filled once per participant, the only template whose context has ``member``.
PROFILE = "partner-profile"


def choose_template(call: CallFacts, override: str | None = None) -> tuple[TemplateInfo, str]:
    """The proposal template for ``call`` and why it was chosen."""
    if override:
        if override not in PROPOSAL_TEMPLATES:
            raise ProposalError(say("error.no_template", name=override, names=PROPOSAL_TEMPLATES))
        return TEMPLATES[override], "chosen by hand"
    kind = classify(call)
    if kind.family is Family.HORIZON and kind.action is Action.CSA:
        return TEMPLATES["horizon-csa"], "a Horizon Europe coordination and support action"
    if kind.family is Family.HORIZON:
        return TEMPLATES["horizon-ria-ia"], f"a Horizon Europe {kind.action.value} call"
    if kind.family is Family.NATIONAL or call.language == "pl":
        return TEMPLATES["national-pl"], "a Polish national call"
    return (
        TEMPLATES["horizon-ria-ia"],
        "no template fits this programme exactly; the Horizon Europe Part B skeleton is the "
        "closest (choose another with --template)",
    )
