"""The cluster's technology taxonomy: four domains and fourteen areas.

The codes are a contract: members' files, exports, tags and the evaluation use them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Domain:
    code: str
    name_en: str
    name_pl: str
    description: str


@dataclass(frozen=True, slots=True)
class Area:
    code: str
    domain: str
    name_en: str
    name_pl: str
    description: str

    def name(self, language: str) -> str:
        return self.name_pl if language == "pl" else self.name_en


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "microelectronics",
        "Microelectronics",
        "Mikroelektronika",
        "Design, manufacture and packaging of integrated circuits and semiconductor devices.",
    ),
    Domain(
        "electronics",
        "Electronics",
        "Elektronika",
        "Electronic systems and devices: power, sensing, embedded, RF, printed electronics and "
        "their manufacture.",
    ),
    Domain(
        "photonics",
        "Photonics",
        "Fotonika",
        "Generation, guiding, detection and use of light: integrated photonics, lasers, optical "
        "communication and optical sensing.",
    ),
    Domain(
        "quantum",
        "Quantum technologies",
        "Technologie kwantowe",
        "Hardware for quantum computing, quantum sensing and quantum communication.",
    ),
)

AREAS: tuple[Area, ...] = (
    Area(
        "chip-design",
        "microelectronics",
        "Chip design",
        "Projektowanie układów scalonych",
        "Integrated circuit and system-on-chip design, EDA tools, RISC-V, FPGA.",
    ),
    Area(
        "semiconductor-process",
        "microelectronics",
        "Semiconductor materials and processes",
        "Materiały i procesy półprzewodnikowe",
        "Semiconductor materials, wafers, front-end processes, equipment, pilot lines, "
        "wide-bandgap materials.",
    ),
    Area(
        "advanced-packaging",
        "microelectronics",
        "Advanced packaging",
        "Zaawansowane obudowywanie",
        "Advanced packaging, heterogeneous integration, chiplets, 3D integration.",
    ),
    Area(
        "power-electronics",
        "electronics",
        "Power electronics",
        "Energoelektronika",
        "Power electronics, converters, wide-bandgap power devices, drives.",
    ),
    Area(
        "sensors-mems",
        "electronics",
        "Sensors and MEMS",
        "Czujniki i MEMS",
        "Sensors, MEMS, smart sensor systems.",
    ),
    Area(
        "embedded-edge-ai",
        "electronics",
        "Embedded systems and edge AI",
        "Systemy wbudowane i AI na brzegu sieci",
        "Embedded systems, edge AI and neuromorphic hardware, IoT devices.",
    ),
    Area(
        "rf-wireless",
        "electronics",
        "RF and wireless",
        "Elektronika w.cz. i bezprzewodowa",
        "RF, microwave and mmWave electronics, antennas, radar, 5G/6G hardware.",
    ),
    Area(
        "flexible-printed-electronics",
        "electronics",
        "Flexible and printed electronics",
        "Elektronika elastyczna i drukowana",
        "Flexible, printed, organic and large-area electronics.",
    ),
    Area(
        "electronics-manufacturing",
        "electronics",
        "Electronics manufacturing",
        "Produkcja elektroniki",
        "PCB and electronics assembly, test, reliability, repair and recycling of electronics.",
    ),
    Area(
        "integrated-photonics",
        "photonics",
        "Integrated photonics",
        "Fotonika zintegrowana",
        "Photonic integrated circuits, silicon photonics.",
    ),
    Area(
        "lasers-optoelectronics",
        "photonics",
        "Lasers and optoelectronics",
        "Lasery i optoelektronika",
        "Lasers, LEDs, photodetectors, displays, optoelectronic devices.",
    ),
    Area(
        "optical-communications",
        "photonics",
        "Optical communications",
        "Komunikacja optyczna",
        "Optical fibre and free-space communication, optical networks.",
    ),
    Area(
        "optical-imaging-sensing",
        "photonics",
        "Optical imaging and sensing",
        "Obrazowanie i sensoryka optyczna",
        "Imaging, spectroscopy, lidar, optical metrology.",
    ),
    Area(
        "quantum-technologies",
        "quantum",
        "Quantum technologies",
        "Technologie kwantowe",
        "Quantum computing, sensing and communication hardware.",
    ),
)

DOMAINS_BY_CODE: dict[str, Domain] = {d.code: d for d in DOMAINS}
AREAS_BY_CODE: dict[str, Area] = {a.code: a for a in AREAS}
AREA_CODES: frozenset[str] = frozenset(AREAS_BY_CODE)
DOMAIN_CODES: frozenset[str] = frozenset(DOMAINS_BY_CODE)
# A member's competence or a tag may name an area or, more broadly, a whole domain.
ALL_CODES: frozenset[str] = AREA_CODES | DOMAIN_CODES


def is_domain(code: str) -> bool:
    return code in DOMAINS_BY_CODE


def domain_of(code: str) -> str:
    """The domain an area belongs to; a domain code is its own domain."""
    if code in DOMAINS_BY_CODE:
        return code
    try:
        return AREAS_BY_CODE[code].domain
    except KeyError:
        raise KeyError(f"unknown area or domain code {code!r}") from None


def areas_of(domain: str) -> tuple[Area, ...]:
    return tuple(a for a in AREAS if a.domain == domain)


def label(code: str, language: str = "en") -> str:
    """Human name of an area or domain code in the given language ('pl' or 'en')."""
    if code in AREAS_BY_CODE:
        return AREAS_BY_CODE[code].name(language)
    d = DOMAINS_BY_CODE[code]
    return d.name_pl if language == "pl" else d.name_en
