"""The float32 kernels against the OpenQuake 3.26.2 oracle tables directly, row by row.

The kernels are already pinned to the float64 models on the whole grid (test_fast_shaking.py), and the
models to these tables (models/test_gmm_oracles.py, 0.5 %); this closes the chain in one step: with
the float32 arithmetic, the ``ln`` for ``log10`` and ``log(1 + x)`` for ``log1p``, every row of the
tables stays within 1e-5 relative (measured: ≤ 1.4e-6), a hundredth of the benchmark's 1e-3 against
OpenQuake. Inputs are cast to float32 as the fast path holds them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from hushdor.science.quake import fast_shaking
from hushdor.science.quake.models import get_model

TOLERANCE = 1e-5  # float32 rounding; bench/quake_impact.py's max_rel_diff target is 1e-3


def _events(table: np.ndarray, columns: tuple[str, ...]):
    keys = np.rec.fromarrays([table[column] for column in columns])
    for key in np.unique(keys):
        yield dict(zip(columns, key.tolist(), strict=True)), np.flatnonzero(keys == key)


def _sites(vs30: np.ndarray) -> fast_shaking.SiteSet:
    zeros = np.zeros(vs30.size)
    return fast_shaking.SiteSet(zeros, zeros, np.asarray(vs30, dtype=np.float64))


def _given(distance: np.ndarray) -> fast_shaking.FastDistances:
    value = np.asarray(distance, dtype=np.float32)
    return fast_shaking.FastDistances.given(value, value, value, value, "oracle table")


def test_bindi_kernel_matches_the_openquake_oracle(read_reference_csv: Callable[[str], np.ndarray]) -> None:
    table = read_reference_csv("oracle_BindiEtAl2011Repi.csv")
    model = get_model("BindiEtAl2011Repi")
    ours = np.full(len(table), np.nan)
    for event, rows in _events(table, ("mag", "hypo_depth")):
        repi = np.asarray(table["dist_repi"][rows], dtype=np.float32)
        depth = event["hypo_depth"]
        distances = fast_shaking.FastDistances(repi, repi, "point", depth, depth)
        ours[rows] = fast_shaking.bindi_repi_intensity(model, event["mag"], depth, distances)
    expected = np.clip(table["mean"], 1.0, 12.0)  # the kernel clips to MSK-64's range, OpenQuake does not
    assert np.max(np.abs(ours - expected) / expected) <= TOLERANCE


@pytest.mark.parametrize("model_name", ["BooreEtAl2014", "BooreEtAl2014HighQ"])
def test_bssa14_kernel_matches_the_openquake_oracle(
    model_name: str, read_reference_csv: Callable[[str], np.ndarray]
) -> None:
    table = read_reference_csv(f"oracle_{model_name}.csv")
    model = get_model(model_name)
    ours = np.full(len(table), np.nan)
    for event, rows in _events(table, ("imt", "mag", "rake")):
        ours[rows] = fast_shaking.bssa14_ln_motion(
            model,
            event["imt"],
            event["mag"],
            event["rake"],
            _given(table["dist_rjb"][rows]),
            _sites(table["vs30"][rows]),
        )
    assert not np.isnan(ours).any()
    assert np.max(np.abs(np.expm1(ours - table["mean_ln"]))) <= TOLERANCE


@pytest.mark.parametrize("model_name", ["ZhaoEtAl2006Asc", "ZhaoEtAl2006SSlab"])
def test_zhao2006_kernel_matches_the_openquake_oracle(
    model_name: str, read_reference_csv: Callable[[str], np.ndarray]
) -> None:
    table = read_reference_csv(f"oracle_{model_name}.csv")
    model = get_model(model_name)
    columns = ("imt", "mag", "hypo_depth") + (("rake",) if "rake" in table.dtype.names else ())
    ours = np.full(len(table), np.nan)
    for event, rows in _events(table, columns):
        ours[rows] = fast_shaking.zhao2006_ln_motion(
            model,
            event["imt"],
            event["mag"],
            event["hypo_depth"],
            event.get("rake", 0.0),
            _given(table["dist_rrup"][rows]),
            _sites(table["vs30"][rows]),
        )
    assert not np.isnan(ours).any()
    assert np.max(np.abs(np.expm1(ours - table["mean_ln"]))) <= TOLERANCE
