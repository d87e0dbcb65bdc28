"""Country groups that funding rules name, by ISO 3166 alpha-2 code.

One list for the whole project: eligibility in matching and consortium rules in proposals
must agree. The associated countries change as agreements are signed; check the current
list of the European Commission when a call depends on it.
"""

EU_MEMBER_STATES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
# The EEA's EFTA states: in the European Economic Area, and associated to Horizon Europe.
EEA_EFTA_STATES = frozenset({"IS", "LI", "NO"})
HORIZON_ASSOCIATED_COUNTRIES = EEA_EFTA_STATES | frozenset(
    [
        "AL",
        "AM",
        "BA",
        "CA",
        "CH",
        "EG",
        "FO",
        "GB",
        "GE",
        "IL",
        "KR",
        "MD",
        "ME",
        "MK",
        "NZ",
        "RS",
        "TN",
        "TR",
        "UA",
        "XK",
    ]
)
