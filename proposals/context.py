"""The context a pack's templates are filled with: plain JSON data built by a pure function.

Every string passes through ``docx_text`` here, so what reaches a template is text a Word
document can hold; templates see no ORM objects, no callables, nothing but dicts, lists,
strings, numbers, booleans and None.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from callradar.deadlines import deadline_moment
from callradar.settings import get_settings
from callradar.taxonomy import ALL_CODES, label
from proposals.consortium import competence, relevant_projects
from proposals.facts import CallFacts, DeadlineFacts, MemberFacts, ProjectFacts
from proposals.rules import Action, Family, RuleReport, check_rules, classify
from proposals.safetext import docx_line, docx_text
from proposals.wording import level_text, texts

CALL_TEXT_FILE = "call-text.txt"
# Limits of what goes into a draft; longer text is shortened with a visible note.
CALL_TEXT_LIMIT = 20_000
DESCRIPTION_LIMIT = 5_000
LINE_LIMIT = 500
LESSONS_LIMIT = 2_000
# A mentor's notes: its projects most like the call, and its lessons learned, at most this many.
MENTOR_PROJECTS = 10
MENTOR_LESSONS = 10

WARSAW = ZoneInfo("Europe/Warsaw")
_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTHS_PL_GENITIVE = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
]
_MONTHS_PL = [
    "styczeń",
    "luty",
    "marzec",
    "kwiecień",
    "maj",
    "czerwiec",
    "lipiec",
    "sierpień",
    "wrzesień",
    "październik",
    "listopad",
    "grudzień",
]
_KIND = {
    "sme": ("SME", "MŚP"),
    "large": ("large company", "duże przedsiębiorstwo"),
    "research": ("research organisation", "instytut badawczy"),
    "university": ("university", "uczelnia"),
    "other": ("other organisation", "inna organizacja"),
}
_LEVEL = {1: "working knowledge", 2: "strong", 3: "core business"}
_ROLE = {"coordinator": "coordinator", "partner": "partner", "third-party": "third party"}
# For the Polish draft (national-pl): a past project's role and outcome in its words.
_ROLE_PL = {"coordinator": "koordynator", "partner": "partner", "third-party": "podmiot trzeci"}
_OUTCOME_PL = {"funded": "dofinansowany", "rejected": "odrzucony", "ongoing": "w toku"}


def build_context(
    call: CallFacts,
    lead: MemberFacts,
    partners: Sequence[MemberFacts],
    mentor: MemberFacts | None,
    *,
    template: str,
    version: int,
    today: date,
) -> dict[str, Any]:
    """The JSON-only context of a pack: the call, the participants (lead first, numbered),
    the mentor's notes, the consortium rules and the checklist."""
    team = [lead, *[p for p in partners if p.id != lead.id]]
    rules = check_rules(call, team)
    participants = [_member(m, call, number=i + 1, coordinator=i == 0) for i, m in enumerate(team)]
    coverage = {
        code: max(competence(m, code) for m in team) for code in call.areas if code in ALL_CODES
    }
    countries = sorted({m.country for m in team})
    return {
        "call": _call(call, today),
        "lead": participants[0],
        "participants": participants,
        "partners": participants[1:],
        "mentor": _mentor(mentor, call) if mentor else None,
        "consortium": {
            "size": len(team),
            "countries": countries,
            "countries_text": ", ".join(countries),
            "companies": sum(1 for m in team if m.is_company),
            "research": sum(1 for m in team if m.is_research),
            "uncovered": [
                {"code": code, "label": label(code), "label_pl": label(code, "pl")}
                for code in sorted(coverage)
                if coverage[code] < 1
            ],
        },
        "rules": _rules(rules),
        "documents": documents_to_prepare(call),
        "pack": {
            "version": version,
            "template": docx_line(template),
            "generated_on": today.isoformat(),
            "call_text_file": CALL_TEXT_FILE,
        },
    }


def _call(call: CallFacts, today: date) -> dict[str, Any]:
    kind = classify(call)
    deadlines = [_deadline(d) for d in call.deadlines]
    # The draft's one deadline is the next one: of a call with cut-offs in March and July,
    # a pack made in April is for July. After the last, the last (the draft says it passed
    # by its date; the checklist lists them all).
    upcoming = next(
        (shown for d, shown in zip(call.deadlines, deadlines, strict=True) if d.latest >= today),
        deadlines[-1] if deadlines else None,
    )
    areas = sorted(
        ((c, s) for c, s in call.areas.items() if c in ALL_CODES), key=lambda kv: (-kv[1], kv[0])
    )
    description = docx_text(call.description, CALL_TEXT_LIMIT, CALL_TEXT_FILE)
    description_pl = docx_text(call.description, CALL_TEXT_LIMIT, CALL_TEXT_FILE, "pl")
    return {
        "id": docx_line(call.id),
        "source": docx_line(call.source),
        "title": docx_line(call.title, LINE_LIMIT),
        "identifier": docx_line(call.call_identifier or call.id),
        "programme": docx_line(call.programme or "not given"),
        "programme_pl": docx_line(call.programme or "nie podano"),
        "type_of_action": docx_line(call.type_of_action or "not given"),
        "family": kind.family.value,
        "action": kind.action.value,
        "url": docx_line(call.url or ""),
        "status": docx_line(call.status or "unknown"),
        "opening_date": call.opening_date.isoformat() if call.opening_date else "",
        "budget_text": _budget(call, "en"),
        "budget_text_pl": _budget(call, "pl"),
        "description": description or "(no description given by the source)",
        "description_pl": description_pl or "(źródło nie podało opisu naboru)",
        "deadlines": deadlines,
        "deadline_text": upcoming["text"] if upcoming else "not known yet",
        "deadline_text_pl": upcoming["text_pl"] if upcoming else "jeszcze nieznany",
        "areas": [
            {"code": c, "label": label(c), "label_pl": label(c, "pl"), "score": round(s, 2)}
            for c, s in areas
        ],
        "areas_text": ", ".join(label(c) for c, _ in areas) or "none tagged",
        "areas_text_pl": ", ".join(label(c, "pl") for c, _ in areas) or "brak",
    }


def _budget(call: CallFacts, language: str) -> str:
    if call.budget is None:
        return "not given" if language == "en" else "nie podano"
    currency = call.currency or "EUR"
    if language == "pl":
        return f"{call.budget:,.0f} {currency}".replace(",", "\u00a0")
    return f"{currency} {call.budget:,.0f}"


def _deadline(d: DeadlineFacts) -> dict[str, Any]:
    text, text_pl = deadline_texts(d)
    return {"value": d.value, "precision": d.precision, "text": text, "text_pl": text_pl}


def deadline_texts(d: DeadlineFacts) -> tuple[str, str]:
    """The deadline in English and Polish, with its time zone when a time is known, and
    saying so when only the day, month or quarter is."""
    if d.precision == "datetime":
        # Without its offset (a call entered by hand) a moment is CALLRADAR_TIMEZONE time.
        moment = deadline_moment(d.value, get_settings().zone)
        offset = moment.strftime("%z")
        zone = f"UTC{offset[:3]}:{offset[3:]}"
        local = moment.astimezone(WARSAW)
        warsaw = f"; {local:%H:%M} Warsaw time ({local.tzname()})"
        warsaw_pl = f"; {local:%H:%M} czasu warszawskiego"
        day = moment.date()
        return (
            f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}, {moment:%H:%M} ({zone}){warsaw}",
            f"{day.day} {_MONTHS_PL_GENITIVE[day.month - 1]} {day.year}, "
            f"godz. {moment:%H:%M} ({zone}){warsaw_pl}",
        )
    if d.precision == "date":
        day = date.fromisoformat(d.value)
        return (
            f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year} (time of day not given)",
            f"{day.day} {_MONTHS_PL_GENITIVE[day.month - 1]} {day.year} (godzina nieznana)",
        )
    if d.precision == "month":
        year, month = d.value.split("-")
        m = int(month)
        return (
            f"{_MONTHS_EN[m - 1]} {year} (day not known yet)",
            f"{_MONTHS_PL[m - 1]} {year} (dzień jeszcze nieznany)",
        )
    year, quarter = d.value.split("-Q")
    q = int(quarter)
    first, last = _MONTHS_EN[3 * q - 3], _MONTHS_EN[3 * q - 1]
    roman = ("I", "II", "III", "IV")[q - 1]
    return (
        f"Q{q} {year} ({first}–{last}; date not known yet)",
        f"{roman} kwartał {year} (data jeszcze nieznana)",
    )


def _member(m: MemberFacts, call: CallFacts, *, number: int, coordinator: bool) -> dict[str, Any]:
    kind_en, kind_pl = _KIND.get(m.kind, (m.kind, m.kind))
    competences = sorted(m.competences.items(), key=lambda kv: (-kv[1], kv[0]))
    contribution = [
        (c, competence(m, c)) for c in sorted(call.areas) if c in ALL_CODES and competence(m, c) > 0
    ]
    trl = f"TRL {m.trl_min}–{m.trl_max}" if m.trl_min and m.trl_max else ""
    description = docx_text(m.description, DESCRIPTION_LIMIT)
    description_pl = docx_text(m.description, DESCRIPTION_LIMIT, language="pl")
    keywords = docx_line(", ".join(m.keywords), LINE_LIMIT * 4)
    return {
        "number": number,
        "id": docx_line(m.id),
        "name": docx_line(m.name, LINE_LIMIT),
        "role": "Coordinator" if coordinator else "Partner",
        "role_pl": "Lider" if coordinator else "Partner",
        "kind": m.kind,
        "kind_text": kind_en,
        "kind_pl": kind_pl,
        "type": "company" if m.is_company else "research" if m.is_research else "other",
        "city": docx_line(m.city or ""),
        "country": docx_line(m.country),
        "location": docx_line(", ".join(x for x in (m.city, m.country) if x)),
        "website": docx_line(m.website or ""),
        "description": description or "(no description)",
        "description_pl": description_pl or "(brak opisu)",
        "keywords": [docx_line(k, LINE_LIMIT) for k in m.keywords],
        "keywords_text": keywords or "none",
        "keywords_text_pl": keywords or "brak",
        "trl_text": trl or "not given",
        "trl_text_pl": trl or "nie podano",
        "competences": [
            {
                "code": c,
                "label": label(c),
                "label_pl": label(c, "pl"),
                "level": lvl,
                "level_text": _LEVEL.get(lvl, str(lvl)),
            }
            for c, lvl in competences
        ],
        "competences_text": ", ".join(f"{label(c)} ({lvl})" for c, lvl in competences) or "none",
        "contribution_text": ", ".join(f"{label(c)} ({lvl:g})" for c, lvl in contribution)
        or "none of the call's areas",
        "contribution_text_pl": ", ".join(
            f"{label(c, 'pl')} ({level_text(lvl, 'pl')})" for c, lvl in contribution
        )
        or "żaden z obszarów naboru",
        "projects": [_project(p) for p in m.projects],
        "has_projects": bool(m.projects),
    }


def _project(p: ProjectFacts) -> dict[str, Any]:
    return {
        "name": docx_line(p.acronym or p.title, LINE_LIMIT),
        "acronym": docx_line(p.acronym or ""),
        "title": docx_line(p.title, LINE_LIMIT),
        "programme": docx_line(p.programme, LINE_LIMIT),
        "call": docx_line(p.call or ""),
        "role": _ROLE.get(p.role, docx_line(p.role)),
        "role_pl": _ROLE_PL.get(p.role, docx_line(p.role)),
        "year": p.year,
        "areas_text": ", ".join(label(a) if _known(a) else docx_line(a) for a in p.areas),
        "outcome": docx_line(p.outcome),
        "outcome_pl": _OUTCOME_PL.get(p.outcome, docx_line(p.outcome)),
        "lessons": docx_text(p.lessons or "", LESSONS_LIMIT),
    }


def _known(code: str) -> bool:
    try:
        label(code)
    except KeyError:
        return False
    return True


def _mentor(m: MemberFacts, call: CallFacts) -> dict[str, Any]:
    data = _member(m, call, number=0, coordinator=False)
    relevant = [p for _, p in relevant_projects(m, call)][:MENTOR_PROJECTS]
    data["notes"] = [_project(p) for p in relevant]
    data["has_notes"] = bool(relevant)
    # The lessons of the projects most like the call first, each once: a mentor with forty
    # projects made notes of two hundred pages, the same advice again and again.
    lessons: dict[str, str] = {}
    for p in [*relevant, *m.projects]:
        if p.lessons and p.lessons.strip():
            lessons.setdefault(" ".join(p.lessons.casefold().split()), p.lessons)
    data["lessons"] = [
        docx_text(text, LESSONS_LIMIT) for text in list(lessons.values())[:MENTOR_LESSONS]
    ]
    return data


def _rules(report: RuleReport) -> dict[str, Any]:
    return {
        "known": report.known,
        "summary": report.summary,
        "all_met": report.all_met,
        "checks": [
            {
                "rule": c.rule,
                "met": c.met,
                "status": "met" if c.met else "NOT MET",
                "detail": docx_line(c.detail),
            }
            for c in report.checks
        ],
        "missing": list(report.missing),
        "missing_pl": texts(report.needs, "pl"),
    }


def documents_to_prepare(call: CallFacts) -> list[str]:
    """What has to be prepared besides the draft, by the kind of call."""
    kind = classify(call)
    if kind.family is Family.HORIZON:
        docs = [
            "Part A (administrative forms) in the Funding & Tenders Portal submission system: "
            "participants, budget table, ethics self-assessment, declarations",
            "Part B (this draft), uploaded as one PDF within the page limit the call sets",
            "A PIC number and a validated LEAR for every participant",
            "A Gender Equality Plan for public bodies, research organisations and higher "
            "education establishments (an eligibility criterion)",
            "Letters of support or commitment from end users, where the call allows them",
            "A consortium agreement before the grant agreement (start early)",
        ]
        if kind.action is Action.CSA:
            docs.append("For a CSA: the list of events, networks and stakeholders to reach")
        return docs
    if kind.family is Family.EIC_ACCELERATOR:
        return [
            "Short proposal on the EIC platform (form, pitch deck, short video): read the "
            "current EIC Work Programme",
            "Full proposal with the business plan and financial projections after a GO",
            "Company registration and SME status documents",
        ]
    if kind.family is Family.NATIONAL:
        return [
            "Application form in the agency's system (wniosek o dofinansowanie)",
            "Project description (opis projektu: this draft)",
            "Schedule and budget by task, with milestones (harmonogram, budżet)",
            "Declarations the call's rules require: SME status, state aid, VAT (oświadczenia)",
            "Financial statements of the applicant (sprawozdania finansowe)",
            "Consortium agreement, if the project is run by a consortium (umowa konsorcjum)",
            "Fit with the national smart specialisations (KIS), where the call asks for it",
        ]
    return [
        "The application form the call's rules name",
        "The project description (this draft), adapted to the call's own template",
    ]
