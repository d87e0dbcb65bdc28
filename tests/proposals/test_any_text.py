"""Any text from members or sources renders into a valid document (hypothesis), megabytes too."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from proposals.catalogue import TEMPLATES
from proposals.context import build_context
from proposals.facts import CallFacts, DeadlineFacts, MemberFacts, ProjectFacts
from proposals.render import render_docx
from proposals.safetext import docx_line

# Every code point but surrogates, with the troublemakers made likely.
NASTY = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\x0b",
        "\x0c",
        "\ufffe",
        "&",
        "<",
        ">",
        "]]>",
        "\u202e",
        "\u200f",
        "\u05e9",
        "👍",
        "{{",
        "{%",
        "%}",
        "\n",
        "\r",
        "\t",
        " ",
        "\u00a0",
        "x" * 200,
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=20), NASTY), max_size=8).map("".join)


@st.composite
def project(draw: st.DrawFn) -> ProjectFacts:
    return ProjectFacts(
        programme=draw(TEXT),
        title=draw(TEXT),
        role="coordinator",
        year=2020,
        outcome="funded",
        call=draw(TEXT),
        acronym=draw(TEXT),
        areas=("sensors-mems",),
        lessons=draw(TEXT),
    )


@st.composite
def member(draw: st.DrawFn, id: str) -> MemberFacts:
    return MemberFacts(
        id=id,
        name=draw(TEXT),
        kind="sme",
        city=draw(TEXT),
        website=draw(TEXT),
        description=draw(TEXT),
        keywords=tuple(draw(st.lists(TEXT, max_size=3))),
        competences={"sensors-mems": 2},
        mentor=True,
        projects=tuple(draw(st.lists(project(), max_size=2))),
    )


@st.composite
def call(draw: st.DrawFn) -> CallFacts:
    return CallFacts(
        id=draw(TEXT) or "id",
        source="s",
        title=draw(TEXT),
        description=draw(TEXT),
        url=draw(TEXT),
        programme=draw(TEXT),
        call_identifier=draw(TEXT),
        type_of_action=draw(TEXT),
        status=draw(TEXT),
        currency="EUR",
        budget=1.5,
        deadlines=(DeadlineFacts("2027-02-10T17:00:00+01:00", "datetime", date(2027, 2, 10)),),
        areas={"sensors-mems": 0.5},
    )


def render_all(context: dict[str, Any]) -> dict[str, bytes]:
    filled = {**context, "member": context["participants"][-1]}
    return {name: render_docx(info.path(), filled) for name, info in TEMPLATES.items()}


def assert_valid(data: bytes) -> Document:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        etree.fromstring(package.read("word/document.xml"))
    return Document(io.BytesIO(data))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(call=call(), lead=member("lead"), partner=member("partner"))
def test_any_text_in_any_field_renders(
    call: CallFacts, lead: MemberFacts, partner: MemberFacts
) -> None:
    context = build_context(
        call, lead, [partner], partner, template="t", version=1, today=date(2027, 1, 1)
    )
    for name, data in render_all(context).items():
        doc = assert_valid(data)
        if name == "partner-profile":
            cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
            # The text arrives whole: as cleaned, not cut or doubled-escaped.
            assert docx_line(partner.website or "") in cells


def test_megabytes_render_and_are_shortened_visibly() -> None:
    huge = ("Zażółć gęślą jaźń & <tag> 👍 \u202e " * 40_000) + "x" * 100_000
    assert len(huge.encode()) > 1_500_000
    lead = MemberFacts(
        id="lead", name=huge[:1000], kind="sme", description=huge, competences={"sensors-mems": 3}
    )
    big_call = CallFacts(
        id="C", source="s", title=huge[:5000], description=huge, areas={"sensors-mems": 1.0}
    )
    context = build_context(
        big_call, lead, [], None, template="t", version=1, today=date(2027, 1, 1)
    )
    draft = assert_valid(render_all(context)["horizon-ria-ia"])
    text = "\n".join(p.text for p in draft.paragraphs)
    assert "[shortened: " in text and "the full text is in call-text.txt]" in text
    assert "\u202e" not in text and "Zażółć gęślą jaźń & <tag> 👍" in text
