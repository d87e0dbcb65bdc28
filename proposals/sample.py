"""A made-up call and consortium whose context every template is checked against."""

from __future__ import annotations

from datetime import date
from typing import Any

from proposals.catalogue import PROFILE
from proposals.context import build_context
from proposals.facts import CallFacts, DeadlineFacts, MemberFacts, ProjectFacts

SAMPLE_CALL = CallFacts(
    id="HORIZON-CL4-2027-DIGITAL-EMERGING-01-50",
    source="eu-portal",
    title="Photonic integrated circuits for sensing (sample topic)",
    description="Expected outcomes: pilot lines for photonic sensors.\nScope: integration.",
    url="https://example.org/topic",
    programme="Horizon Europe",
    call_identifier="HORIZON-CL4-2027-DIGITAL-EMERGING-01",
    type_of_action="HORIZON Research and Innovation Actions",
    status="open",
    budget=12_000_000,
    currency="EUR",
    language="en",
    deadlines=(
        DeadlineFacts("2027-02-10T17:00:00+01:00", "datetime", date(2027, 2, 10)),
        DeadlineFacts("2027-Q3", "quarter", date(2027, 9, 30)),
    ),
    areas={"integrated-photonics": 0.9, "sensors-mems": 0.6},
)
_PROJECT = ProjectFacts(
    programme="Horizon Europe",
    call="HORIZON-CL4-2022-DIGITAL-EMERGING-01",
    acronym="SAMPLE",
    title="A sample project",
    role="coordinator",
    year=2022,
    outcome="funded",
    areas=("integrated-photonics",),
    lessons="Start the consortium agreement early.",
)
SAMPLE_LEAD = MemberFacts(
    id="sample-lead",
    name="Sample Photonics sp. z o.o.",
    kind="sme",
    city="Wrocław",
    description="Designs photonic integrated circuits.",
    keywords=("silicon nitride",),
    trl_min=4,
    trl_max=7,
    roles=("coordinator", "partner"),
    competences={"integrated-photonics": 3},
    projects=(_PROJECT,),
)
SAMPLE_PARTNER = MemberFacts(
    id="sample-institute",
    name="Sample Institute",
    kind="research",
    city="Warszawa",
    description="Runs a MEMS clean room.",
    competences={"sensors-mems": 3},
    mentor=True,
    projects=(_PROJECT,),
)


def sample_context(template: str = PROFILE) -> dict[str, Any]:
    """The context of ``template`` as a pack fills it: a participant's profile also has
    ``member``, the participant it describes (here the first)."""
    context = build_context(
        SAMPLE_CALL,
        SAMPLE_LEAD,
        [SAMPLE_PARTNER],
        SAMPLE_PARTNER,
        template="sample",
        version=1,
        today=date(2026, 11, 1),
    )
    if template != PROFILE:
        return context
    return {**context, "member": context["participants"][0]}
