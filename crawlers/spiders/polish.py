"""What the Polish spiders share: labels found by their words, status words, page text.

The agencies' pages change templates often and write the same fact in several ways
("Termin:", "Nabór trwa do", "Zakończenie naboru wniosków"), so fields are found by the
words of their label, in whatever markup holds them: a definition list, a table, list items
or paragraphs "Label: value", a bold label followed by its value, or a line ending with a
colon followed by the value's line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from parsel import Selector, SelectorList
from scrapy.http import Response

from callradar.calls import Status
from callradar.text import ascii_letters

# Text nodes that are not the page's text.
_VISIBLE = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_LABEL_MAX = 80


def fold(text: str) -> str:
    """Lower case without diacritics or repeated spaces, for matching labels and words."""
    return " ".join(ascii_letters(text).lower().split())


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def link(response: Response, href: str) -> str:
    """The absolute address ``href`` points to, out of a mail filter's wrapper: pages pasted
    from e-mail carry Outlook's safelinks (``…safelinks.protection.outlook.com/?url=…``),
    and some Google's redirect (``google.com/url?q=…``)."""
    url = response.urljoin(href.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    wrapped = None
    if host.endswith("safelinks.protection.outlook.com"):
        wrapped = parse_qs(parts.query).get("url")
    elif host in ("www.google.com", "google.com") and parts.path == "/url":
        wrapped = parse_qs(parts.query).get("q") or parse_qs(parts.query).get("url")
    if wrapped and wrapped[0].startswith(("http://", "https://")):
        return wrapped[0]
    return url


def main_heading(page: Response | Selector) -> str:
    """The text of the page's own <h1>: the first in its <main> or <article>, else the first
    outside its header and navigation. Sites that mark their logo as an <h1> would otherwise
    give it as the call's title, or joined to it ("Portal Funduszy Europejskich Ścieżka …")."""
    for xpath in (
        "//main//h1 | //article//h1 | //*[@role='main']//h1",
        "//h1[not(ancestor::header or ancestor::nav"
        " or ancestor::*[contains(@class, 'logo') or contains(@class, 'site-name')])]",
    ):
        for heading in page.xpath(xpath):
            if title := clean(" ".join(heading.xpath(_VISIBLE).getall())):
                return title
    return ""


def lines_of(region: Selector | SelectorList[Selector] | None) -> list[str]:
    """The visible text of ``region``, one stripped line a text node."""
    if region is None:
        return []
    nodes = region.xpath(_VISIBLE).getall()
    return [line for line in (clean(n) for n in nodes) if line]


def text_of(region: Selector | SelectorList[Selector] | None) -> str:
    """The visible text of ``region`` with one line a block (a paragraph, a list item)."""
    if region is None:
        return ""
    selector = region[0] if isinstance(region, SelectorList) else region
    if selector is None:
        return ""
    from crawlers.html import html_to_text

    return html_to_text(selector.get())


def labelled_fields(region: Selector | SelectorList[Selector] | None) -> list[tuple[str, str]]:
    """(folded label, value) pairs of ``region``, in page order, from every usual markup."""
    if region is None:
        return []
    pairs: list[tuple[str, str]] = []
    for dt in region.xpath(".//dt"):
        value = clean(" ".join(dt.xpath("following-sibling::dd[1]").xpath(_VISIBLE).getall()))
        _add(pairs, " ".join(dt.xpath(_VISIBLE).getall()), value)
    for row in region.xpath(".//tr"):
        cells = [clean(" ".join(c.xpath(_VISIBLE).getall())) for c in row.xpath("./th|./td")]
        cells = [c for c in cells if c]
        if len(cells) == 2:
            _add(pairs, cells[0], cells[1])
        elif len(cells) == 1:
            _split(pairs, cells[0])
    for block in region.xpath(".//li|.//p|.//div[not(.//div|.//p|.//li)]|.//summary"):
        strong = block.xpath("./strong|./b|./span[1]")
        whole = clean(" ".join(block.xpath(_VISIBLE).getall()))
        if strong:
            label = clean(" ".join(strong[0].xpath(_VISIBLE).getall()))
            # "Label: value", or a bold label on a line of its own ("<b>Budżet</b><br>…").
            on_own_line = strong[0].xpath(_NEXT_NODE_IS_BR) and not label.endswith((".", "!"))
            if (label.endswith(":") or on_own_line) and whole.startswith(label):
                _add(pairs, label, whole[len(label) :])
                continue
        _split(pairs, whole)
    # A label and its value each in an element of their own, without a colon: Drupal's
    # <div class="field__label">…</div><div class="field__item">…</div>, label/value spans.
    for row in region.xpath(_TWO_ELEMENTS):
        label, value = (clean(" ".join(c.xpath(_VISIBLE).getall())) for c in row.xpath("./*"))
        if len(label) <= _LABEL_MAX and not label.endswith((".", "!", ",")):
            _add(pairs, label, value)
    # A line that is only a label, followed by the line of its value.
    lines = lines_of(region)
    for line, following in zip(lines, lines[1:], strict=False):
        if line.endswith(":") and len(line) <= _LABEL_MAX and not following.endswith(":"):
            _add(pairs, line, following)
    return pairs


# The first node after an element, not counting blank text, is a line break.
_NEXT_NODE_IS_BR = "following-sibling::node()[self::* or normalize-space()][1][self::br]"
# A block of exactly two elements and no text of its own: a label's and its value's.
_TWO_ELEMENTS = (
    ".//*[(self::div or self::li or self::p) and count(*) = 2"
    " and not(text()[normalize-space()]) and not(*[1][self::br] or *[2][self::br])]"
)

_SECTION_HEADINGS = "self::h2 or self::h3 or self::h4"
_SECTION_MAX = 500


def section_fields(region: Selector | SelectorList[Selector] | None) -> list[tuple[str, str]]:
    """(folded heading, text) of each section a heading opens, up to the next heading: pages
    that answer questions ("Dla kogo?", "Na co?", "Kiedy?", "Wkład własny") under headings
    rather than as "Label: value" lines. The heading's "?" is dropped."""
    if region is None:
        return []
    pairs: list[tuple[str, str]] = []
    for heading in region.xpath(f".//*[{_SECTION_HEADINGS}]"):
        label = clean(" ".join(heading.xpath(_VISIBLE).getall())).rstrip("?:").strip()
        if not label or len(label) > _LABEL_MAX:
            continue
        parts: list[str] = []
        for sibling in heading.xpath("following-sibling::*"):
            if sibling.xpath(f"self::*[{_SECTION_HEADINGS}]"):
                break
            parts.append(clean(" ".join(sibling.xpath(_VISIBLE).getall())))
        _add(pairs, label, " ".join(p for p in parts if p)[:_SECTION_MAX])
    return pairs


def _split(pairs: list[tuple[str, str]], text: str) -> None:
    label, sep, value = text.partition(":")
    # "https://…" and "godz. 16:00" are not labels.
    if (
        sep
        and 0 < len(label) <= _LABEL_MAX
        and not label.rstrip().endswith(("http", "https"))
        and not re.search(r"\d$", label.strip())
    ):
        _add(pairs, label, value)


def _add(pairs: list[tuple[str, str]], label: str, value: str) -> None:
    label, value = fold(label).rstrip(":").strip(), clean(value).lstrip(":").strip()
    if label and value and (label, value) not in pairs:
        pairs.append((label, value))


def field(pairs: Iterable[tuple[str, str]], *words: str, avoid: tuple[str, ...] = ()) -> str | None:
    """The value of the first label holding any of ``words`` (folded) and none of ``avoid``."""
    for label, value in pairs:
        if any(w in label for w in words) and not any(a in label for a in avoid):
            return value
    return None


# Checked in this order: "nabór zakończony" is closed before anything says "nabór".
_STATUS_WORDS: list[tuple[Status, tuple[str, ...]]] = [
    (
        "closed",
        (
            "zamkniet",
            "zakonczon",
            "rozstrzygniet",
            "w ocenie",
            "ocena wnioskow",
            "w trakcie oceny",
            "trwa ocena",
            "uniewaznion",
            "anulowan",
            "odwolan",
            "wstrzyman",
            # Before the words they negate ("nieaktywny" holds "aktywn").
            "nieaktywn",
            "nieaktualn",
            "nieczynn",
            "archiwaln",
            "zawieszon",
            "wygasl",
            "closed",
            "finished",
            "evaluation",
            "inactive",
            "cancel",
            "suspend",
            "withdrawn",
            "expired",
            "archived",
        ),
    ),
    (
        "forthcoming",
        (
            "planowan",
            "zaplanowan",
            "zapowiedz",
            "wkrotce",
            "nierozpoczet",
            "nie rozpoczet",
            "nie rozpoczal",
            "oczekuje na rozpoczecie",
            "w przygotowaniu",
            "przed naborem",
            "ogloszony",
            "nadchodzac",
            "przyszl",
            "forthcoming",
            "planned",
            "upcoming",
            "coming soon",
            "announced",
        ),
    ),
    (
        "open",
        (
            "otwart",
            "trwa",
            "w trakcie naboru",
            "nabor w trakcie",
            # "Nabór ciągły": a rolling call, open.
            "ciagl",
            "aktywn",
            "aktualn",
            "open",
            "ongoing",
            "in progress",
            "active",
            "current",
        ),
    ),
]


def status_word(text: str | None) -> Status | None:
    """The status a source's word says: "nabór otwarty", "Zamknięty", "Rozstrzygnięty" …"""
    if not text:
        return None
    folded = fold(text)
    for status, words in _STATUS_WORDS:
        if any(w in folded for w in words):
            return status
    return None


PROGRAMME_NAMES = {
    "nowoczesnej gospodarki": "FENG",
    "rozwoju spolecznego": "FERS",
    "polski wschodniej": "FEPW",
    "infrastrukture, klimat": "FENIKS",
    "infrastrukture klimat": "FENIKS",
    "rozwoj cyfrowy": "FERC",
    "rozwoju cyfrowego": "FERC",
    "pomoc techniczna": "POPT",
    "krajowy plan odbudowy": "KPO",
    # The 2014-2020 programmes, as PARP's and the portal's older pages name them.
    "inteligentny rozwoj": "POIR",
    "po polska wschodnia": "POPW",
    "operacyjny polska wschodnia": "POPW",
    "wiedza edukacja rozwoj": "POWER",
    "infrastruktura i srodowisko": "POIS",
    "polska cyfrowa": "POPC",
}


def programme_code(text: str | None) -> str | None:
    """FENG, FERS … from a programme's name or a text carrying its code."""
    if not text:
        return None
    match = re.search(
        r"\b(FENG|FERS|FEPW|FENX|FENIKS|FERC|FEPT|KPO|POIR|POPW|FE[A-Z]{2,3})\b",
        text,
    )
    if match:
        return "FENIKS" if match[1] == "FENX" else match[1]
    folded = fold(text)
    return next((code for name, code in PROGRAMME_NAMES.items() if name in folded), None)


# A sentence stating the window of applications in prose: "Wnioski będzie można składać od
# 27 czerwca do 24 października 2024 r." (PARP, as the press quoted it), "Nabór wniosków
# będzie trwał od 6 maja do 31 grudnia 2020 roku" (NCBR), "Nabór trwa do 30.09.2026".
_WINDOW_WORDS = re.compile(
    r"nab[oó]r\w*|wnios\w+\s+(?:\w+\s+){0,3}sk[lł]ada[cć]|sk[lł]ada[cć]\s+wnios\w+"
    r"|sk[lł]adani[ae]\s+wniosk[oó]w|proposals?\s+(?:\w+\s+){0,3}submitted",
    re.I,
)
_WINDOW_DATES = re.compile(r"\b(?:od|do|from|until|to)\s+\d", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĄĆĘŁŃÓŚŹŻ])")


def window_sentence(text: str) -> str | None:
    """The first sentence of ``text`` that states when applications are taken ("… składać od
    … do …", "Nabór trwa do …"), or None. Results, events and laws are not such sentences."""
    for line in text.split("\n"):
        for sentence in _SENTENCE_END.split(line):
            if (
                len(sentence) <= 300
                and _WINDOW_WORDS.search(sentence)
                and _WINDOW_DATES.search(sentence)
                and not re.search(r"wynik|rozstrzygni|results", sentence, re.I)
            ):
                return sentence
    return None
