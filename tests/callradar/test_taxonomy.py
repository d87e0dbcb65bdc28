from callradar import taxonomy


def test_fourteen_areas_in_four_domains() -> None:
    assert len(taxonomy.AREAS) == 14
    assert {d.code for d in taxonomy.DOMAINS} == {
        "microelectronics",
        "electronics",
        "photonics",
        "quantum",
    }
    assert len(taxonomy.AREA_CODES) == 14
    assert not taxonomy.AREA_CODES & taxonomy.DOMAIN_CODES


def test_every_area_has_a_domain_and_names_in_both_languages() -> None:
    for area in taxonomy.AREAS:
        assert area.domain in taxonomy.DOMAIN_CODES
        assert area.name_en and area.name_pl and area.description
        assert taxonomy.domain_of(area.code) == area.domain
    for domain in taxonomy.DOMAINS:
        assert taxonomy.areas_of(domain.code)
        assert taxonomy.domain_of(domain.code) == domain.code


def test_labels_by_language() -> None:
    assert taxonomy.label("integrated-photonics", "pl") == "Fotonika zintegrowana"
    assert taxonomy.label("integrated-photonics", "en") == "Integrated photonics"
    assert taxonomy.label("quantum", "pl") == "Technologie kwantowe"
