"""The shaking field of one earthquake: MMI (and its sigma) at many sites from a model set's branches.

For each branch of the set chosen by the event's depth (:mod:`hushdor.science.quake.model_sets`):

* an ``MMI`` branch contributes the model's intensity and its sigma directly;
* a ``PGA``/``PGV`` branch contributes WGRW12(ln Y) (Worden et al. 2012, as ShakeMap v4's
  ``shakelib/gmice/wgrw12.py``, without the magnitude/distance residual term, as ShakeMap's
  VirtualIPE uses it) with sigma √(σ_GMICE² + (dMMI/d ln Y · σ_ln Y)²) — the propagation ShakeMap's
  VirtualIPE applies (its ``dmda`` derivative), the derivative taken here by central difference so
  the MMI 1–2 extension and the [1, 10] clip are respected.

Branches are then mixed in intensity space (mean = Σ w·μ; σ² = Σ w·(σ² + (μ − mean)²)).

Sigma costs about as much as the mean, so :func:`intensity_field` computes it only when asked
(settlements, a few points), not on the 511,920 cells of the full grid.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from hushdor.science.quake.distances import Distances
from hushdor.science.quake.gmice.worden_2012 import mmi_from_pgm
from hushdor.science.quake.model_sets import Branch
from hushdor.science.quake.models import get_model

FloatArray = NDArray[np.float64]

#: Step (ln units) of the central difference for dMMI/d ln Y.
_DERIVATIVE_STEP = 1e-3


@dataclass(frozen=True)
class EventParameters:
    """What the models need of the event besides distances."""

    mag: float
    depth_km: float
    rake: float = 0.0


@dataclass(frozen=True)
class IntensityField:
    """Mixture MMI (float32) at each site; ``sigma`` only if requested; per-branch means."""

    mmi: NDArray[np.float32]
    sigma: FloatArray | None
    branch_mmi: dict[str, NDArray[np.float32]] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)


def branch_label(branch: Branch) -> str:
    return branch.model if not branch.via_gmice else f"{branch.model}:{branch.imt}"


def branch_intensity(
    branch: Branch,
    event: EventParameters,
    distances: Distances,
    vs30: FloatArray | float,
    *,
    with_sigma: bool,
) -> tuple[FloatArray, FloatArray | None]:
    """MMI of one branch at every site, and its sigma (intensity units) if asked."""
    model = get_model(branch.model)
    site_distance = getattr(distances, model.distance)
    prediction = model.predict(
        branch.imt,
        mag=event.mag,
        distance=site_distance,
        hypo_depth=event.depth_km,
        vs30=vs30,
        rake=event.rake,
    )
    if not branch.via_gmice:
        sigma = np.asarray(prediction.sigma_total, dtype=np.float64) if with_sigma else None
        return np.asarray(prediction.mean), sigma
    mmi, gmice_sigma = mmi_from_pgm(branch.imt, prediction.mean)
    if not with_sigma:
        return mmi, None
    upper, _ = mmi_from_pgm(branch.imt, prediction.mean + _DERIVATIVE_STEP)
    lower, _ = mmi_from_pgm(branch.imt, prediction.mean - _DERIVATIVE_STEP)
    slope = (upper - lower) / (2.0 * _DERIVATIVE_STEP)
    propagated = slope * np.asarray(prediction.sigma_total, dtype=np.float64)
    return mmi, np.sqrt(gmice_sigma * gmice_sigma + propagated * propagated)


def mixture(
    weights: Iterable[float], means: list[FloatArray], sigmas: list[FloatArray] | None
) -> tuple[FloatArray, FloatArray | None]:
    """Weighted mean and the total sigma of the weighted mixture (law of total variance)."""
    weight_list = list(weights)
    mean = np.zeros(np.shape(means[0]), dtype=np.float64)
    for weight, branch_mean in zip(weight_list, means, strict=True):
        mean += weight * np.asarray(branch_mean, dtype=np.float64)
    if sigmas is None:
        return mean, None
    variance = np.zeros_like(mean)
    for weight, branch_mean, branch_sigma in zip(weight_list, means, sigmas, strict=True):
        spread = np.asarray(branch_mean, dtype=np.float64) - mean
        variance += weight * (np.asarray(branch_sigma, dtype=np.float64) ** 2 + spread * spread)
    return mean, np.sqrt(variance)


def intensity_field(
    branches: tuple[Branch, ...],
    event: EventParameters,
    distances: Distances,
    vs30: FloatArray | float,
    *,
    with_sigma: bool = False,
) -> IntensityField:
    """The model set's MMI at every site of ``distances`` (one value per site)."""
    if len(branches) == 1 and not with_sigma:
        start = time.perf_counter()
        mmi, _ = branch_intensity(branches[0], event, distances, vs30, with_sigma=False)
        single = np.asarray(mmi, dtype=np.float32)
        label = branch_label(branches[0])
        return IntensityField(single, None, {label: single}, {label: _elapsed_ms(start)})
    means: list[FloatArray] = []
    sigmas: list[FloatArray] | None = [] if with_sigma else None
    branch_mmi: dict[str, NDArray[np.float32]] = {}
    timings: dict[str, float] = {}
    for branch in branches:
        start = time.perf_counter()
        mean, sigma = branch_intensity(branch, event, distances, vs30, with_sigma=with_sigma)
        label = branch_label(branch)
        timings[label] = _elapsed_ms(start)
        means.append(mean)
        branch_mmi[label] = np.asarray(mean, dtype=np.float32)
        if sigmas is not None and sigma is not None:
            sigmas.append(np.broadcast_to(sigma, np.shape(mean)))
    start = time.perf_counter()
    mean, sigma = mixture((branch.weight for branch in branches), means, sigmas)
    timings["mixture"] = _elapsed_ms(start)
    return IntensityField(mean.astype(np.float32), sigma, branch_mmi, timings)


def _elapsed_ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
