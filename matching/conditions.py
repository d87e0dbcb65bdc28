"""Who may apply to a call, read from its text: kinds of applicant, countries, Polish regions.

Sources do not give eligibility as fields, so it is read from the title, the type of action,
the programme and the sentences that talk about applicants ("Single for-profit SMEs … may
apply", "O dofinansowanie mogą ubiegać się mikro, małe i średnie przedsiębiorstwa"). A
restriction excludes a member only when the text states it: words that merely mention SMEs
or research organisations ("collaboration between research organisations, SMEs and
industry") restrict nothing, and a member whose region is unknown is not excluded by one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from callradar import countries
from callradar.text import ascii_letters

SME = "sme"
LARGE = "large"
RESEARCH = "research"
UNIVERSITY = "university"
COMPANIES = frozenset({SME, LARGE})
RESEARCH_BODIES = frozenset({RESEARCH, UNIVERSITY})

EU_MEMBER_STATES = countries.EU_MEMBER_STATES
EEA_COUNTRIES = countries.EEA_EFTA_STATES
HORIZON_ASSOCIATED = countries.HORIZON_ASSOCIATED_COUNTRIES

# Sources of Polish national and regional programmes: their applicants are Polish entities.
POLISH_SOURCES = frozenset({"ncbr", "parp", "ncn", "fe-portal"})

VOIVODESHIPS: dict[str, tuple[str, str]] = {
    # code: (Polish adjective stem as in "województwa ...", name used in "dla ..." phrases)
    "dolnoslaskie": ("dolnośląsk", "Dolnego Śląska"),
    "kujawsko-pomorskie": ("kujawsko-pomorsk", "Kujaw i Pomorza"),
    "lubelskie": ("lubelsk", "Lubelskiego"),
    "lubuskie": ("lubusk", "Lubuskiego"),
    "lodzkie": ("łódzk", "Łódzkiego"),
    "malopolskie": ("małopolsk", "Małopolski"),
    "mazowieckie": ("mazowieck", "Mazowsza"),
    "opolskie": ("opolsk", "Opolskiego"),
    "podkarpackie": ("podkarpack", "Podkarpacia"),
    "podlaskie": ("podlask", "Podlasia"),
    "pomorskie": ("pomorsk", "Pomorza"),
    "slaskie": ("śląsk", "Śląskiego"),
    "swietokrzyskie": ("świętokrzysk", "Świętokrzyskiego"),
    "warminsko-mazurskie": ("warmińsko-mazursk", "Warmii i Mazur"),
    "wielkopolskie": ("wielkopolsk", "Wielkopolski"),
    "zachodniopomorskie": ("zachodniopomorsk", "Pomorza Zachodniego"),
}
EASTERN_POLAND = frozenset(
    {"lubelskie", "podkarpackie", "podlaskie", "swietokrzyskie", "warminsko-mazurskie"}
)
# Call numbers and programme names of the regional programmes 2021-2027 (FEDS.01.01-...).
REGIONAL_PROGRAMME_CODES: dict[str, frozenset[str]] = {
    "FEDS": frozenset({"dolnoslaskie"}),
    "FEKP": frozenset({"kujawsko-pomorskie"}),
    "FELU": frozenset({"lubelskie"}),
    "FELB": frozenset({"lubuskie"}),
    "FELD": frozenset({"lodzkie"}),
    "FEMP": frozenset({"malopolskie"}),
    "FEM": frozenset({"mazowieckie"}),
    "FEMA": frozenset({"mazowieckie"}),
    "FEOP": frozenset({"opolskie"}),
    "FEPK": frozenset({"podkarpackie"}),
    "FEPD": frozenset({"podlaskie"}),
    "FEPM": frozenset({"pomorskie"}),
    "FESL": frozenset({"slaskie"}),
    "FESW": frozenset({"swietokrzyskie"}),
    "FEWM": frozenset({"warminsko-mazurskie"}),
    "FEWP": frozenset({"wielkopolskie"}),
    "FEPZ": frozenset({"zachodniopomorskie"}),
    "FEPW": EASTERN_POLAND,
}
# Where members' cities lie; a city not listed leaves the member's region unknown.
CITY_REGIONS: dict[str, str] = {
    **dict.fromkeys(
        ["wrocław", "wałbrzych", "legnica", "jelenia góra", "lubin", "głogów"], "dolnoslaskie"
    ),
    **dict.fromkeys(["bydgoszcz", "toruń", "włocławek", "grudziądz"], "kujawsko-pomorskie"),
    **dict.fromkeys(["lublin", "zamość", "chełm", "biała podlaska", "puławy"], "lubelskie"),
    **dict.fromkeys(["zielona góra", "gorzów wielkopolski"], "lubuskie"),
    **dict.fromkeys(["łódź", "piotrków trybunalski", "pabianice"], "lodzkie"),
    **dict.fromkeys(["kraków", "tarnów", "nowy sącz"], "malopolskie"),
    **dict.fromkeys(["warszawa", "radom", "płock", "siedlce", "piaseczno"], "mazowieckie"),
    **dict.fromkeys(["opole"], "opolskie"),
    **dict.fromkeys(["rzeszów", "przemyśl", "krosno", "mielec", "stalowa wola"], "podkarpackie"),
    **dict.fromkeys(["białystok", "suwałki", "łomża"], "podlaskie"),
    **dict.fromkeys(["gdańsk", "gdynia", "sopot", "słupsk"], "pomorskie"),
    **dict.fromkeys(
        [
            "katowice",
            "gliwice",
            "zabrze",
            "bielsko-biała",
            "częstochowa",
            "sosnowiec",
            "tychy",
            "rybnik",
            "bytom",
            "chorzów",
        ],
        "slaskie",
    ),
    **dict.fromkeys(["kielce", "ostrowiec świętokrzyski"], "swietokrzyskie"),
    **dict.fromkeys(["olsztyn", "elbląg", "ełk"], "warminsko-mazurskie"),
    **dict.fromkeys(["poznań", "kalisz", "konin", "piła", "leszno"], "wielkopolskie"),
    **dict.fromkeys(["szczecin", "koszalin", "świnoujście"], "zachodniopomorskie"),
}

_CITY_REGIONS_ASCII = {ascii_letters(city): region for city, region in CITY_REGIONS.items()}

# A sentence that says who may apply; only such sentences (and the title) can restrict.
# Every branch starts with a letter, so the engine skips ahead to candidate letters;
# ``x(?<!\w.)`` is ``\bx`` written so (a word boundary before a letter).
_APPLICANT_CUE = re.compile(
    r"eligib|may apply|can apply|applicants?\b|open to|only|restricted to|limited to|"
    r"s(?<!\w.)ingle\b|i(?<!\w.)ndividual\b|f(?<!\w.)or smes\b|"
    r"must be (?:an? )?(?:sme|research|universit)|"
    r"wnioskodawc|ubiegać się|skorzystać|kto może|dla kogo|uprawnion|wyłącznie|tylko|"
    r"d(?<!\w.)la (?:mśp|mikro|małych|dużych|przedsiębior|jednostek|uczelni|organizacji)|"
    r"w(?<!\w.) mśp\b|"
    r"skierowan\w* (?:jest |są )?do\b|adresowan\w* (?:jest |są )?do\b|wziąć udział|"
    r"beneficjentami mogą|beneficjentem może|aplikować|aimed at|targeted at",
)
# The same cues one by one, each starting with its letters: a pattern that starts with fixed
# letters is looked for at C speed, an alternation is tried at every likely letter. A word
# boundary before is a lookbehind after the letters: ``single(?<!\w.{6})`` is ``\bsingle``.
# Each comes with the letters every match of it starts with: ``in`` finds them faster still,
# and where they are not, the cue is not either.
_CUE_LETTERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (letters, re.compile(letters + rest))
    for letters, rest in (
        ("eligib", ""), ("may apply", ""), ("can apply", ""), ("applicant", r"s?\b"),
        ("open to", ""), ("only", ""), ("restricted to", ""), ("limited to", ""),
        ("single", r"(?<!\w.{6})\b"), ("individual", r"(?<!\w.{10})\b"),
        ("for smes", r"(?<!\w.{8})\b"), ("must be ", r"(?:an? )?(?:sme|research|universit)"),
        ("wnioskodawc", ""), ("ubiegać się", ""), ("skorzystać", ""), ("kto może", ""),
        ("dla kogo", ""), ("uprawnion", ""), ("wyłącznie", ""), ("tylko", ""),
        ("dla ", r"(?<!\w.{4})(?:mśp|mikro|małych|dużych|przedsiębior|jednostek|uczelni|"
                 r"organizacji)"),
        ("w mśp", r"(?<!\w.{5})\b"),
        ("skierowan", r"\w* (?:jest |są )?do\b"), ("adresowan", r"\w* (?:jest |są )?do\b"),
        ("wziąć udział", ""), ("beneficjentami mogą", ""), ("beneficjentem może", ""),
        ("aplikować", ""), ("aimed at", ""), ("targeted at", ""),
    )
)  # fmt: skip
_APPLICANT_CUES = tuple(cue for _, cue in _CUE_LETTERS)
_SME = re.compile(
    r"\bsmes?\b|small and medium[- ]sized enterprises|\bmśp\b|"
    r"mikro,? mał\w* i średni\w* przedsiębior|małe i średnie przedsiębior|"
    r"mikroprzedsiębior|\bmikro- i mał",
)
_LARGE = re.compile(r"\blarge (?:enterprises|companies|industry)\b|\bduż\w* przedsiębior")
_ENTERPRISE = re.compile(r"\benterprises\b|\bfor-profit\b|przedsiębior(?:stw|c)")
# "open to research organisations and industry": industry as applicants, said in a sentence
# (never from a title, where "… for industry" names the users, not the applicants).
_INDUSTRY = re.compile(r"\band industry\b|\bindustr(?:y|ial) partners\b|\bprzemysł\w*\b")


def _branches(*branches: tuple[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A pattern as its branches, each (letters every match starts with, the rest)."""
    return tuple((letters, re.compile(re.escape(letters) + rest)) for letters, rest in branches)


def _any(branches: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> bool:
    """Whether one of the branches is in ``text``: its letters first (``in`` is fast)."""
    return any(letters in text and pattern.search(text) for letters, pattern in branches)


# _SME, _LARGE, _ENTERPRISE and _INDUSTRY as branches; ``x(?<!\w.{n})`` after n + 1 letters
# is ``\b`` before them.
_SME_BRANCHES = _branches(
    ("sme", r"(?<!\w.{3})s?\b"), ("small and medium", r"[- ]sized enterprises"),
    ("mśp", r"(?<!\w.{3})\b"), ("mikro", r",? mał\w* i średni\w* przedsiębior"),
    ("małe i średnie przedsiębior", ""), ("mikroprzedsiębior", ""),
    ("mikro- i mał", r"(?<!\w.{12})"),
)  # fmt: skip
_LARGE_BRANCHES = _branches(
    ("large ", r"(?<!\w.{6})(?:enterprises|companies|industry)\b"),
    ("duż", r"(?<!\w.{3})\w* przedsiębior"),
)
_ENTERPRISE_BRANCHES = _branches(
    ("enterprises", r"(?<!\w.{11})\b"), ("for-profit", r"(?<!\w.{10})\b"),
    ("przedsiębior", r"(?:stw|c)"),
)  # fmt: skip
_INDUSTRY_BRANCHES = _branches(
    ("and industry", r"(?<!\w.{12})\b"), ("industr", r"(?<!\w.{7})(?:y|ial) partners\b"),
    ("przemysł", r"(?<!\w.{8})\w*\b"),
)  # fmt: skip
_RESEARCH = re.compile(
    r"research organi[sz]ations?|research (?:institutes?|centres?|centers?|performing)|"
    r"universit(?:y|ies)|higher education|academi[ac]|"
    r"jednost\w* naukow|organizac\w* badawcz|instytut\w* badawcz|instytut\w* pan\b|uczelni|"
    r"szkoł\w* wyższ|podmiot\w* prowadząc\w* działalność naukową|zespoł\w* badawcz"
)
_NOT_SME = re.compile(
    r"\bnon-smes?\b|\bother than smes?\b|\bnie ?będąc\w* mśp\b|\binn\w* niż mśp\b|"
    r"\bpoza mśp\b|\bnie (?:są|jest) mśp\b"
)
_INCLUDING_SME = re.compile(
    r"\b(?:including|incl\.|in particular|especially|w tym|zwłaszcza|w szczególności|"
    r"szczególnie)\s+(?:\w+\s+){0,2}?(?:smes?|mśp)\b"
)
# "Any legal entity … may apply": open to every kind of applicant.
_ANY_ENTITY = re.compile(
    r"\bany (?:legal )?entit|\ball (?:types of )?legal entities\b|\bkażdy podmiot\b|"
    r"\bdowolny podmiot\b|\bwszystkie podmioty\b"
)
# "services provided by research organisations": there they are suppliers, not applicants.
_PROVIDED_BY = re.compile(r"(?:\bby|\bfrom|\bprzez|\bod)\s+(?:\w+\s+){0,2}$")
# Sentences end at spaces after . ! ?, at line breaks and at bullets: the same as
# r"(?<=[.!?])\s+|\n+|\s+•\s+", written to start with \s so the engine skips to spaces.
_SENTENCE = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n)\n*|\s*•\s+)")
_SENTENCE_AND_SEPARATOR = re.compile(f"({_SENTENCE.pattern})")
# A heading such as "Kto może skorzystać" or "Eligible applicants:" introduces a list.
_HEADING = re.compile(
    r"^\s*(?:kto może skorzystać|dla kogo|wnioskodawcy|beneficjenci|who can apply|"
    r"eligible applicants|eligibility|applicants)\s*:?\s*$"
)
_HEADING_ITEMS = 6

_EU_ASSOCIATED = re.compile(
    r"member states?.{0,80}associated countr|associated countr.{0,80}member states?|"
    r"państw\w* członkowsk.{0,80}stowarzyszon"
)
_EU_ONLY = re.compile(
    r"(?:only|restricted to|limited to)[^.]{0,60}(?:eu )?member states|"
    r"(?:eu )?member states only|established in (?:an? |the )?(?:eu|european union)"
    r"(?: member states?)?\b(?![^.]{0,40}associated)|"
    r"wyłącznie[^.]{0,60}państw\w* członkowsk"
)
_EEA = re.compile(r"\beea\b|european economic area|norway, iceland|\bnorwegi")
_POLAND_ONLY = re.compile(
    r"(?:siedzib\w*|zarejestrowan\w*|oddział\w*|prowadząc\w* działalność)[^.]{0,40}"
    r"(?:w polsce|na terytorium (?:rp|rzeczypospolitej polskiej|polski)|w rp\b)|"
    r"established in poland|registered in poland|polish (?:entities|companies) only"
)
# Words without which no country restriction is stated; checked first, as they are cheap.
_COUNTRY_CUES = (
    "member state", "państw", "siedzib", "established", "registered", "zarejestrowan",
    "terytorium", "polish", "oddział", "działalność",
)  # fmt: skip
# The country patterns above as their branches, each starting with its letters (a pattern
# does so exactly when one of its branches does; see _APPLICANT_CUES for why it is faster).
_POLAND_ONLY_PARTS = tuple(
    re.compile(f"{start}[^.]{{0,40}}(?:w polsce|na terytorium (?:rp|rzeczypospolitej polskiej|"
               r"polski)|w rp\b)")
    for start in (r"siedzib\w*", r"zarejestrowan\w*", r"oddział\w*", r"prowadząc\w* działalność")
) + tuple(
    re.compile(p)
    for p in (r"established in poland", r"registered in poland",
              r"polish (?:entities|companies) only")
)  # fmt: skip
_EU_ASSOCIATED_PARTS = tuple(
    re.compile(p)
    for p in (r"member states?.{0,80}associated countr", r"associated countr.{0,80}member states?",
              r"państw\w* członkowsk.{0,80}stowarzyszon")
)  # fmt: skip
_EU_ONLY_PARTS = tuple(
    re.compile(p)
    for p in (
        r"only[^.]{0,60}(?:eu )?member states", r"restricted to[^.]{0,60}(?:eu )?member states",
        r"limited to[^.]{0,60}(?:eu )?member states", r"(?:eu )?member states only",
        r"established in (?:an? |the )?(?:eu|european union)(?: member states?)?\b"
        r"(?![^.]{0,40}associated)",
        r"wyłącznie[^.]{0,60}państw\w* członkowsk",
    )
)  # fmt: skip
_EEA_PARTS = tuple(
    re.compile(p)
    for p in (r"eea(?<!\w.{3})\b", r"european economic area", r"norway, iceland",
              r"norwegi(?<!\w.{7})")
)  # fmt: skip
# Words without which _POLAND_ONLY and _EU_ONLY cannot match (each branch has one of them).
_POLAND_ONLY_WORDS = ("w polsce", "na terytorium ", "w rp", "in poland", "polish ")
_EU_ONLY_WORDS = ("member states", "established in ", "wyłącznie")
_EASTERN_POLAND = re.compile(r"polsk\w* wschodni|eastern poland")
_REGION_PHRASE = re.compile(
    r"(?:na terenie|na obszarze|w|z siedzibą w|z terenu)\s+wojew\w+\s+([\w-]+)"
)
_PROGRAMME_CODE = re.compile(r"\b(FE[A-Z]{1,3})\b")


@dataclass(frozen=True, slots=True)
class Restriction:
    """One condition of a call: which kinds, countries or regions it is open to."""

    dimension: str  # "applicants", "countries" or "regions"
    allowed: frozenset[str]
    label_en: str
    label_pl: str

    def label(self, language: str) -> str:
        return self.label_pl if language == "pl" else self.label_en


@dataclass(frozen=True, slots=True)
class Applicant:
    """The facts about a member that conditions are checked against."""

    kind: str
    country: str
    region: str | None

    @classmethod
    def of(cls, kind: str, country: str, city: str | None) -> Applicant:
        region = _CITY_REGIONS_ASCII.get(_city_key(city)) if city else None
        return cls(kind=kind, country=country.upper(), region=region)


def _city_key(city: str) -> str:
    # "Krakow" typed on an English keyboard and "31-155 Kraków" copied from an address are
    # still Kraków.
    return ascii_letters(_POSTCODE.sub("", city).strip().lower())


_POSTCODE = re.compile(r"^\s*\d{2}-\d{3}\s*")


@dataclass(frozen=True, slots=True)
class Conditions:
    restrictions: tuple[Restriction, ...] = ()

    def excluding(self, applicant: Applicant) -> Restriction | None:
        """The first restriction the applicant fails, or None when it may apply."""
        for restriction in self.restrictions:
            value = {
                "applicants": applicant.kind,
                "countries": applicant.country,
                "regions": applicant.region,
            }[restriction.dimension]
            if value is not None and value not in restriction.allowed:
                return restriction
        return None


def conditions_of(
    *,
    title: str,
    description: str = "",
    type_of_action: str | None = None,
    programme: str | None = None,
    call_identifier: str | None = None,
    source: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Conditions:
    """The restrictions a call states, read from its fields."""
    extra = extra or {}
    restrictions: list[Restriction] = []
    applicants = _applicant_restriction(title, description, type_of_action, call_identifier, extra)
    if applicants:
        restrictions.append(applicants)
    countries = _country_restriction(description, source)
    if countries:
        restrictions.append(countries)
    regions = _region_restriction(title, description, programme, call_identifier)
    if regions:
        restrictions.append(regions)
    return Conditions(tuple(restrictions))


def _applicant_statements(
    title: str, description: str, type_of_action: str | None, extra: Mapping[str, Any]
) -> list[str]:
    statements = [title.lower(), (type_of_action or "").lower()]
    # Lower-casing changes no space nor stop, so splitting the lower-cased text gives the
    # lower-cased sentences.
    lowered = description.lower()
    statements += _cue_sentences(lowered)
    statements += _listed_under_heading(lowered)
    # Structured applicant fields of some sources (the FE portal's "dla kogo", NCBR's types).
    for key in ("applicants", "types_of_applicant"):
        value = extra.get(key)
        if isinstance(value, str):
            statements.append(value.lower())
        elif isinstance(value, list):
            statements += [str(v).lower().replace("_", " ") for v in value]
    return [s for s in statements if s]


def _cue_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (split by ``_SENTENCE``) with an applicant cue, in order.

    The cues are found in the whole text, then each in the sentence around it. A cue never
    spans two sentences (it is letters and single spaces between letters, and a sentence ends
    at spaces after a stop, at a line break or at a bullet), and the characters around a
    sentence are never letters, so a cue occurs in the text within a sentence exactly when it
    occurs in that sentence on its own.
    """
    hits = {
        found.start()
        for letters, cue in _CUE_LETTERS
        if letters in text
        for found in cue.finditer(text)
    }
    if not hits:
        return []
    # Sentences and the separators between them, in turn, and where each of them ends.
    parts = _SENTENCE_AND_SEPARATOR.split(text)
    ends = list(accumulate(map(len, parts)))
    found = sorted({bisect_right(ends, hit) for hit in hits})
    return [parts[i] for i in found if i % 2 == 0]


def _listed_under_heading(description: str) -> list[str]:
    """The lines of a list under an applicants heading, up to the next blank line."""
    found: list[str] = []
    lines = description.splitlines()
    for i, line in enumerate(lines):
        if _HEADING.match(line):
            for item in lines[i + 1 : i + 1 + _HEADING_ITEMS]:
                if not item.strip():
                    break
                found.append(item)
    return found


def _research_named(statement: str) -> bool:
    return any(
        not _PROVIDED_BY.search(statement[: found.start()])
        for found in _RESEARCH.finditer(statement)
    )


def _applicant_restriction(
    title: str,
    description: str,
    type_of_action: str | None,
    call_identifier: str | None,
    extra: Mapping[str, Any],
) -> Restriction | None:
    sme = large = enterprise = research = False
    identifier = f"{call_identifier or ''} {title}".upper()
    if (
        "EIC ACCELERATOR" in identifier
        or "EIC-ACCELERATOR" in identifier
        or re.search(r"HORIZON-EIC-\d{4}-ACCELERATOR", identifier)
    ):
        sme = True
    statements = _applicant_statements(title, description, type_of_action, extra)
    for position, statement in enumerate(statements):
        if _ANY_ENTITY.search(statement):
            return None
        # "enterprises other than SMEs" and "enterprises, including SMEs" name SMEs, yet are
        # open to large enterprises: only to them, and to every enterprise.
        if "mśp" in statement or "sme" in statement:
            if _NOT_SME.search(statement):
                large = True
                statement = _NOT_SME.sub(" ", statement)
            if _INCLUDING_SME.search(statement):
                enterprise = True
                statement = _INCLUDING_SME.sub(" ", statement)
        sme |= _any(_SME_BRANCHES, statement)
        if position > 1:  # after the title and the type of action
            enterprise |= _any(_INDUSTRY_BRANCHES, statement)
        large |= _any(_LARGE_BRANCHES, statement)
        enterprise |= _any(_ENTERPRISE_BRANCHES, statement)
        research |= _research_named(statement)
    companies: frozenset[str] = frozenset()
    if sme and not large:
        companies = frozenset({SME})
    elif large and not sme:
        companies = frozenset({LARGE})
    elif sme or large or enterprise:
        companies = COMPANIES
    allowed = companies | (RESEARCH_BODIES if research else frozenset())
    if not allowed:
        return None
    return Restriction("applicants", allowed, *_applicant_labels(companies, research))


def _applicant_labels(companies: frozenset[str], research: bool) -> tuple[str, str]:
    en = {
        frozenset({SME}): "SMEs",
        frozenset({LARGE}): "large enterprises",
        COMPANIES: "enterprises",
    }.get(companies, "")
    pl = {
        frozenset({SME}): "MŚP",
        frozenset({LARGE}): "duże przedsiębiorstwa",
        COMPANIES: "przedsiębiorstwa",
    }.get(companies, "")
    if research:
        en = f"{en} and research organisations" if en else "research organisations"
        pl = f"{pl} i jednostki naukowe" if pl else "jednostki naukowe"
    return en, pl


def _found(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


def _country_restriction(description: str, source: str | None) -> Restriction | None:
    if source in POLISH_SOURCES:
        return Restriction(
            "countries", frozenset({"PL"}), "entities in Poland", "podmioty z Polski"
        )
    text = description.lower()
    if not any(cue in text for cue in _COUNTRY_CUES):
        return None
    # Each pattern is searched for only where words it cannot match without are present.
    if any(word in text for word in _POLAND_ONLY_WORDS) and _found(_POLAND_ONLY_PARTS, text):
        return Restriction(
            "countries", frozenset({"PL"}), "entities in Poland", "podmioty z Polski"
        )
    if (
        ("associated countr" in text and "member state" in text)
        or ("stowarzyszon" in text and "członkowsk" in text)
    ) and _found(_EU_ASSOCIATED_PARTS, text):
        return Restriction(
            "countries",
            EU_MEMBER_STATES | HORIZON_ASSOCIATED,
            "EU Member States and Associated Countries",
            "państwa członkowskie UE i stowarzyszone",
        )
    if any(word in text for word in _EU_ONLY_WORDS) and _found(_EU_ONLY_PARTS, text):
        if _found(_EEA_PARTS, text):
            return Restriction(
                "countries",
                EU_MEMBER_STATES | EEA_COUNTRIES,
                "EU Member States and EEA countries",
                "państwa członkowskie UE i EOG",
            )
        return Restriction(
            "countries", EU_MEMBER_STATES, "EU Member States", "państwa członkowskie UE"
        )
    return None


def _region_restriction(
    title: str, description: str, programme: str | None, call_identifier: str | None
) -> Restriction | None:
    regions: set[str] = set()
    for field in (programme or "", call_identifier or ""):
        for code in _PROGRAMME_CODE.findall(field):
            regions |= REGIONAL_PROGRAMME_CODES.get(code, frozenset())
    named = f"{title} {programme or ''}".lower()
    if _EASTERN_POLAND.search(named):
        regions |= EASTERN_POLAND
    for phrase, codes in _FOR_REGION:
        if phrase in named:
            regions |= codes
            # "dla Pomorza" is also the start of "dla Pomorza Zachodniego": a phrase found is
            # taken out, the longer ones being looked for first.
            named = named.replace(phrase, " ")
    lowered = description.lower()
    for found in _REGION_PHRASE.finditer(lowered) if "wojew" in lowered else ():
        regions.update(_voivodeships_named(found.group(1)))
    if not regions:
        return None
    if regions == EASTERN_POLAND:
        return Restriction(
            "regions",
            EASTERN_POLAND,
            "applicants in Eastern Poland",
            "podmioty z Polski Wschodniej",
        )
    names = ", ".join(sorted(f"{VOIVODESHIPS[code][0]}ie" for code in regions))
    return Restriction(
        "regions", frozenset(regions), f"applicants in {names} voivodeship", f"województwo {names}"
    )


# "dla Podkarpacia" -> the voivodeships of that stem, longest phrases first
_FOR_REGION = tuple(
    sorted(
        (
            (
                f"dla {genitive.lower()}",
                {code for code, (s, _) in VOIVODESHIPS.items() if s == stem},
            )
            for stem, genitive in VOIVODESHIPS.values()
        ),
        key=lambda rule: -len(rule[0]),
    )
)


def _voivodeships_named(word: str) -> Iterable[str]:
    return [code for code, (stem, _) in VOIVODESHIPS.items() if word.startswith(stem)]
