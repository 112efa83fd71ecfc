"""The common interface of Hushdor's ground-motion and intensity models, and their errors.

Every model predicts, for one earthquake (magnitude, hypocentral depth, rake) and many sites
(distances, Vs30), the median of one intensity measure and its standard deviation:

* ``PGA`` and ``SA(T)``: ``mean`` is ln(g);
* ``PGV``: ``mean`` is ln(cm/s);
* ``MMI``: ``mean`` is the macroseismic intensity itself (Bindi et al. 2011: MSK-64).

Sigmas are in the same units as ``mean`` (ln units, or intensity units for ``MMI``).  The
conventions are those of OpenQuake hazardlib (gem/oq-engine ``openquake/hazardlib/gsim/``), against
whose tables every model is tested.

A model object is stateless and reusable; ``predict`` is vectorised over ``distance`` and ``vs30``
(any broadcastable shapes) and computes per-magnitude scalars once.  Constant sigmas come back as
read-only broadcast views (``np.broadcast_to``), so they cost nothing per site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ArrayLike = npt.ArrayLike


class QuakeModelError(ValueError):
    """Base class of every error raised by the ground-motion and intensity models."""


class UnknownModelError(QuakeModelError, KeyError):
    """A model name that is not in the registry."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class UnsupportedIMTError(QuakeModelError):
    """An intensity measure type that the model (or conversion) does not define."""


class InvalidInputError(QuakeModelError):
    """A magnitude, distance, depth or Vs30 that the model cannot take (negative, NaN, ...)."""


@dataclass(frozen=True)
class Prediction:
    """The median and standard deviations of one intensity measure at many sites.

    ``sigma_inter`` (between-event, tau) and ``sigma_intra`` (within-event, phi) are ``None`` for
    models that define only a total standard deviation (Kanno 2006, Bindi 2011 Repi).
    """

    mean: FloatArray
    sigma_total: FloatArray
    sigma_inter: FloatArray | None = None
    sigma_intra: FloatArray | None = None


@runtime_checkable
class GroundMotionModel(Protocol):
    """What every model in :data:`hushdor.science.quake.models.MODELS` offers."""

    name: str  # the OpenQuake hazardlib class name, e.g. "BooreEtAl2014"
    imts: frozenset[str]  # e.g. {"PGA", "PGV", "SA(0.3)", ...} or {"MMI"}
    distance: str  # the distance metric ``predict`` expects: "repi" | "rhypo" | "rjb" | "rrup"

    def predict(
        self,
        imt: str,
        *,
        mag: float,
        distance: ArrayLike,
        hypo_depth: float = 10.0,
        vs30: ArrayLike = 760.0,
        rake: float = 0.0,
    ) -> Prediction: ...


_SA_PATTERN = re.compile(r"^SA\(\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*\)$")


def normalise_imt(imt: str) -> str:
    """Spell an IMT the one way the coefficient tables do: ``PGA``, ``PGV``, ``MMI``, ``SA(0.3)``.

    ``"pga"`` → ``"PGA"``; ``"SA(0.30)"`` and ``"sa(.3)"`` → ``"SA(0.3)"``; ``"SA(1)"`` → ``"SA(1.0)"``.
    Raises :class:`UnsupportedIMTError` for anything that is not an IMT name.
    """
    if not isinstance(imt, str):
        raise UnsupportedIMTError(f"IMT must be a string such as 'PGA' or 'SA(0.3)', got {imt!r}")
    name = imt.strip().upper()
    if name in ("PGA", "PGV", "MMI"):
        return name
    match = _SA_PATTERN.match(name)
    if match is None:
        raise UnsupportedIMTError(f"{imt!r} is not an IMT name (expected PGA, PGV, MMI or SA(<period s>))")
    return f"SA({float(match.group(1))!r})"


def check_imt(model_name: str, imt: str, supported: frozenset[str]) -> str:
    """Return the normalised IMT, or raise :class:`UnsupportedIMTError` naming what the model offers."""
    name = normalise_imt(imt)
    if name not in supported:
        shown = sorted(supported, key=_imt_sort_key)
        listed = ", ".join(shown if len(shown) <= 8 else [*shown[:6], "...", shown[-1]])
        raise UnsupportedIMTError(f"{model_name} does not define IMT {imt!r}; it defines: {listed}")
    return name


def _imt_sort_key(name: str) -> tuple[int, float, str]:
    match = _SA_PATTERN.match(name)
    return (1, float(match.group(1)), name) if match else (0, 0.0, name)


def as_magnitude(mag: float) -> float:
    """Check a moment magnitude and return it as a float."""
    try:
        value = float(mag)
    except (TypeError, ValueError):
        raise InvalidInputError(f"magnitude must be a number, got {mag!r}") from None
    if not 0.0 < value < 10.0:
        raise InvalidInputError(f"magnitude must be finite and in (0, 10), got {mag!r}")
    return value


def as_depth(hypo_depth: float) -> float:
    """Check a hypocentral depth in km (>= 0, finite) and return it as a float."""
    try:
        value = float(hypo_depth)
    except (TypeError, ValueError):
        raise InvalidInputError(f"hypocentral depth must be a number (km), got {hypo_depth!r}") from None
    if not 0.0 <= value < 1000.0:
        raise InvalidInputError(f"hypocentral depth must be finite and in [0, 1000) km, got {hypo_depth!r}")
    return value


def as_rake(rake: float) -> float:
    """Check a rake angle in degrees ([-180, 180]) and return it as a float."""
    try:
        value = float(rake)
    except (TypeError, ValueError):
        raise InvalidInputError(f"rake must be a number (degrees), got {rake!r}") from None
    if not -180.0 <= value <= 180.0:
        raise InvalidInputError(f"rake must be in [-180, 180] degrees, got {rake!r}")
    return value


def as_distances(distance: ArrayLike, metric: str) -> FloatArray:
    """Return distances (km) as a float64 array, refusing NaN, infinite or negative values."""
    values = np.asarray(distance, dtype=np.float64)
    if values.size and not (values.min() >= 0.0 and np.isfinite(values.max())):
        raise InvalidInputError(
            f"{metric} distances must be finite and >= 0 km (got NaN, inf or a negative value)"
        )
    return values


def as_vs30(vs30: ArrayLike) -> FloatArray:
    """Return Vs30 (m/s) as a float64 array, refusing NaN, infinite or non-positive values."""
    values = np.asarray(vs30, dtype=np.float64)
    if values.size and not (values.min() > 0.0 and np.isfinite(values.max())):
        raise InvalidInputError("vs30 must be finite and > 0 m/s (got NaN, inf, zero or a negative value)")
    return values


def hypotenuse(distance: FloatArray, depth: float) -> FloatArray:
    """√(distance² + depth²) as a new array (a few times faster than ``np.hypot`` on large arrays)."""
    result = np.square(distance)
    result += depth * depth
    return np.sqrt(result, out=result) if isinstance(result, np.ndarray) else np.sqrt(result)


def constant(value: float, shape: tuple[int, ...]) -> FloatArray:
    """A read-only array of ``shape`` filled with ``value`` without allocating it."""
    return np.broadcast_to(np.float64(value), shape)
