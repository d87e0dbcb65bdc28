"""The vectorised scoring and the faster condition patterns agree exactly with the
straightforward ones, on random members, calls and texts (seeded, so failures repeat)."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from callradar import taxonomy
from matching import conditions
from matching.conditions import Applicant, conditions_of
from matching.keywords import KeywordIndex
from matching.scoring import CallFacts, Matcher, MemberFacts, Scored, Tag, _round3
from tests.matching.reference_scoring import ReferenceKeywordIndex, ReferenceMatcher

AREAS = sorted(a.code for a in taxonomy.AREAS)
DOMAINS = sorted(d.code for d in taxonomy.DOMAINS)
WORDS = [
    "MEMS foundry", "MEMS foundries", "czujnik gazu", "czujników gazu", "silicon nitride",
    "photonic integrated circuits", "power modules", "GaN", "wafer", "wafers", "chiplets",
    "lidar", "packaging", "testing", "the", "and", "for", "of", "pilot", "lines", "design",
]  # fmt: skip
KEYWORDS = WORDS[:13]
ELIGIBILITY = [
    "",
    "Single for-profit SMEs established in an EU Member State or Associated Country may apply.",
    "Only research organisations and universities are eligible.",
    "Legal entities established in EU Member States and Associated Countries are eligible.",
    "Kto może skorzystać: mikro, małe i średnie przedsiębiorstwa.",
    "O dofinansowanie mogą ubiegać się przedsiębiorstwa z siedzibą w województwie podkarpackim.",
    "Open to large enterprises and research organisations.",
    "Collaboration between research organisations, SMEs and industry.",
]
APPLICANTS = [
    ("sme", "PL", "Wrocław"),
    ("large", "PL", "Kraków"),
    ("research", "PL", "Rzeszów"),
    ("university", "PL", None),
    ("sme", "CH", "Zürich"),
    ("research", "NO", "Oslo"),
]
SCORES = [0.0, 1.0, 0.5, 0.3, 0.9, 0.45, 0.6667, 0.0005, 1.2, -0.1]


def random_member(rng: random.Random, number: int) -> MemberFacts:
    codes = rng.sample(AREAS, rng.randint(0, 5))
    if rng.random() < 0.3:
        codes.append(rng.choice(DOMAINS))
    return MemberFacts(
        f"m{rng.randint(0, 999):03d}-{number}",
        Applicant.of(*rng.choice(APPLICANTS)),
        {code: rng.randint(1, 3) for code in codes},
        tuple(rng.sample(KEYWORDS, rng.randint(0, 5))),
    )


def random_call(rng: random.Random, number: int) -> CallFacts:
    codes = rng.sample(AREAS, rng.randint(0, 4)) + rng.sample(DOMAINS, rng.choice([0, 0, 1, 2]))
    if codes and rng.random() < 0.1:
        codes.append(codes[0])  # the same code twice
    rng.shuffle(codes)
    evidence = [f"about «{w}» here" for w in WORDS[:6]] + ["short"]
    tags = tuple(
        Tag(
            code,
            rng.choice(SCORES) if rng.random() < 0.3 else round(rng.random(), rng.randint(1, 4)),
            tuple(rng.sample(evidence, rng.randint(0, 2))),
        )
        for code in codes
    )
    title = f"Call {number}"
    description = " ".join(rng.choices(WORDS, k=rng.randint(0, 30))) + ". "
    description += rng.choice(ELIGIBILITY)
    return CallFacts(
        number,
        tags,
        f"{title}\n{description}",
        conditions_of(title=title, description=description, source=rng.choice([None, "parp"])),
    )


@pytest.mark.parametrize("seed", range(12))
def test_vectorised_matching_equals_the_straightforward_one(seed: int) -> None:
    rng = random.Random(seed)
    members = [random_member(rng, i) for i in range(rng.randint(1, 60))]
    calls = [random_call(rng, i) for i in range(rng.randint(1, 300))]
    for min_score in (0.0, 0.1, 0.3, 0.6):
        reference = ReferenceMatcher(members, min_score)
        expected = [reference.match(call) for call in calls]
        matcher = Matcher(members, min_score)
        assert matcher.match_many(calls) == expected
        assert [matcher.match(call) for call in calls[:20]] == expected[:20]
        assert all(isinstance(s, Scored) for found in expected for s in found)


def test_no_members_and_no_calls() -> None:
    assert Matcher([], 0.3).match_many([CallFacts(1, (Tag("photonics", 0.9),), "x")]) == [[]]
    assert Matcher([], 0.3).match_many([]) == []


def test_rounding_is_pythons() -> None:
    rng = np.random.default_rng(5)
    values = np.concatenate(
        [
            rng.random(20_000),
            (np.arange(2001) + 0.5) / 2000,  # halves at the fourth decimal
            np.array([0.0, 1.0, 0.0625, 0.0005, 0.0015, 0.9995, 0.1235, 0.4445]),
            np.nextafter((np.arange(1000) + 0.5) / 1000, 2.0),
            np.nextafter((np.arange(1000) + 0.5) / 1000, -1.0),
        ]
    )
    assert _round3(values).tolist() == [round(v, 3) for v in values.tolist()]


ORIGINAL_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+|\s+•\s+")
ORIGINAL_CUE = re.compile(
    r"eligib|may apply|can apply|applicants?\b|open to|only|restricted to|limited to|"
    r"\bsingle\b|\bindividual\b|\bfor smes\b|must be (?:an? )?(?:sme|research|universit)|"
    r"wnioskodawc|ubiegać się|skorzystać|kto może|dla kogo|uprawnion|wyłącznie|tylko|"
    r"\bdla (?:mśp|mikro|małych|dużych|przedsiębior|jednostek|uczelni|organizacji)|\bw mśp\b|"
    r"skierowan\w* (?:jest |są )?do\b|adresowan\w* (?:jest |są )?do\b|wziąć udział|"
    r"beneficjentami mogą|beneficjentem może|aplikować|aimed at|targeted at",
)
PIECES = list(" \n\t\r\u00a0.!?•,-_1aąbcdgilmnoprsśtuwyzęółżź") + [
    "only", "single", "sme", "dla ", "mśp", "w mśp", "must be an sme", " applicants", "dla mikro",
    "kto może", "open to", "eligible", "individual", "for smes", "xsingle", "_dla mśp",
    "skierowane jest do", "adresowany do", "wziąć udział", "aimed at",
]  # fmt: skip


def test_faster_condition_patterns_find_the_same() -> None:
    rng = random.Random(11)
    for _ in range(30_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        assert conditions._SENTENCE.split(text) == ORIGINAL_SENTENCE.split(text), repr(text)
        new, old = conditions._APPLICANT_CUE.search(text), ORIGINAL_CUE.search(text)
        assert (new and new.span()) == (old and old.span()), repr(text)


KEYWORD_POOL = [
    "MEMS", "MEMS foundry", "MEMS foundries", "mems FOUNDRY", "foundry", "czujnik gazu",
    "czujników gazu", "gazu", "silicon", "silicon nitride", "silicon nitride waveguides", "GaN",
    "power modules", "power", "wafer-level packaging", "wafer", "pilot lines", "pilot", "the",
    "photonic integrated circuits", "integrated", "RISC-V", "5G", "a_b", "", "!!",
    # with and without Polish marks; a locative
    "stal", "stal nierdzewna", "uklady scalone", "układy scalone", "Łódź", "fotonika",
]  # fmt: skip
TEXT_POOL = [
    "MEMS", "mems", "foundry", "foundries", "Foundries.", "czujników", "gazu,", "czujnik",
    "silicon", "nitride", "waveguide", "waveguides;", "GaN", "gan", "power", "modules",
    "wafer-level", "packaging", "pilot", "lines", "the", "photonic", "integrated", "circuits",
    "RISC-V", "5G", "a_b", "Ω", "İstanbul", "\n", "—", "«silicon»", "(power", "x",
    "stali", "stałe", "nierdzewna", "układów", "ukladow", "scalonych", "Lodz", "fotonice",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(8))
def test_keyword_index_finds_what_the_word_by_word_one_found(seed: int) -> None:
    rng = random.Random(seed)
    pairs = [
        (f"m{rng.randint(0, 9)}", rng.choice(KEYWORD_POOL)) for _ in range(rng.randint(0, 40))
    ]
    index, reference = KeywordIndex(pairs), ReferenceKeywordIndex(pairs)
    for _ in range(300):
        text = " ".join(rng.choices(TEXT_POOL, k=rng.randint(0, 40)))
        assert list(index.find(text).items()) == list(reference.find(text).items()), text


def test_cue_sentences_are_the_sentences_with_a_cue() -> None:
    rng = random.Random(12)
    pieces = PIECES + [". ", ".\n", "\n\n", " • ", "only.", "sme ", "single.", "eligible\n"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        expected = [s for s in ORIGINAL_SENTENCE.split(text) if ORIGINAL_CUE.search(s)]
        assert conditions._cue_sentences(text) == expected, repr(text)
        for sentence in ORIGINAL_SENTENCE.split(text):
            alone = any(cue.search(sentence) for cue in conditions._APPLICANT_CUES)
            assert alone == bool(ORIGINAL_CUE.search(sentence)), repr(sentence)


def original_country_restriction(description: str, source: str | None) -> object:
    """``conditions._country_restriction`` before its patterns got word checks first."""
    c = conditions
    text = description.lower()
    if source not in c.POLISH_SOURCES and not any(cue in text for cue in c._COUNTRY_CUES):
        return None
    if c._POLAND_ONLY.search(text) or (source in c.POLISH_SOURCES):
        return "PL"
    if c._EU_ASSOCIATED.search(text):
        return "EU+associated"
    if c._EU_ONLY.search(text):
        return "EU+EEA" if c._EEA.search(text) else "EU"
    return None


COUNTRY_PIECES = [
    "member state", "member states", "Member States only", "associated countries",
    "associated country", "established in ", "the ", "an ", "EU", "European Union", "only ",
    "restricted to ", "limited to ", "registered in Poland", "polish entities only",
    "polish companies", "z siedzibą ", "zarejestrowane ", "w Polsce", "na terytorium RP",
    "w RP", "oddział ", "prowadzące działalność ", "wyłącznie ", "państwa członkowskie",
    "stowarzyszone", "EEA", "Norway, Iceland", ". ", " ", "x", "and ", ", ", "eu ", "\n",
    "european economic area", "norwegia", "xeea", "the eu ", "an ", "państwa członkowskie UE",
]  # fmt: skip
LABELS = {
    "entities in Poland": "PL",
    "EU Member States and Associated Countries": "EU+associated",
    "EU Member States and EEA countries": "EU+EEA",
    "EU Member States": "EU",
}


def test_country_restriction_as_before() -> None:
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(COUNTRY_PIECES) for _ in range(rng.randint(0, 14)))
        source = rng.choice([None, "eu-portal", "parp", "ncbr"])
        found = conditions._country_restriction(text, source)
        assert (found and LABELS[found.label_en]) == original_country_restriction(text, source)


def test_no_whitespace_character_is_a_word_character() -> None:
    """Why the words of a text are the words of its whitespace-separated tokens."""
    word = re.compile(r"\w")
    spaces = [chr(i) for i in range(0x110000) if chr(i).isspace()]
    assert spaces and not any(word.match(c) for c in spaces)
    assert all(len(f"a{c}b".split()) == 2 for c in spaces)


def test_keyword_sets_grouped_without_one_number_per_group() -> None:
    """With too many spellings for one int64 per group, groups are compared as rows."""
    rng = random.Random(3)
    members = [random_member(rng, i) for i in range(40)]
    calls = [random_call(rng, i) for i in range(150)]
    matcher = Matcher(members, 0.1)
    matcher._spellings += [""] * (1 << 21)
    assert matcher.match_many(calls) == [ReferenceMatcher(members, 0.1).match(c) for c in calls]


KIND_PIECES = [
    "sme", "smes", "SMEs", "xsme", "_sme", "small and medium-sized enterprises",
    "small and medium sized enterprises", "mśp", "wmśp", "mikro, małe i średnie przedsiębiorstwa",
    "mikro małych i średnich przedsiębiorców", "małe i średnie przedsiębiorstwa",
    "mikroprzedsiębiorstwa", "mikro- i małe", "large enterprises", "large companies",
    "large industry", "xlarge companies", "duże przedsiębiorstwa", "dużych przedsiębiorców",
    "enterprises", "for-profit", "xfor-profit", "przedsiębiorstw", "przedsiębiorca",
    "and industry", "industry partners", "industrial partners", "przemysłu", "przemysł",
    "sand industry", " ", " ", "-", ".", "\n", "a", "ś", "_", "1",
]  # fmt: skip


def test_kind_patterns_as_branches_find_the_same() -> None:
    c = conditions
    pairs = [
        (c._SME, c._SME_BRANCHES),
        (c._LARGE, c._LARGE_BRANCHES),
        (c._ENTERPRISE, c._ENTERPRISE_BRANCHES),
        (c._INDUSTRY, c._INDUSTRY_BRANCHES),
    ]
    rng = random.Random(14)
    for _ in range(20_000):
        text = "".join(rng.choice(KIND_PIECES) for _ in range(rng.randint(0, 8))).lower()
        for pattern, branches in pairs:
            assert c._any(branches, text) == bool(pattern.search(text)), (pattern, text)
