"""Downstream arrival of a wave from Lake Sarez / the Usoi dam, per village — a planning estimate.

Lead time = distance along the river from the dam / wave celerity. The celerity is a setting
(default 5 m/s, 18 km/h: mountain-river flood waves travel at several metres per second; a full
breach wave travels faster), and the result is labelled a planning estimate wherever it is shown.
The reference to calibrate against is the USGS routing of Usoi overtopping and breach floods down the
Bartang and Panj: Risley, Walder & Denlinger (2006), *Usoi dam wave overtopping and flood routing in
the Bartang and Panj Rivers, Tajikistan*, Natural Hazards 38(3):375–390, doi:10.1007/s11069-005-1923-9
(USGS WRI 03-4004): peaks of about 1,100 / 800 / 550 m³/s at 50 / 100 / 150 km for an 87 Mm³
overtopping; its arrival times should replace this linear estimate once transcribed.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CELERITY_M_S = 5.0
LABEL = "planning estimate (distance / wave celerity; calibrate on Risley, Walder & Denlinger 2006)"


class LeadTimeError(ValueError):
    """A village list or celerity that cannot give lead times."""


@dataclass(frozen=True)
class Arrival:
    village: str
    river_km: float
    minutes: float


def lead_times(
    villages: list[tuple[str, float]], *, celerity_m_s: float = DEFAULT_CELERITY_M_S
) -> list[Arrival]:
    """Villages in order of arrival with their lead times in minutes (``river_km`` from the dam)."""
    if not celerity_m_s > 0.0:
        raise LeadTimeError(f"the wave celerity must be a positive speed in m/s, got {celerity_m_s}")
    arrivals = []
    for name, river_km in villages:
        if not river_km >= 0.0:
            raise LeadTimeError(f"{name}: the distance along the river must be 0 km or more, got {river_km}")
        arrivals.append(Arrival(name, float(river_km), river_km * 1000.0 / celerity_m_s / 60.0))
    return sorted(arrivals, key=lambda arrival: (arrival.river_km, arrival.village))
