"""Model sets: named, weighted combinations of intensity routes, chosen by focal depth.

A *branch* is one model and one route to intensity:

* ``MMI`` — the model predicts intensity directly (Bindi et al. 2011 IPE, MSK-64);
* ``PGV`` or ``PGA`` — the model predicts ln PGV (cm/s) or ln PGA (g), converted to MMI with the
  Worden, Gerstenberger, Rhoades & Wald (2012) GMICE as ShakeMap v4 does (usgs/shakemap
  ``shakelib/gmice/wgrw12.py``; ShakeMap's "VirtualIPE").

A :class:`ModelSet` holds two lists of branches, one for shallow crustal events and one for
intermediate-depth events, and the depth that separates them. The branches of the chosen list are
combined in intensity space: mean = Σ wᵢ·μᵢ, and the total sigma of the weighted mixture is
σ² = Σ wᵢ·(σᵢ² + (μᵢ − mean)²) — the law of total variance over the branches.

Default for Tajikistan (``DEFAULT_MODEL_SET = "tajikistan"``)
------------------------------------------------------------
*Depth split, 50 km.* Tajik seismicity has two populations: shallow crustal events of the Pamir,
Tien Shan and Tajik depression (almost all shallower than ~35 km: Sarez 2015 22 km, Murghob 2023
20.5 km, Rasht 2021 11.8 km, Khait 1949 18 km; ``tests/data/reference/notes/tj-facts.md``) and the
intermediate-depth Pamir–Hindu Kush zone at 70–250 km (Hindu Kush 2015 M7.5 at 213–231 km, Jurm
2023 M6.5 at 192 km), with few events between. The regional hazard model EMCA (Ullah et al. 2015,
Annals of Geophysics 58(1); the Bindi IPE's author group) models "shallow" seismicity as < 50 km,
and we take the same boundary: any split inside the 40–70 km gap classifies the same events.

*Shallow crustal* (depth < 50 km), two branches of weight 0.5:

1. ``BindiEtAl2011Repi`` (MMI, direct). The only intensity model calibrated on Central-Asian
   macroseismic data, the basis of EMCA. We use the Repi form rather than Rhypo because (a) it is
   the form the OpenQuake verification table covers most densely (6,786 rows), (b) it takes the
   hypocentral depth explicitly instead of mapping Mw ≤ 6.5 to MS(20) with a 1.5 slope, and
   (c) its sigma is unambiguous (0.737; the Rhypo form's 0.710 in the paper vs 0.437 in OpenQuake
   3.26.2, ``notes/oracles.md`` §1).
2. ``BooreEtAl2014HighQ`` PGV → WGRW12. The ShakeMap/PAGER route: PAGER's fatality rates are
   calibrated on ShakeMap MMI, which ShakeMap builds from NGA-West2 GMPEs through WGRW12, and
   ShakeMap's China layer (``shakemap/data/gmpe_sets.conf``, ``active_crustal_china``) uses the
   high-Q BSSA14, the nearest tectonic analogue for the Pamir/Tien Shan. PGV rather than PGA
   because the WGRW12 PGV relation has the smaller scatter (σ 0.63 vs 0.66 MMI) and is what
   ShakeMap prefers for MMI ≥ V.

Equal weights because the two routes err in opposite directions and we have no Tajik ground
truth to prefer one: Bindi predicts 1.3–1.7 units more than BSSA14+WGRW12 at 50–200 km for
M ≥ 6.8, and all models over-predict the felt intensity at Dushanbe for Sarez 2015
(``notes/anchors-earthquake.md`` §4.3). Calibrating these weights against Tajik macroseismic
and DYFI data is an open item (``docs/validation.md``).

*Intermediate depth* (≥ 50 km): ``ZhaoEtAl2006SSlab`` PGA → WGRW12, weight 1. Zhao et al. (2006)
in-slab is the intra-slab model ShakeMap and the EMME14 logic tree draw on and caps the depth term
at 125 km; OpenQuake's implementation defines no PGV, hence PGA. Neither Bindi (calibrated on
shallow events: the Repi form gives MSK 6.6 at the epicentre of an M6 at 200 km,
``notes/anchors-earthquake.md`` §1.2) nor BSSA14 (shallow crust) applies. The alternative set
``tajikistan-kanno-deep`` uses ``Kanno2006Deep`` PGV → WGRW12 instead.

MSK-64 ≈ MMI. The Bindi branch predicts MSK-64 intensity; WGRW12, ShakeMap and PAGER's loss
model use MMI. Up to about IX the two scales are treated as numerically equal (the common
practice; not verified in the sources read, ``notes/anchors-earthquake.md`` §2.2), so the mixture
and the PAGER losses computed from it take MSK-64 values as MMI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

#: Routes to intensity: the model's own MMI, or a ground motion converted with WGRW12.
DIRECT_INTENSITY = "MMI"
GMICE_ROUTES = frozenset({"PGA", "PGV"})

#: Depth (km) at and below which an event counts as intermediate-depth; see the module docstring.
INTERMEDIATE_DEPTH_KM = 50.0

DEFAULT_MODEL_SET = "tajikistan"


class UnknownModelSetError(KeyError):
    """A model-set name that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidModelSetError(ValueError):
    """A model set whose branches are inconsistent (weights, routes)."""


@dataclass(frozen=True)
class Branch:
    """One model (OpenQuake class name), its weight and the IMT it is routed through."""

    model: str
    weight: float
    imt: str  # "MMI" (direct) or "PGA"/"PGV" (→ WGRW12)

    @property
    def via_gmice(self) -> bool:
        return self.imt in GMICE_ROUTES

    def describe(self) -> str:
        route = f"{self.imt} → WGRW12" if self.via_gmice else "MMI"
        return f"{self.model} ({route}) × {self.weight:g}"


@dataclass(frozen=True)
class ModelSet:
    """Named weighted branches for shallow and intermediate-depth events."""

    name: str
    description: str
    shallow: tuple[Branch, ...]
    deep: tuple[Branch, ...]
    intermediate_depth_km: float = INTERMEDIATE_DEPTH_KM

    def __post_init__(self) -> None:
        for label, branches in (("shallow", self.shallow), ("deep", self.deep)):
            if not branches:
                raise InvalidModelSetError(f"model set {self.name!r} has no {label} branches")
            total = sum(branch.weight for branch in branches)
            if abs(total - 1.0) > 1e-9 or any(branch.weight <= 0.0 for branch in branches):
                raise InvalidModelSetError(
                    f"model set {self.name!r}: {label} weights must be positive and sum to 1, got {total:g}"
                )
            for branch in branches:
                if branch.imt != DIRECT_INTENSITY and not branch.via_gmice:
                    raise InvalidModelSetError(
                        f"model set {self.name!r}: branch {branch.model} routes through {branch.imt!r};"
                        " use MMI, PGA or PGV"
                    )

    def is_intermediate_depth(self, depth_km: float) -> bool:
        return depth_km >= self.intermediate_depth_km

    def branches_for(self, depth_km: float) -> tuple[Branch, ...]:
        """The shallow or the intermediate-depth branches, by the event's focal depth."""
        return self.deep if self.is_intermediate_depth(depth_km) else self.shallow

    def regime_for(self, depth_km: float) -> str:
        return "intermediate-depth" if self.is_intermediate_depth(depth_km) else "shallow crustal"

    def model_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(branch.model for branch in (*self.shallow, *self.deep)))


_BINDI_AND_BSSA = (
    Branch("BindiEtAl2011Repi", 0.5, "MMI"),
    Branch("BooreEtAl2014HighQ", 0.5, "PGV"),
)
_ZHAO_SLAB = (Branch("ZhaoEtAl2006SSlab", 1.0, "PGA"),)
_KANNO_DEEP = (Branch("Kanno2006Deep", 1.0, "PGV"),)

_SETS = (
    ModelSet(
        "tajikistan",
        "Default. Shallow: Bindi 2011 IPE (Repi) and BSSA14 high-Q PGV→WGRW12, equal weights; "
        "intermediate depth (≥ 50 km): Zhao 2006 in-slab PGA→WGRW12.",
        _BINDI_AND_BSSA,
        _ZHAO_SLAB,
    ),
    ModelSet(
        "tajikistan-kanno-deep",
        "As 'tajikistan', but intermediate-depth events use Kanno 2006 deep PGV→WGRW12.",
        _BINDI_AND_BSSA,
        _KANNO_DEEP,
    ),
    ModelSet(
        "bindi-ipe",
        "Bindi 2011 Central-Asia IPE (Repi) alone, MSK-64; deep events: Zhao 2006 in-slab PGA→WGRW12.",
        (Branch("BindiEtAl2011Repi", 1.0, "MMI"),),
        _ZHAO_SLAB,
    ),
    ModelSet(
        "shakemap-like",
        "GMPE→WGRW12 only, as ShakeMap's VirtualIPE: BSSA14 high-Q PGV (shallow), "
        "Zhao 2006 in-slab PGA (deep).",
        (Branch("BooreEtAl2014HighQ", 1.0, "PGV"),),
        _ZHAO_SLAB,
    ),
    ModelSet(
        "akkar14",
        "Akkar et al. 2014 (Rjb) PGV→WGRW12 for shallow events (the EMME14 model); "
        "deep: Zhao 2006 in-slab PGA→WGRW12.",
        (Branch("AkkarEtAlRjb2014", 1.0, "PGV"),),
        _ZHAO_SLAB,
    ),
)

MODEL_SETS: Mapping[str, ModelSet] = MappingProxyType({model_set.name: model_set for model_set in _SETS})


def get_model_set(name: str | None = None) -> ModelSet:
    """The registered set of that name (the default for ``None``); names are case-insensitive."""
    key = DEFAULT_MODEL_SET if name is None else str(name).strip().lower()
    try:
        return MODEL_SETS[key]
    except KeyError:
        raise UnknownModelSetError(
            f"unknown model set {name!r}; choose one of: {', '.join(MODEL_SETS)}"
        ) from None
