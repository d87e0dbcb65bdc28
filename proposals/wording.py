"""The sentences of consortium suggestions and rule reports, in English and Polish.

A suggestion and a rule report hold ``Text``s — a key and its arguments (area codes, levels,
counts, names, projects) — rather than finished sentences, so the CLI, the web app and the
proposal packs each say them in their reader's language. Every key has its English and its
Polish wording side by side, so neither language can miss one. Each wording is a small
function because Polish needs the grammar spelled out: the form of a noun after a number, the
case after a preposition. Area names come from the taxonomy in the language asked for;
programme names (Horizon Europe, EIC Accelerator, FENG) stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from callradar.taxonomy import label

LANGUAGES = ("en", "pl")


@dataclass(frozen=True, slots=True)
class Text:
    """One sentence (or phrase) of a suggestion or a rule report, said in either language."""

    key: str
    args: tuple[tuple[str, Any], ...] = ()

    def text(self, language: str = "en") -> str:
        english, polish = WORDINGS[self.key]
        return (polish if language == "pl" else english)(**dict(self.args))

    @property
    def en(self) -> str:
        return self.text("en")


def say(key: str, **args: Any) -> Text:
    """The ``Text`` of ``key`` with ``args``; an unknown key fails here, not when shown."""
    if key not in WORDINGS:
        raise KeyError(f"no wording {key!r}")
    return Text(key, tuple(sorted((name, _frozen(value)) for name, value in args.items())))


def texts(items: Sequence[Text], language: str) -> list[str]:
    return [t.text(language) for t in items]


def _frozen(value: Any) -> Any:
    # Texts are frozen and hashable: lists of arguments become tuples.
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


# --- English helpers -------------------------------------------------------------------------

_EN_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _count_en(n: int, noun: str, plural: str | None = None) -> str:
    word = _EN_NUMBERS.get(n, str(n))
    return f"{word} {noun if n == 1 else (plural or noun + 's')}"


# --- Polish helpers --------------------------------------------------------------------------

# "Potrzeba jednego partnera / dwóch partnerów / pięciu partnerów": numbers in the genitive.
_PL_GENITIVE = {1: "jednego", 2: "dwóch", 3: "trzech", 4: "czterech", 5: "pięciu"}


def _plural_pl(n: int, one: str, few: str, many: str) -> str:
    """The Polish form of a noun after the number ``n``: 1 podmiot, 2 podmioty, 5 podmiotów."""
    if n == 1:
        return one
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return few
    return many


def level_text(value: float, language: str) -> str:
    """A competence level as the language writes a number: 2.25, or 2,25 in Polish."""
    text = f"{value:g}"
    return text.replace(".", ",") if language == "pl" else text


def _strengths(pairs: Sequence[tuple[str, float]], language: str) -> str:
    word = "poziom" if language == "pl" else "level"
    return ", ".join(
        f"{label(code, language)} ({word} {level_text(level, language)})" for code, level in pairs
    )


def _labels(codes: Sequence[str], language: str) -> str:
    return ", ".join(label(code, language) for code in codes)


_ROLES_PL = {"coordinator": "koordynator", "partner": "partner", "third-party": "strona trzecia"}
_OUTCOMES_PL = {"funded": "dofinansowany", "rejected": "odrzucony", "ongoing": "w toku"}


def _project(project: Sequence[Any], language: str) -> str:
    """A past project, given as (name, programme, year, role, outcome)."""
    name, programme, year, role, outcome = project
    if language == "pl":
        role, outcome = _ROLES_PL.get(role, role), _OUTCOMES_PL.get(outcome, outcome)
    return f"{name} ({programme}, {year}, {role}, {outcome})"


def _projects(projects: Sequence[Sequence[Any]], language: str) -> str:
    return "; ".join(_project(p, language) for p in projects)


# An organisation's kind, after "is" ("X is an SME") and after "jest" (instrumental case).
_KIND_EN = {
    "sme": "an SME",
    "large": "a large company",
    "research": "a research organisation",
    "university": "a university",
    "other": "an organisation of another kind",
}
_KIND_PL = {
    "sme": "MŚP",
    "large": "dużym przedsiębiorstwem",
    "research": "jednostką naukową",
    "university": "uczelnią",
    "other": "organizacją innego rodzaju",
}


def _countries(countries: Sequence[str], none: str) -> str:
    return ", ".join(countries) or none


def _partners_abroad_en(n: int, countries: Sequence[str]) -> str:
    other = f" other than {', '.join(countries)}" if countries else ""
    one = n == 1
    return (
        f"{_count_en(n, 'partner').capitalize()} from other countries "
        f"(EU Member States or Associated Countries{other}) "
        f"{'is' if one else 'are'} needed: the cluster cannot supply {'it' if one else 'them'}."
    )


def _partners_abroad_pl(n: int, countries: Sequence[str]) -> str:
    number = _PL_GENITIVE.get(n, str(n))
    if n == 1:
        other = f" innego niż {', '.join(countries)}" if countries else ""
        return (
            f"Potrzeba jeszcze {number} partnera z innego kraju (państwa członkowskiego UE "
            f"lub kraju stowarzyszonego{other}): klaster nie może go zapewnić."
        )
    other = f" innych niż {', '.join(countries)}" if countries else ""
    return (
        f"Potrzeba jeszcze {number} partnerów z innych krajów (państw członkowskich UE "
        f"lub krajów stowarzyszonych{other}): klaster nie może ich zapewnić."
    )


def _coordinated_pl(count: int, projects: Sequence[Sequence[Any]]) -> str:
    where = "w jednym projekcie" if count == 1 else f"w {count} projektach"
    among = ", m.in." if count > len(projects) else ""
    return f"ma doświadczenie koordynatora {where}{among}: {_projects(projects, 'pl')}"


_Wording = Callable[..., str]

WORDINGS: dict[str, tuple[_Wording, _Wording]] = {
    # --- The consortium suggestion: notes and areas nobody covers -----------------------------
    "note.no_areas": (
        lambda: (
            "The call has no technology areas yet, so partners cannot be chosen by "
            "competence: tag the call (or correct its areas) and ask again."
        ),
        lambda: (
            "Nabór nie ma jeszcze obszarów technologicznych, więc partnerów nie da się "
            "dobrać według kompetencji: przypisz mu obszary (albo popraw je) i sprawdź ponownie."
        ),
    ),
    "note.no_sme": (
        lambda: "The cluster has no SME, and only an SME can apply to this call.",
        lambda: "W klastrze nie ma MŚP, a w tym naborze wniosek może złożyć tylko MŚP.",
    ),
    "note.no_coordinator": (
        lambda: "No member is willing to coordinate: a lead must be found outside.",
        lambda: (
            "Żaden członek nie deklaruje gotowości do koordynowania projektu: lidera "
            "trzeba znaleźć poza klastrem."
        ),
    ),
    "uncovered": (
        lambda code: (
            f"No member of the cluster covers {label(code)} ({code}): a partner "
            "from outside the cluster is needed for it."
        ),
        lambda code: (
            f"Żaden członek klastra nie ma kompetencji w obszarze „{label(code, 'pl')}” "
            f"({code}): potrzebny jest do niego partner spoza klastra."
        ),
    ),
    # --- Why the lead --------------------------------------------------------------------------
    "lead.sme_only": (
        lambda: "an SME, the only kind of applicant this call accepts",
        lambda: "MŚP — jedyny rodzaj wnioskodawcy, jaki dopuszcza ten nabór",
    ),
    "lead.willing": (
        lambda: "willing to coordinate",
        lambda: "deklaruje gotowość do koordynowania projektu",
    ),
    "lead.company": (
        lambda: "a company, as national calls usually want the applicant to be",
        lambda: "przedsiębiorstwo — w naborach krajowych wnioskodawcą jest zwykle przedsiębiorstwo",
    ),
    "lead.coordinated": (
        lambda count, projects: "has coordinated " + _projects(projects, "en"),
        _coordinated_pl,
    ),
    "covers": (
        lambda strengths: f"covers {_strengths(strengths, 'en')}",
        lambda strengths: f"ma kompetencje: {_strengths(strengths, 'pl')}",
    ),
    # --- Why a partner -------------------------------------------------------------------------
    "partner.adds": (
        lambda strengths: f"adds {_strengths(strengths, 'en')}",
        lambda strengths: f"wnosi: {_strengths(strengths, 'pl')}",
    ),
    "partner.overlaps": (
        lambda codes: f"overlaps with the team in {_labels(codes, 'en')}",
        lambda codes: (
            "pokrywa się z resztą zespołu w "
            + ("obszarze" if len(codes) == 1 else "obszarach")
            + f": {_labels(codes, 'pl')}"
        ),
    ),
    "partner.mix.company": (
        lambda: "a company: the call favours a mix of companies and research organisations",
        lambda: (
            "przedsiębiorstwo: nabór premiuje współpracę przedsiębiorstw z jednostkami naukowymi"
        ),
    ),
    "partner.mix.research": (
        lambda: (
            "a research organisation: the call favours a mix of companies and research "
            "organisations"
        ),
        lambda: (
            "jednostka naukowa: nabór premiuje współpracę przedsiębiorstw z jednostkami naukowymi"
        ),
    ),
    # --- Why the mentor ------------------------------------------------------------------------
    "mentor.took_part": (
        lambda project: f"took part in {_project(project, 'en')}",
        lambda project: f"udział w projekcie {_project(project, 'pl')}",
    ),
    # --- Consortium rules: what is known -------------------------------------------------------
    "rules.unknown": (
        lambda: (
            "callradar knows no consortium rules for this programme: read the call's "
            "eligibility conditions."
        ),
        lambda: (
            "callradar nie zna zasad tworzenia konsorcjów w tym programie: sprawdź "
            "warunki udziału w ogłoszeniu naboru."
        ),
    ),
    "rules.horizon.summary": (
        lambda action: (
            f"Horizon Europe {action}: at least three independent legal entities, "
            "each from a different EU Member State or Associated Country, at least one of them in "
            "a Member State."
        ),
        lambda action: (
            f"Horizon Europe {action}: co najmniej trzy niezależne podmioty "
            "prawne, każdy z innego państwa członkowskiego UE lub kraju stowarzyszonego, w tym co "
            "najmniej jeden z państwa członkowskiego."
        ),
    ),
    "rules.csa.summary": (
        lambda: (
            "Horizon Europe CSA: at least one legal entity established in an EU Member "
            "State or Associated Country (the topic may ask for more: read its conditions)."
        ),
        lambda: (
            "Horizon Europe CSA: co najmniej jeden podmiot prawny z siedzibą w państwie "
            "członkowskim UE lub kraju stowarzyszonym (temat może wymagać więcej: sprawdź jego "
            "warunki)."
        ),
    ),
    "rules.eic.summary": (
        lambda: (
            "EIC Accelerator: a single SME (or a start-up to be established) applies "
            "alone; other members can only be subcontractors or advisers."
        ),
        lambda: (
            "EIC Accelerator: wniosek składa samodzielnie jedno MŚP (albo start-up, który "
            "dopiero powstanie); pozostali członkowie mogą być tylko podwykonawcami lub doradcami."
        ),
    ),
    "rules.national.summary": (
        lambda: (
            "Polish national call (NCBR/PARP/FENG): typically a single company, or a "
            "consortium of a company and a research organisation; check the call's rules "
            "(regulamin konkursu) for the exact limits."
        ),
        lambda: (
            "Nabór krajowy (NCBR/PARP/FENG): zwykle jedno przedsiębiorstwo albo "
            "konsorcjum przedsiębiorstwa z jednostką naukową; dokładne warunki podaje regulamin "
            "konkursu."
        ),
    ),
    # --- Consortium rules: the rules and what the team shows -----------------------------------
    "rule.three_entities": (
        lambda: "at least 3 independent legal entities",
        lambda: "co najmniej 3 niezależne podmioty prawne",
    ),
    "rule.three_countries": (
        lambda: "from at least 3 different EU Member States or Associated Countries",
        lambda: "z co najmniej 3 różnych państw członkowskich UE lub krajów stowarzyszonych",
    ),
    "rule.one_in_member_state": (
        lambda: "at least one of them established in an EU Member State",
        lambda: "co najmniej jeden z nich z siedzibą w państwie członkowskim UE",
    ),
    "rule.one_entity": (
        lambda: "at least 1 legal entity in an EU Member State or Associated Country",
        lambda: "co najmniej 1 podmiot prawny w państwie członkowskim UE lub kraju stowarzyszonym",
    ),
    "rule.applicant_sme": (
        lambda: "the applicant is an SME",
        lambda: "wnioskodawca jest MŚP",
    ),
    "rule.single_applicant": (
        lambda: "a single applicant, no consortium",
        lambda: "jeden wnioskodawca, bez konsorcjum",
    ),
    "rule.lead_company": (
        lambda: "the applicant (lead) is a company",
        lambda: "wnioskodawca (lider) jest przedsiębiorstwem",
    ),
    "rule.partner_kinds": (
        lambda: "consortium partners are companies or research organisations",
        lambda: "partnerzy konsorcjum to przedsiębiorstwa lub jednostki naukowe",
    ),
    "found.entities": (
        lambda n: f"the team has {_count_en(n, 'entity', 'entities')}",
        lambda n: f"zespół liczy {n} {_plural_pl(n, 'podmiot', 'podmioty', 'podmiotów')}",
    ),
    "found.eligible_countries": (
        lambda countries: f"eligible countries in the team: {_countries(countries, 'none')}",
        lambda countries: "kraje zespołu spełniające warunek: " + _countries(countries, "brak"),
    ),
    "found.countries": (
        lambda countries: _countries(countries, "none"),
        lambda countries: _countries(countries, "brak"),
    ),
    "found.kind": (
        lambda name, kind: f"{name} is {_KIND_EN.get(kind, kind)}",
        lambda name, kind: f"{name} jest {_KIND_PL.get(kind, kind)}",
    ),
    "found.no_lead": (lambda: "no lead", lambda: "brak lidera"),
    "found.only_lead": (lambda: "only the lead", lambda: "tylko lider"),
    "found.drop_partners": (
        lambda n: f"{_count_en(n, 'partner')} listed: drop them from the application",
        lambda n: (
            f"wpisano {n} {'partnera: usuń go' if n == 1 else 'partnerów: usuń ich'} z wniosku"
        ),
    ),
    "found.alone": (lambda: "alone", lambda: "bez partnerów"),
    "found.partners": (
        lambda n: _count_en(n, "partner"),
        lambda n: f"liczba partnerów: {n}",
    ),
    # --- Consortium rules: what the cluster cannot supply --------------------------------------
    "missing.partners_abroad": (_partners_abroad_en, _partners_abroad_pl),
    "missing.more_partners": (
        lambda n: f"{_count_en(n, 'more independent partner')} needed.",
        lambda n: (
            f"Potrzeba jeszcze {_PL_GENITIVE.get(n, str(n))} "
            f"{'niezależnego partnera' if n == 1 else 'niezależnych partnerów'}."
        ),
    ),
    "missing.sme_lead": (
        lambda: "The applicant must be a single SME: choose an SME of the cluster as the lead.",
        lambda: "Wnioskodawcą musi być jedno MŚP: wybierz na lidera MŚP z klastra.",
    ),
    "missing.company_lead": (
        lambda: (
            "Such calls are usually led by a company: choose a company of the cluster as "
            "the lead, or check that the call's rules (regulamin) allow a research lead."
        ),
        lambda: (
            "Takie nabory prowadzi zwykle przedsiębiorstwo: wybierz na lidera "
            "przedsiębiorstwo z klastra albo sprawdź, czy regulamin naboru dopuszcza jednostkę "
            "naukową jako lidera."
        ),
    ),
    # --- Errors of the assembler -------------------------------------------------------------
    "error.no_call": (
        lambda call, source=None: (
            f"no call {call!r}{f' of source {source!r}' if source else ''}; "
            "`callradar calls list` shows the ids"
        ),
        lambda call, source=None: (
            f"nie ma naboru {call!r}{f' ze źródła {source!r}' if source else ''}; "
            "identyfikatory naborów wypisuje `callradar calls list`"
        ),
    ),
    "error.ambiguous_call": (
        lambda call, sources: (
            f"call id {call!r} is used by several sources ({', '.join(sources)}); "
            "name one with --source"
        ),
        lambda call, sources: (
            f"identyfikator naboru {call!r} występuje w kilku źródłach "
            f"({', '.join(sources)}); wskaż jedno opcją --source"
        ),
    ),
    "error.unknown_members": (
        lambda ids: (
            f"unknown member(s) {', '.join(map(repr, ids))}; `callradar members list` shows the ids"
        ),
        lambda ids: (
            (
                "nieznany identyfikator członka"
                if len(ids) == 1
                else "nieznane identyfikatory członków"
            )
            + f": {', '.join(map(repr, ids))}; identyfikatory członków wypisuje "
            "`callradar members list`"
        ),
    ),
    "error.no_consortium": (
        lambda consortium, call: (
            f"call {call!r} has no consortium {consortium}; "
            "`callradar packs list` shows the consortia"
        ),
        lambda consortium, call: (
            f"nabór {call!r} nie ma konsorcjum nr {consortium}; konsorcja wypisuje "
            "`callradar packs list`"
        ),
    ),
    "error.lead_taken": (
        lambda consortium, lead: (
            f"consortium {consortium} of this call is already led by {lead!r}; "
            "change that one instead"
        ),
        lambda consortium, lead: (
            f"konsorcjum nr {consortium} tego naboru ma już lidera {lead!r}; zmień tamto konsorcjum"
        ),
    ),
    "error.no_template": (
        lambda name, names: f"no proposal template {name!r}; choose one of {', '.join(names)}",
        lambda name, names: (
            f"nie ma szablonu wniosku {name!r}; dostępne szablony: {', '.join(names)}"
        ),
    ),
    "error.unreadable_template": (
        lambda why: (
            f"the template cannot be opened as a Word document ({why}); restore it from git "
            "or run `python -m proposals.build_templates`"
        ),
        lambda why: (
            f"szablonu nie można otworzyć jako dokumentu Worda ({why}); przywróć go z gita "
            "albo uruchom `python -m proposals.build_templates`"
        ),
    ),
    "error.broken_tag": (
        lambda why: f"broken tag: {why}",
        lambda why: f"błędny znacznik: {why}",
    ),
    "error.unknown_field": (
        lambda why: (
            f"unknown field: {why}; `callradar templates check` lists the fields a template can use"
        ),
        lambda why: (
            f"nieznane pole: {why}; pola, których może używać szablon, wypisuje "
            "`callradar templates check`"
        ),
    ),
    "error.not_allowed": (
        lambda why: f"not allowed in a template: {why}",
        lambda why: f"niedozwolone w szablonie: {why}",
    ),
    "error.cannot_fill": (
        lambda why: f"cannot fill the template: {why}",
        lambda why: f"nie można wypełnić szablonu: {why}",
    ),
    "error.bad_word_xml": (
        lambda: (
            "the filled template is not valid Word XML; a {%tr %}, {%tc %} or {%p %} tag is "
            "probably not alone in its own table row, cell or paragraph"
        ),
        lambda: (
            "wypełniony szablon nie jest poprawnym dokumentem Worda; znacznik {%tr %}, "
            "{%tc %} lub {%p %} prawdopodobnie nie stoi sam w swoim wierszu tabeli, komórce lub "
            "akapicie"
        ),
    ),
    "error.bad_character": (
        lambda path, char: (
            f"field {path} holds the character {char}, which a Word document cannot hold; "
            "clean the text first"
        ),
        lambda path, char: (
            f"pole {path} zawiera znak {char}, którego dokument Worda nie może zawierać; "
            "najpierw oczyść tekst"
        ),
    ),
    "error.not_plain_data": (
        lambda path, kind: f"field {path} is a {kind}; a context holds only plain data",
        lambda path, kind: (
            f"pole {path} jest typu {kind}; kontekst może zawierać tylko proste dane"
        ),
    ),
    "error.cannot_write": (
        lambda path, why: f"cannot write the pack to {path}: {why}; nothing was stored",
        lambda path, why: f"nie można zapisać pakietu do {path}: {why}; niczego nie zapisano",
    ),
    "error.invalid_document": (
        lambda why: f"the filled document is not valid: {why}",
        lambda why: f"wypełniony dokument jest niepoprawny: {why}",
    ),
}
