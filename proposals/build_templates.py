"""Write the shipped .docx templates in ``templates/`` (python -m proposals.build_templates).

The .docx files are what ships and what the coordinator edits in Word; this script makes
them anew from scratch when the structure changes. Tags are docxtpl's: ``{{ field }}``,
``{%p ... %}`` for a paragraph of its own, ``{%tr ... %}`` for a table row of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Cm, Pt, RGBColor

from proposals.catalogue import TEMPLATES, TEMPLATES_DIR

GUIDANCE_COLOUR = RGBColor(0x2E, 0x7D, 0x32)


def _new(title: str) -> DocumentObject:
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.author = "callradar"
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    return doc


def _p(doc: DocumentObject, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def _guide(doc: DocumentObject, text: str) -> None:
    # Guidance is green and italic, as in the Commission's own templates: delete before sending.
    run = doc.add_paragraph().add_run(text)
    run.italic = True
    run.font.color.rgb = GUIDANCE_COLOUR


def _facts(doc: DocumentObject, rows: Sequence[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for name, value in rows:
        cells = table.add_row().cells
        cells[0].text = name
        cells[0].paragraphs[0].runs[0].bold = True
        cells[1].text = value
    doc.add_paragraph()


def _loop_table(
    doc: DocumentObject,
    headers: Sequence[str],
    loop: str,
    cells: Sequence[str],
    widths_cm: Sequence[float] = (),
) -> None:
    """A table with a header row and one row repeated ``{%tr for ... %}``."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    table.add_row().cells[0].text = f"{{%tr for {loop} %}}"
    for cell, text in zip(table.add_row().cells, cells, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    if widths_cm:
        # Word reads the widths of the cells, LibreOffice those of the grid: set both.
        table.autofit = False
        for column, width in zip(table.columns, widths_cm, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    doc.add_paragraph()


def _blank_table(doc: DocumentObject, caption: str, headers: Sequence[str], rows: int) -> None:
    _p(doc, caption, "Caption")
    table = doc.add_table(rows=1 + rows, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    doc.add_paragraph()


def _draft_note(doc: DocumentObject) -> None:
    _guide(
        doc,
        "Draft made by callradar on {{ pack.generated_on }} (pack version {{ pack.version }}, "
        "template {{ pack.template }}). Text in green is guidance: replace it with your own and "
        "delete it before submission. Use the Part B template of the submission system for the "
        "final document: a topic's template may differ slightly from this one.",
    )


def _call_facts_en(doc: DocumentObject) -> None:
    _facts(
        doc,
        [
            ("Topic", "{{ call.identifier }}"),
            ("Topic title", "{{ call.title }}"),
            ("Programme", "{{ call.programme }}"),
            ("Type of action", "{{ call.type_of_action }}"),
            ("Deadline", "{{ call.deadline_text }}"),
            ("Budget of the topic", "{{ call.budget_text }}"),
            ("Technology areas", "{{ call.areas_text }}"),
            ("Coordinator", "{{ lead.name }}"),
            ("Proposal acronym", "[ACRONYM]"),
            ("Proposal title", "[Title of the proposal]"),
        ],
    )


def _participants_en(doc: DocumentObject) -> None:
    _loop_table(
        doc,
        ["No", "Participant organisation name", "Short name", "Type", "Country", "Role"],
        "p in participants",
        [
            "{{ p.number }}",
            "{{ p.name }}",
            "{{ p.id }}",
            "{{ p.kind_text }}",
            "{{ p.country }}",
            "{{ p.role }}",
        ],
        (0.9, 4.9, 3.0, 3.3, 1.5, 2.9),
    )


def _capacity_en(doc: DocumentObject) -> None:
    doc.add_heading("3.2 Capacity of participants and consortium as a whole", 2)
    _guide(
        doc,
        "Describe the consortium: how its members complement one another and together have the "
        "capacity to reach the project's objectives; the industrial or commercial involvement "
        "that will exploit the results; how the consortium reaches out to stakeholders. Each "
        "participant's profile below comes from the cluster's competence map: edit it to fit "
        "this project. Part A of the forms holds each participant's publications, previous "
        "projects and infrastructure.",
    )
    _participants_en(doc)
    _p(
        doc,
        "The consortium brings together {{ consortium.size }} participant"
        "{{ '' if consortium.size == 1 else 's' }} from "
        "{{ consortium.countries_text }} (companies: {{ consortium.companies }}; research "
        "organisations: {{ consortium.research }}). The call's technology areas are "
        "{{ call.areas_text }}.",
    )
    _p(doc, "{%p if consortium.uncovered %}")
    _p(
        doc,
        "Not yet covered by the consortium: {% for a in consortium.uncovered %}{{ a.label }}"
        "{% if not loop.last %}, {% endif %}{% endfor %}.",
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for m in rules.missing %}")
    _guide(doc, "To do before submission: {{ m }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for p in participants %}")
    doc.add_heading("{{ p.number }}. {{ p.name }} ({{ p.id }}, {{ p.country }})", 3)
    _p(doc, "{{ p.description }}")
    _p(
        doc,
        "Type: {{ p.kind_text }}. Role: {{ p.role }}. Expertise relevant to the call: "
        "{{ p.contribution_text }}. Readiness levels it works at: {{ p.trl_text }}. "
        "Keywords: {{ p.keywords_text }}.",
    )
    _guide(doc, "Role in this project: [work packages it leads, tasks, key staff].")
    _p(doc, "{%p if p.has_projects %}")
    _p(doc, "Relevant previous projects:")
    _p(doc, "{%p for pr in p.projects %}")
    _p(
        doc,
        "{{ pr.name }}: {{ pr.title }} ({{ pr.programme }}, {{ pr.year }}, {{ pr.role }}, "
        "{{ pr.outcome }})",
        "List Bullet",
    )
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")


def _work_plan_en(doc: DocumentObject, csa: bool) -> None:
    doc.add_heading("3.1 Work plan and resources", 2)
    _guide(
        doc,
        "Give a brief presentation of the overall structure of the work plan, the timing of the "
        "work packages and their components (a Gantt chart or similar), and the resources: "
        "Tables 3.1a to 3.1h of the submission system's template."
        + (" A CSA's work packages are mostly coordination, events and outreach." if csa else ""),
    )
    _blank_table(
        doc,
        "Table 3.1a: List of work packages",
        [
            "WP No",
            "Work package title",
            "Lead participant No",
            "Lead short name",
            "Person-months",
            "Start month",
            "End month",
        ],
        4,
    )
    _blank_table(
        doc,
        "Table 3.1c: List of deliverables",
        [
            "No",
            "Deliverable name",
            "WP No",
            "Lead participant",
            "Type",
            "Dissemination level",
            "Delivery month",
        ],
        3,
    )
    _blank_table(
        doc,
        "Table 3.1d: List of milestones",
        ["No", "Milestone name", "WPs", "Due month", "Means of verification"],
        3,
    )
    _blank_table(
        doc,
        "Table 3.1e: Critical risks for implementation",
        ["Description of risk (likelihood, severity)", "WPs involved", "Risk-mitigation measures"],
        3,
    )
    _p(doc, "Table 3.1f: Summary of staff effort (person-months)", "Caption")
    _loop_table(
        doc,
        ["Participant", "WP1", "WP2", "WP3", "WP4", "Total"],
        "p in participants",
        ["{{ p.number }}. {{ p.id }}", "", "", "", "", ""],
    )


def horizon_part_b(csa: bool) -> DocumentObject:
    kind = "coordination and support action" if csa else "research and innovation action"
    doc = _new(f"Horizon Europe Part B ({'CSA' if csa else 'RIA/IA'})")
    doc.add_heading("Part B: Technical description", 0)
    _p(doc, f"Horizon Europe, {kind}" + ("" if csa else " / innovation action"))
    _draft_note(doc)
    _call_facts_en(doc)

    doc.add_heading("1. Excellence", 1)
    doc.add_heading("1.1 Objectives and ambition", 2)
    if csa:
        _guide(
            doc,
            "Describe the objectives of the action, measurable and verifiable, and how they "
            "address the expected outcomes of topic {{ call.identifier }}. Describe the "
            "ambition: the advance it brings over existing coordination and support measures. "
            "The topic's text is in the annex at the end of this draft.",
        )
    else:
        _guide(
            doc,
            "Describe the specific objectives of the project, measurable and verifiable, and "
            "how they address the expected outcomes of topic {{ call.identifier }}. Describe "
            "where the work goes beyond the state of the art, and the innovation potential. "
            "The topic's text is in the annex at the end of this draft.",
        )
    doc.add_heading("1.2 Methodology", 2)
    _guide(
        doc,
        "Describe and explain the overall methodology"
        + (
            ": the concept, the approach, and how the activities reach the target groups."
            if csa
            else ", including the concepts, models and assumptions; the interdisciplinary "
            "approach; the gender dimension; open science practices; and research data "
            "management."
        ),
    )
    if not csa:
        _p(doc, "Readiness levels the participants work at:")
        _p(doc, "{%p for p in participants %}")
        _p(doc, "{{ p.name }}: {{ p.trl_text }}", "List Bullet")
        _p(doc, "{%p endfor %}")

    doc.add_heading("2. Impact", 1)
    doc.add_heading("2.1 Project's pathways towards impact", 2)
    _guide(
        doc,
        "Provide a narrative of how the project's results contribute to the expected outcomes "
        "in the topic and the wider impacts in the work programme's destination; the scale and "
        "significance of the contribution; the barriers that may stand in the way.",
    )
    doc.add_heading(
        "2.2 Measures to maximise impact: dissemination, exploitation and communication", 2
    )
    _guide(
        doc,
        "Describe the planned measures to maximise the impact: the dissemination and "
        "exploitation plan, including communication activities; the management of "
        "intellectual property; who will exploit which result.",
    )
    doc.add_heading("2.3 Summary", 2)
    _blank_table(
        doc,
        "Key elements of the impact section",
        [
            "Specific needs",
            "Expected results",
            "D&E&C measures",
            "Target groups",
            "Outcomes",
            "Impacts",
        ],
        1,
    )

    doc.add_heading("3. Quality and efficiency of the implementation", 1)
    _work_plan_en(doc, csa)
    _capacity_en(doc)

    doc.add_heading("Annex: the call's text", 1)
    _guide(doc, "For reference while writing; delete before submission.")
    _p(doc, "{{ call.title }} ({{ call.identifier }}) {{ call.url }}")
    _p(doc, "{{ call.description }}")
    return doc


def national_pl() -> DocumentObject:
    doc = _new("Opis projektu (NCBR/PARP)")
    doc.add_heading("Opis projektu", 0)
    _guide(
        doc,
        "Szkic przygotowany przez callradar {{ pack.generated_on }} (wersja pakietu "
        "{{ pack.version }}). Tekst zielony to wskazówki: zastąp go własnym i usuń przed "
        "złożeniem wniosku. Układ i limity znaków określa regulamin naboru oraz formularz "
        "wniosku w systemie instytucji: sprawdź je przed pisaniem.",
    )
    doc.add_heading("1. Informacje o naborze", 1)
    _facts(
        doc,
        [
            ("Nabór", "{{ call.title }}"),
            ("Identyfikator", "{{ call.identifier }}"),
            ("Program", "{{ call.programme_pl }}"),
            ("Termin składania wniosków", "{{ call.deadline_text_pl }}"),
            ("Budżet naboru", "{{ call.budget_text_pl }}"),
            ("Obszary technologiczne", "{{ call.areas_text_pl }}"),
            ("Tytuł projektu", "[Tytuł projektu]"),
            ("Akronim", "[AKRONIM]"),
        ],
    )
    doc.add_heading("2. Wnioskodawca i konsorcjum", 1)
    _loop_table(
        doc,
        ["Lp.", "Nazwa", "Typ", "Miejscowość", "Rola"],
        "p in participants",
        [
            "{{ p.number }}",
            "{{ p.name }}",
            "{{ p.kind_pl }}",
            "{{ p.location }}",
            "{{ p.role_pl }}",
        ],
        (1.0, 6.6, 3.4, 3.6, 2.0),
    )
    _p(doc, "{%p for m in rules.missing_pl %}")
    _guide(doc, "Do zrobienia: {{ m }}")
    _p(doc, "{%p endfor %}")
    doc.add_heading("3. Cel projektu i jego innowacyjność", 1)
    _guide(
        doc,
        "Opisz problem, który rozwiązuje projekt, cel prac B+R i ich rezultat (nowy lub "
        "znacząco ulepszony produkt, proces lub usługa). Wskaż skalę nowości (firma, rynek "
        "krajowy, rynek światowy) i przewagę nad rozwiązaniami dostępnymi na rynku.",
    )
    doc.add_heading("4. Plan prac badawczo-rozwojowych", 1)
    _guide(
        doc,
        "Podziel prace na etapy (badania przemysłowe, prace rozwojowe) i zadania, z kamieniami "
        "milowymi i poziomem gotowości technologicznej (TRL) na początku i na końcu projektu. "
        "Zadania przypisz członkom konsorcjum.",
    )
    _blank_table(
        doc,
        "Harmonogram zadań",
        [
            "Nr",
            "Zadanie",
            "Rodzaj prac",
            "Wykonawca",
            "Od (miesiąc)",
            "Do (miesiąc)",
            "Kamień milowy",
        ],
        4,
    )
    doc.add_heading("5. Potencjał wnioskodawcy i partnerów", 1)
    _guide(
        doc,
        "Opisy pochodzą z mapy kompetencji klastra; dostosuj je do projektu i uzupełnij o "
        "zasoby kadrowe oraz infrastrukturę badawczą.",
    )
    _p(doc, "{%p for p in participants %}")
    doc.add_heading("{{ p.number }}. {{ p.name }} ({{ p.role_pl }})", 2)
    _p(doc, "{{ p.description_pl }}")
    _p(
        doc,
        "Typ: {{ p.kind_pl }}. Kompetencje istotne dla naboru: {{ p.contribution_text_pl }}. "
        "Poziomy gotowości technologicznej: {{ p.trl_text_pl }}. Słowa kluczowe: "
        "{{ p.keywords_text_pl }}.",
    )
    _p(doc, "{%p if p.has_projects %}")
    _p(doc, "Doświadczenie w projektach:")
    _p(doc, "{%p for pr in p.projects %}")
    _p(
        doc,
        "{{ pr.name }}: {{ pr.title }} ({{ pr.programme }}, {{ pr.year }}, {{ pr.role_pl }}, "
        "{{ pr.outcome_pl }})",
        "List Bullet",
    )
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")
    doc.add_heading("6. Zespół projektowy", 1)
    _guide(doc, "Kierownik B+R i kluczowy personel: kwalifikacje, doświadczenie, rola w projekcie.")
    doc.add_heading("7. Wdrożenie wyników i uzasadnienie ekonomiczne", 1)
    _guide(
        doc,
        "Sposób wdrożenia wyników (własna działalność, licencja, sprzedaż praw), rynek "
        "docelowy i jego wielkość, model przychodów, zapotrzebowanie klientów.",
    )
    doc.add_heading("8. Zgodność z Krajową Inteligentną Specjalizacją", 1)
    _guide(doc, "Wskaż obszar KIS, z którym projekt jest zgodny, i uzasadnij to.")
    doc.add_heading("9. Budżet", 1)
    _blank_table(
        doc,
        "Budżet projektu",
        ["Kategoria kosztów", "Badania przemysłowe", "Prace rozwojowe", "Razem"],
        4,
    )
    doc.add_heading("Załącznik: treść naboru", 1)
    _p(doc, "{{ call.title }} ({{ call.identifier }}) {{ call.url }}")
    _p(doc, "{{ call.description_pl }}")
    return doc


def partner_profile() -> DocumentObject:
    doc = _new("Partner profile")
    doc.add_heading("Partner profile: {{ member.name }}", 0)
    _p(doc, "For the proposal to {{ call.identifier }}: {{ call.title }}")
    _facts(
        doc,
        [
            ("Short name", "{{ member.id }}"),
            ("Type", "{{ member.kind_text }}"),
            ("Location", "{{ member.location }}"),
            ("Website", "{{ member.website }}"),
            ("Role in this consortium", "{{ member.role }}"),
            ("Readiness levels", "{{ member.trl_text }}"),
            ("Relevant to the call", "{{ member.contribution_text }}"),
        ],
    )
    doc.add_heading("Description", 1)
    _p(doc, "{{ member.description }}")
    doc.add_heading("Competences", 1)
    _loop_table(
        doc,
        ["Area", "Code", "Level"],
        "c in member.competences",
        ["{{ c.label }}", "{{ c.code }}", "{{ c.level }} ({{ c.level_text }})"],
    )
    _p(doc, "Keywords: {{ member.keywords_text }}")
    doc.add_heading("Past projects", 1)
    _p(doc, "{%p if member.has_projects %}")
    _loop_table(
        doc,
        ["Project", "Title", "Programme and call", "Year", "Role", "Outcome"],
        "pr in member.projects",
        [
            "{{ pr.name }}",
            "{{ pr.title }}",
            "{{ pr.programme }} {{ pr.call }}",
            "{{ pr.year }}",
            "{{ pr.role }}",
            "{{ pr.outcome }}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "No past projects recorded in the competence map.")
    _p(doc, "{%p endif %}")
    return doc


def mentor_notes() -> DocumentObject:
    doc = _new("Mentor's notes")
    doc.add_heading("Mentor's notes", 0)
    _p(doc, "For the proposal to {{ call.identifier }}: {{ call.title }} ({{ call.programme }})")
    _p(doc, "{%p if mentor %}")
    _facts(
        doc,
        [
            ("Mentor", "{{ mentor.name }}"),
            ("Type", "{{ mentor.kind_text }}"),
            ("Location", "{{ mentor.location }}"),
            ("Website", "{{ mentor.website }}"),
        ],
    )
    doc.add_heading("Past projects in this programme or area", 1)
    _p(doc, "{%p if mentor.has_notes %}")
    _loop_table(
        doc,
        ["Project", "Programme and call", "Year", "Role", "Outcome", "Lessons learned"],
        "pr in mentor.notes",
        [
            "{{ pr.name }}: {{ pr.title }}",
            "{{ pr.programme }} {{ pr.call }}",
            "{{ pr.year }}",
            "{{ pr.role }}",
            "{{ pr.outcome }}",
            "{{ pr.lessons }}",
        ],
    )
    _p(doc, "{%p else %}")
    _p(doc, "The mentor has no recorded project in this programme or in the call's areas.")
    _p(doc, "{%p endif %}")
    doc.add_heading("Lessons learned", 1)
    _p(doc, "{%p for lesson in mentor.lessons %}")
    _p(doc, "{{ lesson }}", "List Bullet")
    _p(doc, "{%p endfor %}")
    _guide(
        doc,
        "Mentor: add your advice for this consortium here (what reviewers of this programme "
        "look for, pitfalls in the budget and the consortium agreement).",
    )
    _p(doc, "{%p else %}")
    _p(doc, "No mentor was chosen for this consortium.")
    _p(doc, "{%p endif %}")
    return doc


def checklist() -> DocumentObject:
    doc = _new("Checklist")
    doc.add_heading("Checklist: {{ call.identifier }}", 0)
    _p(doc, "{{ call.title }}")
    _facts(
        doc,
        [
            ("Programme", "{{ call.programme }}"),
            ("Type of action", "{{ call.type_of_action }} ({{ call.action }})"),
            ("Budget of the topic", "{{ call.budget_text }}"),
            ("Status", "{{ call.status }}"),
            ("Call page", "{{ call.url }}"),
            ("Pack", "version {{ pack.version }}, made {{ pack.generated_on }}"),
        ],
    )
    doc.add_heading("Deadlines", 1)
    _p(doc, "{%p if call.deadlines %}")
    _loop_table(
        doc,
        ["Deadline", "As given by the source"],
        "d in call.deadlines",
        ["{{ d.text }}", "{{ d.value }}"],
    )
    _p(doc, "deadlines.ics in this pack puts them in a calendar.")
    _p(doc, "{%p else %}")
    _p(doc, "No deadline is known yet: check the call page.")
    _p(doc, "{%p endif %}")
    doc.add_heading("Consortium rules", 1)
    _p(doc, "{{ rules.summary }}")
    _p(doc, "{%p if rules.checks %}")
    _loop_table(
        doc,
        ["Rule", "Status", "Detail"],
        "c in rules.checks",
        ["{{ c.rule }}", "{{ c.status }}", "{{ c.detail }}"],
    )
    _p(doc, "{%p endif %}")
    _p(doc, "{%p for m in rules.missing %}")
    _p(doc, "☐ {{ m }}")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p for a in consortium.uncovered %}")
    _p(
        doc,
        "☐ No participant covers {{ a.label }}: find a partner for it or drop it from the scope.",
    )
    _p(doc, "{%p endfor %}")
    doc.add_heading("Participants", 1)
    _participants_en(doc)
    doc.add_heading("Documents to prepare", 1)
    _p(doc, "{%p for d in documents %}")
    _p(doc, "☐ {{ d }}")
    _p(doc, "{%p endfor %}")
    return doc


BUILDERS = {
    "horizon-ria-ia": lambda: horizon_part_b(csa=False),
    "horizon-csa": lambda: horizon_part_b(csa=True),
    "national-pl": national_pl,
    "partner-profile": partner_profile,
    "mentor-notes": mentor_notes,
    "checklist": checklist,
}


def build(directory: Path = TEMPLATES_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in BUILDERS.items():
        path = TEMPLATES[name].path(directory)
        make().save(str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in build():
        print(path)
